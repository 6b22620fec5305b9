"""Who copied whom: the likely origin among the candidates, and how the article relates to it.

Overlap alone cannot say which of two pages is the copy; the evidence that
can (dates, containment direction, credits, canonical links, wire datelines)
is collected per candidate with a weight, and the weights decide. Every
verdict keeps its evidence so a reader can check it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from provenance.extract.dates import date_only
from provenance.model import Article, Credit, Evidence, Match, Origin, Relation
from provenance.publishers import Registry, host_of, same_outlet

COPY_RELATIONS = frozenset({Relation.VERBATIM, Relation.PARTIAL, Relation.REWRITE})
_DATE_SLACK = timedelta(hours=1)  # clocks and time zones on pages are sloppy
# Base confidence: strength * (0.5 + 0.5 * the score that made the relation). At its threshold each
# copy relation, with the containment evidence and nothing against it, reaches min_confidence.
_STRENGTH = {Relation.VERBATIM: 0.55, Relation.PARTIAL: 0.45, Relation.REWRITE: 0.35}


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The shipped defaults; docs/relations.md explains each and how they were measured."""

    verbatim_copied: float = 0.9  # share of the article found in the origin
    verbatim_reproduced: float = 0.9  # share of the origin found in the article
    # share of either text, outside quotations and statements, found in the other, from which
    # the two share copied text
    copied: float = 0.15
    # A rewrite: at least this many sentences aligned in order, covering this share of either
    # text's own sentences (provenance.alignment)
    rewrite_sentences: int = 4
    rewrite_coverage: float = 0.4
    related_phrase: float = 0.08  # word-pair overlap from which two texts tell the same story
    # how much more of the candidate lies in the article than of the article in it before the
    # candidate looks like the copy (an excerpt of the article)
    containment_margin: float = 0.2
    second_source_words: int = 20  # uncredited words from another page that make it a source
    min_confidence: float = 0.3


DEFAULT_THRESHOLDS = Thresholds()


def classify(match: Match, t: Thresholds = DEFAULT_THRESHOLDS) -> Relation:
    """The textual relation of the two pages, whichever copied the other (docs/relations.md)."""
    if match.copied_share >= t.verbatim_copied and match.reproduced_share >= t.verbatim_reproduced:
        return Relation.VERBATIM
    if copied_text(match) >= t.copied:
        return Relation.PARTIAL
    if is_rewrite(match, t):
        return Relation.REWRITE
    if match.copied_share > 0 or match.phrase_overlap >= t.related_phrase:
        return Relation.INDEPENDENT
    return Relation.ORIGINAL


def copied_text(match: Match) -> float:
    """The larger share of either text, outside someone's words, that the other holds."""
    return max(match.unquoted_copied_share, match.unquoted_reproduced_share)


def is_rewrite(match: Match, t: Thresholds = DEFAULT_THRESHOLDS) -> bool:
    """One text renders the other sentence by sentence, in order (shared vocabulary is not enough)."""
    a = match.alignment
    return len(a.pairs) >= t.rewrite_sentences and max(a.article_share, a.candidate_share) >= t.rewrite_coverage


def credits_naming(credits: Sequence[Credit], candidate: Article, registry: Registry) -> list[Credit]:
    """The credits that name the candidate's outlet or point at its page."""
    host = host_of(candidate.canonical_url or candidate.url)
    named = []
    for credit in credits:
        by_link = credit.link is not None and host is not None and host_of(credit.link) == host
        by_name = same_outlet(
            credit.name, candidate.publisher or candidate.site_name, candidate.canonical_url or candidate.url, registry
        )
        if by_link or by_name:
            named.append(credit)
    return named


