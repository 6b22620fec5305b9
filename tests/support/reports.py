"""Fixed values for the renderers' golden tests (tests/test_golden.py), built by hand from the model types.

What a format shows of these depends on the renderer alone, never on extraction, discovery or origin
inference: a change to the pipeline leaves the golden files alone, a change to a renderer shows in them.
Every date is fixed, every share a literal; passage and sentence offsets are computed from the texts
(`_span`), so they always index the texts they claim to.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from provenance.ci.model import ArticleResult, CiRun, Finding, Location
from provenance.model import (
    Alignment,
    Article,
    Candidate,
    Credit,
    Evidence,
    Gap,
    Link,
    Match,
    Origin,
    Passage,
    Relation,
    RepeatedBlock,
    Report,
    SentencePair,
    Severity,
    StrategyRun,
)
from provenance.watch.model import Copy, Digest, FindingGap, ItemError, Pass, SourceRun, Status
from provenance.watch.model import Finding as WatchFinding

T0 = datetime(2024, 3, 5, 7, 15, tzinfo=UTC)  # the original's publication

# --- check: a copy of Harbour Daily's story, its origin, an unrelated report, and an original ---------

ORIGINAL = Article(
    source="https://harbour.example/news/wall-rebuilt",
    url="https://harbour.example/news/wall-rebuilt",
    canonical_url="https://harbour.example/news/wall-rebuilt",
    title="Harbour wall rebuilt after winter storm",
    byline="Sam Poe",
    site_name="Harbour Daily",
    publisher="Harbour Daily",
    published=T0,
    language="en",
    paragraphs=(
        "Workers finished rebuilding the harbour wall at Port Callow on Tuesday, three months after a winter "
        "storm tore a forty-metre gap in it and flooded the lower town.",
        "The council said the new wall stands a metre higher than the old one and was paid for by a national "
        "resilience fund.",
        '"We will not be caught out again," said the harbour master, Ines Marrow.',
        "Fishing boats, moored at Kettle Point since January, are expected back within the week.",
    ),
)

ARTICLE = Article(
    source="articles/harbour-wall.html",
    url="https://copier.example/news/harbour-wall",
    canonical_url="https://copier.example/news/harbour-wall",
    title="Port Callow gets its wall back",
    byline="Jane Roe",
    site_name="Copier Today",
    published=T0 + timedelta(hours=5, minutes=30),
    language="en",
    paragraphs=(
        "Workers finished rebuilding the harbour wall at Port Callow on Tuesday, three months after a winter "
        "storm tore a forty-metre gap in it and flooded the lower town.",
        "Officials said the new barrier is a metre taller than its predecessor, funded from national money.",
        '"We will not be caught out again," said the harbour master, Ines Marrow.',
        "Source: Harbour Daily",
    ),
    credits=(Credit("Harbour Daily", "Source: Harbour Daily", "source-label", position=3),),
    links=(Link("https://copier.example/weather", "More weather news", None),),
    repeated_blocks=(RepeatedBlock(0, 1, 151, "the page shows the lead paragraph again as a teaser"),),
    dates_shown=("5 March 2024",),
    chrome=("Share this story", "Related News"),
    notes=("1 link(s) left out that do not parse",),
)


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def _passage(article: Article, other: Article, part: str, *, quoted: bool = False) -> Passage:
    a_start, a_end = _span(article.text, part)
    o_start, o_end = _span(other.text, part)
    return Passage(a_start, a_end, o_start, o_end, part, quoted)


def _pair(article: Article, other: Article, mine: str, theirs: str, similarity: float) -> SentencePair:
    return SentencePair(*_span(article.text, mine), *_span(other.text, theirs), similarity)


ORIGIN_MATCH = Match(
    candidate=Candidate(ORIGINAL, "links", "credited as the source and linked from the page"),
    jaccard=0.4187,
    jaccard_estimate=0.4219,
    copied_share=0.6842,
    reproduced_share=0.5417,
    unquoted_copied_share=0.5263,
    unquoted_reproduced_share=0.4167,
    phrase_overlap=0.7105,
    passages=(
        _passage(ARTICLE, ORIGINAL, ORIGINAL.paragraphs[0]),
        _passage(ARTICLE, ORIGINAL, ORIGINAL.paragraphs[2], quoted=True),
    ),
    alignment=Alignment(
        pairs=(
            _pair(ARTICLE, ORIGINAL, ARTICLE.paragraphs[0], ORIGINAL.paragraphs[0], 1.0),
            _pair(ARTICLE, ORIGINAL, ARTICLE.paragraphs[1], ORIGINAL.paragraphs[1], 0.5833),
        ),
        article_sentences=3,
        candidate_sentences=4,
    ),
)

UNRELATED = Match(
    candidate=Candidate(
        Article(
            source="https://northshore.example/2024/03/05/port-callow",
            paragraphs=("Port Callow's fishermen say the repaired wall came too late for the winter season.",),
            url="https://northshore.example/2024/03/05/port-callow",
            title="Too late for the winter, fishermen say",
            site_name="Northshore News",
            published=T0 + timedelta(days=1),
        ),
        "index",
        "shares 3 passage keys with the article",
    ),
    jaccard=0.0123,
    jaccard_estimate=0.0156,
    copied_share=0.0211,
    reproduced_share=0.0345,
    unquoted_copied_share=0.0211,
    unquoted_reproduced_share=0.0345,
    phrase_overlap=0.1842,
    passages=(),
)

COPIED = Report(
    article=ARTICLE,
    relation=Relation.PARTIAL,
    origin=Origin(
        match=ORIGIN_MATCH,
        confidence=0.8075,
        evidence=(
            Evidence("containment", "68% of the article is in the page; 54% of the page is in the article", 0.4),
            Evidence("date", "the page was published 5.5 hours before the article", 0.3),
            Evidence("credit", "the article credits Harbour Daily, the page's publisher", 0.2),
            Evidence("canonical", "neither page names the other as canonical", 0.0),
            Evidence("archive", "first captured 1.0 hours after the article", -0.1),
        ),
        copying=0.95,
        direction=0.85,
    ),
    matches=(ORIGIN_MATCH, UNRELATED),
    gaps=(
        Gap(
            "PRV104",
            "byline-claims-copied-work",
            Severity.ERROR,
            "The byline names Jane Roe, but the copied text is Sam Poe's at Harbour Daily.",
            ("byline: Jane Roe", "origin: Sam Poe, Harbour Daily"),
        ),
        Gap(
            "PRV103",
            "credit-without-link",
            Severity.WARNING,
            "The page credits Harbour Daily but never links to https://harbour.example/news/wall-rebuilt.",
            ("Source: Harbour Daily",),
            paragraph=3,
        ),
        Gap(
            "PRV107",
            "original-date-not-shown",
            Severity.INFO,
            "The page does not say the original was published on 2024-03-05.",
            paragraph=0,
        ),
    ),
    timings=(("extract", 0.125), ("discover", 1.5), ("compare", 0.0625)),
    discovery=(
        StrategyRun("links", "ok", 1, "1 of 1 links fetched", 0.25),
        StrategyRun("index", "ok", 1, "", 0.0625),
        StrategyRun(
            "search",
            "failed",
            0,
            "cannot reach https://searx.example/search: connection refused",
            2.0,
            notes=("query 1 of 3 not sent", "query 2 of 3 not sent", "query 3 of 3 not sent", "gave up"),
        ),
        StrategyRun("wayback", "skipped", 0, "not configured"),
    ),
    first_seen=((ARTICLE.source, T0 + timedelta(hours=6, minutes=30)),),
)

ORIGINAL_REPORT = Report(
    article=Article(
        source="articles/fare-freeze.md",
        paragraphs=(
            "Tern Island's ferry company will keep winter fares at last year's prices, its chief executive said "
            "on Monday.",
            "Islanders had campaigned for a freeze since October.",
        ),
        title="Tern Island wins winter fare freeze",
        byline="Ada Quill",
        published=datetime(2024, 1, 8, tzinfo=UTC),
    ),
    relation=Relation.ORIGINAL,
    origin=None,
    matches=(),
    gaps=(),
    discovery=(StrategyRun("index", "ok", 0, "", 0.0625),),
)

# --- an origin known only from credits: a wire story, its own page not found, a sibling that carries it ---

WIRE_ARTICLE = Article(
    source="wire/ferry-strike.html",
    url="https://client.example/world/ferry-strike",
    title="Ferry crews strike over rosters",
    byline="Reuters",
    site_name="Client Post",
    published=datetime(2024, 2, 1, 10, 0, tzinfo=UTC),
    paragraphs=(
        "LONDON (Reuters) - Ferry crews walked out on Thursday in a dispute over rosters, cancelling most crossings.",
        "The union said talks would resume next week.",
    ),
    credits=(Credit("Reuters", "LONDON (Reuters)", "dateline", position=0),),
)
SIBLING_PAGE = Article(
    source="https://other-client.example/ferry",
    url="https://other-client.example/ferry",
    title="Crews strike over rosters",
    site_name="Other Client",
    published=datetime(2024, 2, 1, 11, 0, tzinfo=UTC),
    paragraphs=(
        "LONDON (Reuters) - Ferry crews walked out on Thursday in a dispute over rosters, cancelling most crossings.",
        "Passengers were told to check before travelling.",
    ),
    credits=(Credit("Reuters", "LONDON (Reuters)", "dateline", position=0),),
)
SIBLING = Match(
    candidate=Candidate(SIBLING_PAGE, "search", 'search: "Ferry crews walked out on Thursday"'),
    jaccard=0.5,
    jaccard_estimate=0.4844,
    copied_share=0.75,
    reproduced_share=0.7,
    unquoted_copied_share=0.75,
    unquoted_reproduced_share=0.7,
    phrase_overlap=0.8,
    passages=(_passage(WIRE_ARTICLE, SIBLING_PAGE, WIRE_ARTICLE.paragraphs[0]),),
)
CREDITED_REPORT = Report(
    article=WIRE_ARTICLE,
    relation=Relation.PARTIAL,
    origin=Origin(
        match=None,
        confidence=0.7,
        evidence=(Evidence("sibling", "1 other page carries the same text and credits Reuters", 0.35),),
        name="Reuters",
        copying=0.875,
        direction=0.8,
    ),
    matches=(SIBLING,),
    gaps=(),
    siblings=(SIBLING,),
)

# --- ci: a run over a newsroom's files ---------------------------------------------------------------


def _findings(report: Report, path: str, lines: dict[str, int], suppressed: dict[str, str]) -> tuple[Finding, ...]:
    """The report's gaps as the policy places them: at the line `lines` gives each rule (else line 1)."""
    return tuple(
        Finding(
            rule=gap.rule,
            name=gap.name,
            severity=gap.severity,
            message=gap.message,
            location=Location(path, lines.get(gap.rule, 1), 1, lines.get(gap.rule, 1), 40),
            fingerprint=f"{gap.rule}:{path}:{gap.paragraph}",
            evidence=gap.evidence,
            suppressed=suppressed.get(gap.rule),
        )
        for gap in report.gaps
    )


