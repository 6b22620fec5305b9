"""The index from the command line: import, add, check without candidates, export, remove, bad files."""

from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner

from provenance.cli import main
from tests.support.paths import FAMILY, FIXTURES, SEED_HTML, SEED_TEXT

ORIGINALS = FIXTURES / "corpus" / "originals.jsonl"
BBC_URL = "https://www.bbc.co.uk/news/world-asia-45481711"
GAZETTE_URL = json.loads(ORIGINALS.read_text().splitlines()[1])["url"]


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


@pytest.fixture
def index(tmp_path):
    location = str(tmp_path / "known.sqlite")
    result = run("index", "import", str(ORIGINALS), "--index", location, "--workers", "1")
    assert result.exit_code == 0, result.output
    return location


def _origin(index: str, article: str) -> tuple[str | None, str]:
    result = run("check", article, "--index", index, "-f", "json", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return (data["origin"] or {}).get("url"), data["relation"]


def test_import_reports_counts_and_is_idempotent(index):
    again = run("index", "import", str(ORIGINALS), "--index", index)
    assert again.exit_code == 0 and "added 0, already indexed 3" in again.stdout
    stats = run("index", "stats", "--index", index)
    assert "articles:     3" in stats.stdout


@pytest.mark.parametrize(
    ("article", "origin", "relation"),
    [
        (SEED_HTML, BBC_URL, "verbatim"),
        (SEED_TEXT, BBC_URL, "verbatim"),
        (FAMILY / "copy-credited.html", GAZETTE_URL, "verbatim"),
        (FAMILY / "copy-partial.html", GAZETTE_URL, "partial"),
        (FIXTURES / "text" / "copy-partial.txt", GAZETTE_URL, "partial"),
        (FAMILY / "copy-patchwork.html", GAZETTE_URL, "partial"),
        (FAMILY / "copy-disguised.html", GAZETTE_URL, "verbatim"),
        (FAMILY / "independent.html", None, "original"),  # shares only a quote: no passage keys in common
    ],
    ids=lambda v: getattr(v, "name", v),
)
def test_check_finds_the_origin_in_the_index_alone(index, article, origin, relation):
    assert _origin(index, str(article)) == (origin, relation)


def test_patchwork_second_source_comes_from_the_index_too(index):
    result = run("check", str(FAMILY / "copy-patchwork.html"), "--index", index, "-f", "json")
    rules = {g["rule"] for g in json.loads(result.stdout)["gaps"]}
    assert "PRV106" in rules


def test_default_index_is_searched_when_it_exists(tmp_path, monkeypatch):
    location = tmp_path / "default.sqlite"
    monkeypatch.setenv("PROVENANCE_INDEX", str(location))
    no_index = run("check", str(SEED_TEXT), "-f", "json", "--fail-on", "never")
    assert json.loads(no_index.stdout)["origin"] is None
    assert run("index", "import", str(ORIGINALS)).exit_code == 0
    found = run("check", str(SEED_TEXT), "-f", "json", "--fail-on", "never")
    assert json.loads(found.stdout)["origin"]["url"] == BBC_URL
    skipped = run("check", str(SEED_TEXT), "--no-index", "-f", "json", "--fail-on", "never")
    assert json.loads(skipped.stdout)["origin"] is None


def test_candidates_and_index_add_up_without_duplicates(index):
    result = run("check", str(SEED_HTML), "--index", index, "-c", str(FIXTURES / "seed"), "-f", "json")
    urls = [c["url"] for c in json.loads(result.stdout)["candidates"]]
    assert urls.count(BBC_URL) == 1


def test_add_files_merges_with_imported_copies(index):
    result = run("index", "add", str(FAMILY / "original-a.html"), str(FAMILY / "original-b.html"), "--index", index)
    assert result.exit_code == 0 and "added 0, already indexed 2" in result.stdout


def test_add_directory_skips_bad_files_with_a_warning(tmp_path):
    location = str(tmp_path / "dir.sqlite")
    result = run("index", "add", str(FIXTURES / "bad"), "--index", location, "--workers", "1")
    assert result.exit_code == 0
    assert "warning: skipped cannot read" in result.stderr
    assert "added 2" in result.stdout  # the tag soup and the Latin-1 text are readable


def test_export_round_trips_through_import(index, tmp_path):
    first = run("index", "export", "--index", index).stdout
    copy = str(tmp_path / "copy.sqlite")
    assert run("index", "import", "-", "--index", copy, input=first).exit_code == 0
    assert run("index", "export", "--index", copy).stdout == first
    assert len(first.splitlines()) == 3


def test_remove_takes_an_article_out_of_every_check(index):
    result = run("index", "remove", BBC_URL, "https://nowhere.example/x", "--index", index)
    assert result.stdout.strip() == "removed 1 of 2"
    assert _origin(index, str(SEED_TEXT)) == (None, "original")


def test_a_bad_jsonl_line_is_named_and_skipped_or_stops_the_import(tmp_path):
    lines = ORIGINALS.read_text().splitlines()
    broken = "\n".join([lines[0], '{"url": "https://x.example/1", "text": 12}', lines[1]]) + "\n"
    skipped = str(tmp_path / "skipped.sqlite")
    result = run("index", "import", "-", "--index", skipped, "--workers", "1", input=broken)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "warning: skipped <stdin>:2: field 'text' must be a string",
        "error: 1 record(s) not imported (the warnings above say why); the others are in",
    ]
    assert "added 2, already indexed 0, skipped 1" in result.stdout
    assert "articles:     2" in run("index", "stats", "--index", skipped).stdout
    stopped = str(tmp_path / "stopped.sqlite")
    result = run("index", "import", "-", "--index", stopped, "--workers", "1", "--on-error", "stop", input=broken)
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: cannot read <stdin>:2: field 'text' must be a string"
    assert "articles:     1" in run("index", "stats", "--index", stopped).stdout


