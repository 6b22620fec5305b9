"""Where a text presents someone's words: quotations, statements after a cue, quotes across paragraphs."""

from __future__ import annotations

import pytest

from provenance.speech import speech_spans


def spoken(text: str) -> list[str]:
    return [text[s:e] for s, e in speech_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('The mayor said "we will rebuild" on Monday.', ['"we will rebuild"']),
        ("She said “the work is done,” and left.", ["“the work is done,”"]),
        ("It's the crew's bridge, not the council's.", []),
        (
            "The statement read: We thank every family for their patience.",
            ["We thank every family for their patience."],
        ),
        ("Officials told reporters: the road is open again.", ["the road is open again."]),
        ("The mayor said the road was open.", []),  # reported speech, no cue and colon
        ("'We are deeply touched by you,' the family said.", ["'We are deeply touched by you,'"]),
        ("It's the workers' union's call, she said.", []),  # apostrophes, not single quotations
        ("She sang ‘Respect’ and said ‘we will rebuild it’ then.", ["‘we will rebuild it’"]),
    ],
)
def test_speech_in_a_paragraph(text: str, expected: list[str]) -> None:
    assert spoken(text) == expected


def test_a_quotation_left_open_runs_to_the_end_of_its_paragraph() -> None:
    text = "“We have lost the rock of our family. She was everything to us.\n\nThe funeral is on Friday."
    assert spoken(text) == ["“We have lost the rock of our family. She was everything to us."]


def inside(text: str, phrase: str) -> bool:
    """Whether every character of `phrase` (found in `text`) lies in someone's words."""
    start = text.index(phrase)
    return all(any(s <= i < e for s, e in speech_spans(text)) for i in range(start, start + len(phrase)))


def test_a_paragraph_that_closes_a_quotation_continues_one_from_the_last() -> None:
    # A quote split across paragraphs by the page's markup: the second half starts without a mark.
    text = 'Sivan said: "The descent was as planned.\n\nThen the signal was lost," he said. "We are analysing."'
    assert inside(text, "The descent was as planned.")
    assert inside(text, "Then the signal was lost,")
    assert not inside(text, "he said.")
    assert inside(text, "We are analysing.")


def test_a_cue_ending_its_paragraph_makes_the_next_paragraph_speech() -> None:
    text = "In a statement, the family said:\n\nWe are grateful for your prayers.\n\nShe died on Tuesday."
    assert spoken(text) == ["We are grateful for your prayers."]


def test_long_runs_of_quote_marks_and_cues_are_linear() -> None:
    text = ('"' * 20000) + ("said " * 5000) + ":" * 5000
    assert len(speech_spans(text)) > 0
