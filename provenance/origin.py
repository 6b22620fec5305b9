"""Who copied whom: the likely origin among the candidates, and how the article relates to it.

Two questions, kept apart. Do the two pages share copied text at all (`classify`, from text
outside quotations and statements, or an ordered sentence alignment), and how sure is that
(`copying_confidence`)? And which way did the copying go: overlap alone cannot say, so the
evidence that can (dates, containment direction, credits, canonical links, wire datelines) is
collected per candidate with a weight that moves even odds (`_direction`). A candidate that
credits the same source as the article is a sibling, not an origin. Every verdict keeps its
evidence so a reader can check it (docs/relations.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from provenance.extract.dates import date_only
from provenance.model import Article, Credit, Evidence, Match, Origin, Relation, Report
from provenance.publishers import Registry, host_of, name_key, same_outlet

COPY_RELATIONS = frozenset({Relation.VERBATIM, Relation.PARTIAL, Relation.REWRITE})
_DATE_SLACK = timedelta(hours=1)  # clocks and time zones on pages are sloppy


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


SIBLING = "sibling"


def candidate_relation(report: Report, match: Match) -> str:
    """A candidate's own relation to the article: a Relation, or "sibling" (docs/relations.md)."""
    if any(match is s for s in report.siblings):
        return SIBLING
    return classify(match).value


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


def copying_confidence(match: Match, relation: Relation, t: Thresholds = DEFAULT_THRESHOLDS) -> float:
    """How sure it is that the shared text was copied, one way or the other: 0 for no copy relation.

    Calibrated on real news (benchmarks/accuracy/realnews.py, realnews-dev): every pair called a
    partial copy there, down to the threshold, is labelled a copy (34 of 34 checks under 0.2 of
    copied text), which bounds the precision at the threshold from below near 0.9; more shared
    text is surer. A rewrite stands on sentence alignment alone, which the reuse corpus supports
    but real news barely tests, so it starts lower. Verbatim copies are near certain.
    """
    if relation is Relation.VERBATIM:
        return 0.97
    if relation is Relation.PARTIAL:
        return round(0.85 + 0.12 * min(1.0, (copied_text(match) - t.copied) / 0.25), 3)
    if relation is Relation.REWRITE:
        a = match.alignment
        return round(0.75 + 0.15 * min(1.0, (max(a.article_share, a.candidate_share) - t.rewrite_coverage) / 0.4), 3)
    return 0.0


def _shares(match: Match) -> str:
    copied, reproduced = match.copied_share, match.reproduced_share
    return f"{copied:.0%} of the article is in this page; {reproduced:.0%} of the page is in the article"


def _direction(
    article: Article,
    match: Match,
    rivals: list[Match],
    registry: Registry,
    t: Thresholds,
    first_seen: Mapping[str, datetime],
) -> list[Evidence]:
    """What says the article copied the candidate (weight > 0) or the candidate the article (< 0)."""
    cand = match.candidate.article
    found: list[Evidence] = []
    earlier, later = _earlier(cand, article), _later(cand, article)
    if _inside(match, t):
        if earlier:
            # A page cannot have copied an article published after it: the article took the page whole.
            # The dates already say which came first, so this only cancels the containment against it.
            found.append(Evidence("containment", f"{_shares(match)}: the article took in the earlier page", 0.0))
        else:
            found.append(Evidence("containment", f"only {_shares(match)}: the page looks like the copy", -0.4))
    elif match.copied_share > match.reproduced_share + t.containment_margin:
        found.append(Evidence("containment", f"{_shares(match)}: the article is an excerpt of the page", 0.15))
    else:
        found.append(Evidence("containment", f"{_shares(match)}: neither holds the other", 0.0))
    if earlier and cand.published and article.published:
        found.append(Evidence("date", f"published {_ago(article.published - cand.published)} before the article", 0.3))
    elif later and cand.published and article.published:
        found.append(Evidence("date", f"published {_ago(cand.published - article.published)} after the article", -0.45))
    if archived := _archive(article, cand, first_seen):
        found.append(archived)
    same = [m for m in rivals if _same_text(m, match)]
    dated = [m.candidate.article.published for m in same if m.candidate.article.published]
    if cand.published and len(dated) > 1 and cand.published == min(dated):
        found.append(Evidence("date", "the earliest of the pages that hold this text", 0.1))
    if named := credits_naming(article.credits, cand, registry):
        found.append(Evidence("credit", f"the article credits it: {_short(named[0].text)!r}", 0.3))
        # The wire's own dateline on the article ("PARIS (AFP) —"), naming this wire: not any dateline.
        if (
            any(c.kind == "dateline" for c in named)
            and (pub := registry.by_url(cand.url or cand.canonical_url))
            and pub.wire
        ):
            found.append(Evidence("dateline", f"wire dateline of {pub.name}", 0.05))
    own = host_of(article.url)
    target = host_of(cand.canonical_url or cand.url)
    if article.canonical_url and target and host_of(article.canonical_url) == target and own != target:
        found.append(Evidence("canonical", f"the article's rel=canonical points to {article.canonical_url}", 0.4))
    if target and any(host_of(link.href) == target for link in article.links):
        found.append(Evidence("link", f"the article links to {target}", 0.1))
    return found


