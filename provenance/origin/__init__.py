"""Who copied whom: the likely origin among the candidates, and how the article relates to it.

Two questions, kept apart. Do the two pages share copied text at all (`relation.classify`, from
text outside quotations and statements, or an ordered sentence alignment), and how sure is that
(`relation.copying_confidence`)? And which way did the copying go: overlap alone cannot say, so
the evidence that can (dates, containment direction, credits, canonical links, wire datelines) is
collected per candidate with a weight that moves even odds (`direction.py`). A candidate that
credits the same source as the article is a sibling, not an origin (`sources.py`). `infer` here
weighs them all. Every verdict keeps its evidence so a reader can check it (docs/relations.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from provenance.model import Article, Match, Origin, Relation
from provenance.origin.direction import (
    direction_confidence,
    direction_evidence,
    lies_inside,
    published_after,
    published_before,
)
from provenance.origin.relation import COPY_RELATIONS, DEFAULT_THRESHOLDS, Thresholds, classify, copying_confidence
from provenance.origin.sources import common_source, credited_sources, second_sources, sibling_source
from provenance.publishers import Registry


@dataclass(frozen=True, slots=True)
class Inference:
    origin: Origin | None
    relation: Relation
    second_sources: tuple[Match, ...]
    siblings: tuple[Match, ...] = ()  # pages carrying the same credited source's text as the article


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
    siblings = [(m, r) for m, r in copies if sibling_source(m.candidate.article, credited, registry)]
    pages = [(m, r) for m, r in copies if not any(m is s for s, _ in siblings)]
    rivals = [m for m, _ in pages]
    best: Origin | None = None
    for match, relation in pages:
        evidence = direction_evidence(article, match, rivals, registry, t, first_seen)
        copying, direction = copying_confidence(match, relation, t), direction_confidence(evidence)
        confidence = round(copying * direction, 3)
        # Equally sure of two sources (a patchwork), the origin is the one the article took most from.
        if confidence >= t.min_confidence and (best is None or (confidence, match.copied_share) > _rank(best)):
            best = Origin(match, confidence, tuple(evidence), copying=copying, direction=direction)
    common = common_source(siblings, credited, registry, t) if siblings else None
    if common is not None and (best is None or common.confidence > best.confidence):
        best = common
    sibling_matches = tuple(m for m, _ in siblings)
    if best is None:
        # Only an earlier page telling the same story makes this one a parallel report;
        # later ones followed it, and pages that copied it say nothing about its origin.
        related = any(
            r is not Relation.ORIGINAL
            and not published_after(m.candidate.article, article)
            and not (lies_inside(m, t) and not published_before(m.candidate.article, article))
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
    return Inference(best, relation, second_sources(article, best, others, covered, t), sibling_matches)


_RELATION_ORDER = (Relation.VERBATIM, Relation.PARTIAL, Relation.REWRITE)


def _rank(origin: Origin) -> tuple[float, float]:
    return origin.confidence, origin.match.copied_share if origin.match else 0.0
