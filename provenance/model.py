"""The plain, immutable data that flows between the pipeline's stages.

Every stage takes and returns these types; none of them holds a client, a
file handle or a console, so any of them can be stored, sent or compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Relation(StrEnum):
    """How an article relates to its likely origin; see docs/relations.md."""

    VERBATIM = "verbatim"
    PARTIAL = "partial"
    REWRITE = "rewrite"
    INDEPENDENT = "independent"
    ORIGINAL = "original"


@dataclass(frozen=True, slots=True)
class Credit:
    """A place where the page names a source of its text."""

    name: str
    text: str
    kind: str  # which pattern found it: "bare-line", "source-label", "dateline", ...
    link: str | None = None
    # the body paragraph it stands in, or, for a credit line of its own (dropped from the body), the one
    # it follows; None when outside the body
    position: int | None = None


@dataclass(frozen=True, slots=True)
class Link:
    href: str
    text: str
    position: int | None = None  # paragraph index in the body, None when outside it


@dataclass(frozen=True, slots=True)
class RepeatedBlock:
    """Paragraphs removed from the body because the page already showed them."""

    first_paragraph: int  # index in the body of the first copy
    paragraphs: int  # how many paragraphs the repeat spanned
    chars: int
    reason: str


@dataclass(frozen=True, slots=True)
class Article:
    source: str  # what the user gave: a URL, a path, "-"
    paragraphs: tuple[str, ...]
    url: str | None = None
    canonical_url: str | None = None
    title: str | None = None
    byline: str | None = None
    site_name: str | None = None
    publisher: str | None = None
    published: datetime | None = None
    modified: datetime | None = None
    language: str | None = None
    credits: tuple[Credit, ...] = ()
    links: tuple[Link, ...] = ()
    repeated_blocks: tuple[RepeatedBlock, ...] = ()
    dates_shown: tuple[str, ...] = ()  # dates the visible text states, as written
    # lines of the extracted text dropped as page chrome (share buttons, counters, "Related" tails),
    # as the page showed them: what a reader of the evidence may want to see was taken out
    chrome: tuple[str, ...] = ()
    # What extraction left out of the page and why ("1 link(s) left out that do not parse, ..."),
    # so a report says so rather than failing on it.
    notes: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The body as one string; passage offsets index into it."""
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True, slots=True)
class ShingleParams:
    size: int = 5
    num_perm: int = 128
    seed: int = 1


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible source, and who proposed it."""

    article: Article
    found_by: str  # "given", "index", "links", ...
    reason: str


@dataclass(frozen=True, slots=True)
class Passage:
    """A span of text that appears in both the article and a candidate."""

    article_start: int
    article_end: int
    candidate_start: int
    candidate_end: int
    text: str
    quoted: bool  # someone's words: lies wholly inside a quotation or statement in the article or the candidate

    @property
    def length(self) -> int:
        return self.article_end - self.article_start


@dataclass(frozen=True, slots=True)
class SentencePair:
    """A sentence of the article and the candidate's sentence it renders (or that renders it)."""

    article_start: int
    article_end: int
    candidate_start: int
    candidate_end: int
    similarity: float  # share of the shorter sentence's content words the other one has


@dataclass(frozen=True, slots=True)
class Alignment:
    """The longest chain of similar sentences in the same order in both texts (see provenance.alignment)."""

    pairs: tuple[SentencePair, ...] = ()
    article_sentences: int = 0  # the article's own sentences that could align (speech left out)
    candidate_sentences: int = 0

    @property
    def article_share(self) -> float:
        """Share of the article's sentences that render one of the candidate's, in order."""
        return len(self.pairs) / self.article_sentences if self.article_sentences else 0.0

    @property
    def candidate_share(self) -> float:
        return len(self.pairs) / self.candidate_sentences if self.candidate_sentences else 0.0

    @property
    def similarity(self) -> float:
        """Mean similarity of the aligned pairs."""
        return sum(p.similarity for p in self.pairs) / len(self.pairs) if self.pairs else 0.0


@dataclass(frozen=True, slots=True)
class Match:
    candidate: Candidate
    jaccard: float
    jaccard_estimate: float
    copied_share: float  # of the article's shingles, the share found in the candidate
    reproduced_share: float  # of the candidate's shingles, the share found in the article
    # copied_share and reproduced_share counting only shared text that neither page presents as
    # someone's words (quotations, statements: provenance.speech), over all the text's shingles
    unquoted_copied_share: float
    unquoted_reproduced_share: float
    # share of the article's two-word phrases (outside quotations, not both
    # stopwords) that the candidate also uses: how much vocabulary the two share
    phrase_overlap: float
    passages: tuple[Passage, ...]
    alignment: Alignment = Alignment()


@dataclass(frozen=True, slots=True)
class Evidence:
    kind: str  # "containment", "date", "credit", "canonical", "dateline", "sibling", ...
    detail: str
    weight: float  # how much it moved the direction: > 0 the article is the copy, < 0 the page is


@dataclass(frozen=True, slots=True)
class Origin:
    """The likely source of the article's text: a candidate page, or a source known only from credits.

    An origin known from credits (`match` None, `name` set) is a source, usually a wire, that the
    article and other pages carrying the same text all credit, when its own page was not found.
    """

    match: Match | None
    confidence: float  # copying * direction
    evidence: tuple[Evidence, ...]
    name: str | None = None  # the credited source, for an origin known only from credits
    copying: float = 0.0  # how sure it is that the shared text was copied at all
    direction: float = 0.0  # how sure it is that the article is the copy, not the source

    @property
    def article(self) -> Article | None:
        """The origin's page; None when the origin is known only from credits."""
        return self.match.candidate.article if self.match else None


@dataclass(frozen=True, slots=True)
class Gap:
    rule: str  # "PRV101"
    name: str  # "copied-without-credit"
    severity: Severity
    message: str
    evidence: tuple[str, ...] = ()
    paragraph: int | None = None  # where in the body it shows, when it has a place


@dataclass(frozen=True, slots=True)
class StrategyRun:
    """What one discovery strategy did in a check; a strategy that fails never fails the check."""

    name: str
    status: str  # "ok", "failed", "timed-out", "stopped" (--max-fetches), "skipped" (not configured)
    found: int  # candidates it proposed (an archive strategy: first captures found)
    detail: str = ""  # why it failed, stopped or was skipped; what it did otherwise
    seconds: float = 0.0
    notes: tuple[str, ...] = ()  # pages it could not use, while it went on with the others


@dataclass(frozen=True, slots=True)
class Report:
    article: Article
    relation: Relation
    origin: Origin | None
    matches: tuple[Match, ...]
    gaps: tuple[Gap, ...]
    timings: tuple[tuple[str, float], ...] = ()  # (stage, seconds)
    discovery: tuple[StrategyRun, ...] = ()  # every strategy that was asked to run, in order
    siblings: tuple[Match, ...] = ()  # candidates carrying the same credited source's text, not origins
    # (Article.source, first capture in a web archive) of the pages whose capture was looked up and found;
    # kept for the reader's timeline (origin/direction.py has already weighed them as evidence)
    first_seen: tuple[tuple[str, datetime], ...] = ()

    def worst_severity(self) -> Severity | None:
        return max((g.severity for g in self.gaps), key=lambda s: s.rank, default=None)
