"""Watch state: one behaviour, two backends (SQLite beside the index, Redis in the index's database)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from provenance.errors import StateError
from provenance.model import Article, Credit, Link, Severity
from provenance.watch.model import Copy, Filters, FindingGap, Status
from provenance.watch.state import MAX_TRIES, ItemRecord, SourceRecord, State, beside, open_state
from tests.support.redis_server import RedisServer, running_redis

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
PAGE = Article(
    source="http://copier.example/a",
    paragraphs=("First paragraph.", "Second \u202e paragraph."),
    url="http://copier.example/a",
    title="A copy",
    publisher="Copier",
    published=T0,
    credits=(Credit("Harbour Daily", "Source: Harbour Daily", "source-label", None, 1),),
    links=(Link("http://x.example/", "x", 0),),
)


def copy_of(page: str, original: str = "http://ours.example/a", rules: tuple[str, ...] = ("PRV101",)) -> Copy:
    gaps = tuple(FindingGap(r, "copied-without-credit", Severity.ERROR, "copied", ("a passage",)) for r in rules)
    site = page.split("/")[2]
    return Copy(page, site, "A copy", original, "Ours", "partial", 0.9, 0.6, gaps, "http://feed.example/rss")


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    with running_redis(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture(params=["sqlite", "redis"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "index.watch.sqlite")
    server: RedisServer = request.getfixturevalue("redis_server")
    server.flush()
    return server.url(3)


@pytest.fixture
def state(location: str) -> Iterator[State]:
    opened = open_state(location)
    yield opened
    opened.close()


def test_the_state_lives_beside_the_index_or_in_the_redis_index():
    assert beside("/data/index.sqlite") == "/data/index.watch.sqlite"
    assert beside("/data/index") == "/data/index.watch.sqlite"
    assert beside("redis://127.0.0.1:6379/2") == "redis://127.0.0.1:6379/2"


def test_a_page_and_its_findings_are_recorded_once(state: State):
    item = ItemRecord("http://copier.example/a", "http://feed.example/rss", "copy", T0)
    state.record(item, [(copy_of("http://copier.example/a"), PAGE)], T0)
    assert state.pending(["http://copier.example/a", "http://copier.example/b"]) == ["http://copier.example/b"]
    # the same page and original again (a rerun after a crash between two writes): seen again, not added
    later = T0 + timedelta(hours=1)
    state.record(item, [(copy_of("http://copier.example/a"), PAGE)], later)
    (finding,) = state.findings()
    assert (finding.id, finding.first_seen, finding.last_seen, finding.status) == (1, T0, later, Status.NEW)
    assert finding.copy == copy_of("http://copier.example/a")
    assert state.page(1) == PAGE  # kept whole: its evidence is checked again from it


def test_findings_are_reported_and_notified_once_each(state: State):
    for n in range(3):
        url = f"http://copier.example/{n}"
        state.record(ItemRecord(url, "feed", "copy", T0), [(copy_of(url), PAGE)], T0)
    assert [f.id for f in state.unreported()] == [1, 2, 3]
    state.mark_reported([1, 2])
    assert [f.id for f in state.unreported()] == [3]
    assert [f.id for f in state.unnotified()] == [1, 2, 3]
    state.mark_notified([1, 2, 3])
    assert state.unnotified() == []


def test_ack_and_resolve_keep_a_note_and_name_what_does_not_exist(state: State):
    state.record(ItemRecord("http://a.example/1", "feed", "copy", T0), [(copy_of("http://a.example/1"), PAGE)], T0)
    assert state.set_status([1, 7], Status.ACKNOWLEDGED, "legal is on it") == [1]
    assert state.set_status([1], Status.RESOLVED, None) == [1]
    finding = state.get(1)
    assert finding is not None and finding.status is Status.RESOLVED and finding.note == "legal is on it"
    assert state.get(7) is None and state.page(7) is None


def test_findings_filter_by_site_status_rule_and_date(state: State):
    pages = ["http://a.example/1", "http://news.b.example/2", "http://b.example/3"]
    for n, url in enumerate(pages):
        rules = ("PRV103",) if n == 2 else ("PRV101", "PRV107")
        state.record(ItemRecord(url, "feed", "copy", T0), [(copy_of(url, rules=rules), PAGE)], T0 + timedelta(days=n))
    state.set_status([2], Status.ACKNOWLEDGED, None)

    def ids(**chosen: object) -> list[int]:
        return [f.id for f in state.findings(Filters(**chosen))]  # type: ignore[arg-type]

    assert ids() == [1, 2, 3]
    assert ids(site="b.example") == [2, 3] and ids(site="www.a.example") == [1]
    assert ids(status=Status.NEW) == [1, 3]
    assert ids(rule="PRV103") == [3] and ids(rule="PRV107") == [1, 2]
    assert ids(since=T0 + timedelta(days=1)) == [2, 3] and ids(until=T0 + timedelta(days=1)) == [1]


def test_a_page_that_fails_is_tried_again_a_few_times(state: State):
    url = "http://flaky.example/page"
    for attempt in range(1, MAX_TRIES + 1):
        assert state.pending([url]) == [url], attempt
        state.record(ItemRecord(url, "feed", "failed", T0), (), T0)
    assert state.pending([url]) == []


def test_a_source_keeps_its_validators_and_listing_and_bumps_what_it_still_lists(state: State):
    listed = ["http://a.example/1", "http://a.example/2"]
    for url in listed:
        state.record(ItemRecord(url, "feed", "copy", T0), [(copy_of(url), PAGE)], T0)
    record = SourceRecord("http://a.example/rss", "feed", '"v1"', "Mon, 02 Mar 2026 08:00:00 GMT", T0, "read")
    state.update_source(record, [(listed[0], T0), (listed[1], None)], T0)
    assert state.source(record.url) == record and state.listing(record.url) == [(listed[0], T0), (listed[1], None)]
    later = T0 + timedelta(hours=2)  # a 304: the listing stands, its pages are seen again
    state.update_source(SourceRecord(record.url, "feed", '"v1"', None, later, "unchanged"), None, later)
    assert [f.last_seen for f in state.findings()] == [later, later]
    # the source lists only the second page now; then it fails: nothing is seen, the validators stay
    latest = later + timedelta(hours=2)
    state.update_source(SourceRecord(record.url, "feed", '"v2"', None, latest, "read"), [(listed[1], None)], latest)
    state.update_source(SourceRecord(record.url, "feed", '"v2"', None, latest, "failed", "HTTP 500", 1), None, T0)
    assert [f.last_seen for f in state.findings()] == [later, latest]
    assert state.source(record.url).failures == 1  # type: ignore[union-attr]
    assert state.source("http://nowhere.example/rss") is None


def test_our_recent_articles_are_what_search_asks_about(state: State):
    state.record(ItemRecord("http://ours.example/old", "own", "indexed", T0, T0 - timedelta(days=30), ("old",)), (), T0)
    state.record(ItemRecord("http://ours.example/new", "own", "indexed", T0, T0, ("a phrase", "another")), (), T0)
    state.record(ItemRecord("http://copier.example/x", "feed", "clean", T0), (), T0)
    assert [(i.url, i.phrases) for i in state.ours(T0 - timedelta(days=7))] == [
        ("http://ours.example/new", ("a phrase", "another"))
    ]
    assert len(state.ours(None)) == 2


def test_last_pass_is_remembered(state: State, location: str):
    assert state.last_pass() is None
    state.pass_done(T0)
    state.close()
    reopened = open_state(location, create=False)
    try:
        assert reopened.last_pass() == T0
    finally:
        reopened.close()


def test_a_missing_or_foreign_state_is_one_error(tmp_path: Path):
    with pytest.raises(StateError, match="no watch state here yet"):
        open_state(str(tmp_path / "none.sqlite"), create=False)
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE users (name TEXT)")
    conn.close()
    with pytest.raises(StateError, match="not provenance watch state"):
        open_state(str(other))


def test_redis_state_keeps_out_of_the_index_keys(redis_server: RedisServer):
    redis_server.flush()
    state = open_state(redis_server.url(4))
    state.record(ItemRecord("http://a.example/1", "feed", "copy", T0), [(copy_of("http://a.example/1"), PAGE)], T0)
    state.close()
    with redis_server.client(4) as client:
        keys = {k.decode() for k in client.keys("*")}
    assert keys and all(k.startswith("prov-watch:") for k in keys)
    from provenance.index.store.redis import RedisStore

    RedisStore(redis_server.url(4)).close()  # an index can still be made in this database
