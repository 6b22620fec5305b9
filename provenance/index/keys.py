"""The keys an index files an article under: LSH band keys of its passages, and a content key,
and the stamp that says how they were made.

Keys are computed from the paragraphs as a store gives them back (`as_stored`), so the keys of
a stored article can always be computed again from its text (stores keep no copy of them).

The stamp names everything that decides the keys: the normaliser's and the tokenizer's versions,
the hash scheme (`fingerprint.SCHEME_VERSION`), the passage grouping, the shingle size, the seed,
the permutations, the bands and their rows. A store records the stamp of the keys it holds; an
index whose stamp is not the one in force would silently miss every lookup, so it is refused
(`verify`) until `provenance index rebuild` signs its stored texts again (`rebuild.py`).
"""

from __future__ import annotations

from collections.abc import Sequence

from provenance.errors import StoreError
from provenance.fingerprint import SCHEME_VERSION
from provenance.fingerprint.batch import PASSAGE_MIN_TOKENS
from provenance.fingerprint.keys import LshParams, index_keys, passage_band_keys, query_band_keys
from provenance.index.store.base import BandKeys, Entry, Store, StoredArticle, pack_text
from provenance.normalize import NORMALIZE_VERSION, TOKENIZER_VERSION

PARAMS = LshParams()  # the keys this provenance files articles under and looks them up with
# What an index holds when an older provenance wrote it, before stores kept a stamp.
LEGACY_STAMP = "normalize=1 tokenizer=1 scheme=2 passage=40 shingle=5 seed=1 perms=128 bands=8 rows=3"
CONTENT_FIELDS = ("normalize", "tokenizer", "scheme")  # what a content key depends on (not the banding)


def stamp(params: LshParams = PARAMS) -> str:
    """The stamp of keys made with `params` by this code: `name=value` pairs, in a fixed order."""
    fields = {
        "normalize": NORMALIZE_VERSION,
        "tokenizer": TOKENIZER_VERSION,
        "scheme": SCHEME_VERSION,
        "passage": PASSAGE_MIN_TOKENS,
        "shingle": params.shingle_size,
        "seed": params.seed,
        "perms": params.num_perm,
        "bands": params.bands,
        "rows": params.rows,
    }
    return " ".join(f"{name}={value}" for name, value in fields.items())


def stamp_of(store: Store) -> str:
    """How the keys in `store` were made (an index without a stamp is from before stamps)."""
    return store.stamp or LEGACY_STAMP


def _fields(text: str) -> dict[str, str]:
    return dict(pair.partition("=")[::2] for pair in text.split())


def differences(found: str, wanted: str) -> tuple[str, str]:
    """The fields that differ between two stamps, as each gives them: ("shingle=4 bands=4", "shingle=5 bands=8")."""
    have, want = _fields(found), _fields(wanted)
    names = [name for name in dict.fromkeys([*want, *have]) if have.get(name) != want.get(name)]
    return (
        " ".join(f"{name}={have.get(name, '?')}" for name in names),
        " ".join(f"{name}={want.get(name, '?')}" for name in names),
    )


def contents_differ(found: str, wanted: str) -> bool:
    """Whether content keys made under `found` differ from those made under `wanted`."""
    have, want = _fields(found), _fields(wanted)
    return any(have.get(k) != want.get(k) for k in CONTENT_FIELDS)


def verify(store: Store, params: LshParams = PARAMS) -> None:
    """StoreError, in one line, unless the keys in `store` are made as `params` make them here."""
    found, wanted = stamp_of(store), stamp(params)
    if found != wanted:
        theirs, ours = differences(found, wanted)
        raise StoreError(
            store.location,
            f"its keys were made with {theirs}, this provenance makes them with {ours}:"
            " run `provenance index rebuild` to sign its stored texts again",
        )


def as_stored(paragraphs: Sequence[str]) -> tuple[str, ...]:
    """Paragraphs as a store gives them back (pack_text joins them with newlines): keys are computed
    from these, so `remove` finds the same keys again from the stored text."""
    return tuple("\n".join(paragraphs).split("\n"))


def band_keys_of(article: StoredArticle, params: LshParams = PARAMS) -> BandKeys:
    return passage_band_keys([as_stored(article.paragraphs)], params)[0]


def query_keys(paragraphs: Sequence[str], params: LshParams = PARAMS) -> BandKeys:
    """The band keys to look an article up with (`fingerprint.keys.query_band_keys`)."""
    return query_band_keys(as_stored(paragraphs), params)


def entries(articles: Sequence[StoredArticle], params: LshParams = PARAMS) -> list[Entry]:
    bands, contents = index_keys([as_stored(a.paragraphs) for a in articles], params)
    return [Entry(a, int(c), k, pack_text(a.paragraphs)) for a, c, k in zip(articles, contents, bands, strict=True)]
