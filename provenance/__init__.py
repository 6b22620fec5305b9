"""provenance: where did this news text really come from, and does the page say so honestly?

    >>> report = provenance.check("aggregator.html", candidates=["original.html"])
    >>> report.relation, report.origin.article.publisher, [g.rule for g in report.gaps]

Everything public is named in `__all__`; other modules may change between releases. The names are
loaded when first used (PEP 562), so `import provenance` costs next to nothing: the pipeline, numpy
and httpx load with `provenance.check`, not before.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from provenance._version import __version__

if TYPE_CHECKING:
    from provenance.errors import (
        ConfigError,
        DiscoveryError,
        EmptyArticle,
        FetchError,
        InputError,
        LimitReached,
        ProvenanceError,
        StateError,
        StoreError,
        TooLarge,
        UnsupportedFormat,
    )
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
        ShingleParams,
    )
    from provenance.origin.relation import Thresholds
    from provenance.pipeline import Settings, check

# module -> the public names it defines
_EXPORTS = {
    "pipeline": ("Settings", "check"),
    "errors": (
        "ConfigError",
        "DiscoveryError",
        "EmptyArticle",
        "FetchError",
        "InputError",
        "LimitReached",
        "ProvenanceError",
        "StateError",
        "StoreError",
        "TooLarge",
        "UnsupportedFormat",
    ),
    "model": (
        "Alignment",
        "Article",
        "Candidate",
        "Credit",
        "Evidence",
        "Gap",
        "Link",
        "Match",
        "Origin",
        "Passage",
        "Relation",
        "RepeatedBlock",
        "Report",
        "SentencePair",
        "Severity",
        "ShingleParams",
    ),
    "origin.relation": ("Thresholds",),
}
_HOMES = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = [
    "Alignment",
    "Article",
    "Candidate",
    "ConfigError",
    "Credit",
    "DiscoveryError",
    "EmptyArticle",
    "Evidence",
    "FetchError",
    "Gap",
    "InputError",
    "LimitReached",
    "Link",
    "Match",
    "Origin",
    "Passage",
    "ProvenanceError",
    "Relation",
    "RepeatedBlock",
    "Report",
    "SentencePair",
    "Settings",
    "Severity",
    "ShingleParams",
    "StateError",
    "StoreError",
    "Thresholds",
    "TooLarge",
    "UnsupportedFormat",
    "__version__",
    "check",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'provenance' has no attribute {name!r}")
    value = getattr(import_module(f"provenance.{home}"), name)
    globals()[name] = value  # once loaded, an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
