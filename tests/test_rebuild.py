"""An index knows how its keys were made: one built otherwise is refused in one line, and
`provenance index rebuild` signs its stored texts again, in place, with SQLite and with Redis."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from provenance.cli import main
from provenance.errors import StoreError
from provenance.fingerprint.keys import LshParams
from provenance.index import open_index
from provenance.index.find import find
from provenance.index.ingest import ingest
from provenance.index.keys import LEGACY_STAMP, PARAMS, entries, stamp
from provenance.index.rebuild import rebuild
from provenance.index.store.base import Store, StoredArticle
from provenance.index.store.redis import RedisStore
from provenance.index.store.sqlite import SqliteStore
from provenance.model import Article
from tests.support.redis_server import RedisServer, running_redis

OTHER = LshParams(bands=6, rows=4, shingle_size=4)
WORDS = [f"{a}{b}" for a in ("ka", "lo", "mi", "nu", "pe", "ro", "su", "ti") for b in range(60)]
T0 = datetime(2025, 6, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    with running_redis(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture(params=["sqlite", "redis"])
def place(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two places for an index on one backend: (the one built otherwise, a fresh one to compare with)."""
    if request.param == "sqlite":
        yield str(tmp_path / "index.sqlite"), str(tmp_path / "fresh.sqlite")
        return
    server: RedisServer = request.getfixturevalue("redis_server")
    server.flush()
    yield server.url(), server.url() + "?prefix=fresh:"


def _corpus(count: int = 30, seed: int = 3) -> list[StoredArticle]:
    rng = random.Random(seed)
    articles = []
    for i in range(count):
        paragraphs = tuple(" ".join(rng.choice(WORDS) for _ in range(30)) + "." for _ in range(6))
        when = T0 + timedelta(days=i)
        articles.append(StoredArticle(f"https://wire.example/{i}", f"story {i}", "Wire", None, when, when, paragraphs))
    return articles


def _build(location: str, articles: list[StoredArticle], params: LshParams) -> None:
    with open_index(location, params=params) as store:
        ingest(store, articles, params=params, batch_size=7)


def _copy(article: StoredArticle) -> Article:
    return Article(source="copy.md", paragraphs=article.paragraphs[1:5])


def _found(
    store: Store, articles: list[StoredArticle], params: LshParams = PARAMS
) -> list[list[tuple[str | None, int]]]:
    return [[(a.url, shared) for a, shared in find(store, _copy(article), params=params)] for article in articles]


def test_an_index_built_with_other_parameters_is_refused_in_one_line(place: tuple[str, str]) -> None:
    location, _ = place
    _build(location, _corpus(5), OTHER)
    with pytest.raises(StoreError) as refused:
        open_index(location)
    message = str(refused.value)
    assert "\n" not in message
    assert "shingle=4 bands=6 rows=4" in message and "shingle=5 bands=8 rows=3" in message
    assert "`provenance index rebuild`" in message
    with open_index(location, params=OTHER) as store:  # its own parameters still read it
        assert find(store, _copy(_corpus(5)[2]), params=OTHER)[0][0].url == "https://wire.example/2"


def test_rebuild_signs_it_again_as_a_fresh_index_would_have(place: tuple[str, str]) -> None:
    location, fresh = place
    articles = _corpus()
    _build(location, articles, OTHER)
    _build(fresh, articles, PARAMS)
    with open_index(location, verified=False) as store:
        done = rebuild(store, batch_size=7)
        assert (done.articles, done.merged, done.after) == (30, 0, stamp())
        assert store.stamp == stamp()
    with open_index(location) as rebuilt, open_index(fresh) as expected:
        assert _found(rebuilt, articles) == _found(expected, articles)
        url, shared = _found(rebuilt, articles)[4][0]
        assert url == "https://wire.example/4" and shared >= 8  # the original's passage inside the copy
        ours, theirs = rebuilt.stats(), expected.stats()
        assert (ours.articles, ours.band_entries) == (theirs.articles, theirs.band_entries)
        assert list(rebuilt.export()) == list(expected.export())
    if "://" in location:  # nothing of the rebuild is left behind
        with RedisStore(location) as store:
            leftovers = [k for k in store._db.keys("prov:*") if k.startswith((b"prov:n", b"prov:rekey"))]
            fields = [f for f in store._db.hkeys("prov:meta") if f.startswith((b"nb:", b"nc:", b"rekey"))]
        assert leftovers == fields == []