def _evidence(
    article: Article,
    match: Match,
    rivals: list[Match],
    registry: Registry,
    t: Thresholds,
    first_seen: Mapping[str, datetime],
) -> list[Evidence]:
    cand = match.candidate.article
    found: list[Evidence] = []
    earlier, later = _earlier(cand, article), _later(cand, article)
    copied, reproduced = match.copied_share, match.reproduced_share
    shares = f"{copied:.0%} of the article is in this page; {reproduced:.0%} of the page is in the article"
    if not _inside(match, t):
        found.append(Evidence("containment", shares, 0.1))
    elif earlier:
        # A page cannot have copied an article published after it: the article took the page whole.
        found.append(Evidence("containment", f"{shares}: the article took in the earlier page", 0.1))
    else:
        found.append(Evidence("containment", f"only {shares}: the page looks like the copy", -0.4))
    if earlier and cand.published and article.published:
        found.append(Evidence("date", f"published {_ago(article.published - cand.published)} before the article", 0.15))
    elif later and cand.published and article.published:
        found.append(Evidence("date", f"published {_ago(cand.published - article.published)} after the article", -0.5))
    if archived := _archive(article, cand, first_seen):
        found.append(archived)
    same = [m for m in rivals if _same_text(m, match)]
    dated = [m.candidate.article.published for m in same if m.candidate.article.published]
    if cand.published and len(dated) > 1 and cand.published == min(dated):
        found.append(Evidence("date", "the earliest of the pages that hold this text", 0.1))
    if named := credits_naming(article.credits, cand, registry):
        found.append(Evidence("credit", f"the article credits it: {named[0].text!r}", 0.2))
        if (
            any(c.kind == "dateline" for c in article.credits)
            and (pub := registry.by_url(cand.url or cand.canonical_url))
            and pub.wire
        ):
            found.append(Evidence("dateline", f"wire dateline of {pub.name}", 0.05))
    own = host_of(article.url)
    target = host_of(cand.canonical_url or cand.url)
    if article.canonical_url and target and host_of(article.canonical_url) == target and own != target:
        found.append(Evidence("canonical", f"the article's rel=canonical points to {article.canonical_url}", 0.25))
    if target and any(host_of(link.href) == target for link in article.links):
        found.append(Evidence("link", f"the article links to {target}", 0.1))
    return found


def _archive(article: Article, cand: Article, first_seen: Mapping[str, datetime]) -> Evidence | None:
    """Who existed first, by archive captures, when a published date is missing (else "date" decides).

    A first capture proves a page existed by then, so it bounds its publication from above. Each
    page existed by the earlier of its date and its capture; which existed first counts fully only
    when the later one has a published date (the order is then settled), a little otherwise (the
    later one may just have been archived late).
    """
    if cand.published and article.published:
        return None
    cand_seen, art_seen = first_seen.get(cand.source), first_seen.get(article.source)
    cand_time, art_time = _existed(cand.published, cand_seen), _existed(article.published, art_seen)
    if cand_time is None or art_time is None or (cand_seen is None and art_seen is None):
        return None
    # A claimed date of the later page settles the order; a capture of it only bounds it from above.
    if cand_time + _DATE_SLACK < art_time:
        detail = f"existed {_ago(art_time - cand_time)} before the article"
        detail += f" ({_seen(cand, cand_seen)}; article {_seen(article, art_seen)})"
        return Evidence("archive", detail, 0.15 if article.published else 0.05)
    if art_time + _DATE_SLACK < cand_time:
        detail = f"the article existed {_ago(cand_time - art_time)} earlier"
        detail += f" ({_seen(article, art_seen)}; this page {_seen(cand, cand_seen)})"
        return Evidence("archive", detail, -0.5 if cand.published else -0.1)
    return None


def _existed(published: datetime | None, captured: datetime | None) -> datetime | None:
    """When a page existed by: the earlier of its date (a date-only one read as the day's end) and its capture."""
    times = [captured] if captured else []
    if published is not None:
        published = published if published.tzinfo else published.replace(tzinfo=UTC)
        times.append(published + timedelta(days=1) if date_only(published) else published)
    return min(times, default=None)


def _seen(page: Article, captured: datetime | None) -> str:
    parts = [f"published {page.published:%Y-%m-%d %H:%M}"] if page.published else []
    parts += [f"first archived {captured:%Y-%m-%d %H:%M} UTC"] if captured else []
    return ", ".join(parts) or "no date"


