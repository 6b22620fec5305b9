"""The keys an index files an article under: LSH band keys of its passages, and a content key.

Keys are computed from the paragraphs as a store gives them back (`as_stored`), so the keys of
a stored article can always be computed again from its text (stores keep no copy of them).
"""

from __future__ import annotations

from collections.abc import Sequence

from provenance.fingerprint import LshParams, index_keys, passage_band_keys
from provenance.index.store.base import BandKeys, Entry, StoredArticle, pack_text


def as_stored(paragraphs: Sequence[str]) -> tuple[str, ...]:
    """Paragraphs as a store gives them back (pack_text joins them with newlines): keys are computed
    from these, so `remove` finds the same keys again from the stored text."""
    return tuple("\n".join(paragraphs).split("\n"))


def band_keys_of(article: StoredArticle) -> BandKeys:
    return passage_band_keys([as_stored(article.paragraphs)])[0]


def entries(articles: Sequence[StoredArticle], params: LshParams | None = None) -> list[Entry]:
    bands, contents = index_keys([as_stored(a.paragraphs) for a in articles], params or LshParams())
    return [Entry(a, int(c), k, pack_text(a.paragraphs)) for a, c, k in zip(articles, contents, bands, strict=True)]
