"""Page chrome: widgets dropped, tail markers end the body, repeated blocks recorded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from provenance.extract.chrome import drop_repeats, is_tail_marker, is_widget, strip_chrome

FIXTURES = Path(__file__).parent.parent / "fixtures"

SENTENCES = [
    "More than 200 people were evacuated.",
    "Related charges were filed on Monday.",
    "More rain is expected in the north tomorrow.",
    "Comments from the mayor came later in the day.",
    "Share prices fell sharply after the announcement.",
    "Latest figures show 1,234 homes lost power.",
    "In 2018, the council approved the plan.",
    "Tags on the boats were checked by inspectors.",
]


@pytest.mark.parametrize(
    "line",
    [
        "3.5K",
        "47",
        "1,234 shares",
        "1.2M views",
        "12 comments",
        "Share",
        "share:",
        "Share this article",
        "Share on Facebook",
        "Tweet",
        "Print",
        "Advertisement",
        "Read more",
        "Follow us on Twitter",
        "© 2018 Obiaks Blog. All rights reserved.",
        "",
        "   ",
    ],
)
def test_counters_and_share_widgets_are_widgets(line: str) -> None:
    assert is_widget(line)


@pytest.mark.parametrize("line", ["Tweet 12", "Share 3.5K", "Share on Facebook 1,234"])
def test_widget_followed_by_its_counter_is_widget(line: str) -> None:
    assert is_widget(line)


@pytest.mark.parametrize("line", ["Share prices rose 12", "Print run of 5,000"])
def test_sentence_ending_in_number_is_not_widget(line: str) -> None:
    assert not is_widget(line)


@pytest.mark.parametrize("line", SENTENCES)
def test_ordinary_sentences_are_not_widgets(line: str) -> None:
    assert not is_widget(line)


@pytest.mark.parametrize("line", SENTENCES)
def test_ordinary_sentences_are_not_tail_markers(line: str) -> None:
    assert not is_tail_marker(line)


@pytest.mark.parametrize(
    "line",
    [
        "Related News",
        "Related",
        "RELATED STORIES",
        "Leave a comment...",
        "Leave a Reply",
        "12 Comments",
        "1 comment",
        "Comments (3)",
        "You may also like",
        "More from BBC News",
        "Tags: korea, trump",
    ],
)
def test_tail_markers_are_recognised(line: str) -> None:
    assert is_tail_marker(line)


def test_long_line_starting_like_a_marker_is_not_a_tail_marker() -> None:
    # a tail marker is a short heading, not a sentence that happens to start with "Related"
    assert not is_tail_marker("Related news from the region suggests the storm will return next week")


def test_strip_chrome_drops_widgets_and_stops_at_first_tail_marker() -> None:
    lines = [
        "The storm hit the coast on Monday.",  # 0
        "3.5K",  # 1 widget
        "Share",  # 2 widget
        "More than 200 people were evacuated.",  # 3
        "Related charges were filed on Monday.",  # 4
        "Related News",  # 5 tail marker: the article ends here
        "Another story about something else.",  # 6
        "Leave a comment...",  # 7
        "A comment from a reader.",  # 8
    ]
    assert strip_chrome(lines) == [0, 3, 4]


def test_strip_chrome_keeps_body_before_comment_count() -> None:
    lines = ["First paragraph.", "Second paragraph.", "12 Comments", "Great article!"]
    assert strip_chrome(lines) == [0, 1]


def test_tail_marker_before_any_body_does_not_end_the_article() -> None:
    # a "Related" navigation line above the article must not empty the body
    kept = strip_chrome(["Related", "The storm hit the coast on Monday.", "It rained all week."])
    assert kept[-2:] == [1, 2]


def test_drop_repeats_keeps_unique_paragraphs_in_order() -> None:
    kept, blocks = drop_repeats(["Alpha one.", "Beta two.", "Gamma three."])
    assert kept == [0, 1, 2]
    assert blocks == []


def test_drop_repeats_records_one_block_per_run() -> None:
    paras = ["Alpha one.", "Beta two.", "Gamma three.", "Beta two.", "Gamma three.", "Delta four."]
    kept, blocks = drop_repeats(paras)
    assert kept == [0, 1, 2, 5]
    assert len(blocks) == 1
    assert blocks[0].first_paragraph == 1  # "Beta two." is paragraph 1 of the kept body
    assert blocks[0].paragraphs == 2
    assert blocks[0].chars == len("Beta two.") + len("Gamma three.")


def test_drop_repeats_splits_non_consecutive_repeats_into_blocks() -> None:
    # "Alpha" then "Gamma" repeat, but not as a run of the original order
    paras = ["Alpha one.", "Beta two.", "Gamma three.", "Alpha one.", "Gamma three."]
    kept, blocks = drop_repeats(paras)
    assert kept == [0, 1, 2]
    assert [(b.first_paragraph, b.paragraphs) for b in blocks] == [(0, 1), (2, 1)]


def test_drop_repeats_treats_disguised_repeat_as_repeat() -> None:
    # the comparison key is the normalised text: case, curly quotes, look-alikes
    kept, blocks = drop_repeats(['He said "yes".', "Then he left.", "he said “yеs”."])
    assert kept == [0, 1]
    assert [(b.first_paragraph, b.paragraphs) for b in blocks] == [(0, 1)]


def test_drop_repeats_first_paragraph_counts_kept_paragraphs_only() -> None:
    # the repeat's first showing is the 3rd kept paragraph although it is
    # the 4th input line, because an earlier repeat was dropped
    paras = ["A one.", "B two.", "A one.", "C three.", "D four.", "C three.", "D four."]
    kept, blocks = drop_repeats(paras)
    assert kept == [0, 1, 3, 4]
    assert [(b.first_paragraph, b.paragraphs) for b in blocks] == [(0, 1), (2, 2)]


def test_seed_body_shown_twice_is_recorded_as_one_block() -> None:
    lines = [
        line for line in (FIXTURES / "seed" / "obiaks-kim-jong-un-letter.txt").read_text().splitlines() if line.strip()
    ]
    body = lines[3:]  # title, date line and "3.5K By Obiaks Blog" come first
    first = body[0]
    second_start = body.index(body[1], 2)  # the page shows the body again from paragraph 2
    tail = body.index("Related News")
    # what the fixture is: body, then the body again without its first paragraph
    assert body[second_start:tail] == body[1:second_start]
    assert first not in body[second_start:]

    kept_lines = strip_chrome(body)
    assert kept_lines == list(range(tail))  # the tail marker and comment box are cut
    kept, blocks = drop_repeats([body[i] for i in kept_lines])
    assert kept == list(range(second_start))
    assert len(blocks) == 1
    assert blocks[0].first_paragraph == 1
    assert blocks[0].paragraphs == tail - second_start
    assert blocks[0].chars == sum(len(p) for p in body[second_start:tail])
