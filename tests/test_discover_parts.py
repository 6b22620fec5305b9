"""The parts of discovery that need no network: ranking links, choosing phrases and feed items,
the budget, the concurrent runner, the registry's user entries, and first captures as evidence."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from provenance import config
from provenance.compare import compare, prepare
from provenance.discover import Budget, DiscoveryContext
from provenance.discover.links import ranked_links
from provenance.discover.publisher import article_keywords, credited_publishers, resemblance
from provenance.discover.run import run_concurrently, same_page
from provenance.discover.search import distinctive_phrases
from provenance.errors import ConfigError, FetchError, LimitReached
from provenance.inputs import load
from provenance.model import Article, Candidate, Credit, Link, ShingleParams
from provenance.origin import infer
from provenance.origin.relation import Thresholds
from provenance.publishers import bundled
from tests.support.paths import BBC_HTML, SEED_HTML

REGISTRY = bundled()


def _article(**fields: object) -> Article:
    base = Article(source="https://copies.example/story", paragraphs=("First.", "Middle.", "Middle.", "Last."))
    return replace(base, **({"url": "https://copies.example/story"} | fields))  # type: ignore[arg-type]


def test_links_rank_isbasedon_canonical_credit_link_near_credit_edges_then_body() -> None:
    article = _article(
        credits=(
            Credit("BBC", "BBC", "bare-line", None, 3),
            Credit("Wire", "Wire", "source-label", "https://wire.example/credited", 3),
            Credit("x", "isBasedOn", "isBasedOn", "https://origin.example/based"),
            Credit("elsewhere.example", "rel=canonical", "canonical", "https://elsewhere.example/canon"),
        ),
        links=(
            Link("https://body.example/a", "a", 1),
            Link("https://first.example/a#top", "a", 0),
            Link("https://near.example/a", "a", 2),
            Link("https://copies.example/other", "own site", 1),
            Link("mailto:desk@copies.example", "mail", 3),
            Link("https://chrome.example/a", "nav", None),
        ),
    )
    ranked = ranked_links(article, REGISTRY)
    assert [url for url, _ in ranked] == [
        "https://origin.example/based",
        "https://elsewhere.example/canon",
        "https://wire.example/credited",
        "https://near.example/a",
        "https://first.example/a",
        "https://body.example/a",
    ]
    reasons = dict(ranked)
    assert reasons["https://near.example/a"] == "link near credit 'BBC'"
    assert reasons["https://first.example/a"] == "link in the first paragraph"


def test_a_known_publishers_link_outranks_an_unknown_one_of_the_same_kind() -> None:
    article = _article(links=(Link("https://blog.example/x", "x", 1), Link("https://www.bbc.co.uk/news/1", "y", 2)))
    (first, reason), _ = ranked_links(article, REGISTRY)
    assert first == "https://www.bbc.co.uk/news/1" and reason.endswith("(BBC News)")


def test_distinctive_phrases_prefer_names_and_skip_quotes_and_short_sentences() -> None:
    article = _article(
        paragraphs=(
            'She said "this sentence is a quotation that every outlet repeats word for word".',
            "It was a day like any other and nothing much happened at all in the town.",
            "Short one.",
            "Mayor Alda Venn of Port Callow met 40 fishermen at the Harbour Board on Tuesday morning.",
        )
    )
    phrases = distinctive_phrases(article, 2)
    assert phrases[0] == "Mayor Alda Venn of Port Callow met 40 fishermen at the Harbour"
    assert all("quotation" not in p and "Short" not in p for p in phrases)


def test_feed_titles_resemble_the_article_by_shared_content_words() -> None:
    seed = load(str(SEED_HTML), REGISTRY)
    wanted = article_keywords(seed)
    assert resemblance("Kim Jong-un seeks another meeting with Trump, pens 'very warm' letter", wanted) == 1.0
    assert resemblance("Harbour cranes idle as dock strike enters second week", wanted) == 0.0
    assert resemblance("Kim says", wanted) == 0.0  # too few words to tell


def test_credited_publishers_leave_out_the_articles_own_outlet() -> None:
    article = _article(
        url="https://www.bbc.co.uk/news/2",
        publisher="BBC News",
        credits=(Credit("BBC", "BBC", "bare-line"), Credit("AFP", "AFP", "source-label"), Credit("Nobody", "x", "x")),
    )
    assert [p.name for p in credited_publishers(article, REGISTRY)] == ["Agence France-Presse"]


def test_budget_counts_fetches_and_time() -> None:
    budget = Budget(max_fetches=2)
    budget.take()
    budget.take()
    with pytest.raises(LimitReached, match="--max-fetches 2") as stopped:
        budget.take()
    assert not stopped.value.timed_out
    late = Budget(seconds=0.01)
    time.sleep(0.02)
    with pytest.raises(LimitReached) as timed_out:
        late.take()
    assert timed_out.value.timed_out


class _Broken:
    name = "broken"

    def discover(self, article: Article, context: DiscoveryContext) -> Iterator[Candidate]:
        raise ValueError("a bug")


class _Slow:
    name = "slow"

    def discover(self, article: Article, context: DiscoveryContext) -> Iterator[Candidate]:
        yield Candidate(article, self.name, "before the wait")
        time.sleep(0.5)
        yield Candidate(article, self.name, "after it")


class _Failing:
    name = "failing"

    def discover(self, article: Article, context: DiscoveryContext) -> Iterator[Candidate]:
        context.notes.append("one page was missing")
        raise FetchError("https://engine.example/search", "HTTP 500 Internal Server Error")


def test_runner_reports_bugs_failures_and_cutoffs_without_raising() -> None:
    article = _article()
    context = DiscoveryContext(REGISTRY, None, Budget(seconds=0.2))
    start = time.monotonic()
    results = list(run_concurrently([_Broken(), _Slow(), _Failing()], article, context, context.budget.deadline))
    assert time.monotonic() - start < 0.45
    (broken, _), (slow, kept), (failing, _) = results
    assert broken.status == "failed" and broken.detail == "internal error (ValueError: a bug)"
    assert slow.status == "timed-out" and [c.reason for c in kept] == ["before the wait"]
    assert "of the 0.2 s budget; kept the 1 candidate(s)" in slow.detail
    assert failing.status == "failed" and "HTTP 500" in failing.detail
    assert failing.notes == ("one page was missing",)


class _Sleeper:
    def __init__(self, name: str) -> None:
        self.name = name

    def discover(self, article: Article, context: DiscoveryContext) -> Iterator[Candidate]:
        time.sleep(0.3)
        yield Candidate(article, self.name, "slept")


def test_runner_runs_strategies_at_the_same_time_and_reports_them_in_order() -> None:
    start = time.monotonic()
    results = list(run_concurrently([_Sleeper(n) for n in "abcd"], _article(), DiscoveryContext(REGISTRY), None))
    assert time.monotonic() - start < 0.9  # one after the other: 1.2 s
    assert [run.name for run, _ in results] == ["a", "b", "c", "d"]
    assert all(run.status == "ok" and run.found == 1 for run, _ in results)


def test_user_entries_override_bundled_publishers_key_by_key() -> None:
    registry = REGISTRY.extended([{"name": "BBC News", "feeds": ["https://feeds.example/bbc.xml"]}])
    bbc = registry.by_name("BBC")
    assert bbc is not None
    assert bbc.feeds == ("https://feeds.example/bbc.xml",)
    assert bbc.domains == ("bbc.co.uk", "bbc.com")  # kept from the bundled entry
    assert bbc.search == REGISTRY.by_name("BBC").search  # type: ignore[union-attr]


def test_search_templates_need_a_query_placeholder() -> None:
    with pytest.raises(ConfigError, match=r"has no \{query\}"):
        REGISTRY.extended([{"name": "X", "search": ["https://x.example/search"]}])


def _seed_and_bbc() -> tuple[Article, Article]:
    return load(str(SEED_HTML), REGISTRY), load(str(BBC_HTML), REGISTRY)


def _origin_evidence(article: Article, original: Article, first_seen: dict[str, datetime]) -> dict[str, float]:
    params = ShingleParams()
    match = compare(prepare(article, params), Candidate(original, "test", ""), prepare(original, params), params)
    # Every piece of evidence, even where it leaves the page too unlikely to report as the origin.
    inference = infer(article, [match], REGISTRY, Thresholds(min_confidence=0.0), first_seen=first_seen)
    if inference.origin is None:
        return {}
    return {e.kind: e.weight for e in inference.origin.evidence}


def test_first_captures_weigh_only_where_a_date_is_missing() -> None:
    seed, bbc = _seed_and_bbc()
    captured = {
        seed.source: datetime(2018, 9, 11, 7, 30, tzinfo=UTC),
        bbc.source: datetime(2018, 9, 11, 0, 40, tzinfo=UTC),
    }
    assert "archive" not in _origin_evidence(seed, bbc, captured)  # both dated: the dates decide
    undated = replace(seed, published=None)
    assert _origin_evidence(undated, bbc, captured)["archive"] == 0.05  # captured earlier; the copy may be older
    undated_bbc = replace(bbc, published=None)
    assert _origin_evidence(seed, undated_bbc, captured)["archive"] == 0.15  # captured before the copy's date


def test_an_article_archived_before_the_candidates_date_counts_against_it() -> None:
    seed, bbc = _seed_and_bbc()
    undated = replace(seed, published=None)
    early = {undated.source: datetime(2018, 9, 10, 12, 0, tzinfo=UTC)}
    assert "archive" not in _origin_evidence(undated, bbc, {})
    assert _origin_evidence(undated, bbc, early)["archive"] == -0.5  # online before the BBC page's date


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('searxng = "searx.local"', "discovery.searxng must be an http(s):// URL"),
        ('strategies = "links"', "discovery.strategies must be a list of strategy names"),
        ("budget = 0", "discovery.budget must be a number of seconds"),
        ("max-fetches = -1", "discovery.max-fetches must be a whole number"),
    ],
)
def test_discovery_settings_are_checked(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "provenance.toml"
    path.write_text(f"[discovery]\n{line}\n")
    with pytest.raises(ConfigError, match=re.escape(message)):
        config.load(str(path))


def test_discovery_settings_are_read(tmp_path: Path) -> None:
    path = tmp_path / "provenance.toml"
    path.write_text(
        '[discovery]\nstrategies = ["links"]\nsearxng = "http://searx.local"\nbudget = 2.5\nmax-fetches = 0\n'
    )
    discovery = config.load(str(path)).discovery
    assert (discovery.strategies, discovery.searxng, discovery.budget, discovery.max_fetches) == (
        ["links"],
        "http://searx.local",
        2.5,
        0,
    )


@pytest.mark.parametrize("url", ["/etc/passwd", "file:///etc/passwd", "fixtures/seed/bbc-kim-jong-un-letter.html"])
def test_urls_found_on_the_web_are_never_read_from_the_disk(url: str) -> None:
    context = DiscoveryContext(REGISTRY, None, Budget(max_fetches=5))
    with pytest.raises(FetchError, match="not an http"):
        context.load(url)
    with pytest.raises(FetchError, match="not an http"):
        context.fetch(url)
    assert context.budget.fetches == 0


def test_a_canonical_link_to_another_site_is_followed_and_that_site_is_not_the_articles_own() -> None:
    article = _article(
        canonical_url="https://www.bbc.co.uk/news/world-asia-45481711",
        credits=(
            Credit("www.bbc.co.uk", "rel=canonical", "canonical", "https://www.bbc.co.uk/news/world-asia-45481711"),
        ),
        links=(Link("https://copies.example/more", "more", 0), Link("https://www.bbc.co.uk/news/other", "x", 1)),
    )
    ranked = [url for url, _ in ranked_links(article, REGISTRY)]
    assert ranked == ["https://www.bbc.co.uk/news/world-asia-45481711", "https://www.bbc.co.uk/news/other"]
    credited = replace(article, credits=(*article.credits, Credit("BBC", "BBC", "bare-line")))
    assert [p.name for p in credited_publishers(credited, REGISTRY)] == ["BBC News"]


def test_a_copy_whose_canonical_names_the_original_keeps_the_original_as_candidate() -> None:
    original = Article("https://www.bbc.co.uk/news/1", ("x",), url="https://www.bbc.co.uk/news/1",
                       canonical_url="https://www.bbc.co.uk/news/1")  # fmt: skip
    copy = Article("https://copies.example/1", ("x",), url="https://copies.example/1",
                   canonical_url="https://www.bbc.co.uk/news/1")  # fmt: skip
    saved = Article("saved.html", ("x",), canonical_url="https://www.bbc.co.uk/news/1")
    assert not same_page(copy, original)
    assert same_page(saved, original)  # a saved copy of the page, and the page


def test_links_that_do_not_parse_are_dropped_not_raised() -> None:
    article = _article(
        credits=(Credit("Wire", "Wire", "source-label", "http://[::1/x", 3),),
        links=(
            Link("http://[::1/x", "unbalanced", 1),
            Link("http://host:99999/", "bad port", 1),
            Link("http://0177.0.0.1/", "octal", 1),
            Link("https://fine.example/a", "fine", 2),
        ),
    )
    assert [url for url, _ in ranked_links(article, REGISTRY)] == ["https://fine.example/a"]


@pytest.mark.parametrize("url", ["http://[::1/x", "http://0177.0.0.1/", "http://h:99999/", "http://[v1.x]/"])
def test_a_bad_url_met_in_discovery_is_a_fetch_error_that_costs_no_fetch(url: str) -> None:
    context = DiscoveryContext(REGISTRY, None, Budget(max_fetches=5))
    for attempt in (context.load, context.fetch):
        with pytest.raises(FetchError, match="not a valid URL"):
            attempt(url)
    assert context.budget.fetches == 0