@pytest.mark.parametrize("bad", ["binary.html", "latin1.txt", "empty.txt"])
def test_a_file_that_is_not_an_index_is_refused_and_left_alone(bad):
    path = FIXTURES / "bad" / bad
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = run("check", str(SEED_TEXT), "--index", str(path))
    assert result.exit_code == 2 and result.stderr.startswith(f"error: index {path}")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_a_missing_index_named_explicitly_is_an_error(tmp_path):
    result = run("check", str(SEED_TEXT), "--index", str(tmp_path / "absent.sqlite"))
    assert result.exit_code == 2 and "no index here" in result.stderr
    assert not (tmp_path / "absent.sqlite").exists()


def test_add_feed_takes_full_content_or_fetches_the_page(fixture_site, site_config, tmp_path):
    location = str(tmp_path / "feeds.sqlite")
    result = run(
        "--config", site_config, "index", "add-feed", f"{fixture_site}/site/gazette-rss.xml", "--index", location
    )
    assert result.exit_code == 0, result.output
    assert "added 2, already indexed 0, skipped 0" in result.stdout
    exported = [json.loads(line) for line in run("index", "export", "--index", location).stdout.splitlines()]
    by_title = {r["title"]: r for r in exported}
    museum = by_title["Lighthouse keepers' cottage opens as a museum"]
    assert museum["url"].endswith("/site/not-served-lighthouse.html")  # never fetched: the feed had the text
    assert museum["published"].startswith("2026-03-13T18:00")
    assert "Kestrel Point" in museum["text"]
    assert _origin(location, str(FAMILY / "copy-partial.html"))[1] == "partial"


def test_add_feed_of_something_that_is_not_a_feed_fails_cleanly(fixture_site, tmp_path):
    location = str(tmp_path / "f.sqlite")
    result = run("index", "add-feed", f"{fixture_site}/site/broken-feed.xml", "--index", location, "--allow-private")
    assert result.exit_code == 2
    assert "not an RSS or Atom feed" in result.stderr and "Traceback" not in result.output


