"""HTML extraction: what precedes and follows the body, boxes inside it, bodies split in parts, repeats.

Pages under fixtures/extract/ run through trafilatura; the tests that need the extractor to return a
given text (to show what the page's structure then adds or removes) replace `_main_text`, the one
place trafilatura is called.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner

from provenance.cli import main
from provenance.extract import html as html_module
from provenance.extract.chrome import (
    REPEAT_MIN_CHARS,
    REPEAT_MIN_MEAN_CHARS,
    copyright_holder,
    drop_repeats,
    is_header_line,
    is_tail_marker,
    strip_chrome,
)
from provenance.extract.html import extract_html
from provenance.model import Article
from provenance.publishers import bundled

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "extract"
REGISTRY = bundled()

LEDE = "Storm Ilsa brought down power lines across the Marrow hills overnight, leaving four villages without light."
SECOND = "Engineers from the grid company reached the worst-hit lines at first light and expect to finish by Friday."
THIRD = "The council has opened the village hall at Brede as a warm space, with hot drinks and phone charging points."
FOURTH = "Schools in the four villages stay closed until Thursday, and the bus company runs a reduced timetable."
TEASER = "A new cycle path between Brede and the coast opens next spring after years of arguments over the route."


def _page(name: str) -> Article:
    path = FIXTURES / name
    return extract_html(str(path), path.read_text(encoding="utf-8"), REGISTRY)


def _check_json(path: Path) -> dict[str, Any]:
    """`provenance check PATH -f json`, as a user runs it."""
    result = CliRunner().invoke(main, ["check", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    article: dict[str, Any] = json.loads(result.stdout)["article"]
    return article


def _extracted_as(monkeypatch: pytest.MonkeyPatch, page: str, lines: list[str], url: str | None = None) -> Article:
    """The article from `page` when the main-text extractor returns `lines`."""
    doc = SimpleNamespace(text="\n".join(lines), title=None, author=None, date=None)
    monkeypatch.setattr(html_module, "_main_text", lambda html, url: doc)
    return extract_html("page.html", page, REGISTRY, url)


# --- what comes before the body -------------------------------------------------------------------


def test_kicker_headline_standfirst_byline_date_and_reading_time_are_not_body() -> None:
    article = _page("split-body.html")
    assert article.paragraphs[0].startswith("The Millbrook chain ferry carried its first passengers")
    assert len(article.paragraphs) == 8
    assert article.byline == "Hester Quayle"
    assert article.title == "Millbrook ferry returns after winter refit"


def test_description_repeated_by_the_first_paragraph_stays() -> None:
    # a standfirst is a heading; a <p> saying what the description says is the lede
    article = _page("lede-as-description.html")
    assert article.paragraphs[0].startswith("Night buses will run again on the Crossley route")
    assert len(article.paragraphs) == 3


HEADED_PAGE = f"""<html><head><title>Storm cuts power to hill villages</title></head><body>
<p class="kicker">Weather desk</p>
<h1>Storm cuts power to hill villages</h1>
<div class="body"><p>{LEDE}</p><p>{SECOND}</p><p>{THIRD}</p></div>
<aside><a href="/news/cycle-path"><p>{TEASER}</p></a></aside>
</body></html>"""


def test_what_the_page_shows_above_the_headline_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ["Weather desk", "Storm cuts power to hill villages", LEDE, SECOND, THIRD]
    assert _extracted_as(monkeypatch, HEADED_PAGE, lines).paragraphs == (LEDE, SECOND, THIRD)


def test_a_lede_the_extractor_put_above_the_headline_stays(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [LEDE, "Storm cuts power to hill villages", SECOND, THIRD]
    assert _extracted_as(monkeypatch, HEADED_PAGE, lines).paragraphs == (LEDE, SECOND, THIRD)


def test_prose_above_a_headline_placed_last_in_the_page_stays(monkeypatch: pytest.MonkeyPatch) -> None:
    page = f"""<html><body><div class="body"><p>{LEDE}</p><p>{SECOND}</p></div>
    <h1>Storm cuts power to hill villages</h1></body></html>"""
    lines = [LEDE, SECOND, "Storm cuts power to hill villages"]
    assert _extracted_as(monkeypatch, page, lines).paragraphs == (LEDE, SECOND)


def test_a_card_inside_a_link_is_not_body(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [TEASER, LEDE, SECOND, THIRD]
    assert _extracted_as(monkeypatch, HEADED_PAGE, lines).paragraphs == (LEDE, SECOND, THIRD)


@pytest.mark.parametrize(
    "line",
    [
        "12/03/2031 08:15",
        "2031-03-12",
        "Updated: Tue., Mar. 11, 2031",
        "5:45 AM PST 11/19/2031 by Ana Pell",
        "quarta-feira, 12 de março de 2031 às 20:13",
        "4 min read",
        "Tempo de leitura: 2 minutos",
        "By Hester Quayle",
        "Share",
    ],
)
def test_datelines_bylines_and_reading_times_are_header_lines(line: str) -> None:
    assert is_header_line(line)


@pytest.mark.parametrize(
    "line",
    [
        LEDE,
        "The ferry returned on 12 March 2031 after a refit that took the whole winter and most of the spring.",
        "Harbour lights switched off",
    ],
)
def test_sentences_and_headings_are_not_header_lines(line: str) -> None:
    assert not is_header_line(line)


# --- boxes inside the body ------------------------------------------------------------------------


def test_related_link_lines_go_and_the_text_after_a_more_label_stays() -> None:
    paragraphs = _page("boxes-in-body.html").paragraphs
    assert not any(p.startswith(("Related:", "More:")) for p in paragraphs)
    assert paragraphs[-3].startswith("The growers' cooperative has asked its members")
    # a sentence with a link in it is text
    assert paragraphs[-1].startswith("Readers can follow the harvest coverage")
    assert len(paragraphs) == 7


def test_a_linked_credit_line_is_not_taken_for_a_teaser(monkeypatch: pytest.MonkeyPatch) -> None:
    page = f"""<html><body><h1>Storm cuts power</h1><div class="body"><p>{LEDE}</p><p>{SECOND}</p>
    <p><a href="https://apnews.com/article/storm">The Associated Press</a></p></div></body></html>"""
    article = _extracted_as(monkeypatch, page, [LEDE, SECOND, "The Associated Press"])
    assert article.paragraphs == (LEDE, SECOND)
    assert [(c.name, c.kind) for c in article.credits] == [("The Associated Press", "bare-line")]


def test_words_the_extractor_dropped_from_a_sentence_are_put_back() -> None:
    # trafilatura's precision mode removes <span class="link">, leaving a hole in the sentence
    paragraphs = _page("inline-link-span.html").paragraphs
    assert paragraphs[1] == (
        "The waterways trust said on Friday that the survey found deeper damage than its first inspection had "
        "suggested, and that the work could not wait for the drier months as it had hoped."
    )


# --- bodies split in parts ------------------------------------------------------------------------


def test_a_body_split_between_ads_is_read_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    page = (FIXTURES / "split-body.html").read_text(encoding="utf-8")
    whole = _page("split-body.html").paragraphs
    # the extractor kept the middle part only: the page's structure gives the other two
    assert _extracted_as(monkeypatch, page, list(whole[3:6])).paragraphs == whole


def test_the_next_story_of_an_endless_page_is_not_taken_for_a_part_of_the_body(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    story = '<div class="story"><h1>{}</h1><div class="story__body"><p>{}</p><p>{}</p></div></div>'
    page = f"""<html><body><div class="feed">{story.format("Storm cuts power", LEDE, SECOND)}
    {story.format("Cycle path to open", TEASER, THIRD)}</div></body></html>"""
    assert _extracted_as(monkeypatch, page, [LEDE, SECOND]).paragraphs == (LEDE, SECOND)


def test_a_box_of_another_layout_is_not_taken_for_a_part_of_the_body(monkeypatch: pytest.MonkeyPatch) -> None:
    page = f"""<html><body><h1>Storm cuts power</h1>
    <div class="statement"><div class="wsw"><p>{TEASER}</p></div></div>
    <div id="story"><div class="wsw"><p>{LEDE}</p><p>{SECOND}</p><p>{THIRD}</p></div></div>
    </body></html>"""
    assert _extracted_as(monkeypatch, page, [LEDE, SECOND, THIRD]).paragraphs == (LEDE, SECOND, THIRD)


# --- what follows the body ------------------------------------------------------------------------


def test_teasers_under_a_you_may_like_heading_are_not_body() -> None:
    paragraphs = _page("teasers-after-heading.html").paragraphs
    assert len(paragraphs) == 2
    assert paragraphs[-1].startswith("O terreno, que antes servia")


def test_a_marker_heading_the_extractor_dropped_still_ends_the_article(monkeypatch: pytest.MonkeyPatch) -> None:
    page = f"""<html><body><h1>Storm cuts power</h1>
    <article class="story"><p>{LEDE}</p><p>{SECOND}</p>
    <h3>You may also like</h3><article class="teaser"><p>{TEASER}</p></article></article>
    </body></html>"""
    assert _extracted_as(monkeypatch, page, [LEDE, SECOND, TEASER]).paragraphs == (LEDE, SECOND)


def test_a_marker_heading_inside_the_story_does_not_end_it(monkeypatch: pytest.MonkeyPatch) -> None:
    page = f"""<html><body><h1>Storm cuts power</h1>
    <div class="story"><p>{LEDE}</p><h4>More:</h4><ul><li><a href="/x">Floods in the valley</a></li></ul>
    <p>{SECOND}</p><p>{THIRD}</p></div></body></html>"""
    assert _extracted_as(monkeypatch, page, [LEDE, "More:", SECOND, THIRD]).paragraphs == (LEDE, SECOND, THIRD)


@pytest.mark.parametrize(
    "line",
    ["Você pode gostar...", "Leia também", "Notícias relacionadas", "Te puede interesar", "À lire aussi",
     "Lesen Sie auch", "Leggi anche", "Deixe um comentário"],
)  # fmt: skip
def test_tail_markers_in_other_languages(line: str) -> None:
    assert is_tail_marker(line)


def test_a_tail_marker_followed_by_prose_does_not_end_the_text() -> None:
    # "More:" headed a box of links the extractor removed; the story goes on below it
    assert strip_chrome([LEDE, "More:", SECOND, THIRD]) == [0, 2, 3]
    assert strip_chrome([LEDE, "More:", SECOND]) == [0, 2]


def test_a_tail_marker_followed_by_headlines_ends_the_text() -> None:
    lines = [LEDE, SECOND, "Related", "Floods in the valley", "Harbour lights switched off", THIRD]
    assert strip_chrome(lines) == [0, 1]


# --- repeats --------------------------------------------------------------------------------------


def test_headings_that_recur_in_the_body_are_kept() -> None:
    paragraphs = _page("recurring-headings.html").paragraphs
    assert paragraphs.count("You will need") == 2
    assert paragraphs.count("Method") == 2


def test_short_recurring_runs_are_content_and_long_ones_a_repeat() -> None:
    long_run = [LEDE, SECOND, THIRD, FOURTH, TEASER]
    recipe = ["Ingredients", "Two carrots", "Method"]
    paragraphs = [*recipe, *long_run, *recipe, "Serve hot.", *long_run]
    kept, blocks = drop_repeats(paragraphs, REPEAT_MIN_CHARS, REPEAT_MIN_MEAN_CHARS)
    assert kept == list(range(12))
    assert [(b.first_paragraph, b.paragraphs, b.chars) for b in blocks] == [(3, 5, sum(map(len, long_run)))]


# --- trafilatura's modes --------------------------------------------------------------------------


def _fake_bare_extraction(precision_text: str, default_text: str) -> Any:
    def bare_extraction(html: str, favor_precision: bool = False, **options: Any) -> Any:
        return SimpleNamespace(text=precision_text if favor_precision else default_text, title=None)

    return bare_extraction


@pytest.mark.parametrize(
    ("precision_words", "default_words", "chosen"),
    [(400, 800, "precision"), (30, 400, "default"), (30, 100, "precision")],
)
def test_precision_mode_is_used_unless_it_found_next_to_nothing(
    monkeypatch: pytest.MonkeyPatch, precision_words: int, default_words: int, chosen: str
) -> None:
    import trafilatura

    precision, default = "precision " * precision_words, "default " * default_words
    monkeypatch.setattr(trafilatura, "bare_extraction", _fake_bare_extraction(precision, default))
    assert html_module._main_text("<html></html>", None).text.split()[0] == chosen


def _lines(word: str, count: int, words_each: int = 20) -> list[str]:
    return [" ".join(f"{word}{n}" for _ in range(words_each)) for n in range(count)]


@pytest.mark.parametrize(
    ("default_lines", "chosen"),
    [
        # the default mode read on past where precision mode stopped: the body's other sections
        (_lines("intro", 10) + _lines("section", 30), "intro0"),
        # three times as much, but another block of the page (a menu, a banner): precision stays
        (_lines("banner", 40), "intro0"),
        # more, but not several times more: precision mode's trims are kept
        (_lines("intro", 10) + _lines("section", 10), "intro0"),
    ],
)
def test_the_default_mode_wins_where_precision_mode_cut_the_body_short(
    monkeypatch: pytest.MonkeyPatch, default_lines: list[str], chosen: str
) -> None:
    import trafilatura

    precision = "\n".join(_lines("intro", 10))  # 200 words: not "next to nothing"
    default = "\n".join(default_lines)
    monkeypatch.setattr(trafilatura, "bare_extraction", _fake_bare_extraction(precision, default))
    text = html_module._main_text("<html></html>", None).text
    assert text.split()[0] == chosen
    assert (text == default) == (len(default_lines) == 40 and default_lines[0].startswith("intro"))


# --- links ----------------------------------------------------------------------------------------


def test_a_link_to_the_page_s_own_site_is_no_credit(monkeypatch: pytest.MonkeyPatch) -> None:
    first = "Storm Ilsa brought down power lines overnight, as our weather pages warned on Sunday."
    page = f"""<html><body><h1>Storm cuts power</h1><div class="body">
    <p>Storm Ilsa brought down power lines overnight, as <a href="https://www.bbc.co.uk/weather">our weather
    pages</a> warned on Sunday.</p><p>{SECOND}</p>
    <p>Source: <a href="https://www.reuters.com/world/storm">Reuters</a></p></div></body></html>"""
    lines = [first, SECOND, "Source: Reuters"]
    article = _extracted_as(monkeypatch, page, lines, url="https://www.bbc.co.uk/news/uk-1")
    reuters = "https://www.reuters.com/world/storm"
    assert [(c.name, c.kind, c.link) for c in article.credits] == [("Reuters", "source", reuters)]
    assert [link.href for link in article.links] == [reuters]


# --- copyright lines ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "holder"),
    [
        ("© 2031 The Associated Press. All rights reserved.", "The Associated Press"),
        ("Copyright (c) 2030-2031 Reuters", "Reuters"),
        ("© Valley Ledger 2031", "Valley Ledger 2031"),
        ("All rights reserved.", None),
    ],
)
def test_copyright_holder(line: str, holder: str | None) -> None:
    assert copyright_holder(line) == holder


WIRE_PAGE = f"""<html><body><h1>Storm cuts power</h1><div class="body"><p>{LEDE}</p><p>{SECOND}</p>
<p>© 2031 The Associated Press. All rights reserved. This material may not be published or rewritten.</p>
<p>© 2031 Valley Ledger. All rights reserved.</p></div></body></html>"""
WIRE_LINES = [
    LEDE,
    SECOND,
    "© 2031 The Associated Press. All rights reserved. This material may not be published or rewritten.",
    "© 2031 Valley Ledger. All rights reserved.",
]


def test_a_wire_s_copyright_line_is_a_credit_and_the_site_s_own_is_not(monkeypatch: pytest.MonkeyPatch) -> None:
    article = _extracted_as(monkeypatch, WIRE_PAGE, WIRE_LINES, url="https://www.valleyledger.example/news/1")
    assert article.paragraphs == (LEDE, SECOND)
    assert [(c.name, c.kind, c.position) for c in article.credits] == [("The Associated Press", "copyright", 1)]


def test_the_wire_s_own_copyright_line_credits_no_one(monkeypatch: pytest.MonkeyPatch) -> None:
    article = _extracted_as(monkeypatch, WIRE_PAGE, WIRE_LINES, url="https://apnews.com/article/storm")
    assert article.credits == ()


# --- pages the corrections used to empty or cut short ---------------------------------------------

BRIEF = (
    "Volunteers counting life in the tidal pools below Corrin Head found beadlet anemones in eleven pools this "
    "spring, up from three when the survey began, and the marine club that runs the count credits the end of "
    "bait digging on the north shore."
)


def test_a_page_whose_only_text_is_a_summary_inside_a_link_gives_that_text() -> None:
    # an aggregator's brief: the summary is a card to the full story, and the corrections used to take it
    # away with nothing left ("no article text found")
    article = _check_json(FIXTURES / "brief-in-link.html")
    assert article["paragraphs"] == [BRIEF]


def test_text_that_chrome_would_take_whole_is_kept_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    # a page is better read with its chrome in than not read at all
    page = "<html><body><h1>Gallery</h1><p>Share this story</p><p>Advertisement</p></body></html>"
    lines = ["Share this story", "Advertisement"]
    assert _extracted_as(monkeypatch, page, lines).paragraphs == tuple(lines)


def test_a_more_heading_over_a_folded_part_of_the_body_does_not_end_it() -> None:
    paragraphs = _page("folded-section.html").paragraphs
    assert paragraphs[-1].startswith("A decision on the new site is expected")
    assert any(p.startswith("The review also looked at half plots") for p in paragraphs)
    assert "More" not in paragraphs
    assert not any("Seed swap" in p or "compost bins" in p for p in paragraphs)
    assert len(paragraphs) == 9


def test_a_heading_the_menu_also_shows_does_not_place_the_menu_s_markers_in_the_body() -> None:
    # "Permits and inspections" is first shown in the menu, above its "Categories" heading
    paragraphs = _page("menu-heading-in-body.html").paragraphs
    assert paragraphs[2] == "Permits and inspections"
    assert paragraphs[-1].startswith("Building control inspects")
    assert len(paragraphs) == 6


def test_the_empty_cells_of_a_table_do_not_place_the_menu_s_markers_in_the_body(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # what trafilatura gave for such a table on a real page: its row, with the promo in it removed
    page = (FIXTURES / "empty-table-row.html").read_text(encoding="utf-8")
    body = list(_page("empty-table-row.html").paragraphs)
    lines = ["How long does a loft conversion take?", *body[:2], "|  |  | ", *body[2:]]
    assert len(body) == 5
    assert _extracted_as(monkeypatch, page, lines).paragraphs == tuple(body)


def test_a_linked_heading_over_prose_is_a_section_heading_not_a_teaser() -> None:
    paragraphs = _page("linked-headings.html").paragraphs
    assert paragraphs[1::2] == ("1. Wren D2 mics", "2. Kestrel mics", "3. Heron lapels")
    assert len(paragraphs) == 7


# --- XHTML and other XML --------------------------------------------------------------------------


def test_an_xhtml_page_is_read_whole_and_nothing_but_the_report_is_printed() -> None:
    # a process of its own, with Python's default warning filters: what a user would see on stderr
    path = FIXTURES / "xhtml-page.xhtml"
    command = [sys.executable, "-W", "default", "-m", "provenance", "check", str(path), "-f", "json"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.stderr == ""
    assert result.returncode == 0
    article = json.loads(result.stdout)["article"]
    assert article["title"] == "Bell tower repairs finish a year early"
    assert article["byline"] == "Merryn Tregear"
    paragraphs = [" ".join(p.split()) for p in article["paragraphs"]]
    assert paragraphs[0].startswith("The bells of St Wenna's will ring again at Easter")
    assert paragraphs[-1].startswith("The money left over from the appeal")
    assert len(paragraphs) == 4


def test_an_xml_document_that_is_not_a_web_page_is_refused_in_one_line() -> None:
    result = CliRunner().invoke(main, ["check", "-"], input=(FIXTURES / "not-a-page.xml").read_bytes())
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: cannot read <stdin>: this is an XML document (<rss>), not an HTML page"
    ]
