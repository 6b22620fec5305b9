"""Credit lines and bylines: every way a page names where its text came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from provenance.extract.chrome import drop_repeats, strip_chrome
from provenance.extract.credits import find_credits, parse_byline
from provenance.model import Credit, Link
from provenance.publishers import bundled

FIXTURES = Path(__file__).parent.parent / "fixtures"
REGISTRY = bundled()
BODY = [
    "The mayor opened the new harbour wall on Monday after two years of work.",
    "Residents welcomed the decision and said it was long overdue.",
]


def _credits(paragraphs: list[str], links: dict[int, list[Link]] | None = None) -> tuple[list[int], list[Credit]]:
    return find_credits(paragraphs, links or {}, REGISTRY)


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("3.5K By Obiaks Blog", "Obiaks Blog"),
        ("By Maria Keane", "Maria Keane"),
        ("BY: John Smith", "John Smith"),
        ("by  Maria Keane |", "Maria Keane"),
        ("47 by Jane Doe", "Jane Doe"),
    ],
)
def test_parse_byline_extracts_name(line: str, name: str) -> None:
    assert parse_byline(line) == name


@pytest.mark.parametrize(
    "line",
    [
        "Bystanders gathered",
        "Byline",
        "Written by nobody in particular",
        "By " + " ".join(["word"] * 12),  # too long to be a name
    ],
)
def test_parse_byline_rejects_non_bylines(line: str) -> None:
    assert parse_byline(line) is None


def test_parse_byline_rejects_sentence_starting_with_by() -> None:
    assert parse_byline("By Tuesday evening, the storm had passed.") is None


def test_trailing_bare_outlet_line_is_a_credit_removed_from_body() -> None:
    body, credits = _credits([*BODY, "BBC"])
    assert body == [0, 1]
    assert [(c.name, c.text, c.kind, c.link) for c in credits] == [("BBC", "BBC", "bare-line", None)]


@pytest.mark.parametrize(
    ("line", "kind", "name"),
    [
        ("Source: Northshore Gazette", "source", "Northshore Gazette"),
        ("Source - Reuters.", "source", "Reuters"),
        ("Credit: Reuters", "credit", "Reuters"),
        ("Culled from Punch", "culled", "Punch"),
        ("Via The Guardian", "via", "The Guardian"),
        ("Courtesy of Harbour Wire Service", "courtesy", "Harbour Wire Service"),
        ("Originally published by Northshore Gazette", "originally-appeared", "Northshore Gazette"),
    ],
)
def test_labelled_credit_line_is_a_credit_removed_from_body(line: str, kind: str, name: str) -> None:
    body, credits = _credits([*BODY, line])
    assert body == [0, 1]
    assert len(credits) == 1
    assert (credits[0].kind, credits[0].name, credits[0].text) == (kind, name, line)
    assert credits[0].link is None


def test_wire_dateline_is_a_credit_and_paragraph_stays_in_body() -> None:
    lede = "LONDON (Reuters) - The mayor opened the new harbour wall on Monday."
    body, credits = _credits([lede, BODY[1]])
    assert body == [0, 1]
    assert credits == [Credit("Reuters", lede, "dateline", None, 0)]


@pytest.mark.parametrize("dash", ["-", "–", "—"])
def test_trailing_wire_credit_is_a_credit_and_paragraph_stays(dash: str) -> None:
    last = f"Officials said more work would follow. {dash} AP"
    body, credits = _credits([*BODY, last])
    assert body == [0, 1, 2]
    assert [(c.name, c.kind, c.position) for c in credits] == [("AP", "dateline", 2)]


def test_originally_appeared_sentence_is_a_credit() -> None:
    last = "Residents were pleased. this article originally appeared on The Guardian."
    body, credits = _credits([*BODY, last])
    assert body == [0, 1, 2]
    assert [(c.name, c.kind, c.position) for c in credits] == [("The Guardian", "originally-appeared", 2)]


def test_capitalised_originally_appeared_sentence_is_a_credit() -> None:
    _, credits = _credits([*BODY, "This article originally appeared on The Guardian."])
    assert [(c.name, c.kind) for c in credits] == [("The Guardian", "originally-appeared")]


def test_outlet_reported_is_a_credit_in_body() -> None:
    first = "The New York Times reported that the mayor opened the wall on Monday."
    body, credits = _credits([first, *BODY])
    assert body == [0, 1, 2]
    assert [(c.name, c.kind, c.position) for c in credits] == [("New York Times", "reported", 0)]
    assert REGISTRY.by_name(credits[0].name) is REGISTRY.by_name("The New York Times")


def test_according_to_outlet_is_a_credit() -> None:
    _, credits = _credits([*BODY, "According to the BBC, talks resumed on Friday."])
    assert [(c.name, c.kind) for c in credits] == [("BBC", "according-to")]


def test_according_to_a_reporter_of_an_outlet_is_not_a_credit() -> None:
    para = "According to a BBC reporter in Seoul, Mr Moon sees himself as a mediator between the two sides."
    body, credits = _credits([*BODY, para, "Talks are expected to resume next month."])
    assert body == [0, 1, 2, 3]
    assert credits == []


@pytest.mark.parametrize(
    "last",
    [
        "Both sides have also blamed each other for stalling negotiations.",
        "The council will meet again next week",  # no full stop, but too long for a bare credit
        "The press left.",  # names a newsroom word but is a sentence
        "Talks resume in March",  # short, unpunctuated, no outlet in it
    ],
)
def test_ordinary_last_sentence_is_not_a_bare_credit(last: str) -> None:
    body, credits = _credits([*BODY, last])
    assert body == [0, 1, 2]
    assert credits == []


@pytest.mark.parametrize("last", ["Daily life goes on", "Then the sun set"])
def test_unpunctuated_last_sentence_with_newsroom_word_is_not_a_credit(last: str) -> None:
    body, credits = _credits([*BODY, last])
    assert body == [0, 1, 2]
    assert credits == []


def test_credit_takes_link_in_its_paragraph() -> None:
    links = {2: [Link("https://www.northshore-gazette.example/a", "Northshore Gazette", 2)]}
    _, credits = _credits([*BODY, "Source: Northshore Gazette"], links)
    assert credits[0].link == "https://www.northshore-gazette.example/a"


def test_credit_prefers_link_whose_text_names_the_outlet() -> None:
    links = {
        2: [
            Link("https://example.com/share", "share this", 2),
            Link("https://www.northshore-gazette.example/a", "the Northshore Gazette story", 2),
        ]
    }
    _, credits = _credits([*BODY, "Source: Northshore Gazette"], links)
    assert credits[0].link == "https://www.northshore-gazette.example/a"


def test_credit_does_not_take_links_from_other_paragraphs() -> None:
    links = {0: [Link("https://www.northshore-gazette.example/a", "Northshore Gazette", 0)]}
    _, credits = _credits([*BODY, "Source: Northshore Gazette"], links)
    source = [c for c in credits if c.kind == "source"]
    assert len(source) == 1
    assert source[0].link is None


def test_link_to_known_publisher_is_a_credit() -> None:
    links = {1: [Link("https://www.bbc.co.uk/news/world-123", "reported earlier", 1)]}
    body, credits = _credits(BODY, links)
    assert body == [0, 1]
    assert credits == [Credit("BBC News", "reported earlier", "link", "https://www.bbc.co.uk/news/world-123", 1)]


def test_inline_credit_position_is_its_paragraph_index_in_body() -> None:
    # the label line before it is removed, so the dateline paragraph is body[1]
    paras = [BODY[0], "Source: Reuters", "PARIS (AFP) - Talks resumed on Friday.", BODY[1]]
    body, credits = _credits(paras)
    assert body == [0, 2, 3]
    dateline = [c for c in credits if c.kind == "dateline"]
    assert [(c.name, c.position) for c in dateline] == [("AFP", 1)]


@pytest.mark.parametrize(
    ("paragraphs", "after"),
    [
        ([*BODY, "BBC"], 1),
        ([BODY[0], "Source: Reuters", BODY[1]], 0),
    ],
    ids=["trailing", "between"],
)
def test_standalone_credit_position_is_paragraph_it_follows(paragraphs: list[str], after: int) -> None:
    body, credits = _credits(paragraphs)
    assert [c.position for c in credits] == [after]
    assert credits[0].position is not None
    assert credits[0].position < len(body)


def test_seed_page_credits_bbc_once_on_a_bare_line() -> None:
    lines = [
        line for line in (FIXTURES / "seed" / "obiaks-kim-jong-un-letter.txt").read_text().splitlines() if line.strip()
    ]
    body = lines[3:]
    kept = strip_chrome(body)
    unique, _ = drop_repeats([body[i] for i in kept])
    paragraphs = [body[kept[i]] for i in unique]
    assert paragraphs[-1] == "BBC"
    stays, credits = find_credits(paragraphs, {}, REGISTRY)
    # the bare "BBC" line is the only credit: the "According to a BBC
    # reporter in Seoul" sentence is reporting, not a credit
    assert [(c.name, c.kind) for c in credits] == [("BBC", "bare-line")]
    assert stays == list(range(len(paragraphs) - 1))


def test_originally_published_name_stops_at_the_full_stop():
    from provenance.extract.credits import find_credits
    from provenance.publishers import bundled

    para = "This article was originally published by Futurism. Read the original article."
    _, credits = find_credits(["Body text of the story goes here.", para], {}, bundled())
    assert [c.name for c in credits] == ["Futurism"]


def test_a_parenthesis_before_a_colon_is_not_a_wire_dateline():
    from provenance.extract.credits import find_credits
    from provenance.publishers import bundled

    _, credits = find_credits(["Astronaut (NR): Jaden Siemans 7 saves.", "More text follows here."], {}, bundled())
    assert credits == []
