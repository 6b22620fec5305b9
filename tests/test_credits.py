"""Credit lines and bylines: every way a page names where its text came from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from provenance.cli import main
from provenance.extract.bylines import byline_credits, byline_wire, parse_byline
from provenance.extract.chrome import drop_repeats, strip_chrome
from provenance.extract.credits import find_credits, opens_with_credit, stamped_credit
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


# --- wire credits: datelines, bylines, footers, release headers --------------------------------------

LEDE = "the council voted on Monday to close two branch libraries for repairs."


@pytest.mark.parametrize(
    ("first", "name"),
    [
        ("TORONTO (AP) -Raptors guard Milo Brandt scored 31 points.", "AP"),
        ("TORONTO (AP) Raptors guard Milo Brandt scored 31 points.", "AP"),
        ("(AP) NEW YORK - A city " + LEDE, "AP"),
        ("NEW DELHI, Sept 7 (Reuters) - The city " + LEDE, "Reuters"),
        ("BEIJING, Jan. 3 (Xinhua) -- The city " + LEDE, "Xinhua"),
        ("PARIS (AFP) — The city " + LEDE, "AFP"),
        ("(CNN)The city " + LEDE, "CNN"),
        ("(CNN) — The city " + LEDE, "CNN"),
        ("LONDON, March 14 (PA) - The city " + LEDE, "PA"),
        ("LIMA, Peru (AP) — The city " + LEDE, "AP"),
        ("SALEM, Ore. (AP) — The city " + LEDE, "AP"),
        ("WASHINGTON (UPI) -- The city " + LEDE, "UPI"),
        ("(Bloomberg) -- The city " + LEDE, "Bloomberg"),
        ("LAS VEGAS--(Business Wire)--Today, Corvane Systems announced a partnership.", "Business Wire"),
        ("LAS VEGAS--(BUSINESS WIRE)--Corvane Systems announced a partnership today.", "BUSINESS WIRE"),
        ("NEW YORK, Jan. 5, 2020 /PRNewswire/ -- Corvane Systems announced a partnership.", "PRNewswire"),
        ("CHICAGO, June 1, 2021 /PRNewswire-FirstCall/ -- Corvane Systems announced it.", "PRNewswire"),
        ("OSLO, Norway, Feb. 2, 2021 (GLOBE NEWSWIRE) -- Corvane Systems announced it.", "GLOBE NEWSWIRE"),
        ("ANKARA (AA) – The city " + LEDE, "AA"),
        ("AUCKLAND, New Zealand (TNS) — The city " + LEDE, "TNS"),  # an agency the registry lacks
    ],
)
def test_dateline_forms_credit_the_wire_and_the_paragraph_stays(first: str, name: str) -> None:
    body, credits = _credits([first, *BODY])
    assert body == [0, 1, 2]
    assert [(c.name, c.kind, c.position) for c in credits] == [(name, "dateline", 0)]


def test_a_dateline_inside_a_flattened_paragraph_after_a_caption_is_found() -> None:
    para = (
        "Crowds gather outside the hall on Tuesday. (Xinhua/Osei Lindqvist) HARBOURTON, April 11 (Xinhua) -- The city "
        + LEDE
    )
    _, credits = _credits([para, *BODY])
    assert [(c.name, c.kind) for c in credits] == [("Xinhua", "dateline")]


@pytest.mark.parametrize(
    ("last", "name"),
    [
        ("Officials said more work would follow. — AP", "AP"),
        ("Officials said more work would follow. --IANS", "IANS"),
        ("Officials said more work would follow. (Reuters)", "Reuters"),
        ("Officials said more work would follow, she said.PTI HV LKT SA", "PTI"),
        ("Officials said more work would follow. dpa", "dpa"),
    ],
)
def test_a_wire_after_the_last_sentence_is_a_dateline(last: str, name: str) -> None:
    _, credits = _credits([*BODY, last])
    assert [(c.name, c.kind, c.position) for c in credits] == [(name, "dateline", 2)]


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("By DANA MORROW AP Television Writer", "AP"),
        ("By DANA MORROW, AP Medical Writer", "AP"),
        ("By The Associated Press", "The Associated Press"),
        ("By Reuters", "Reuters"),
        ("By Reuters Staff", "Reuters"),
        ("By Press Association", "Press Association"),
        ("By KIM SOO-AH and LEE JI-HO (Associated Press)", "Associated Press"),
        ("By Ines Marlow, Osei Lindqvist, Associated Press", "Associated Press"),
    ],
)
def test_a_byline_naming_a_wire_is_a_byline_credit_taken_out_of_the_body(line: str, name: str) -> None:
    body, credits = _credits(["Harbour fares rise", line, *BODY])
    assert body == [0, 2, 3]
    assert [(c.name, c.kind, c.text) for c in credits] == [(name, "byline", line)]


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Associated Press", "Associated Press"),
        ("AFP", "AFP"),
        ("Ines Marlow, The Associated Press", "The Associated Press"),
        ("AFP, LAGOS", "AFP"),
    ],
)
def test_a_byline_without_by_at_the_top_is_a_byline_credit(line: str, name: str) -> None:
    body, credits = _credits([line, *BODY, "Talks are expected to resume next month."])
    assert body == [1, 2, 3]
    assert [(c.name, c.kind) for c in credits] == [(name, "byline")]


def test_a_byline_flattened_into_the_text_is_found() -> None:
    para = "Apr 15 Ferry fares rise By Ines Marlow, Osei Lindqvist, Associated Press The city " + LEDE
    _, credits = _credits([para, *BODY])
    assert [(c.name, c.kind) for c in credits] == [("Associated Press", "byline")]


@pytest.mark.parametrize(
    ("line", "kind", "name"),
    [
        ("07/01/2008 20:12:00 Business Wire", "dateline", "Business Wire"),
        ("Source: Xinhua| 2019-01-03 12:15:36|", "source", "Xinhua"),
        ("Source: Business Wire", "source", "Business Wire"),
    ],
)
def test_a_release_header_line_is_a_credit_taken_out_of_the_body(line: str, kind: str, name: str) -> None:
    body, credits = _credits([line, *BODY, "Talks are expected to resume next month."])
    assert body == [1, 2, 3]
    assert [(c.name, c.kind) for c in credits] == [(name, kind)]


def test_reuters_footer_is_a_footer_credit_and_stays_in_the_body() -> None:
    footer = "(Reporting by Asha Verma in Bengaluru; Editing by Tom Hale)"
    body, credits = _credits([*BODY, footer])
    assert body == [0, 1, 2]
    assert [(c.name, c.kind, c.position) for c in credits] == [("Reuters", "footer", 2)]


WIRE_ALIASES = [(p.name, alias) for p in REGISTRY.publishers if p.wire for alias in (p.name, *p.aliases)]


@pytest.mark.parametrize(("wire", "alias"), WIRE_ALIASES)
def test_every_wire_alias_in_the_registry_gets_every_form(wire: str, alias: str) -> None:
    forms = {
        "dateline": f"HARBOURTON ({alias}) - The city {LEDE}",
        "credit-first": f"({alias}) HARBOURTON - The city {LEDE}",
        "no-dash": f"HARBOURTON, May 2 ({alias}) The city {LEDE}",
        "byline": f"By Ines Marlow, {alias}",
        "byline-job": f"By INES MARLOW {alias} Staff Writer",
    }
    for form, line in forms.items():
        _, credits = _credits([line, *BODY])
        named = [REGISTRY.by_name(c.name) for c in credits]
        assert [p.name if p else None for p in named] == [wire], (form, line, credits)


def test_a_wire_added_by_the_user_gets_the_same_forms() -> None:
    registry = REGISTRY.extended([{"name": "Meridian Wire", "aliases": ["MWire"], "wire": True}])
    lines = [
        "HARBOURTON (Meridian Wire) - The city " + LEDE,
        "(MWire) HARBOURTON - The city " + LEDE,
        "By INES MARLOW Meridian Wire Correspondent",
        "The city " + LEDE + " MWire",
    ]
    for line in lines:
        assert find_credits([line, *BODY], {}, REGISTRY)[1] == [], line
        _, credits = find_credits([line, *BODY], {}, registry)
        assert [registry.by_name(c.name) for c in credits] == [registry.by_name("Meridian Wire")], line


@pytest.mark.parametrize(
    "para",
    [
        "“We have waited two years for this,” she told The Associated Press.",
        "The mayor said in an interview with Reuters that the work would take a year.",
        "At least 40 people died, according to AFP tallies.",
        "At least 40 people died, according to an AFP count of official figures.",
        "At least 40 people died, according to AP reporters at the scene.",
        "Bystanders gathered by the harbour.",
        "Astronaut (NR): Jaden Siemans 7 saves.",
        "June 3, 2018 (HARBOURTON) - The city " + LEDE,  # a place in brackets after a date
        "Click-Through Rates (CTR) – This measures the share of readers who click.",
        "Crowds on the quay in Harbourton, May 9, 2020. -Reuters",  # a photo credit under a caption
        "Crowds on the quay, June 2, 2019. AFP",
        "Crowds on the quay, June 2, 2019. (AFP)",
        "Should I call him first? -- WORRIED IN HARBOURTON",  # a letter's signature
        "Pictured: the quay at dawn (AP Photo/Ines Marlow)",
        "The U.N. (UN) said the talks would resume.",
    ],
)
def test_prose_naming_a_wire_as_the_source_of_a_quote_or_a_count_credits_no_one(para: str) -> None:
    _, credits = _credits([*BODY, para, "Talks are expected to resume next month."])
    assert credits == []


@pytest.mark.parametrize("line", ["By Maria Keane", "By Harbour Daily staff", "By Ines Marlow, BBC News, Lagos"])
def test_a_byline_naming_people_or_a_newsroom_is_no_credit(line: str) -> None:
    # an outlet's name in a byline is most often the page's own newsroom: only wires are credits
    registry = REGISTRY.extended([{"name": "Harbour Daily", "domains": ["harbourdaily.example"]}])
    body, credits = find_credits(["Harbour fares rise", line, *BODY], {}, registry)
    assert credits == []
    assert body == [0, 1, 2, 3]


@pytest.mark.parametrize("line", ["By Ap Dhillon", "By Ani Kumar", "By Tuesday, Associated Press staff had left"])
def test_a_short_alias_inside_a_name_is_no_byline_credit(line: str) -> None:
    _, credits = _credits(["Harbour fares rise", line, *BODY])
    assert credits == []


def test_a_video_credit_under_a_caption_is_no_byline() -> None:
    caption = "Divers search the water near the harbour wall. (March 3)"
    _, credits = _credits([caption, "AP", *BODY, "Talks are expected to resume next month."])
    assert credits == []


def test_a_title_case_headline_naming_an_outlet_is_no_byline() -> None:
    assert not opens_with_credit("Council Sues Reuters Over Harbour Report", REGISTRY)
    assert opens_with_credit("BAGHDAD (AP) - The city " + LEDE, REGISTRY)
    assert opens_with_credit("Ines Marlow, The Associated Press", REGISTRY)


@pytest.mark.parametrize(
    ("byline", "credits"),
    [
        ("DANA MORROW AP Television Writer", [("AP", "byline")]),
        ("Ines Marlow, The Associated Press", [("The Associated Press", "byline")]),
        ("Maria Keane", []),
        ("Reuters", []),  # the page's own outlet
    ],
)
def test_byline_credits_name_the_wire_unless_it_is_the_page_s_own(byline: str, credits: list[tuple[str, str]]) -> None:
    found = byline_credits(byline, [], "Reuters", "https://www.reuters.com/world/x", REGISTRY)
    assert [(c.name, c.kind) for c in found] == credits


def test_byline_credits_skip_a_publisher_already_credited() -> None:
    known = [Credit("AP", "LONDON (AP) - ...", "dateline", None, 0)]
    assert byline_credits("Associated Press", known, None, None, REGISTRY) == [
        Credit("Associated Press", "Associated Press", "byline", None, 0)
    ]  # another name of the same wire is kept: rules match names through the registry
    assert byline_credits("AP", known, None, None, REGISTRY) == []


# --- no pattern hangs on a long run of its worst character ------------------------------------------

LONG = 20_000


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (" " * LONG, None),
        ("A" * LONG, None),
        ("A " * (LONG // 2), None),
        ("A." * (LONG // 2), None),
        ("AB " * (LONG // 3), None),
        ("(" * LONG, None),
        ("(AP" * (LONG // 3), "AP"),  # one "word" of capitals split at brackets: a byline of AP
        ("-" * LONG, None),
        ("—" * LONG, None),
        ("/" * LONG, None),
        ("/A" * (LONG // 2), None),
        ("By " + "Ann " * (LONG // 4), None),
        ("By " + "Ann Lee, " * (LONG // 9), None),
        ("ANN, " * (LONG // 5), None),
        ("1/1/1 " * (LONG // 6), None),
        ("according to " + "AFP " * (LONG // 4), None),
        ("Ann reports citing " + "A " * (LONG // 2), None),
        ("(text by " + "A " * (LONG // 2), None),
        ("x." + " AP" * (LONG // 3), None),
        ("HARBOURTON, " + "May 2 " * (LONG // 6), None),
        ("Source: a" + " " * LONG + "b", None),
        ("By a" + " " * LONG + "b", None),
    ],
    ids=lambda value: repr(value[:12]) if isinstance(value, str) else str(value),
)
def test_no_pattern_hangs_on_a_long_run_of_its_worst_character(text: str, found: str | None) -> None:
    body, credits = _credits([text, *BODY, "Talks are expected to resume next month."])
    line_credits = [(c.name, c.kind) for c in credits if c.kind != "according-to"]
    assert line_credits == ([(found, "byline")] if found else [])
    assert body == ([1, 2, 3] if found else [0, 1, 2, 3])
    assert parse_byline(text) is None
    assert stamped_credit(text, REGISTRY) is None
    assert opens_with_credit(text, REGISTRY) is bool(found)
    # as a byline from metadata (its first 300 characters): a name with nothing after it is a byline's end
    assert byline_wire(text, REGISTRY) == {"(AP": "AP", "acc": "AFP", "x. ": "AP"}.get(text[:3])


# --- what `provenance check FILE --format json` reports for pages showing each form -----------------

CREDIT_FIXTURES = FIXTURES / "credits"
EXPECTED = {
    form: [tuple(credit) for credit in credits]
    for form, credits in json.loads((CREDIT_FIXTURES / "expected.json").read_text(encoding="utf-8")).items()
    if not form.startswith("_")
}
PAGES = sorted(p for p in CREDIT_FIXTURES.iterdir() if p.suffix in (".txt", ".html"))


def _check(page: Path, *options: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, [*options, "check", str(page), "--format", "json"])
    assert result.exit_code == 0, result.output  # nothing copied: no gap
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_every_credit_fixture_has_a_text_and_an_html_page_and_an_expectation() -> None:
    assert {(p.stem, p.suffix) for p in PAGES} == {(form, s) for form in EXPECTED for s in (".txt", ".html")}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_check_reports_the_credit_the_page_shows(page: Path) -> None:
    article = _check(page)["article"]
    assert [(c["name"], c["kind"]) for c in article["credits"]] == EXPECTED[page.stem]


@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_a_story_opening_with_its_dateline_keeps_it_in_the_body_not_as_the_headline(suffix: str) -> None:
    article = _check(CREDIT_FIXTURES / f"dateline-no-headline{suffix}")["article"]
    assert article["paragraphs"][0].startswith("BAGHDAD (AP) - ")
    assert not (article["title"] or "").startswith("BAGHDAD")


@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_a_wire_added_in_the_config_gets_the_dateline_form(suffix: str, tmp_path: Path) -> None:
    config = tmp_path / "provenance.toml"
    config.write_text('[[publishers]]\nname = "Meridian Wire"\nwire = true\n', encoding="utf-8")
    article = _check(CREDIT_FIXTURES / f"user-wire{suffix}", "--config", str(config))["article"]
    assert [(c["name"], c["kind"], c["position"]) for c in article["credits"]] == [("Meridian Wire", "dateline", 0)]
