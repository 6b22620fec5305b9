"""Discovery on a fixture web (tests/support/fixture_web.py): each strategy finds the original through the CLI,
failures and limits are reported without failing the check."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from provenance.cli import main
from provenance.cli.check import check as check_command
from provenance.discover import STRATEGIES
from tests.support.fixture_web import BBC_PATH, SEED_PATH, FixtureWeb

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "docs" / "report.schema.json").read_text())


@pytest.fixture
def web() -> Iterator[FixtureWeb]:
    with FixtureWeb() as running:
        yield running


def check(config: Path, url: str, *args: str) -> tuple[Result, dict[str, Any]]:
    result = CliRunner().invoke(main, ["--config", str(config), "check", url, "-f", "json", *args])
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.output)
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    return result, data


def runs(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {run["strategy"]: run for run in data["discovery"]}


def test_credited_publisher_feeds_lead_to_the_original(web: FixtureWeb, tmp_path: Path) -> None:
    _, data = check(web.config(tmp_path), web.url(web.aggregator, SEED_PATH), "--discover", "publisher")
    assert data["origin"]["url"] == web.url(web.publisher, BBC_PATH)
    (found,) = data["candidates"]
    assert found["found_by"] == "publisher"
    assert found["reason"].startswith('feed item "Kim Jong-un seeks another meeting') and "before" in found["reason"]
    assert runs(data)["publisher"]["status"] == "ok"
    fetched = web.publisher.pages()
    assert "/news/world/rss.xml" in fetched and "/sitemaps/news.xml" in fetched
    # an unrelated title in the window and a matching title a month early are not fetched
    assert "/news/business-45480022" not in fetched
    assert "/news/world-asia-old-letter" not in fetched


def test_the_publishers_own_site_search_is_the_last_resort(web: FixtureWeb, tmp_path: Path) -> None:
    search = {"feeds": [], "sitemaps": [], "search": [web.url(web.publisher, "/search?q={query}")]}
    _, data = check(
        web.config(tmp_path, publisher=search), web.url(web.aggregator, SEED_PATH), "--discover", "publisher"
    )
    assert data["origin"]["url"] == web.url(web.publisher, BBC_PATH)
    assert data["candidates"][0]["reason"].startswith('site search item "Kim Jong-un seeks another meeting')
    assert web.publisher.pages()[0].startswith("/search?q=Kim+Jong-un+seeks")


def test_search_engine_finds_the_original_with_exact_phrases_on_the_credited_site(
    web: FixtureWeb, tmp_path: Path
) -> None:
    _, data = check(web.config(tmp_path), web.url(web.aggregator, SEED_PATH), "--discover", "search")
    assert data["origin"]["url"] == web.url(web.publisher, BBC_PATH)
    (found,) = data["candidates"]
    assert found["found_by"] == "search"
    assert found["reason"].startswith('searxng: exact phrase "')
    queries = [q for q in web.search.requests if q.startswith("/search?")]
    assert len(queries) >= 3
    assert all("format=json" in q and "site%3A127.0.0.2" in q for q in queries)
    assert sum("%22" in q for q in queries) >= 2  # phrases in quotes
    # the later copy on the second outlet is outside the credited site: never fetched
    assert web.outlet.pages() == []


def test_search_drops_site_when_the_credited_site_has_nothing_and_picks_the_earliest(
    web: FixtureWeb, tmp_path: Path
) -> None:
    config = web.config(tmp_path)
    config.write_text(config.read_text().split("[[publishers]]")[0])  # the bundled BBC entry: not this web
    _, data = check(config, web.url(web.aggregator, SEED_PATH), "--discover", "search")
    restricted = ["site%3Abbc.co.uk" in q for q in web.search.requests]
    assert restricted[0] and not restricted[-1]
    found = {c["url"] for c in data["candidates"]}
    copy = web.url(web.outlet, "/world/kim-letter-copy.html")
    assert copy in found
    assert data["origin"]["url"] == web.url(web.publisher, BBC_PATH)


def test_link_next_to_the_credit_leads_to_the_original(web: FixtureWeb, tmp_path: Path) -> None:
    _, data = check(web.config(tmp_path), web.url(web.aggregator, "/linked/kim-letter.html"), "--discover", "links")
    assert data["origin"]["url"] == web.url(web.publisher, BBC_PATH)
    by_url = {c["url"]: c for c in data["candidates"]}
    assert by_url[web.url(web.publisher, BBC_PATH)]["found_by"] == "links"
    assert "credit" in by_url[web.url(web.publisher, BBC_PATH)]["reason"]
    # the credit's link is fetched before the mid-story link
    assert web.publisher.pages()[0] == BBC_PATH
    # a link in the first paragraph ranks next, but the publisher's robots.txt disallows it
    assert not any(p.startswith("/private/") for p in web.publisher.requests)
    assert any("/private/draft-kim-letter.html" in note and "robots" in note for note in runs(data)["links"]["notes"])


def test_first_captures_are_evidence_when_the_article_shows_no_date(web: FixtureWeb, tmp_path: Path) -> None:
    url = web.url(web.aggregator, "/undated/kim-letter.html")
    _, with_archive = check(web.config(tmp_path), url, "--discover", "publisher", "--discover", "wayback")
    assert with_archive["article"]["published"] is None
    wayback = runs(with_archive)["wayback"]
    assert wayback["status"] == "ok" and wayback["found"] == 2
    evidence = {e["kind"]: e for e in with_archive["origin"]["evidence"]}
    assert evidence["archive"]["weight"] > 0
    assert "first archived 2018-09-11 07:30 UTC" in evidence["archive"]["detail"]
    _, without = check(web.config(tmp_path), url, "--discover", "publisher")
    assert "archive" not in {e["kind"] for e in without["origin"]["evidence"]}
    assert without["origin"]["confidence"] < with_archive["origin"]["confidence"]


def test_archive_lookups_stopped_by_max_fetches_keep_the_captures_before(web: FixtureWeb, tmp_path: Path) -> None:
    url = web.url(web.aggregator, "/undated/kim-letter.html")
    # the feed, the sitemap and two pages (undated, the article keeps the month-old item with its title in
    # the running) take 4 fetches: one is left for the archive
    _, data = check(
        web.config(tmp_path), url, *("--discover", "publisher", "--discover", "wayback", "--max-fetches", "5")
    )
    wayback = runs(data)["wayback"]
    assert wayback["status"] == "stopped" and wayback["found"] == 1
    assert len(web.cdx.requests) == 1
    assert "archive" in {e["kind"] for e in data["origin"]["evidence"]}  # the article's own capture still counts


def test_a_failing_search_engine_is_reported_and_the_check_goes_on(web: FixtureWeb, tmp_path: Path) -> None:
    web.search.fail_with = 500
    result, data = check(
        web.config(tmp_path), web.url(web.aggregator, SEED_PATH), "--discover", "search", "--discover", "publisher"
    )
    search = runs(data)["search"]
    assert search["status"] == "failed" and "HTTP 500" in search["detail"]
    assert runs(data)["publisher"]["status"] == "ok"
    assert data["origin"]["url"] == web.url(web.publisher, BBC_PATH)
    assert result.exit_code == 1  # the seed's own gaps, by the default policy


def test_an_instance_without_the_json_format_gets_a_hint(web: FixtureWeb, tmp_path: Path) -> None:
    web.search.fail_with = 403  # what SearXNG answers to format=json unless settings.yml enables it
    _, data = check(web.config(tmp_path), web.url(web.aggregator, SEED_PATH), "--discover", "search")
    search = runs(data)["search"]
    assert search["status"] == "failed" and "is format json enabled" in search["detail"]


def test_an_unreachable_archive_is_reported_failed(web: FixtureWeb, tmp_path: Path) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    config = web.config(tmp_path, wayback=f"http://127.0.0.1:{port}/cdx")
    _, data = check(config, web.url(web.aggregator, SEED_PATH), "--discover", "wayback")
    wayback = runs(data)["wayback"]
    assert wayback["status"] == "failed" and "no archive lookup worked" in wayback["detail"]


def test_with_every_strategy_failing_the_articles_own_gaps_are_still_reported(web: FixtureWeb, tmp_path: Path) -> None:
    for site in (web.publisher, web.search, web.cdx):
        site.fail_with = 500
    config = web.config(tmp_path)
    seed = web.url(web.aggregator, SEED_PATH)
    result, data = check(config, seed, *_all_strategies(), "--fail-on", "warning")
    statuses = {name: run["status"] for name, run in runs(data).items()}
    assert statuses == {"links": "ok", "publisher": "failed", "search": "failed", "wayback": "failed"}
    assert data["origin"] is None and data["relation"] == "original"
    assert [gap["name"] for gap in data["gaps"]] == ["body-repeated"]  # the page's own, found without an origin
    assert result.exit_code == 1  # a warning, with --fail-on warning
    default = CliRunner().invoke(main, ["--config", str(config), "check", seed, *_all_strategies()])
    assert default.exit_code == 0, default.output  # the default policy fails on errors only


def test_a_strategy_hanging_past_the_budget_is_cut_off(web: FixtureWeb, tmp_path: Path) -> None:
    web.search.delay = 4.0
    start = time.monotonic()
    _, data = check(
        web.config(tmp_path),
        web.url(web.aggregator, SEED_PATH),
        *("--discover", "search", "--discover", "publisher", "--budget", "1"),
    )
    assert time.monotonic() - start < 3.0
    search = runs(data)["search"]
    assert search["status"] == "timed-out" and "of the 1 s budget" in search["detail"]
    assert runs(data)["publisher"]["status"] == "ok"
    assert data["origin"]["url"] == web.url(web.publisher, BBC_PATH)


def test_max_fetches_bounds_the_requests_a_check_makes(web: FixtureWeb, tmp_path: Path) -> None:
    config = web.config(tmp_path, **{"max-pages": 10})
    url = web.url(web.aggregator, "/many-links.html")
    _, data = check(config, url, "--discover", "links", "--max-fetches", "2")
    assert len(web.outlet.pages()) == 2
    links = runs(data)["links"]
    assert links["status"] == "stopped" and "--max-fetches 2" in links["detail"]
    assert len(links["notes"]) == 2  # both pages were 404s, noted, not fatal
    web.outlet.requests.clear()
    check(config, url, "--discover", "links")
    assert len(web.outlet.pages()) == 6


def test_network_discovery_runs_by_default_for_urls_only(
    web: FixtureWeb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PROVENANCE_DISCOVER")
    config = web.config(tmp_path)
    _, data = check(config, web.url(web.aggregator, SEED_PATH))
    assert [run["strategy"] for run in data["discovery"]] == ["links", "publisher", "search", "wayback"]
    assert data["origin"]["url"] == web.url(web.publisher, BBC_PATH)
    (bbc,) = [c for c in data["candidates"] if c["url"] == data["origin"]["url"]]
    assert bbc["found_by"] == "publisher" and "; also search: searxng: " in bbc["reason"]  # one candidate, two finders
    for site in web.sites:
        site.requests.clear()
    seed = Path(__file__).resolve().parent.parent / "fixtures" / "seed" / "obiaks-kim-jong-un-letter.html"
    _, offline = check(config, str(seed))
    assert offline["discovery"] == []
    _, off = check(config, web.url(web.aggregator, SEED_PATH), "--no-discover")
    assert off["discovery"] == []
    _, offline_flag = check(config, str(seed), "--discover", "links", "--offline")
    assert offline_flag["discovery"] == []
    assert all(not site.requests for site in web.sites if site is not web.aggregator)


def test_strategies_in_the_config_and_unknown_ones(web: FixtureWeb, tmp_path: Path) -> None:
    config = web.config(tmp_path, strategies=["publisher"])
    seed = Path(__file__).resolve().parent.parent / "fixtures" / "seed" / "obiaks-kim-jong-un-letter.html"
    result = CliRunner().invoke(
        main, ["--config", str(config), "check", str(seed), "-f", "json"], env={"PROVENANCE_DISCOVER": None}
    )
    data = json.loads(result.output)
    assert [run["strategy"] for run in data["discovery"]] == ["publisher"]
    assert data["origin"]["url"] == web.url(web.publisher, BBC_PATH)
    bad = web.config(tmp_path, strategies=["telepathy"])
    failed = CliRunner().invoke(main, ["--config", str(bad), "check", str(seed)], env={"PROVENANCE_DISCOVER": None})
    assert failed.exit_code == 2 and "unknown discovery strategy 'telepathy'" in failed.output


def test_search_is_skipped_without_an_engine(web: FixtureWeb, tmp_path: Path) -> None:
    config = web.config(tmp_path)
    config.write_text(config.read_text().replace(f'searxng = "{web.search.base}"\n', ""))
    _, data = check(config, web.url(web.aggregator, SEED_PATH), "--discover", "search")
    assert runs(data)["search"]["status"] == "skipped"
    assert "searxng" in runs(data)["search"]["detail"]


def test_terminal_and_concise_reports_show_failed_strategies(web: FixtureWeb, tmp_path: Path) -> None:
    web.search.fail_with = 503
    config = web.config(tmp_path)
    args = ["--config", str(config), "check", web.url(web.aggregator, SEED_PATH), "--discover", "search"]
    full = CliRunner().invoke(main, [*args, "--no-color"], terminal_width=120)
    assert "Discovery" in full.output and "failed" in full.output and "HTTP 503" in full.output
    concise = CliRunner().invoke(main, [*args, "-f", "concise"])
    assert f"{web.url(web.aggregator, SEED_PATH)}: discovery search failed: " in concise.output


def test_cli_choices_are_the_registered_strategies() -> None:
    (discover,) = [p for p in check_command.params if p.name == "discover"]
    assert tuple(discover.type.choices) == STRATEGIES  # type: ignore[attr-defined]


def _all_strategies() -> list[str]:
    return [arg for name in STRATEGIES for arg in ("--discover", name)]


def test_the_configured_search_engine_is_trusted_on_a_private_address_but_its_results_are_not(
    web: FixtureWeb, tmp_path: Path
) -> None:
    """The user's own SearXNG on loopback needs no allow-private; pages it points to on private
    addresses are still refused (they come from the web, not from the user)."""
    config = web.config(tmp_path, **{"allow-private": False})
    seed = Path(__file__).resolve().parent.parent / "fixtures" / "seed" / "obiaks-kim-jong-un-letter.html"
    _, data = check(config, str(seed), "--discover", "search")
    search = runs(data)["search"]
    assert any(q.startswith("/search?") for q in web.search.requests)
    assert search["status"] == "ok", search
    assert web.publisher.pages() == []  # the result on 127.0.0.2 was refused by the address guard
    assert any("private" in note for note in search["notes"]), search
