"""Exact overlap between an article and a candidate: shares, Jaccard and aligned passages."""

from __future__ import annotations

import random

import pytest

from provenance.compare import compare, prepare
from provenance.model import Article, Candidate, Match, ShingleParams
from provenance.normalize import tokenize

PARAMS = ShingleParams()  # k = 5
K = PARAMS.size


def _words(rng: random.Random, n: int) -> str:
    # made-up words: shingles of different paragraphs practically never coincide
    return " ".join("".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3)) for _ in range(n))


def _paragraphs(seed: int, count: int, words: int = 50) -> tuple[str, ...]:
    rng = random.Random(seed)
    return tuple(_words(rng, words).capitalize() + "." for _ in range(count))


def _match(article: tuple[str, ...], candidate: tuple[str, ...]) -> tuple[Article, Article, Match]:
    a = Article(source="article", paragraphs=article)
    c = Article(source="candidate", paragraphs=candidate)
    match = compare(prepare(a, PARAMS), Candidate(c, "given", "test"), prepare(c, PARAMS), PARAMS)
    return a, c, match


def test_identical_texts_are_full_copies() -> None:
    paras = _paragraphs(1, 6)
    a, _, m = _match(paras, paras)
    assert m.jaccard == 1.0
    assert m.jaccard_estimate == 1.0
    assert m.copied_share == 1.0
    assert m.reproduced_share == 1.0
    assert m.unquoted_copied_share == 1.0
    assert len(m.passages) == 1
    # the passage runs from the first word to the last (the final "." is no word)
    assert m.passages[0].text == a.text.rstrip(".")


def test_unrelated_texts_share_nothing() -> None:
    _, _, m = _match(_paragraphs(1, 4), _paragraphs(2, 4))
    assert (m.jaccard, m.copied_share, m.reproduced_share) == (0.0, 0.0, 0.0)
    assert m.passages == ()


def test_article_of_three_candidate_paragraphs_is_a_partial_copy() -> None:
    words = 50
    candidate = _paragraphs(3, 12, words)
    article = candidate[4:7]
    _, _, m = _match(article, candidate)
    # The article's 3*50 tokens form 3*50 - (k-1) shingles, all found in the
    # candidate (the paragraphs are consecutive there too); the candidate has
    # 12*50 - (k-1) shingles. With made-up words all shingles are distinct.
    article_shingles = 3 * words - (K - 1)
    candidate_shingles = 12 * words - (K - 1)
    assert m.copied_share == 1.0
    assert m.reproduced_share == pytest.approx(article_shingles / candidate_shingles)
    assert m.reproduced_share == pytest.approx(0.25, abs=0.01)
    assert m.jaccard == pytest.approx(article_shingles / candidate_shingles)


def test_non_consecutive_paragraphs_copy_is_still_fully_copied() -> None:
    candidate = _paragraphs(4, 12)
    article = (candidate[1], candidate[5], candidate[9])
    _, _, m = _match(article, candidate)
    # shingles spanning the article's two joins are its own: 2*(k-1) of 3*50-(k-1)
    assert m.copied_share == pytest.approx(1 - 2 * (K - 1) / (3 * 50 - (K - 1)))
    assert len(m.passages) == 3


def test_passage_offsets_point_at_the_same_words_in_both_texts() -> None:
    candidate = _paragraphs(5, 12)
    own = _paragraphs(6, 2)
    article = (own[0], *candidate[2:5], own[1])
    a, c, m = _match(article, candidate)
    assert len(m.passages) == 1
    p = m.passages[0]
    assert a.text[p.article_start : p.article_end] == p.text
    assert tokenize(c.text[p.candidate_start : p.candidate_end]).words == tokenize(p.text).words
    # the copied run is exactly the three candidate paragraphs (up to the final ".")
    assert p.text == "\n\n".join(candidate[2:5]).rstrip(".")
    assert p.article_start == len(own[0]) + 2
    assert p.candidate_start == sum(len(x) + 2 for x in candidate[:2])
    assert p.length == p.article_end - p.article_start
    assert not p.quoted


def test_shared_quotation_only_is_not_an_unquoted_copy() -> None:
    quote = "“Nobody will be left without a home after this storm passes,”"
    article = (f"{_paragraphs(7, 1, 30)[0]} The mayor told reporters on Monday: {quote} he added.",)
    candidate = (f"{_paragraphs(8, 1, 30)[0]} Speaking at the town hall, {quote} said the official.",)
    _, _, m = _match(article, candidate)
    assert m.copied_share > 0
    assert m.unquoted_copied_share == 0
    assert len(m.passages) == 1
    assert m.passages[0].quoted
    assert m.passages[0].text == quote.strip("“”,")