def test_add_sitemap_follows_indexes_once_and_honours_since(fixture_site, site_config, tmp_path):
    location = str(tmp_path / "sitemaps.sqlite")
    result = run(
        "--config", site_config, "index", "add-sitemap", f"{fixture_site}/site/sitemap-index.xml",
        "--since", "2026-01-01", "--index", location,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "added 2, already indexed 0, skipped 1" in result.stdout  # the BBC page is older; one sitemap is missing
    assert "HTTP 404" in result.stderr
    urls = {json.loads(line)["url"] for line in run("index", "export", "--index", location).stdout.splitlines()}
    assert any(u.endswith("port-callow-sea-wall-collapse-storm-edda") for u in urls)
    everything = run(
        "--config", site_config, "index", "add-sitemap", f"{fixture_site}/site/news-sitemap.xml", "--index", location
    )  # fmt: skip
    assert "added 1, already indexed 2" in everything.stdout


def test_ingest_on_worker_processes_stores_every_batch(tmp_path):
    from provenance.index import open_index
    from provenance.index.ingest import ingest
    from provenance.index.readers.jsonl import read_jsonl

    store = open_index(str(tmp_path / "pool.sqlite"))
    try:
        with ORIGINALS.open() as stream:
            totals = ingest(store, read_jsonl(stream, "originals"), batch_size=1, workers=2)
        assert (totals.added, totals.merged) == (3, 0)
        assert store.stats().articles == 3
    finally:
        store.close()


def test_an_index_poisoned_before_values_were_checked_still_reads(index):
    """An index written by 0.1.0 may hold a URL that does not parse and dates past year 9999 in UTC:
    stats, export and a check that matches such an article still work."""
    import sqlite3
    from datetime import date

    far = (date(9999, 12, 31) - date(1970, 1, 1)).days * 86400 + 86399 + 14 * 3600  # 9999-12-31T23:59:59-14:00
    with sqlite3.connect(index) as conn:
        conn.execute(
            "UPDATE articles SET url = 'http://[::1', published = '9999-12-31T23:59:59-14:00', published_ts = ?,"
            " first_seen = '9999-12-31T23:59:59-14:00' WHERE url = ?",
            (far, BBC_URL),
        )
        conn.execute(
            "UPDATE articles SET published = '9999-12-31T00:00:00', published_ts = ? WHERE url = ?", (far, GAZETTE_URL)
        )
    conn.close()
    stats = run("index", "stats", "--index", index)
    assert stats.exit_code == 0 and "articles:     3" in stats.stdout, stats.output
    exported = run("index", "export", "--index", index)
    assert exported.exit_code == 0 and len(exported.stdout.splitlines()) == 3, exported.output
    checked = run("check", str(SEED_TEXT), "--index", index, "-f", "json", "--fail-on", "never")
    assert checked.exit_code == 0, checked.output
    assert (json.loads(checked.stdout)["origin"] or {}).get("url") == "http://[::1"


@pytest.fixture
def read_only(tmp_path):
    """An index in a directory that cannot be written, not even by root (chattr +i where the tests
    run as root; chmod otherwise)."""
    import os
    import shutil
    import stat
    import subprocess

    folder = tmp_path / "shared"
    folder.mkdir()
    location = folder / "index.sqlite"
    assert run("index", "import", str(ORIGINALS), "--index", str(location), "--workers", "1").exit_code == 0
    before = sorted(p.name for p in folder.iterdir())
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr: a directory cannot be made read-only")
        made = subprocess.run(["chattr", "+i", str(location), str(folder)], capture_output=True, check=False)
        if made.returncode != 0:
            pytest.skip(f"chattr +i is not possible here: {made.stderr.decode().strip()}")
        try:
            yield location, before
        finally:
            subprocess.run(["chattr", "-i", str(location), str(folder)], check=True)
    else:
        location.chmod(stat.S_IRUSR | stat.S_IRGRP)
        folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
        try:
            yield location, before
        finally:
            folder.chmod(stat.S_IRWXU)


def test_a_read_only_index_is_read_without_writing(read_only):
    location, before = read_only
    stats = run("index", "stats", "--index", str(location))
    assert stats.exit_code == 0 and "articles:     3" in stats.stdout, stats.output
    exported = run("index", "export", "--index", str(location))
    assert exported.exit_code == 0 and len(exported.stdout.splitlines()) == 3, exported.output
    assert _origin(str(location), str(SEED_TEXT)) == (BBC_URL, "verbatim")
    assert sorted(p.name for p in location.parent.iterdir()) == before  # no -wal or -shm left beside it
    written = run("index", "import", str(ORIGINALS), "--index", str(location))
    assert written.exit_code == 2 and len(written.stderr.strip().splitlines()) == 1
