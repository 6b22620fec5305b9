"""An extraction floor on real pages it was not tuned on: every twelfth article of WCXB's development set
(60 of 709 pages, benchmarks/accuracy/extraction.py), scored with the article extraction benchmark's metric.

The pages are read in place from ../shared/data/wcxb-dev (or $PROVENANCE_DATA/wcxb-dev); without them the
tests skip, saying where they looked. About 20 s on two cores.
"""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.accuracy.extraction import DATA_ENV, WCXB, data_root, run_wcxb

EVERY = 12
# Measured on this sample (2026-11-28, trafilatura 2.3.1): provenance F1 0.936 (P 0.938, R 0.935),
# plain trafilatura.extract 0.924 in the same run. The floor leaves room for a library update.
F1_FLOOR = 0.92


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    data_dir = data_root()
    if not (data_dir / WCXB / "ground-truth").is_dir():
        pytest.skip(f"no WCXB development set at {data_dir / WCXB} (set {DATA_ENV} to the folder holding it)")
    return run_wcxb(data_dir, workers=2, every=EVERY)


def test_the_sample_is_the_fixed_one(result: dict[str, Any]) -> None:
    ids = [row["id"] for row in result["per_page"]]
    assert len(ids) == 60 and ids[:2] == ["0001", "0013"]


def test_extraction_f1_stays_above_its_floor(result: dict[str, Any]) -> None:
    assert result["provenance"]["f1"] >= F1_FLOOR, result["provenance"]


def test_no_page_is_left_empty_where_trafilatura_finds_text(result: dict[str, Any]) -> None:
    empty = [(row["id"], row["error"]) for row in result["per_page"] if row["error"] and row["trafilatura_found_text"]]
    assert empty == []