STORY_URL = "https://example.org/news/story?id=1"

CI_RUN = CiRun(
    results=(
        ArticleResult(
            "articles/harbour-wall.md",
            "articles/harbour-wall.md",
            COPIED,
            _findings(COPIED, "articles/harbour-wall.md", {"PRV103": 12, "PRV107": 6}, {"PRV107": "inline"}),
        ),
        ArticleResult("articles/fare-freeze.md", "articles/fare-freeze.md", ORIGINAL_REPORT, cached=True),
        ArticleResult(
            "wire/ferry-strike.md",
            "wire/ferry-strike.md",
            CREDITED_REPORT,
            (
                Finding(
                    "PRV111",
                    "copied-share-over-limit",
                    Severity.ERROR,
                    "75% of the text comes from Reuters; the policy allows 50% without a licence.",
                    Location("wire/ferry-strike.md", 4, 1, 5, 12),
                    "PRV111:wire/ferry-strike.md:None",
                    suppressed="baseline",
                ),
            ),
            cached=True,
        ),
        ArticleResult(
            STORY_URL,
            STORY_URL,
            COPIED,
            (
                Finding(
                    "PRV101",
                    "copied-without-credit",
                    Severity.ERROR,
                    "68% of the text is copied from https://harbour.example/news/wall-rebuilt, which no credit names.",
                    Location(STORY_URL),
                    "PRV101:story:0",
                    evidence=(ORIGINAL.paragraphs[0][:80],),
                ),
            ),
        ),
        ArticleResult(
            "articles/broken.md", "articles/broken.md", None, error="cannot read articles/broken.md: not UTF-8"
        ),
    ),
    fail_on=Severity.WARNING,
)

