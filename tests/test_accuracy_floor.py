"""An accuracy floor on planted reuse (benchmarks/accuracy/planted.py): a regression in the scores,
the relation thresholds or the origin evidence fails here, not only in a benchmark run.

Fast (64 generated cases, two of every kind) and needs no data from outside the repository.
"""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.accuracy.planted import (
    KINDS,
    TARGETS,
    generate,
    meets_targets,
    own,
    render,
    run,
    tagged,
    true_share,
)

CASES = 64
SEED = 20261128


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    return run(SEED, CASES)


def test_every_kind_is_planted(result: dict[str, Any]) -> None:
    assert set(result["kinds"]) == set(KINDS)


def test_planted_accuracy_stays_within_targets(result: dict[str, Any]) -> None:
    met = meets_targets(result)
    assert all(met.values()), render(result)
    assert result["origin_accuracy"] >= TARGETS["origin_accuracy"]
    assert result["relation_accuracy"] >= TARGETS["relation_accuracy"]
    assert result["copied_share_mae"] <= TARGETS["copied_share_mae"]
    assert result["independent_as_copy"] == 0


def test_generation_is_deterministic() -> None:
    first = [(c.kind, c.article.paragraphs, c.copied_share) for c in generate(6, seed=3)]
    again = [(c.kind, c.article.paragraphs, c.copied_share) for c in generate(6, seed=3)]
    assert first == again


def test_true_share_counts_shingles_of_consecutive_origin_tokens() -> None:
    origin = tagged("o", ["one two three four five six seven eight nine ten", "alpha beta gamma delta epsilon zeta"])
    # the first paragraph whole: 10 tokens, 6 shingles, all the origin's
    assert true_share(origin[:1], "o") == 1.0
    # origin paragraphs in the other order: the 4 shingles across the join are the copy's own
    swapped = [origin[1], origin[0]]
    assert true_share(swapped, "o") == pytest.approx((2 + 6) / 12)
    # an own paragraph in front adds its shingles and 4 across the join
    mixed = [*own(["mine is this short line"]), origin[0]]
    assert true_share(mixed, "o") == pytest.approx(6 / (1 + 4 + 6))
    # a word changed in the middle breaks the 5 shingles that hold it
    edited = [[(w, t) if w != "five" else ("FIVE", None) for w, t in origin[0]]]
    assert true_share(edited, "o") == pytest.approx(1 / 6)
