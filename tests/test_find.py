"""Looking a copy up in the index: passages grouped differently in the copy still meet the original's."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from provenance.fingerprint.keys import passage_band_keys, query_band_keys
from provenance.index.find import find
from provenance.index.keys import entries
from provenance.index.store.base import StoredArticle
from provenance.index.store.sqlite import SqliteStore
from provenance.model import Article

WORDS = [f"{a}{b}" for a in ("ka", "lo", "mi", "nu", "pe", "ro", "su", "ti") for b in range(60)]


def _paragraphs(rng: random.Random, n: int, words: int) -> list[str]:
    return [" ".join(rng.choice(WORDS) for _ in range(words)) + "." for _ in range(n)]


def test_query_keys_hold_every_key_the_index_stores_for_the_same_text() -> None:
    rng = random.Random(1)
    for _ in range(30):
        doc = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 70))) for _ in range(rng.randint(1, 15))]
        stored = set(passage_band_keys([doc])[0].tolist())
        assert stored <= set(query_band_keys(doc).tolist())


def test_a_copy_with_an_added_intro_line_is_found_though_its_groups_all_shifted(tmp_path: Path) -> None:
    rng = random.Random(7)
    original = _paragraphs(rng, 12, 20)  # wire style: short paragraphs, grouped two by two
    intro = " ".join(rng.choice(WORDS) for _ in range(20))
    copy = [intro, *original[2:8]]
    # every group of the copy straddles two of the original's: its own passages share a few keys by
    # chance at most, not one passage's eight
    plain = set(passage_band_keys([copy])[0].tolist()) & set(passage_band_keys([original])[0].tolist())
    assert len(plain) < 8
    when = datetime(2026, 1, 5, tzinfo=UTC)
    base = StoredArticle("https://wire.example/a", "A", "Wire", None, when, when, tuple(original))
    other = replace(base, url="https://wire.example/b", paragraphs=tuple(_paragraphs(rng, 12, 20)))
    store = SqliteStore(tmp_path / "i.sqlite")
    try:
        store.add(entries([base, other]))
        found = find(store, Article(source="copy.md", paragraphs=tuple(copy)))
        assert [a.url for a, _ in found] == ["https://wire.example/a"]
        assert found[0][1] >= 24  # the original's three passages inside the copy, 8 band keys each
    finally:
        store.close()


def test_a_document_without_words_has_no_query_keys() -> None:
    assert query_band_keys([]).size == 0
    assert query_band_keys(["—", "..."]).dtype == np.uint32
