"""The public API is what `provenance/__init__.py` exports, and nothing else."""

from __future__ import annotations

import provenance
from conftest import BBC_HTML, SEED_TEXT
from provenance import Article, Candidate, Relation, check
from provenance.sources import load


def test_public_names():
    assert sorted(provenance.__all__) == sorted([
        "Alignment", "Article", "Candidate", "ConfigError", "Credit", "EmptyArticle", "Evidence", "FetchError",
        "Fingerprint", "Gap", "InputError", "Link", "Match", "Origin", "Passage", "ProvenanceError",
        "Relation", "RepeatedBlock", "Report", "SentencePair", "Settings", "Severity", "ShingleParams", "Thresholds",
        "UnsupportedFormat", "__version__", "check",
    ])  # fmt: skip


def test_check_takes_articles_already_loaded():
    from provenance.publishers import bundled

    bbc = load(str(BBC_HTML), bundled())
    article = Article(source="memory", paragraphs=bbc.paragraphs[:4], title="Excerpt")
    report = check(article, [bbc])
    assert report.relation is Relation.PARTIAL
    assert report.matches[0].copied_share == 1.0
    assert isinstance(report.matches[0].candidate, Candidate)
    assert report.matches[0].reproduced_share < 0.4


def test_check_accepts_paths():
    report = check(str(SEED_TEXT), [str(BBC_HTML)])
    assert report.origin is not None and report.origin.article.title.startswith("Kim Jong-un")
