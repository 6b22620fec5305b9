"""`provenance ci`: many articles checked against a newsroom's policy, findings placed in their files.

model.py holds what flows between the parts: inputs -> runner (check() per article) -> policy
(Report -> Findings) -> suppression and baseline -> a CiRun that the formats render.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from provenance.ci.model import ArticleResult, CiRun
    from provenance.ci.policy import Policy
    from provenance.discover import DiscoveryOptions
    from provenance.pipeline import Settings


def run(
    inputs: Sequence[str],
    policy: Policy | None = None,
    *,
    root: str | Path | None = None,
    settings: Settings | None = None,
    index: str | None = None,
    workers: int | None = None,
    cache: bool = True,
    cache_dir: str | Path | None = None,
    baseline: str | Path | None = None,
    url_files: Sequence[str] = (),
    discovery_files: DiscoveryOptions | None = None,
    discovery_urls: DiscoveryOptions | None = None,
    on_result: Callable[[ArticleResult], Any] | None = None,
) -> CiRun:
    """Check files, directories, globs and URLs under `policy`: the library face of `provenance ci`.

    `root` (default: the working directory) is what reported paths are relative to; `index` an
    existing index to search; `cache_dir` where results are kept between runs (default: the
    fetch cache's directory); `baseline` a file from `provenance baseline`.
    """
    from provenance.ci.baseline import read
    from provenance.ci.inputs import collect
    from provenance.ci.policy import Policy
    from provenance.ci.runner import Job
    from provenance.ci.runner import run as run_inputs
    from provenance.pipeline import Settings

    policy = policy or Policy()
    settings = settings or Settings()
    base = Path(root) if root is not None else Path.cwd()
    items = collect(list(inputs), base, exclude=policy.exclude, url_files=url_files)
    directory = Path(cache_dir) if cache_dir is not None else settings.fetch.cache_path()
    job = Job(policy, settings, index, discovery_files, discovery_urls, directory)
    accepted = read(Path(baseline)) if baseline is not None else frozenset()
    return run_inputs(items, job, workers=workers, use_cache=cache, accepted=accepted, on_result=on_result)
