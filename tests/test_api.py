"""The public API is what `provenance/__init__.py` exports, and nothing else."""

from __future__ import annotations

import re

import provenance
from provenance import Article, Candidate, Relation, check
from provenance.inputs import load
from tests.support.paths import BBC_HTML, SEED_TEXT


def test_public_names():
    assert sorted(provenance.__all__) == sorted([
        "Alignment", "Article", "Candidate", "ConfigError", "Credit", "DiscoveryError", "EmptyArticle", "Evidence",
        "FetchError", "Gap", "InputError", "LimitReached", "Link", "Match", "Origin", "Passage", "ProvenanceError",
        "Relation", "RepeatedBlock", "Report", "SentencePair", "Settings", "Severity", "ShingleParams", "StateError",
        "StoreError", "Thresholds", "TooLarge", "UnsupportedFormat", "__version__", "check",
    ])  # fmt: skip
    for name in provenance.__all__:
        assert getattr(provenance, name) is not None


def test_every_error_is_exported_and_drawn_in_the_tree():
    import inspect

    from provenance import errors

    defined = {name for name, value in vars(errors).items() if inspect.isclass(value) and issubclass(value, Exception)}
    assert defined <= set(provenance.__all__)
    for name in defined:
        assert re.search(rf"^[│├└─ ]*{name}\b", errors.__doc__, re.MULTILINE), f"{name} is not in the tree"
        assert issubclass(getattr(errors, name), errors.ProvenanceError)


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