def test_a_rebuild_that_stops_halfway_leaves_the_index_as_it_was(
    place: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    location, _ = place
    articles = _corpus()
    _build(location, articles, OTHER)
    with open_index(location, params=OTHER) as store:
        before = _found(store, articles, OTHER), store.stats().band_entries
    with open_index(location, verified=False) as store:
        reads = 0
        get = store.get

        def failing(keys: list[int]) -> dict[int, StoredArticle]:
            nonlocal reads
            reads += 1
            if reads == 3:
                raise KeyboardInterrupt  # the rebuild is stopped, its new keys half written
            return get(keys)

        monkeypatch.setattr(store, "get", failing)
        with pytest.raises(KeyboardInterrupt):
            rebuild(store, batch_size=7)
    with open_index(location, params=OTHER) as store:
        assert (_found(store, articles, OTHER), store.stats().band_entries) == before
    with open_index(location, verified=False) as store:
        assert rebuild(store, batch_size=7).articles == 30
    with open_index(location) as store:
        assert _found(store, articles)[0][0][0] == "https://wire.example/0"


def test_new_content_keys_merge_the_articles_whose_texts_are_now_one(place: tuple[str, str]) -> None:
    """A change to normalisation can make two stored texts one: the later merges into the earlier,
    which keeps the earliest dates, as an ingest merges them."""
    location, _ = place
    articles = _corpus(6)
    twin = replace(articles[1], url="https://copy.example/1", published=T0 - timedelta(days=30))
    older = stamp(OTHER).replace("normalize=1", "normalize=0")
    made = [replace(e, content_key=1000 + i) for i, e in enumerate(entries([*articles, twin], OTHER))]
    store: Store = RedisStore(location, stamp=older) if "://" in location else SqliteStore(location, stamp=older)
    with store:
        store.add(made)
        assert store.stats().articles == 7
    with pytest.raises(StoreError, match="normalize=0"):
        open_index(location)
    with open_index(location, verified=False) as store:
        done = rebuild(store, batch_size=4)
        assert (done.articles, done.merged) == (6, 1)
    with open_index(location) as store:
        kept = {a.url: a for a in store.export()}
        assert sorted(kept) == sorted(a.url for a in articles)
        assert kept["https://wire.example/1"].published == T0 - timedelta(days=30)
        assert store.stats().articles == 6
        assert [a.url for a, _ in find(store, _copy(twin))] == ["https://wire.example/1"]
        ingest(store, [twin])  # the same text again merges, as it does in an index built today
        assert store.stats().articles == 6


def test_the_cli_refuses_a_stale_index_then_rebuilds_it(place: tuple[str, str], tmp_path: Path) -> None:
    location, _ = place
    articles = _corpus(8)
    _build(location, articles, OTHER)
    copy = tmp_path / "copy.md"
    copy.write_text("\n\n".join(_copy(articles[3]).paragraphs))
    runner = CliRunner()
    refused = runner.invoke(main, ["check", str(copy), "--index", location, "-f", "json"])
    assert refused.exit_code == 2
    assert refused.output.count("\n") == 1 and "run `provenance index rebuild`" in refused.output
    stats = runner.invoke(main, ["index", "stats", "--index", location])
    assert stats.exit_code == 0 and "(not this provenance's: run `provenance index rebuild`)" in stats.output
    rebuilt = runner.invoke(main, ["index", "rebuild", "--index", location, "--workers", "1"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "signed 8 article(s) again" in rebuilt.output
    again = runner.invoke(main, ["index", "rebuild", "--index", location])
    assert again.exit_code == 0 and "nothing to do" in again.output
    checked = runner.invoke(main, ["check", str(copy), "--index", location, "-f", "json"])
    assert checked.exit_code in (0, 1) and "https://wire.example/3" in checked.output


def test_an_index_from_before_stamps_is_taken_as_made_the_old_way(tmp_path: Path) -> None:
    location = str(tmp_path / "old.sqlite")
    with SqliteStore(location) as store:  # no stamp recorded, as before stamps
        store.add(entries(_corpus(3)))
        assert store.stamp is None
    assert stamp() == LEGACY_STAMP  # what every index held until the stamp came
    with open_index(location) as store:
        assert find(store, _copy(_corpus(3)[1]))[0][0].url == "https://wire.example/1"
