"""What a CI run produces: findings placed in files, per article, and the run as a whole."""

from __future__ import annotations

from dataclasses import dataclass

from provenance.model import Report, Severity


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding shows in the checked file (1-based, as SARIF, editors and GitHub count)."""

    path: str  # relative to the run's root when the file is inside it, with "/" separators; a URL otherwise
    line: int = 1
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """A gap of the report, as the policy sees it."""

    rule: str  # "PRV101"
    name: str  # "copied-without-credit"
    severity: Severity  # after the policy's overrides
    message: str
    location: Location
    fingerprint: str  # stable when the file changes elsewhere: what a baseline remembers
    evidence: tuple[str, ...] = ()
    suppressed: str | None = None  # why it does not count: "inline" (a comment in the file) or "baseline"


@dataclass(frozen=True, slots=True)
class ArticleResult:
    source: str  # the path or URL as the user gave it (or as a glob, list or sitemap expanded it)
    location: str  # Location.path of its findings
    report: Report | None  # None when the article could not be checked
    findings: tuple[Finding, ...] = ()
    error: str | None = None  # one line: why it could not be checked
    cached: bool = False  # the result came from the incremental cache

    @property
    def counted(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.suppressed is None)


@dataclass(frozen=True, slots=True)
class CiRun:
    results: tuple[ArticleResult, ...]
    fail_on: Severity | None  # None: never fail on findings ("never")

    @property
    def failing(self) -> tuple[Finding, ...]:
        """Counted findings at or above fail_on."""
        if self.fail_on is None:
            return ()
        rank = self.fail_on.rank
        return tuple(f for r in self.results for f in r.counted if f.severity.rank >= rank)

    @property
    def errors(self) -> tuple[ArticleResult, ...]:
        return tuple(r for r in self.results if r.error is not None)

    @property
    def exit_code(self) -> int:
        """2 when an article could not be checked (the gate cannot vouch for it), else 1 on failing findings."""
        if self.errors:
            return 2
        return 1 if self.failing else 0
