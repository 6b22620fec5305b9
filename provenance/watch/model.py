"""What `provenance watch` keeps and reports: findings (pages copying one of ours), sources, passes.

Plain frozen data, like the rest of the pipeline: the state stores it, the pass produces it, the
formats render it (through `inert_data`: page text, titles and server messages are hostile).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from provenance.model import Report, Severity


class Status(StrEnum):
    """Where a finding is in the newsroom's queue (`provenance findings ack|resolve`)."""

    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


@dataclass(frozen=True, slots=True)
class FindingGap:
    """A gap of the copying page, as the policy counts it (rule selection, severities, partners)."""

    rule: str  # "PRV101"
    name: str  # "copied-without-credit"
    severity: Severity
    message: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Copy:
    """A page that copies one of our articles, as a check of it against our index found it."""

    page_url: str
    site: str  # the page's host, without www.
    title: str | None
    original_url: str  # our article
    original_title: str | None
    relation: str  # verbatim | partial | rewrite (docs/relations.md)
    copied_share: float  # of the page's text, the share that is ours
    reproduced_share: float  # of our article, the share the page reproduces
    gaps: tuple[FindingGap, ...]
    found_by: str  # the source that listed the page, or "search: <phrase>"
    partner: str | None = None  # the licensed partner the page's outlet is, when it is one

    @property
    def severity(self) -> Severity | None:
        """The worst gap's; None for a copy that credits and links us as the policy asks."""
        return max((g.severity for g in self.gaps), key=lambda s: s.rank, default=None)

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(sorted({g.rule for g in self.gaps}))


@dataclass(frozen=True, slots=True)
class Finding:
    """A copy as the state keeps it: numbered, dated, and worked by the newsroom."""

    id: int
    copy: Copy
    first_seen: datetime  # when a pass first found it
    last_seen: datetime  # the last pass that saw the page listed by a source (or found it again)
    status: Status = Status.NEW
    note: str = ""

    @property
    def severity(self) -> Severity | None:
        return self.copy.severity


@dataclass(frozen=True, slots=True)
class SourceRun:
    """What one source did in a pass."""

    url: str
    role: str  # "own-feed", "own-sitemap", "feed", "sitemap", "urls", "search"
    status: str  # "read", "unchanged" (304 Not Modified), "failed"
    listed: int = 0  # items it listed (read) or had listed (unchanged)
    new: int = 0  # items never seen before, within `since`
    detail: str = ""  # why it failed


@dataclass(frozen=True, slots=True)
class ItemError:
    """A page that could not be fetched or read; tried again by later passes (up to a few times)."""

    url: str
    found_by: str
    error: str


@dataclass(frozen=True, slots=True)
class Pass:
    """One pass: what was read, what was checked, and the findings no earlier pass reported."""

    started: datetime
    finished: datetime
    sources: tuple[SourceRun, ...]
    indexed: int  # our new articles added to the index
    checked: int  # pages checked against it
    findings: tuple[Finding, ...]  # new ones: recorded by this pass, or by an earlier one that did not report them
    errors: tuple[ItemError, ...] = ()
    notes: tuple[str, ...] = ()  # the pass went on: a webhook that failed, a search engine that did not answer
    fail_on: Severity | None = Severity.ERROR  # None: "never"
    stopped: bool = False  # SIGINT/SIGTERM ended it early; what it checked is kept

    @property
    def failing(self) -> tuple[Finding, ...]:
        if self.fail_on is None:
            return ()
        rank = self.fail_on.rank
        return tuple(f for f in self.findings if f.severity is not None and f.severity.rank >= rank)

    @property
    def exit_code(self) -> int:
        """1 when new findings reach fail_on: a scheduled job alerts on it. Failing sources do not
        change it (they are reported, and read again next pass)."""
        return 1 if self.failing else 0


@dataclass(frozen=True, slots=True)
class Filters:
    """Which findings `provenance findings list|export` shows; None: any."""

    site: str | None = None  # the host or a parent domain
    status: Status | None = None
    rule: str | None = None  # a rule id
    since: datetime | None = None  # last seen on or after
    until: datetime | None = None  # first seen before

    def keeps(self, finding: Finding) -> bool:
        copy = finding.copy
        site = self.site.lower().removeprefix("www.") if self.site else None
        return (
            (site is None or copy.site == site or copy.site.endswith("." + site))
            and (self.status is None or finding.status is self.status)
            and (self.rule is None or self.rule in copy.rules)
            and (self.since is None or finding.last_seen >= self.since)
            and (self.until is None or finding.first_seen < self.until)
        )


@dataclass(frozen=True, slots=True)
class Digest:
    """What a format renders: findings, with the pass that found them (None: a listing of the
    state, `provenance findings list`), and for the HTML digest each finding's evidence."""

    findings: tuple[Finding, ...]
    run: Pass | None = None
    evidence: tuple[Report | None, ...] = ()  # a check Report per finding (its side by side), or none
