"""Bulk ingest on worker processes: bad records, read-ahead, and transactions of the store's size."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from provenance.errors import InputError
from provenance.index.ingest import ingest
from provenance.index.readers.jsonl import jsonl_lines, parse_jsonl
from provenance.index.store.sqlite import SqliteStore


def _lines(n: int, bad: int | None = None) -> str:
    out = []
    for i in range(1, n + 1):
        if i == bad:
            out.append('{"url": "https://x.example/bad", "text": 42}')
            continue
        words = " ".join(f"w{i}x{j}" for j in range(60))
        out.append(json.dumps({"url": f"https://x.example/{i}", "title": f"T{i}", "text": words}))
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("workers", [1, 2])
def test_a_bad_record_stops_the_ingest_after_storing_every_record_before_it(tmp_path: Path, workers: int) -> None:
    store = SqliteStore(tmp_path / "i.sqlite")
    try:
        with pytest.raises(InputError, match=r"feed\.jsonl:23: field 'text' must be a string"):
            ingest(store, jsonl_lines(io.StringIO(_lines(60, bad=23)), "feed.jsonl"), parse=parse_jsonl,
                   workers=workers, batch_size=5)  # fmt: skip
        urls = {a.url for a in store.export()}
        assert urls == {f"https://x.example/{i}" for i in range(1, 23)}
    finally:
        store.close()


def test_commits_come_in_transactions_of_the_store_size_and_count_every_article(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "i.sqlite")
    commits: list[int] = []
    try:
        totals = ingest(store, jsonl_lines(io.StringIO(_lines(57)), "f"), parse=parse_jsonl, workers=2,
                        batch_size=4, on_batch=commits.append)  # fmt: skip
        assert (totals.added, totals.merged) == (57, 0)
        assert store.stats().articles == 57
        # SQLite takes 20,000 at a time: the 15 batches of 4 land in one transaction
        assert commits == [57]
        again = ingest(store, jsonl_lines(io.StringIO(_lines(57)), "f"), parse=parse_jsonl, workers=2, batch_size=4)
        assert (again.added, again.merged) == (0, 57)
    finally:
        store.close()
