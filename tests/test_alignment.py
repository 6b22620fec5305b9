"""Ordered sentence alignment: a rewrite follows its source sentence by sentence; reports of one event do not."""

from __future__ import annotations

from itertools import pairwise

from provenance import check
from provenance.alignment import MIN_SIMILARITY, align, sentences
from provenance.model import Match
from provenance.origin.relation import is_rewrite
from tests.support.paths import FAMILY, FIXTURES


def match(article: str, candidate: str) -> Match:
    return check(article, [candidate]).matches[0]


def test_a_rewrite_aligns_in_order_with_its_source() -> None:
    m = match(str(FAMILY / "rewrite.html"), str(FAMILY / "original-a.html"))
    pairs = m.alignment.pairs
    assert is_rewrite(m)
    assert all(p.similarity >= MIN_SIMILARITY for p in pairs)
    assert all(a.article_start < b.article_start and a.candidate_start < b.candidate_start for a, b in pairwise(pairs))


def test_an_independent_report_of_the_event_is_no_rewrite() -> None:
    assert not is_rewrite(match(str(FAMILY / "independent.html"), str(FAMILY / "original-a.html")))
    wire = FIXTURES / "wire-family"
    m = match(str(wire / "report-gazette.html"), str(wire / "report-herald.html"))
    assert not is_rewrite(m)
    assert len(m.alignment.pairs) < 4  # the same names and figures, in sentences of their own


def test_a_sentence_split_in_two_still_aligns_with_its_source() -> None:
    source = "The council approved the new harbour budget of 4 million after a long evening debate."
    split = "After a long evening debate, the council voted. It approved the harbour budget of 4 million."
    alignment = align(sentences(split, []), sentences(source, []))
    assert len(alignment.pairs) == 1


def test_different_figures_keep_similar_sentences_apart() -> None:
    one = "The storm destroyed 40 homes along the northern coast on Sunday night."
    other = "The storm destroyed 75 homes along the northern coast on Sunday night."
    assert align(sentences(one, []), sentences(other, [])).pairs == ()


def test_sentences_that_are_someones_words_are_left_out() -> None:
    text = "The mayor spoke at noon. We will rebuild every home that the water took from us this week."
    speech = [(text.index("We"), len(text))]
    assert [text[s.start : s.end] for s in sentences(text, speech)] == ["The mayor spoke at noon."]
    assert len(sentences(text, [])) == 2