def _inside(match: Match, t: Thresholds) -> bool:
    """Whether the candidate lies inside the article, rather than the article inside it: it looks like the copy."""
    return match.reproduced_share > match.copied_share + t.containment_margin


def _same_text(a: Match, b: Match) -> bool:
    """Whether two candidates hold the same part of the article (half the smaller one's passages).

    A candidate without passages (a rewrite keeps no 8-word run) cannot be placed, so it may hold any part.
    """
    if a is b or not a.passages or not b.passages:
        return True
    shared = sum(
        max(0, min(p.article_end, q.article_end) - max(p.article_start, q.article_start))
        for p in a.passages
        for q in b.passages
    )
    return shared >= 0.5 * min(sum(p.length for p in a.passages), sum(p.length for p in b.passages))


def _slack(a: datetime, b: datetime) -> timedelta:
    return timedelta(days=1) if date_only(a) or date_only(b) else _DATE_SLACK


def _earlier(candidate: Article, article: Article) -> bool:
    """Whether the candidate was published clearly before the article."""
    if candidate.published is None or article.published is None:
        return False
    return candidate.published + _slack(candidate.published, article.published) < article.published


def _later(candidate: Article, article: Article, or_same: bool = False) -> bool:
    """Whether the candidate was published after the article (at the same time too, if `or_same`)."""
    if candidate.published is None or article.published is None:
        return False
    if or_same and candidate.published == article.published:
        return True
    return candidate.published > article.published + _slack(candidate.published, article.published)


def _ago(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.1f} hours" if hours < 48 else f"{hours / 24:.0f} days"


@dataclass(frozen=True, slots=True)
class Inference:
    origin: Origin | None
    relation: Relation
    second_sources: tuple[Match, ...]


def infer(
    article: Article,
    matches: list[Match],
    registry: Registry,
    t: Thresholds = DEFAULT_THRESHOLDS,
    first_seen: Mapping[str, datetime] | None = None,
) -> Inference:
    """`first_seen` maps Article.source to the page's first capture in a web archive, where one was looked up."""
    first_seen = first_seen or {}
    copies = [m for m in matches if classify(m, t) in COPY_RELATIONS]
    best: Origin | None = None
    for match in copies:
        relation = classify(match, t)
        evidence = _evidence(article, match, copies, registry, t, first_seen)
        score = match.phrase_overlap if relation is Relation.REWRITE else match.copied_share
        confidence = _STRENGTH[relation] * (0.5 + 0.5 * score)
        confidence = max(0.0, min(0.99, confidence + sum(e.weight for e in evidence)))
        if confidence >= t.min_confidence and (best is None or confidence > best.confidence):
            best = Origin(match, round(confidence, 3), tuple(evidence))
    if best is None:
        # Only an earlier page telling the same story makes this one a parallel report;
        # later ones followed it, and pages that copied it say nothing about its origin.
        related = any(
            classify(m, t) is Relation.INDEPENDENT
            and not _later(m.candidate.article, article)
            and not (_inside(m, t) and not _earlier(m.candidate.article, article))
            for m in matches
        )
        return Inference(None, Relation.INDEPENDENT if related else Relation.ORIGINAL, ())
    return Inference(best, classify(best.match, t), _second_sources(article, best, matches, t))


def _second_sources(article: Article, origin: Origin, matches: list[Match], t: Thresholds) -> tuple[Match, ...]:
    """Other pages the article copied from, beyond what the origin already holds."""
    covered = [(p.article_start, p.article_end) for p in origin.match.passages]

    def uncovered_words(start: int, end: int, text: str) -> float:
        inside = sum(max(0, min(end, e) - max(start, s)) for s, e in covered)
        return len(text.split()) * (1 - inside / max(1, end - start))

    found = []
    for match in matches:
        if match is origin.match or _later(match.candidate.article, article, or_same=True):
            continue
        extra = sum(uncovered_words(p.article_start, p.article_end, p.text) for p in match.passages if not p.quoted)
        if extra >= t.second_source_words:
            found.append(match)
    return tuple(found)