# --- watch: a pass that found three copies of ours, and the newsroom's list of findings ----------------

PASS_STARTED = datetime(2024, 3, 6, 6, 0, tzinfo=UTC)


def _copy(
    page: str,
    site: str,
    title: str,
    relation: str,
    shares: tuple[float, float],
    gaps: tuple[FindingGap, ...],
    found_by: str,
    partner: str | None = None,
) -> Copy:
    """A copy of ORIGINAL, our article."""
    return Copy(page, site, title, ORIGINAL.url or "", ORIGINAL.title, relation, *shares, gaps, found_by, partner)


WATCH_FINDINGS = (
    WatchFinding(
        1,
        _copy(
            "https://coastline.example/wall",
            "coastline.example",
            "Harbour wall rebuilt after winter storm",
            "verbatim",
            (0.9667, 0.9355),
            (
                FindingGap(
                    "PRV101",
                    "copied-without-credit",
                    Severity.ERROR,
                    "copied with no credit at all",
                    (ORIGINAL.paragraphs[0][:80],),
                ),
                FindingGap("PRV108", "headline-copied", Severity.WARNING, "the headline is ours, word for word"),
            ),
            "https://coastline.example/feed.xml",
        ),
        PASS_STARTED,
        PASS_STARTED,
    ),
    WatchFinding(
        2,
        _copy(
            "https://bayside.example/news/harbour",
            "bayside.example",
            "Port Callow's wall is back",
            "partial",
            (0.5, 0.4167),
            (FindingGap("PRV103", "credit-without-link", Severity.WARNING, "credits Harbour Daily with no link"),),
            'search: "a forty-metre gap in it and flooded the lower town"',
        ),
        PASS_STARTED - timedelta(days=1),
        PASS_STARTED,
    ),
    WatchFinding(
        3,
        _copy(
            "https://partner.example/harbour-wall",
            "partner.example",
            "Harbour wall rebuilt",
            "partial",
            (0.6, 0.45),
            (),
            "https://partner.example/sitemap.xml",
            partner="Partner Gazette",
        ),
        PASS_STARTED,
        PASS_STARTED,
    ),
)