def _direction_confidence(evidence: Sequence[Evidence]) -> float:
    """Even odds without evidence: two pages sharing text say nothing by themselves of who copied whom."""
    return round(max(0.01, min(0.99, 0.5 + sum(e.weight for e in evidence))), 3)


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
    siblings: tuple[Match, ...] = ()  # pages carrying the same credited source's text as the article


# Credit kinds that do not say the text is the named source's: prose naming an outlet in passing,
# a link, and the "Credit:" and "Courtesy of" labels pages mostly put under photographs. Two pages
# sharing a photo agency's picture are no siblings.
NOT_TEXT_CREDITS = frozenset({"reported", "according-to", "link", "credit", "courtesy"})


def infer(
    article: Article,
    matches: list[Match],
    registry: Registry,
    t: Thresholds = DEFAULT_THRESHOLDS,
    first_seen: Mapping[str, datetime] | None = None,
) -> Inference:
    """`first_seen` maps Article.source to the page's first capture in a web archive, where one was looked up.

    A candidate's confidence as the origin is `copying * direction`: how sure it is that the two
    pages share copied text (`copying_confidence`), times how sure it is that the article is the
    copy rather than the source (even odds, moved by the evidence). Candidates that share text
    with the article and credit the same source it credits are siblings, not origins; when no page
    is a likelier origin, that source is, known from the credits (docs/relations.md).
    """
    first_seen = first_seen or {}
    relations = [classify(m, t) for m in matches]
    copies = [(m, r) for m, r in zip(matches, relations, strict=True) if r in COPY_RELATIONS]
    credited = credited_sources(article, registry)
    siblings = [(m, r) for m, r in copies if _sibling_source(m.candidate.article, credited, registry)]
    pages = [(m, r) for m, r in copies if not any(m is s for s, _ in siblings)]
    rivals = [m for m, _ in pages]
    best: Origin | None = None
    for match, relation in pages:
        evidence = _direction(article, match, rivals, registry, t, first_seen)
        copying, direction = copying_confidence(match, relation, t), _direction_confidence(evidence)
        confidence = round(copying * direction, 3)
        # Equally sure of two sources (a patchwork), the origin is the one the article took most from.
        if confidence >= t.min_confidence and (best is None or (confidence, match.copied_share) > _rank(best)):
            best = Origin(match, confidence, tuple(evidence), copying=copying, direction=direction)
    common = _common_source(siblings, credited, registry, t) if siblings else None
    if common is not None and (best is None or common.confidence > best.confidence):
        best = common
    sibling_matches = tuple(m for m, _ in siblings)
    if best is None:
        # Only an earlier page telling the same story makes this one a parallel report;
        # later ones followed it, and pages that copied it say nothing about its origin.
        related = any(
            r is not Relation.ORIGINAL
            and not _later(m.candidate.article, article)
            and not (_inside(m, t) and not _earlier(m.candidate.article, article))
            for m, r in zip(matches, relations, strict=True)
        )
        return Inference(None, Relation.INDEPENDENT if related else Relation.ORIGINAL, (), sibling_matches)
    if best.match is not None:
        relation = classify(best.match, t)
        others = [m for m in matches if not any(m is s for s in sibling_matches)]
        covered = [(p.article_start, p.article_end) for p in best.match.passages]
    else:
        relation = min((r for _, r in siblings), key=_RELATION_ORDER.index)
        others = [m for m, _ in pages]
        covered = [(p.article_start, p.article_end) for m in sibling_matches for p in m.passages]
    return Inference(best, relation, _second_sources(article, best, others, covered, t), sibling_matches)


