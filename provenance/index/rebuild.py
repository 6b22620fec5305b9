"""`provenance index rebuild`: the stored texts signed again into the keys in force, in place.

The texts are in the index already, so no source is read again. Keys are made in batches (on
worker processes, as an ingest makes them) and handed to the store's `rekey`, which writes them
aside and swaps them in with the new stamp at the end: a rebuild that stops halfway leaves the
index as it was, and running it again does the whole job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial

from provenance.fingerprint.keys import LshParams, index_keys
from provenance.index.ingest import BATCH_SIZE, bounded_map, yield_to_writer
from provenance.index.keys import PARAMS, as_stored, contents_differ, stamp, stamp_of
from provenance.index.store.base import Rekeyed, Store, StoredArticle


@dataclass(frozen=True, slots=True)
class Rebuilt:
    articles: int  # signed again
    merged: int  # whose new content key an earlier article had: merged into it, as an ingest merges
    before: str  # the stamp the index had
    after: str


def _signed(params: LshParams, batch: Sequence[tuple[int, StoredArticle]]) -> list[Rekeyed]:
    bands, contents = index_keys([as_stored(article.paragraphs) for _, article in batch], params)
    return [Rekeyed(key, int(c), k) for (key, _), c, k in zip(batch, contents, bands, strict=True)]


def rebuild(
    store: Store,
    params: LshParams = PARAMS,
    *,
    workers: int = 1,
    batch_size: int = BATCH_SIZE,
    on_batch: Callable[[int], None] | None = None,
) -> Rebuilt:
    """Sign every stored article again with `params` and record their stamp. Nothing else may write
    to the index meanwhile (any other writer is refused anyway while the stamps differ)."""
    before, after = stamp_of(store), stamp(params)
    ids = store.ids()
    count = 0

    def batches() -> Iterator[list[tuple[int, StoredArticle]]]:
        for start in range(0, len(ids), batch_size):
            chunk = ids[start : start + batch_size]
            found = store.get(chunk)
            yield [(key, found[key]) for key in chunk if key in found]

    def counted(signed: Iterator[list[Rekeyed]]) -> Iterator[list[Rekeyed]]:
        nonlocal count
        for batch in signed:
            count += len(batch)
            yield batch
            if on_batch:
                on_batch(len(batch))

    sign = partial(_signed, params)
    contents = contents_differ(before, after)
    if workers <= 1 or len(ids) <= batch_size:
        merged = store.rekey(counted(map(sign, batches())), after, contents=contents)
    else:
        from multiprocessing import get_context

        with get_context("spawn").Pool(workers, initializer=yield_to_writer) as pool:
            signed = bounded_map(pool, sign, batches(), lambda: 2 * workers)
            merged = store.rekey(counted(signed), after, contents=contents)
    return Rebuilt(count - merged, merged, before, after)
