"""The other sources of an article's text: siblings (candidates crediting the source the article
credits, so carrying that source's text), the common source known from those credits, and second
sources (other pages the article copied from, beyond what its origin holds) (docs/relations.md)."""

from __future__ import annotations

from collections.abc import Mapping

from provenance.model import Article, Credit, Evidence, Match, Origin, Relation
from provenance.origin.direction import direction_confidence, published_after, short_credit
from provenance.origin.relation import Thresholds, copying_confidence
from provenance.publishers import Registry, host_of, name_key, same_outlet

# Credit kinds that do not say the text is the named source's: prose naming an outlet in passing,
# a link, and the "Credit:" and "Courtesy of" labels pages mostly put under photographs. Two pages
# sharing a photo agency's picture are no siblings.
NOT_TEXT_CREDITS = frozenset({"reported", "according-to", "link", "credit", "courtesy"})


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


def sibling_source(candidate: Article, credited: Mapping[str, Credit], registry: Registry) -> str | None:
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


def common_source(
    siblings: list[tuple[Match, Relation]],
    credited: Mapping[str, Credit],
    registry: Registry,
    t: Thresholds,
) -> Origin | None:
    """The source the article and its siblings all credit, as the origin, known only from those credits."""
    by_source: dict[str, list[tuple[Match, Relation]]] = {}
    for match, relation in siblings:
        key = sibling_source(match.candidate.article, credited, registry)
        if key is not None:
            by_source.setdefault(key, []).append((match, relation))
    best: Origin | None = None
    for key, group in by_source.items():
        credit = credited[key]
        pub = registry.by_name(credit.name)
        name = pub.name if pub else credit.name
        evidence = [Evidence("credit", f"the article credits {name}: {short_credit(credit.text)!r}", 0.3)]
        for match, _ in sorted(group, key=lambda g: -g[0].copied_share)[:2]:
            label = _label(match.candidate.article)
            detail = f"{label} also credits {name}, and {match.copied_share:.0%} of the article is in it"
            evidence.append(Evidence("sibling", detail, 0.1))
        copying = max(copying_confidence(m, r, t) for m, r in group)
        direction = direction_confidence(evidence)
        confidence = round(copying * direction, 3)
        if confidence >= t.min_confidence and (best is None or confidence > best.confidence):
            best = Origin(None, confidence, tuple(evidence), name=name, copying=copying, direction=direction)
    return best


def _label(page: Article) -> str:
    return page.publisher or page.site_name or host_of(page.canonical_url or page.url) or page.source


def second_sources(
    article: Article, origin: Origin, matches: list[Match], covered: list[tuple[int, int]], t: Thresholds
) -> tuple[Match, ...]:
    """Other pages the article copied from, beyond what the origin (or its siblings) already holds."""

    def uncovered_words(start: int, end: int, text: str) -> float:
        inside = sum(max(0, min(end, e) - max(start, s)) for s, e in covered)
        return len(text.split()) * (1 - inside / max(1, end - start))

    found = []
    for match in matches:
        if match is origin.match or published_after(match.candidate.article, article, or_same=True):
            continue
        extra = sum(uncovered_words(p.article_start, p.article_end, p.text) for p in match.passages if not p.quoted)
        if extra >= t.second_source_words:
            found.append(match)
    return tuple(found)