_RELATION_ORDER = (Relation.VERBATIM, Relation.PARTIAL, Relation.REWRITE)


def _rank(origin: Origin) -> tuple[float, float]:
    return origin.confidence, origin.match.copied_share if origin.match else 0.0


def credited_sources(article: Article, registry: Registry) -> dict[str, Credit]:
    """The sources the article credits for its text, by a key naming the outlet, each with its first credit."""
    found: dict[str, Credit] = {}
    for credit in article.credits:
        if credit.kind in NOT_TEXT_CREDITS:
            continue
        found.setdefault(_source_key(credit.name, registry), credit)
    return found


def _source_key(name: str, registry: Registry) -> str:
    pub = registry.by_name(name)
    return name_key(pub.name if pub else name)


def _sibling_source(candidate: Article, credited: Mapping[str, Credit], registry: Registry) -> str | None:
    """The source the article credits that the candidate credits too, unless the candidate is that source."""
    if not credited:
        return None
    url = candidate.canonical_url or candidate.url
    for credit in candidate.credits:
        if credit.kind in NOT_TEXT_CREDITS:
            continue
        key = _source_key(credit.name, registry)
        if key in credited and not same_outlet(
            credited[key].name, candidate.publisher or candidate.site_name, url, registry
        ):
            return key
    return None


def _common_source(
    siblings: list[tuple[Match, Relation]],
    credited: Mapping[str, Credit],
    registry: Registry,
    t: Thresholds,
) -> Origin | None:
    """The source the article and its siblings all credit, as the origin, known only from those credits."""
    by_source: dict[str, list[tuple[Match, Relation]]] = {}
    for match, relation in siblings:
        key = _sibling_source(match.candidate.article, credited, registry)
        if key is not None:
            by_source.setdefault(key, []).append((match, relation))
    best: Origin | None = None
    for key, group in by_source.items():
        credit = credited[key]
        pub = registry.by_name(credit.name)
        name = pub.name if pub else credit.name
        evidence = [Evidence("credit", f"the article credits {name}: {_short(credit.text)!r}", 0.3)]
        for match, _ in sorted(group, key=lambda g: -g[0].copied_share)[:2]:
            label = _label(match.candidate.article)
            detail = f"{label} also credits {name}, and {match.copied_share:.0%} of the article is in it"
            evidence.append(Evidence("sibling", detail, 0.1))
        copying = max(copying_confidence(m, r, t) for m, r in group)
        direction = _direction_confidence(evidence)
        confidence = round(copying * direction, 3)
        if confidence >= t.min_confidence and (best is None or confidence > best.confidence):
            best = Origin(None, confidence, tuple(evidence), name=name, copying=copying, direction=direction)
    return best


def _short(text: str, limit: int = 80) -> str:
    """A credit as evidence: a dateline's credit is its whole first paragraph."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _label(page: Article) -> str:
    return page.publisher or page.site_name or host_of(page.canonical_url or page.url) or page.source


def _second_sources(
    article: Article, origin: Origin, matches: list[Match], covered: list[tuple[int, int]], t: Thresholds
) -> tuple[Match, ...]:
    """Other pages the article copied from, beyond what the origin (or its siblings) already holds."""

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
