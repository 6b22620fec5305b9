"""Pages the index reads one by one: files, directories (recursively) and URLs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from provenance.errors import ProvenanceError
from provenance.index.ingest import stored
from provenance.index.store.base import StoredArticle
from provenance.inputs import expand, load
from provenance.publishers import Registry, bundled
from provenance.urls import is_url

if TYPE_CHECKING:
    import httpx


@dataclass(frozen=True, slots=True)
class Skipped:
    """What could not be read, and why: the commands warn about it and go on."""

    source: str
    reason: str


def _load_one(spec: str) -> StoredArticle | Skipped:
    """Top-level so worker processes can run it."""
    try:
        return stored(load(spec, bundled()))
    except ProvenanceError as exc:
        return Skipped(spec, str(exc))


def from_specs(
    specs: Iterable[str], registry: Registry, client: httpx.Client | None, workers: int = 1
) -> Iterator[StoredArticle | Skipped]:
    """Files, directories (recursively) and URLs; files are extracted on `workers` processes."""
    files: list[str] = []
    for spec in specs:
        for item in expand(spec):
            if is_url(item):
                try:
                    yield stored(load(item, registry, client))
                except ProvenanceError as exc:
                    yield Skipped(item, str(exc))
            else:
                files.append(item)
    if workers <= 1 or len(files) < 8:
        for item in files:
            try:
                yield stored(load(item, registry, client))
            except ProvenanceError as exc:
                yield Skipped(item, str(exc))
        return
    from multiprocessing import get_context

    with get_context("spawn").Pool(workers) as pool:
        yield from pool.imap(_load_one, files, chunksize=8)


def page(url: str, registry: Registry, client: httpx.Client, **known: Any) -> StoredArticle | Skipped:
    """The article at `url`; what a feed or sitemap `known` about it fills the fields the page leaves empty."""
    try:
        article = stored(load(url, registry, client))
    except ProvenanceError as exc:
        return Skipped(url, str(exc))
    return replace(article, **{k: v for k, v in known.items() if v is not None and not getattr(article, k)})
