"""Checking many articles: check() per input on a spawn process pool, the policy, places, suppression.

Each worker opens one HTTP client (when it first needs one) and the index read-only once, and
keeps them for every article it checks. One article that cannot be read or fetched becomes an
ArticleResult with a one-line error; it never stops the run.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from provenance.ci import baseline as baselines
from provenance.ci.cache import ResultCache, entry_key, index_identity, run_key
from provenance.ci.inputs import Input, read_input
from provenance.ci.locate import SourceLines, locate
from provenance.ci.model import ArticleResult, CiRun, Finding, Location
from provenance.ci.policy import Placed, Policy, apply, without_own_origins
from provenance.ci.suppress import ignored_rules, is_ignored
from provenance.errors import InputError, ProvenanceError

if TYPE_CHECKING:
    import httpx

    from provenance.discover import DiscoveryOptions
    from provenance.index.store.base import Store
    from provenance.model import Report
    from provenance.pipeline import Settings


@dataclass(frozen=True)
class Job:
    """Everything a worker needs, sent once to each worker process (so it must pickle)."""

    policy: Policy
    settings: Settings
    index: str | None = None  # an existing index to search, opened read-only by each worker
    discovery_files: DiscoveryOptions | None = None  # web strategies for files (None: none)
    discovery_urls: DiscoveryOptions | None = None  # and for URLs
    cache_dir: Path | None = None  # None: no incremental cache
    cache_run_key: str = field(default="", compare=False)


@dataclass
class _Worker:
    job: Job
    store: Store | None = None
    client: httpx.Client | None = None
    cache: ResultCache | None = None

    def http(self) -> httpx.Client:
        if self.client is None:
            from provenance.fetch import new_client

            self.client = new_client(self.job.settings.fetch)
        return self.client

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        if self.store is not None:
            self.store.close()


_WORKER: _Worker | None = None


def _start(job: Job) -> None:
    global _WORKER
    worker = _Worker(job)
    if job.index is not None:
        from provenance.index import open_index

        worker.store = open_index(job.index, create=False, readonly=True)
    if job.cache_dir is not None and job.cache_run_key:
        worker.cache = ResultCache(job.cache_dir)
    _WORKER = worker


def _check_in_worker(item: Input) -> ArticleResult:
    assert _WORKER is not None
    return check_input(_WORKER, item)


def settings_digest(settings: Settings, *options: DiscoveryOptions | None) -> str:
    """What of the check settings changes a result (fetch politeness does not)."""
    parts = (settings.params, settings.thresholds, settings.registry.publishers, *options)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


def prepare(job: Job, use_cache: bool) -> Job:
    """The job with its cache key computed once in the parent (the index's identity is read here)."""
    if not use_cache:
        return Job(job.policy, job.settings, job.index, job.discovery_files, job.discovery_urls, None, "")
    identity = index_identity(job.index)
    if identity is None or job.cache_dir is None:
        return Job(job.policy, job.settings, job.index, job.discovery_files, job.discovery_urls, None, "")
    digest = settings_digest(job.settings, job.discovery_files, job.discovery_urls)
    key = run_key(job.policy.digest(), digest, identity)
    return Job(job.policy, job.settings, job.index, job.discovery_files, job.discovery_urls, job.cache_dir, key)


def check_input(worker: _Worker, item: Input) -> ArticleResult:
    """One article: from the cache when its file and everything else are unchanged, else checked."""
    content: bytes | None = None
    key = None
    if not item.is_url:
        try:
            content = read_input(item.source)  # a regular file, capped: the repository may be hostile
        except InputError as exc:
            return ArticleResult(item.path, item.path, None, error=f"cannot read {item.path}: {exc.reason}")
        if worker.cache is not None:
            key = entry_key(worker.job.cache_run_key, item.path, content)
            if (hit := worker.cache.get(key)) is not None:
                return ArticleResult(hit.source, hit.location, hit.report, hit.findings, hit.error, cached=True)
    try:
        result = _checked(worker, item, content)
    except ProvenanceError as exc:
        return ArticleResult(item.path, item.path, None, error=_one_line(str(exc)))
    except Exception as exc:
        if os.environ.get("PROVENANCE_DEBUG"):
            raise
        return ArticleResult(item.path, item.path, None, error=f"internal error ({type(exc).__name__}: {exc})")
    if worker.cache is not None and key is not None:
        worker.cache.put(key, result)
    return result


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _checked(worker: _Worker, item: Input, content: bytes | None) -> ArticleResult:
    from provenance.discover import build
    from provenance.inputs import decode
    from provenance.pipeline import check

    job = worker.job
    options = job.discovery_urls if item.is_url else job.discovery_files
    plan = build(options) if options is not None else None
    client = worker.http() if item.is_url or plan is not None else None
    report = check(item.source, settings=job.settings, client=client, store=worker.store, discovery=plan)
    report = without_own_origins(report, job.policy, job.settings.registry, job.settings.thresholds)
    placed = apply(report, job.policy, job.settings.registry)
    text = decode(content, item.path) if content is not None else None
    findings = place(placed, report, item.path, text)
    return ArticleResult(item.path, item.path, report, findings)


def place(placed: Sequence[Placed], report: Report, path: str, text: str | None) -> tuple[Finding, ...]:
    """Findings with their file positions, fingerprints and inline suppressions."""
    lines = SourceLines.of(text) if text is not None else None
    ignored = ignored_rules(text) if text is not None else frozenset()
    paragraphs = report.article.paragraphs
    seen: dict[tuple[str, str], int] = {}
    findings = []
    for item in placed:
        anchor = item.anchor
        paragraph = (
            paragraphs[anchor.paragraph]
            if anchor.paragraph is not None and anchor.paragraph < len(paragraphs)
            else None
        )
        line, column = locate(lines, paragraph, anchor.text, report.article.title) if lines else (1, 1)
        anchor_text = paragraph or anchor.text or ""
        occurrence = seen.get((item.gap.rule, anchor_text), 0)
        seen[(item.gap.rule, anchor_text)] = occurrence + 1
        findings.append(
            Finding(
                rule=item.gap.rule,
                name=item.gap.name,
                severity=item.severity,
                message=item.gap.message,
                location=Location(path, line, column),
                fingerprint=baselines.fingerprint(item.gap.rule, path, anchor_text, occurrence),
                evidence=item.gap.evidence,
                suppressed="inline" if is_ignored(item.gap.rule, ignored) else None,
            )
        )
    findings.sort(key=lambda f: (f.location.line, f.location.column, f.rule))
    return tuple(findings)


def run(
    inputs: Sequence[Input],
    job: Job,
    *,
    workers: int | None = None,
    use_cache: bool = True,
    accepted: frozenset[str] = frozenset(),
    on_result: Callable[[ArticleResult], Any] | None = None,
) -> CiRun:
    """Check `inputs` under `job`'s policy on `workers` processes (default: all cores); `accepted`
    are baseline fingerprints, whose findings are marked suppressed="baseline"."""
    job = prepare(job, use_cache)
    count = min(workers or os.cpu_count() or 1, len(inputs)) or 1
    results: dict[int, ArticleResult] = {}
    if count == 1:  # no pool: starting a process costs more than a few articles
        _start(job)
        assert _WORKER is not None
        try:
            for number, item in enumerate(inputs):
                results[number] = check_input(_WORKER, item)
                if on_result:
                    on_result(results[number])
        finally:
            _WORKER.close()
    else:
        if job.index is not None:  # a bad index is one error here, not a traceback from every worker
            from provenance.index import open_index

            open_index(job.index, create=False, readonly=True).close()
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(count, mp_context=context, initializer=_start, initargs=(job,)) as pool:
            futures = {pool.submit(_check_in_worker, item): number for number, item in enumerate(inputs)}
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                if on_result:
                    on_result(results[futures[future]])
    ordered = tuple(results[n] for n in range(len(inputs)))
    return CiRun(baselines.mark(ordered, accepted) if accepted else ordered, job.policy.fail_on)