def test_copied_text_around_a_quotation_counts_as_unquoted_copy() -> None:
    paras = _paragraphs(9, 2, 30)
    article = (f'{paras[0]} He said "we will rebuild the harbour wall" today. {paras[1]}',)
    _, _, m = _match(article, article)
    assert m.copied_share == 1.0
    assert 0 < m.unquoted_copied_share < 1.0


def test_one_word_edit_inside_copied_run_gives_one_merged_passage() -> None:
    original = _paragraphs(10, 1, 60)[0]
    words = original.split(" ")
    words[30] = "EDITED"
    a, _, m = _match((" ".join(words),), (original,))
    assert len(m.passages) == 1
    tokens = tokenize(a.text)
    # one passage from the first word to the last, spanning the edit
    assert (m.passages[0].article_start, m.passages[0].article_end) == (0, tokens.ends[-1])
    assert m.copied_share < 1.0


def test_two_copied_runs_far_apart_stay_separate_passages() -> None:
    candidate = _paragraphs(11, 6)
    filler = _paragraphs(12, 1, 30)[0]
    article = (candidate[0], filler, candidate[4])
    _, _, m = _match(article, candidate)
    assert len(m.passages) == 2
    assert [p.text for p in m.passages] == [candidate[0].rstrip("."), candidate[4].rstrip(".")]


def test_lookalike_disguised_copy_is_a_full_copy() -> None:
    plain = (
        'The harbour wall "held" through the storm - officials said the sea rose two metres.',
        "Residents didn't leave; the mayor's office said repairs would start on Monday.",
    )
    disguised = (
        "Тhе harbour wаll “held” thrоugh the ｓｔｏｒｍ – оfficiаls said the ｓｅａ rоsе twо metres.",
        "Rеsidents didn’t lea\u200bve; the mаyоr’s office said rеpаirs would start on Mоndаy.",
    )
    a, c, m = _match(disguised, plain)
    assert m.copied_share == 1.0
    assert m.reproduced_share == 1.0
    assert len(m.passages) == 1
    p = m.passages[0]
    # offsets show the disguised text as the page wrote it
    assert p.text == a.text[p.article_start : p.article_end]
    assert p.text.startswith("Тhе harbour")
    assert c.text[p.candidate_start : p.candidate_end].startswith("The harbour")


def test_short_shared_run_is_not_a_passage() -> None:
    # passages need at least k + 3 tokens; a shared 6-word run is too short
    shared = "the mayor opened the harbour wall"
    article = (f"{_paragraphs(13, 1, 20)[0]} {shared} {_paragraphs(14, 1, 20)[0]}",)
    candidate = (f"{_paragraphs(15, 1, 20)[0]} {shared} {_paragraphs(16, 1, 20)[0]}",)
    _, _, m = _match(article, candidate)
    assert m.copied_share > 0
    assert m.passages == ()


def test_empty_article_has_zero_shares() -> None:
    _, _, m = _match(("",), _paragraphs(17, 2))
    assert (m.jaccard, m.copied_share, m.reproduced_share, m.phrase_overlap) == (0.0, 0.0, 0.0, 0.0)
    assert m.passages == ()


@pytest.mark.parametrize(
    ("article", "candidate", "overlap"),
    [
        # only stopword pairs ("of the", "in the") are shared: nothing a rewrite keeps
        ("Walls of the harbour rose in the night", "Ships of the fleet sailed in the morning", 0.0),
        # pairs kept: the-harbour, harbour-wall, wall-held; "harbour wall" is shared
        ("The harbour wall held", "A harbour wall fell", 1 / 3),
        # every pair of a reworded sentence with the same names survives
        ("Mayor Keane praised", "Yesterday Mayor Keane praised crews", 1.0),
    ],
)
def test_phrase_overlap_counts_shared_content_word_pairs(article: str, candidate: str, overlap: float) -> None:
    _, _, m = _match((article,), (candidate,))
    assert m.phrase_overlap == pytest.approx(overlap)


def test_phrase_overlap_leaves_out_quoted_pairs() -> None:
    # the only shared pair lies inside a quotation, so it does not count
    _, _, m = _match(('Officials said "harbour wall" twice',), ("The harbour wall fell",))
    assert m.phrase_overlap == 0.0
