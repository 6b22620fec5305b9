"""The HTML evidence report: one self-contained page to read, print and forward (docs/html-report.md).

Every text in a Report comes from pages that may be hostile. Jinja2 escapes all of it (autoescape
on); links to outside pages are made only from http(s) addresses, with rel="noopener noreferrer";
a Content-Security-Policy lets the page load nothing and run only its own inline script, whose
hash it carries. The page reads in full without that script, which only adds conveniences.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO

from provenance import urls
from provenance._version import __version__
from provenance.extract.dates import date_only
from provenance.fetch.settings import HOMEPAGE
from provenance.model import Article, Gap, Match, Relation, RepeatedBlock, Report
from provenance.origin.relation import candidate_relation
from provenance.report import sidebyside as sbs
from provenance.rules import rule_by_id
from provenance.rules_doc import anchor

if TYPE_CHECKING:  # jinja2 loads only when a page is made
    from jinja2 import Environment

RULES_DOC = f"{HOMEPAGE}/blob/main/docs/rules.md"
RELATION_TEXT = {
    Relation.VERBATIM: "copied word for word, whole",
    Relation.PARTIAL: "copies passages",
    Relation.REWRITE: "rewrites another page sentence by sentence",
    Relation.INDEPENDENT: "an independent report of the same story",
    Relation.ORIGINAL: "no source found: this looks original",
}


def outside_url(value: str | None) -> str | None:
    """`value` when it is an http(s) address fit for a link, else None (the report shows it as text).

    Whitespace and control characters are refused rather than cleaned: browsers drop some of them
    inside a scheme ("java\\tscript:"), so a cleaned address could mean something else.
    """
    if not value or any(ord(c) <= 0x20 or 0x7F <= ord(c) <= 0x9F for c in value):
        return None
    parts = urls.split(value)
    return value if parts is not None and parts.hostname and parts.scheme.lower() in ("http", "https") else None


def host(url: str | None) -> str | None:
    """The host name of `url`; None for none, or for an address Python cannot parse ("https://[x")."""
    parts = urls.split(url or "")
    return parts.hostname if parts is not None else None


def rule_url(rule_id: str) -> str:
    """The rule's section in docs/rules.md (the anchor GitHub gives its heading); the page itself for unknown ids."""
    rule = rule_by_id(rule_id)
    return f"{RULES_DOC}#{anchor(rule)}" if rule is not None and rule.id == rule_id else RULES_DOC


def page_label(page: Article) -> str:
    return page.publisher or page.site_name or host(page.canonical_url or page.url) or page.source


def page_address(page: Article) -> str:
    return page.canonical_url or page.url or page.source


def utc(value: datetime) -> datetime:
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def when(value: datetime | None) -> str:
    if value is None:
        return "date unknown"
    value = utc(value)
    return f"{value:%Y-%m-%d}" if date_only(value) else f"{value:%Y-%m-%d %H:%M} UTC"


def ago(seconds: float) -> str:
    hours = abs(seconds) / 3600
    if hours < 1:
        return f"{abs(seconds) / 60:.0f} minutes"
    return f"{hours:.1f} hours" if hours < 48 else f"{hours / 24:.0f} days"


def uncredited_second_sources(report: Report) -> list[Match]:
    """The candidates behind the report's PRV106 gaps (passages from a second page no credit names).

    The Report does not keep origin inference's second sources, but each PRV106 gap quotes the first
    of the source's own passages (the first 200 characters), which names its candidate exactly.
    """
    found: list[Match] = []
    origin = report.origin.match if report.origin else None
    for gap in report.gaps:
        if gap.rule != "PRV106" or not gap.evidence:
            continue
        for match in report.matches:
            if match is origin or any(match is m for m in found):
                continue
            first = next((p for p in match.passages if not p.quoted), None)
            if first is not None and first.text[:200] == gap.evidence[0]:
                found.append(match)
                break
    return found


# --- the parts of the page ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MapMark:
    """A mark in a page's minimap: where it sits in the text, in percent of its length."""

    mark: sbs.Mark
    top: float
    height: float


@dataclass(frozen=True, slots=True)
class Removed:
    """A block the extraction removed from a page's body (it repeats paragraphs the body keeps)."""

    block: RepeatedBlock
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SideBySide:
    other: Article | None  # None: no page to compare with, the article alone
    heading: str  # what the other page is to the article: "Origin", "A sibling", ...
    rows: tuple[sbs.Row, ...]
    article_map: tuple[MapMark, ...]
    other_map: tuple[MapMark, ...]
    kinds: frozenset[str]  # the kinds of mark present: the legend shows these
    sentences: bool  # a rewrite: aligned sentence pairs are marked
    removed: tuple[tuple[str, Removed], ...]  # ("article" | "other", block)


