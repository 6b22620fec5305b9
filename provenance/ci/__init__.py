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
    sitemaps: Sequence[str] = (),
    follow_symlinks: bool = False,
    discovery_files: DiscoveryOptions | None = None,
    discovery_urls: DiscoveryOptions | None = None,
    on_skipped: Callable[[str, str], Any] | None = None,
    on_collected: Callable[[int], Any] | None = None,
    on_result: Callable[[ArticleResult], Any] | None = None,
) -> CiRun:
    """Check files, directories, globs, URLs and the pages of sitemaps under `policy`: what `provenance
    ci` runs (docs/ci-policy.md).

    `root` (default: the working directory) is what reported paths are relative to; `index` an
    existing index to search; `cache_dir` where results are kept between runs (default: the
    fetch cache's directory); `baseline` a file from `provenance baseline`. Inputs skipped (a
    symlink out of the tree, an unreadable file) go to `on_skipped(path, why)`; `on_collected`
    hears how many inputs there are before they are checked, `on_result` each one's result.
    """
    from provenance.ci.baseline import read
    from provenance.ci.inputs import collect, sitemap_pages
    from provenance.ci.policy import Policy
    from provenance.ci.runner import Job
    from provenance.ci.runner import run as run_inputs
    from provenance.pipeline import Settings

    policy = policy or Policy()
    settings = settings or Settings()
    fetching = settings.fetch

    def pages() -> list[str]:
        from provenance.fetch import new_client

        with new_client(fetching) as client:
            return sitemap_pages(sitemaps, client)

    base = Path(root) if root is not None else Path.cwd()
    items = collect(
        list(inputs),
        base,
        exclude=policy.exclude,
        url_files=url_files,
        sitemap_urls=pages if sitemaps else None,
        follow_symlinks=follow_symlinks,
        on_skipped=on_skipped,
    )
    if on_collected is not None:
        on_collected(len(items))
    directory = Path(cache_dir) if cache_dir is not None else fetching.cache_path()
    job = Job(policy, settings, index, discovery_files, discovery_urls, directory)
    accepted = read(Path(baseline)) if baseline is not None else frozenset()
    return run_inputs(items, job, workers=workers, use_cache=cache, accepted=accepted, on_result=on_result)
