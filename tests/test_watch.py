"""`provenance watch` over three passes of a loopback web (tests/support/watch_web.py), through the CLI.

Our site has a feed and a sitemap; three aggregators: one copies our stories without credit, one
with a credit but no link, one writes an independent report of the same event. Between passes the
feeds change: a new copy appears, an item disappears, a source fails with 500s and then recovers.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from provenance.cli import main
from provenance.config.watch import WATCH_KEYS
from provenance.watch.state import beside, open_state
from tests.support.redis_server import running_redis
from tests.support.watch_web import HOSTS, WatchWeb

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "docs" / "watch.schema.json").read_text())
UNCREDITED = {"PRV101", "PRV107"}  # copied without credit; the original's date not shown
FULL_COPY = {"PRV101", "PRV104", "PRV105", "PRV107", "PRV108"}  # + a byline claiming it, whole, our headline
CREDIT_NO_LINK = {"PRV103", "PRV107"}


@pytest.fixture
def web() -> Iterator[WatchWeb]:
    with WatchWeb() as running:
        yield running


def cli(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), *args])


def watch_once(config: Path, *args: str) -> tuple[Result, dict[str, Any]]:
    result = cli(config, "watch", "--once", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output + result.stderr
    data = json.loads(result.stdout)
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    return result, data


def found(data: dict[str, Any]) -> dict[tuple[str, str], set[str]]:
    """(site, path of the page) -> rules of each finding reported."""
    return {(f["site"], "/" + f["page_url"].split("/", 3)[3]): set(f["rules"]) for f in data["findings"]}


def test_three_passes_report_each_copy_once_with_its_rules(web: WatchWeb, tmp_path: Path):
    config = web.config(tmp_path)
    hook = web.url("hook", "/services/T000/B000/secret-token")
    web["hook"].fail_with = 500

    # pass 1: two copies of ours; the independent report of the same event is no finding
    first, data = watch_once(config, "--webhook", hook)
    assert first.exit_code == 1  # PRV101 is an error, at the default fail-on
    assert found(data) == {
        (HOSTS["coastline"], "/islands/tern-island-ferry.html"): UNCREDITED,
        (HOSTS["bayside"], "/local/gull-point-museum.html"): CREDIT_NO_LINK,
    }
    by_page = {f["page_url"].rsplit("/", 1)[1]: f for f in data["findings"]}
    assert by_page["tern-island-ferry.html"]["original_url"] == web.url("ours", "/news/ferry-fares.html")
    assert by_page["gull-point-museum.html"]["relation"] == "partial"
    assert data["pass"]["indexed"] == 3 and data["pass"]["checked"] == 3
    assert [s["role"] for s in data["pass"]["sources"]] == ["own-feed", "own-sitemap", "feed", "feed", "feed"]
    assert not web["ours"].asked("/news/2019-regatta.html")  # in our sitemap, but before `since`
    # the webhook failed: said on stderr without its secret path, and the findings are still reported
    assert "webhook: cannot fetch http://127.0.0.17:" in first.stderr and "HTTP 500" in first.stderr
    assert "secret-token" not in first.stderr + first.stdout

    # pass 2: a new copy; bayside's copy leaves its feed; northshore fails with 500s; the webhook is back
    web.round = 2
    web["northshore"].fail_with = 500
    web["hook"].fail_with = None
    second, data = watch_once(config, "--webhook", hook)
    assert second.exit_code == 1
    assert found(data) == {(HOSTS["coastline"], "/islands/sea-wall.html"): FULL_COPY}
    assert data["findings"][0]["relation"] == "verbatim"
    status = {s["url"]: s for s in data["pass"]["sources"]}
    northshore = status[web.url("northshore", "/feed.xml")]
    assert northshore["status"] == "failed" and "HTTP 500" in northshore["detail"]
    assert f"source {web.url('northshore', '/feed.xml')} failed" in second.stderr
    assert status[web.url("ours", "/feed.xml")]["new"] == 1 and data["pass"]["indexed"] == 1  # our new story
    assert web["bayside"].asked("/local/harbour-fete.html")  # the pass went on: bayside's new page was checked
    # the webhook now takes everything it missed, and this pass's copy
    (post,) = [r for r in web["hook"].requests if r.status == 200]
    payload = json.loads(post.body)
    assert payload["text"].startswith("provenance watch: 3 new copies of our stories")
    for page in ("tern-island-ferry.html", "gull-point-museum.html", "sea-wall.html"):
        assert page in payload["text"] and any(page in b["text"]["text"] for b in payload["blocks"][1:])

    # pass 3: northshore recovers; nothing changed anywhere: every feed answers 304 and is respected
    web.round = 3
    web["northshore"].fail_with = None
    before = {name: len(site.requests) for name, site in web.sites.items()}
    third, data = watch_once(config, "--webhook", hook)
    assert third.exit_code == 0 and data["findings"] == []
    assert {s["status"] for s in data["pass"]["sources"]} == {"unchanged"}
    for name in ("ours", "coastline", "bayside", "northshore"):
        asked = web[name].requests[before[name] :]
        assert [r.status for r in asked if r.path != "/robots.txt"] == [304] * len(
            [r for r in asked if r.path != "/robots.txt"]
        ), name
        assert all(r.if_none_match for r in asked if r.path.endswith(".xml")), name
    assert len(web["hook"].requests) == before["hook"]  # nothing new, nothing posted

    # the state: three findings, each once; last seen moves only while a source still lists the page
    listed, data = cli(config, "findings", "list", "--format", "json"), None
    assert listed.exit_code == 0, listed.output
    data = json.loads(listed.stdout)
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    assert [f["id"] for f in data["findings"]] == [1, 2, 3] and data["pass"] is None
    tern, gull, wall = data["findings"]
    assert tern["last_seen"] > tern["first_seen"] and wall["last_seen"] > wall["first_seen"]
    assert gull["last_seen"] == gull["first_seen"]  # gone from bayside's feed since pass 2


def test_findings_are_worked_with_filters_ack_resolve_export_and_show(web: WatchWeb, tmp_path: Path):
    config = web.config(tmp_path)
    watch_once(config)
    web.round = 2
    watch_once(config)

    def ids(*args: str) -> list[int]:
        result = cli(config, "findings", "list", "--format", "jsonl", *args)
        assert result.exit_code == 0, result.output
        return [json.loads(line)["id"] for line in result.stdout.splitlines()]

    assert ids() == [1, 2, 3]
    acked = cli(config, "findings", "ack", "1", "3", "--note", "legal has written to them")
    assert acked.exit_code == 0 and acked.stdout.strip() == "acknowledged 2 of 2"
    assert cli(config, "findings", "resolve", "2").exit_code == 0
    assert ids("--status", "acknowledged") == [1, 3] and ids("--status", "new") == []
    assert ids("--site", HOSTS["coastline"]) == [1, 3] and ids("--site", HOSTS["bayside"]) == [2]
    assert ids("--rule", "PRV103") == [2] and ids("--rule", "byline-claims-copied-work") == [3]
    assert ids("--since", "2000-01-01") == [1, 2, 3] and ids("--until", "2000-01-01") == []

    missing = cli(config, "findings", "resolve", "9")
    assert missing.exit_code == 2 and "no finding #9" in missing.stderr
    bad = cli(config, "findings", "list", "--rule", "PRV999")
    assert bad.exit_code == 2 and "unknown rule 'PRV999'" in bad.stderr

    exported = cli(config, "findings", "export", "--format", "csv", "--status", "acknowledged")
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert [(r["id"], r["status"], r["note"]) for r in rows] == [
        ("1", "acknowledged", "legal has written to them"),
        ("3", "acknowledged", "legal has written to them"),
    ]
    assert rows[1]["rules"] == "PRV101 PRV104 PRV105 PRV107 PRV108" and rows[1]["relation"] == "verbatim"
    out = tmp_path / "all.jsonl"
    assert cli(config, "findings", "export", "-o", str(out)).exit_code == 0
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == [1, 2, 3]

    shown = cli(config, "findings", "show", "3")
    assert shown.exit_code == 0, shown.output
    assert "PRV104 byline-claims-copied-work" in shown.stdout and "Digest Newsdesk" in shown.stdout
    assert "legal has written to them" in shown.stdout
    page = tmp_path / "finding.html"
    assert cli(config, "findings", "show", "3", "--format", "html", "-o", str(page)).exit_code == 0
    html = page.read_text()
    assert 'id="finding-3"' in html and "Council approves new sea wall" in html
    assert 'class="side-by-side"' in html or "Side by side" in html  # the evidence, checked again


def test_the_search_strategy_finds_a_copy_on_a_site_nobody_listed(web: WatchWeb, tmp_path: Path):
    config = web.config(tmp_path, search=True, sources=[])
    _, data = watch_once(config)
    by_site = {f["site"]: f for f in data["findings"]}
    gullhaven = by_site[HOSTS["gullhaven"]]
    assert gullhaven["page_url"] == web.url("gullhaven", "/news/ferry-freeze.html")
    assert gullhaven["found_by"].startswith('search: "') and set(gullhaven["rules"]) == UNCREDITED
    assert gullhaven["original_url"] == web.url("ours", "/news/ferry-fares.html")
    queries = [r.path for r in web["search"].requests if r.path.startswith("/search?")]
    assert queries and all("format=json" in q and "%22" in q for q in queries)  # exact phrases, JSON API
    assert not any(f["site"] == HOSTS["ours"] for f in data["findings"])  # our own pages are in its results too
    searched = [s for s in data["pass"]["sources"] if s["role"] == "search"]
    assert searched and searched[0]["status"] == "read"
    # the next pass asks again, but pages already checked are not fetched again
    pages_before = len(web["gullhaven"].requests)
    _, again = watch_once(config)
    assert again["findings"] == [] and len(web["gullhaven"].requests) == pages_before


def test_formats_of_a_pass_table_markdown_html_and_jsonl(web: WatchWeb, tmp_path: Path):
    config = web.config(tmp_path)
    table = cli(config, "watch", "--once", "--no-color")
    assert table.exit_code == 1, table.output
    assert "PRV101 copied-without-credit" in table.stdout and "2 new findings (1 error, 1 warning)" in table.stdout
    web.round = 2
    markdown = cli(config, "watch", "--once", "--format", "markdown")
    assert "## provenance watch" in markdown.stdout and "| #3 | error |" in markdown.stdout
    assert "`PRV104` byline-claims-copied-work" in markdown.stdout
    web.round = 3
    web["coastline"].fail_with = 500
    page = tmp_path / "digest.html"
    html = cli(config, "watch", "--once", "--format", "html", "-o", str(page))
    digest = page.read_text()
    assert html.exit_code == 0 and "No new findings" in digest
    assert "HTTP 500" in digest  # the failing source, in the digest's sources table
    state = open_state(beside(os.environ["PROVENANCE_INDEX"]), create=False)
    try:
        assert state.unreported() == []
    finally:
        state.close()


def test_an_html_digest_links_each_new_finding_to_its_evidence(web: WatchWeb, tmp_path: Path):
    config = web.config(tmp_path)
    page = tmp_path / "digest.html"
    result = cli(config, "watch", "--once", "--format", "html", "--output", str(page))
    assert result.exit_code == 1, result.output
    html = page.read_text()
    for number in (1, 2):
        assert f'href="#finding-{number}"' in html and f'id="finding-{number}"' in html
        assert f'id="f{number}-report"' in html  # check's report, side by side, inside the section
    assert "default-src 'none'" in html  # the report's Content-Security-Policy
    assert html.count("Source: Harbour Daily") >= 1


def test_nothing_to_watch_and_a_bad_interval_are_usage_errors(tmp_path: Path):
    config = tmp_path / "provenance.toml"
    config.write_text("[watch]\nsearch = false\n")
    result = cli(config, "watch", "--once")
    assert result.exit_code == 2 and "nothing to watch" in result.stderr
    config.write_text('[watch]\nsources = ["https://example.org/feed.xml"]\n')
    result = cli(config, "watch", "--interval", "soon")
    assert result.exit_code == 2 and "--interval 'soon'" in result.stderr
    result = cli(config, "watch", "--once", "--webhook", "hooks.example/x")
    assert result.exit_code == 2 and "the webhook must be an http(s):// URL" in result.stderr
    result = cli(config, "watch", "--once", "--offline")
    assert result.exit_code == 2 and "--offline: watch reads its sources as they are now" in result.stderr
    config.write_text("[watch]\nsorces = []\n")
    result = cli(config, "watch", "--once")
    assert result.exit_code == 2 and "unknown key 'watch.sorces'" in result.stderr
    missing = cli(config.with_name("none.toml"), "findings", "list")
    assert missing.exit_code == 2
    config.write_text("")
    nothing = cli(config, "findings", "list")
    assert nothing.exit_code == 2 and "no watch state here yet" in nothing.stderr


def test_with_a_redis_index_the_state_lives_in_its_database(web: WatchWeb, tmp_path: Path, monkeypatch):
    (tmp_path / "redis").mkdir()
    with running_redis(tmp_path / "redis") as server:
        monkeypatch.setenv("PROVENANCE_INDEX", server.url(5))
        config = web.config(tmp_path)
        _, data = watch_once(config)
        assert found(data) == {
            (HOSTS["coastline"], "/islands/tern-island-ferry.html"): UNCREDITED,
            (HOSTS["bayside"], "/local/gull-point-museum.html"): CREDIT_NO_LINK,
        }
        _, again = watch_once(config)
        assert again["findings"] == []
        listed = cli(config, "findings", "list", "--format", "jsonl")
        assert [json.loads(line)["id"] for line in listed.stdout.splitlines()] == [1, 2]
        with server.client(5) as client:
            prefixes = {key.decode().split(":", 1)[0] for key in client.keys("*")}
        assert prefixes == {"prov", "prov-watch"}  # the index's keys and the state's, apart
        assert not Path(beside(server.url(5))).exists()


def test_the_how_to_documents_every_watch_key():
    text = (Path(__file__).resolve().parent.parent / "docs" / "watch.md").read_text()
    for key in WATCH_KEYS:
        assert f"`{key}`" in text or f"[watch.{key}]" in text or f"[[watch.{key}]]" in text, key


def test_a_plain_list_of_urls_is_a_source_too(web: WatchWeb, tmp_path: Path):
    config = web.config(tmp_path, sources=["gullhaven/urls.txt"])
    _, data = watch_once(config)
    assert found(data) == {(HOSTS["gullhaven"], "/news/ferry-freeze.html"): UNCREDITED}
    (listing,) = [s for s in data["pass"]["sources"] if s["url"].endswith("/urls.txt")]
    assert (listing["role"], listing["status"], listing["listed"], listing["new"]) == ("urls", "read", 1, 1)


def test_the_progress_bar_goes_to_stderr_and_leaves_the_findings_alone(web: WatchWeb, tmp_path: Path, monkeypatch):
    import provenance.cli.common

    monkeypatch.setattr(provenance.cli.common, "progress_wanted", lambda: True)  # as on a terminal
    _, data = watch_once(web.config(tmp_path))
    assert len(data["findings"]) == 2
