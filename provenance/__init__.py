"""provenance: where did this news text really come from, and does the page say so honestly?

    >>> report = provenance.check("aggregator.html", candidates=["original.html"])
    >>> report.relation, report.origin.article.publisher, [g.rule for g in report.gaps]

Everything public is named in `__all__`; other modules may change between releases.
"""

__version__ = "0.2.0"

from provenance.check import Settings, check
from provenance.errors import (
    ConfigError,
    EmptyArticle,
    FetchError,
    InputError,
    ProvenanceError,
    UnsupportedFormat,
)
from provenance.model import (
    Alignment,
    Article,
    Candidate,
    Credit,
    Evidence,
    Fingerprint,
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
from provenance.origin import Thresholds

__all__ = [
    "Alignment",
    "Article",
    "Candidate",
    "ConfigError",
    "Credit",
    "EmptyArticle",
    "Evidence",
    "FetchError",
    "Fingerprint",
    "Gap",
    "InputError",
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
    "Thresholds",
    "UnsupportedFormat",
    "__version__",
    "check",
]