WATCH_PASS = Pass(
    started=PASS_STARTED,
    finished=PASS_STARTED + timedelta(seconds=95),
    sources=(
        SourceRun("https://harbour.example/feed.xml", "own-feed", "read", listed=4, new=1),
        SourceRun("https://coastline.example/feed.xml", "feed", "read", listed=12, new=3),
        SourceRun("https://partner.example/sitemap.xml", "sitemap", "unchanged", listed=30),
        SourceRun("https://gullhaven.example/feed.xml", "feed", "failed", detail="HTTP 500 Internal Server Error"),
        SourceRun("searx", "search", "read", listed=5, new=1),
    ),
    indexed=1,
    checked=5,
    findings=WATCH_FINDINGS,
    errors=(
        ItemError(
            "https://coastline.example/gone",
            "https://coastline.example/feed.xml",
            "cannot fetch https://coastline.example/gone: HTTP 404 Not Found",
        ),
    ),
    notes=("the webhook failed: https://hooks.example/... answered 502",),
    fail_on=Severity.ERROR,
)

WATCH_DIGEST = Digest(WATCH_FINDINGS, WATCH_PASS, evidence=(COPIED, None, None))

WATCH_LISTING = Digest(
    (
        replace(WATCH_FINDINGS[0], status=Status.ACKNOWLEDGED, note="asked them to credit us"),
        replace(WATCH_FINDINGS[1], status=Status.RESOLVED, last_seen=PASS_STARTED + timedelta(days=2)),
        WATCH_FINDINGS[2],
    )
)
