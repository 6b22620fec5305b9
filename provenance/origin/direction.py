"""Which way the copying went: the evidence that can say (dates, first captures in a web archive,
containment direction, credits, canonical links, wire datelines), each with a weight that moves
even odds, and the direction confidence it adds up to (docs/relations.md)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from provenance.extract.dates import date_only
from provenance.model import Article, Credit, Evidence, Match
from provenance.origin.relation import Thresholds
from provenance.publishers import Registry, host_of, same_outlet

_DATE_SLACK = timedelta(hours=1)  # clocks and time zones on pages are sloppy


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


def _shares(match: Match) -> str:
    copied, reproduced = match.copied_share, match.reproduced_share
    return f"{copied:.0%} of the article is in this page; {reproduced:.0%} of the page is in the article"


def direction_evidence(
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
    earlier, later = published_before(cand, article), published_after(cand, article)
    if lies_inside(match, t):
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
        found.append(Evidence("credit", f"the article credits it: {short_credit(named[0].text)!r}", 0.3))
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


def direction_confidence(evidence: Sequence[Evidence]) -> float:
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


def lies_inside(match: Match, t: Thresholds) -> bool:
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


def published_before(candidate: Article, article: Article) -> bool:
    """Whether the candidate was published clearly before the article."""
    if candidate.published is None or article.published is None:
        return False
    return candidate.published + _slack(candidate.published, article.published) < article.published


def published_after(candidate: Article, article: Article, or_same: bool = False) -> bool:
    """Whether the candidate was published after the article (at the same time too, if `or_same`)."""
    if candidate.published is None or article.published is None:
        return False
    if or_same and candidate.published == article.published:
        return True
    return candidate.published > article.published + _slack(candidate.published, article.published)


def _ago(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.1f} hours" if hours < 48 else f"{hours / 24:.0f} days"


def short_credit(text: str, limit: int = 80) -> str:
    """A credit as evidence: a dateline's credit is its whole first paragraph."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
