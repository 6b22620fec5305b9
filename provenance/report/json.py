"""The JSON report: a documented, versioned schema (docs/report.schema.json)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, TextIO

from provenance._version import __version__
from provenance.model import Article, Match, Origin, Report
from provenance.origin.relation import candidate_relation, copied_text

SCHEMA = "https://provenance.readthedocs.io/schema/report-2.json"
SCHEMA_VERSION = 2


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _share(value: float) -> float:
    return round(value, 4)


def article_dict(article: Article) -> dict[str, Any]:
    return {
        "source": article.source,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "title": article.title,
        "byline": article.byline,
        "site_name": article.site_name,
        "publisher": article.publisher,
        "published": _when(article.published),
        "modified": _when(article.modified),
        "language": article.language,
        "credits": [
            {"name": c.name, "text": c.text, "kind": c.kind, "link": c.link, "position": c.position}
            for c in article.credits
        ],
        "links": [{"href": link.href, "text": link.text, "position": link.position} for link in article.links],
        "repeated_blocks": [
            {"first_paragraph": b.first_paragraph, "paragraphs": b.paragraphs, "chars": b.chars, "reason": b.reason}
            for b in article.repeated_blocks
        ],
        "dates_shown": list(article.dates_shown),
        "chrome": list(article.chrome),
        "notes": list(article.notes),
        "paragraphs": list(article.paragraphs),
    }


def candidate_dict(match: Match, report: Report) -> dict[str, Any]:
    cand = match.candidate.article
    alignment = match.alignment
    return {
        "source": cand.source,
        "url": cand.canonical_url or cand.url,
        "title": cand.title,
        "publisher": cand.publisher or cand.site_name,
        "published": _when(cand.published),
        "found_by": match.candidate.found_by,
        "reason": match.candidate.reason,
        "relation": candidate_relation(report, match),
        "jaccard": _share(match.jaccard),
        "jaccard_estimate": _share(match.jaccard_estimate),
        "copied_share": _share(match.copied_share),
        "reproduced_share": _share(match.reproduced_share),
        "unquoted_copied_share": _share(match.unquoted_copied_share),
        "unquoted_reproduced_share": _share(match.unquoted_reproduced_share),
        "copied_text": _share(copied_text(match)),
        "phrase_overlap": _share(match.phrase_overlap),
        "alignment": {
            "article_sentences": alignment.article_sentences,
            "candidate_sentences": alignment.candidate_sentences,
            "article_share": _share(alignment.article_share),
            "candidate_share": _share(alignment.candidate_share),
            "pairs": [
                {
                    "article_start": p.article_start,
                    "article_end": p.article_end,
                    "candidate_start": p.candidate_start,
                    "candidate_end": p.candidate_end,
                    "similarity": p.similarity,
                }
                for p in alignment.pairs
            ],
        },
        "passages": [
            {
                "article_start": p.article_start,
                "article_end": p.article_end,
                "candidate_start": p.candidate_start,
                "candidate_end": p.candidate_end,
                "quoted": p.quoted,
                "text": p.text,
            }
            for p in match.passages
        ],
    }


def origin_dict(origin: Origin, report: Report) -> dict[str, Any]:
    page, match = origin.article, origin.match
    return {
        "known_from": "page" if page is not None else "credits",
        "source": page.source if page else None,
        "url": (page.canonical_url or page.url) if page else None,
        "title": page.title if page else None,
        "publisher": (page.publisher or page.site_name) if page else origin.name,
        "published": _when(page.published) if page else None,
        "confidence": origin.confidence,
        "copying": origin.copying,
        "direction": origin.direction,
        "copied_share": _share(match.copied_share) if match else None,
        "reproduced_share": _share(match.reproduced_share) if match else None,
        "evidence": [{"kind": e.kind, "detail": e.detail, "weight": e.weight} for e in origin.evidence],
        "siblings": [m.candidate.article.source for m in report.siblings],
    }


def report_dict(report: Report) -> dict[str, Any]:
    origin = report.origin
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "provenance", "version": __version__},
        "article": article_dict(report.article),
        "relation": report.relation.value,
        "origin": None if origin is None else origin_dict(origin, report),
        "candidates": [candidate_dict(m, report) for m in report.matches],
        "gaps": [
            {
                "rule": g.rule,
                "name": g.name,
                "severity": g.severity.value,
                "message": g.message,
                "evidence": list(g.evidence),
                "paragraph": g.paragraph,
            }
            for g in report.gaps
        ],
        "timings": dict(report.timings),
        "discovery": [
            {
                "strategy": run.name,
                "status": run.status,
                "found": run.found,
                "detail": run.detail,
                "seconds": run.seconds,
                "notes": list(run.notes),
            }
            for run in report.discovery
        ],
    }


def render(report: Report, out: TextIO, *, color: bool | None = None) -> None:
    json.dump(report_dict(report), out, indent=2, ensure_ascii=False)
    out.write("\n")