@dataclass(frozen=True, slots=True)
class Event:
    """A page on the timeline: when it was published and first archived, placed on a shared axis (percent)."""

    role: str
    page: Article
    published: datetime | None
    captured: datetime | None
    published_at: float | None
    captured_at: float | None
    first: bool  # published first among the dated pages
    offset: str  # relative to the article: "7.0 hours before the article"


@dataclass(frozen=True, slots=True)
class Timeline:
    events: tuple[Event, ...]
    start: datetime | None
    end: datetime | None
    summary: str


@dataclass(frozen=True, slots=True)
class CandidateRow:
    match: Match
    relation: str
    role: str  # "origin", "sibling", "second source (S1), uncredited", ""


@dataclass(frozen=True, slots=True)
class GapView:
    gap: Gap
    rule_url: str
    place: str | None  # "paragraph 3"
    target: str | None  # the id of that paragraph in the page


@dataclass(frozen=True, slots=True)
class ReportView:
    report: Report
    prefix: str  # before every id, so that many reports share one page (provenance ci)
    side: SideBySide
    second_sources: tuple[Match, ...]
    timeline: Timeline
    candidates: tuple[CandidateRow, ...]
    gaps: tuple[GapView, ...]
    relation_text: str


def compared_page(report: Report) -> tuple[Match | None, str]:
    """The page set beside the article, and what it is to it."""
    origin = report.origin
    if origin is not None and origin.match is not None:
        return origin.match, "Origin"
    if origin is not None and report.siblings:
        best = max(report.siblings, key=lambda m: m.copied_share)
        return best, f"A page carrying the same text, credited to {origin.name}"
    shared = [m for m in report.matches if m.passages or m.alignment.pairs]
    if shared:
        return shared[0], f"Closest candidate ({candidate_relation(report, shared[0])}, not an origin)"
    return None, ""


def side_by_side(report: Report, second: list[Match]) -> SideBySide:
    match, heading = compared_page(report)
    article = report.article
    second_marks = sbs.second_source_marks(second)
    removed = [("article", r) for r in _removed(article)]
    if match is None:
        alone = tuple(sbs.Row((p,), (), False) for p in sbs.paragraphs(article, second_marks))
        return SideBySide(
            None, heading, alone, _map(article, second_marks), (), _kinds(second_marks), False, tuple(removed)
        )
    other = match.candidate.article
    article_marks, other_marks = sbs.passage_marks(match)
    sentences = candidate_relation(report, match) == Relation.REWRITE.value
    if sentences:
        a_sentences, o_sentences = sbs.sentence_marks(match)
        article_marks += a_sentences
        other_marks += o_sentences
    article_marks += second_marks
    left = sbs.paragraphs(article, article_marks)
    right = sbs.paragraphs(other, other_marks)
    rows = sbs.rows(left, right, sbs.links(article, other, match, sentences))
    removed += [("other", r) for r in _removed(other)]
    return SideBySide(
        other,
        heading,
        tuple(rows),
        _map(article, article_marks),
        _map(other, other_marks),
        _kinds(article_marks),
        sentences,
        tuple(removed),
    )


def _kinds(marks: list[sbs.Mark]) -> frozenset[str]:
    return frozenset(m.kind for m in marks)


def _map(page: Article, marks: list[sbs.Mark]) -> tuple[MapMark, ...]:
    length = max(1, len(page.text))
    return tuple(
        MapMark(m, round(100 * m.start / length, 2), round(max(0.6, 100 * (m.end - m.start) / length), 2))
        for m in sorted(marks, key=lambda m: (m.start, m.label))
    )


def _removed(page: Article) -> list[Removed]:
    return [
        Removed(b, page.paragraphs[b.first_paragraph : b.first_paragraph + b.paragraphs]) for b in page.repeated_blocks
    ]


def timeline(report: Report, roles: dict[int, str]) -> Timeline:
    captures = {source: utc(t) for source, t in report.first_seen}
    pages: list[tuple[str, Article]] = [("this article", report.article)]
    pages += [(roles.get(id(m)) or candidate_relation(report, m), m.candidate.article) for m in report.matches]
    times = [utc(t) for _, p in pages for t in (p.published, captures.get(p.source)) if t is not None]
    start, end = (min(times), max(times)) if times else (None, None)
    span = (end - start).total_seconds() if start and end else 0.0

    def place(t: datetime | None) -> float | None:
        if t is None or start is None:
            return None
        return round(100 * (utc(t) - start).total_seconds() / span, 2) if span else 0.0

    dated = [utc(p.published) for _, p in pages if p.published]
    earliest = min(dated, default=None)
    mine = utc(report.article.published) if report.article.published else None
    events = []
    for role, page in pages:
        published = utc(page.published) if page.published else None
        captured = captures.get(page.source)
        events.append(
            Event(
                role,
                page,
                published,
                captured,
                place(published),
                place(captured),
                published is not None and published == earliest and len(dated) > 1,
                _offset(published, mine) if page is not report.article else "",
            )
        )
    events.sort(key=lambda e: (_known(e) or datetime.max.replace(tzinfo=UTC), e.role))
    return Timeline(tuple(events), start, end, _first_summary(events, report))


def _known(event: Event) -> datetime | None:
    """When the page is known to have existed by: its date or its first capture, whichever is earlier."""
    return min((t for t in (event.published, event.captured) if t is not None), default=None)


def _offset(published: datetime | None, article: datetime | None) -> str:
    if published is None or article is None:
        return ""
    seconds = (published - article).total_seconds()
    if abs(seconds) < 60:
        return "at the same time as the article"
    return f"{ago(seconds)} {'before' if seconds < 0 else 'after'} the article"


def _first_summary(events: list[Event], report: Report) -> str:
    def name(event: Event) -> str:
        return "this article" if event.page is report.article else page_label(event.page)

    if firsts := [e for e in events if e.first]:
        return f"Published first: {' and '.join(name(e) for e in firsts)}."
    # Without two published dates, a first archive capture still shows which page existed first.
    known = [e for e in events if _known(e) is not None]
    if len(known) > 1 and any(e.captured for e in known):
        return f"Known to exist first (by published date or first archive capture): {name(known[0])}."
    return "Too few dates to tell who published first."


def candidates(report: Report, second: list[Match]) -> tuple[tuple[CandidateRow, ...], dict[int, str]]:
    origin = report.origin.match if report.origin else None
    roles: dict[int, str] = {}
    for number, match in enumerate(second, 1):
        roles[id(match)] = f"second source (S{number}), uncredited"
    if origin is not None:
        roles[id(origin)] = "origin"
    rows = tuple(CandidateRow(m, candidate_relation(report, m), roles.get(id(m), "")) for m in report.matches)
    return rows, roles


def gap_views(report: Report, prefix: str) -> tuple[GapView, ...]:
    count = len(report.article.paragraphs)
    views = []
    for gap in report.gaps:
        para = gap.paragraph
        known = para is not None and 0 <= para < count
        views.append(
            GapView(
                gap,
                rule_url(gap.rule),
                f"paragraph {para + 1}" if para is not None else None,
                f"{prefix}a-p{para}" if known else None,
            )
        )
    return tuple(views)


def report_view(report: Report, prefix: str = "") -> ReportView:
    second = uncredited_second_sources(report)
    rows, roles = candidates(report, second)
    return ReportView(
        report,
        prefix,
        side_by_side(report, second),
        tuple(second),
        timeline(report, roles),
        rows,
        gap_views(report, prefix),
        RELATION_TEXT[report.relation],
    )


# --- the page ---------------------------------------------------------------------------------------


@functools.cache
def environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("provenance.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(pct=lambda x: f"{x:.0%}", when=when, outside=outside_url, label=page_label)
    env.filters.update(address=page_address, iso=lambda t: utc(t).isoformat() if t else "")
    env.globals.update(version=__version__, homepage=HOMEPAGE, rules_doc=RULES_DOC)
    return env


@functools.cache
def script() -> tuple[str, str]:
    """The page's one script and the CSP source that allows exactly it."""
    source, _, _ = environment().loader.get_source(environment(), "report.js")  # type: ignore[union-attr]
    digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
    return source, f"'sha256-{digest}'"


def page(template: str, **context: Any) -> str:
    source, allowed = script()
    return environment().get_template(template).render(script=source, script_hash=allowed, **context)


def render(report: Report, out: TextIO, *, color: bool | None = None) -> None:
    out.write(page("report.html.j2", view=report_view(report), title=report.article.title or report.article.source))
