"""Hostile and broken input through the command line (issue 11): every case ends in a report or one
`error:` line with exit code 2, never an internal error, a traceback or a hang.

Pages written by strangers: links and canonical addresses that do not parse, impossible dates,
odd JSON-LD, lying charsets, NULs and lone surrogates, runs that made regular expressions
backtrack, FIFOs, and documents past the limits of docs/limits.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from provenance.cli import main
from provenance.extract import limits
from tests.support.fault_server import FaultServer
from tests.support.paths import FIXTURES

UNTRUSTED = FIXTURES / "untrusted"


def run(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input)


def checked(path: Path | str, *extra: str, input: bytes | None = None) -> dict:
    """The JSON report of `check` on `path`, which must not fail."""
    result = run("check", str(path), "--no-index", "-f", "json", *extra, input=input)
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.stderr
    report: dict = json.loads(result.stdout)
    return report


def refused(path: Path | str, *extra: str, input: bytes | None = None) -> str:
    """The one error line of `check` on `path`, which must fail cleanly."""
    result = run("check", str(path), "--no-index", "-f", "concise", *extra, input=input)
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "internal error" not in lines[0], result.stderr
    return lines[0]


# -- links and canonical addresses that do not parse ------------------------------------------


def test_a_link_that_does_not_parse_is_left_out_and_the_report_says_so():
    article = checked(UNTRUSTED / "bad-links.html")["article"]
    assert [link["href"] for link in article["links"]] == ["https://kestrel-post.example/ferry-petition"]
    assert any("http://[::1/x" in note and "do not parse" in note for note in article["notes"])
    assert "safety rule" in article["paragraphs"][1]  # the link's text stays in the paragraph


def test_a_canonical_address_that_does_not_parse_is_left_out_and_noted():
    article = checked(UNTRUSTED / "bad-links.html")["article"]
    assert article["canonical_url"] is None
    assert any(note.startswith("canonical address 'http://[::1'") for note in article["notes"])
    for fmt, shown in (("concise", "note: canonical address"), ("full", "Note: canonical address"),
                       ("html", "Note: canonical address")):  # fmt: skip
        result = run("check", str(UNTRUSTED / "bad-links.html"), "--no-index", "-f", fmt)
        assert shown in result.stdout and result.exit_code == 0, fmt


def test_front_matter_canonical_and_markdown_links_that_do_not_parse_are_left_out():
    article = checked(UNTRUSTED / "bad-front-matter.md")["article"]
    assert article["canonical_url"] is None and article["links"] == []
    assert len(article["notes"]) == 2
    assert article["paragraphs"][0].startswith("Fares on the Saltmere island ferry")
    assert "the harbour board said" in article["paragraphs"][0]


def test_ci_checks_an_article_whose_front_matter_canonical_does_not_parse(tmp_path, monkeypatch):
    (tmp_path / "story.md").write_bytes((UNTRUSTED / "bad-front-matter.md").read_bytes())
    monkeypatch.chdir(tmp_path)
    result = run("ci", "--no-index", "--no-cache", "--workers", "1", "-f", "json")
    assert result.exit_code == 0, result.output
    assert [a["location"] for a in json.loads(result.stdout)["articles"]] == ["story.md"]


def test_index_import_keeps_an_html_record_with_a_link_that_does_not_parse(tmp_path):
    page = (UNTRUSTED / "bad-links.html").read_text()
    record = json.dumps({"url": "https://harbour.example/ferry", "html": page})
    result = run("index", "import", "-", "--index", str(tmp_path / "i.sqlite"), "--workers", "1",
                 input=(record + "\n").encode())  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "added 1" in result.stdout


# -- dates -------------------------------------------------------------------------------------


def test_an_impossible_offset_in_a_dateline_is_read_as_its_date_alone():
    article = checked(UNTRUSTED / "impossible-dates.txt")["article"]
    assert article["published"] == "2020-01-01T00:00:00+00:00"


def test_impossible_dates_in_metadata_are_not_dates(tmp_path):
    article = checked(UNTRUSTED / "bad-front-matter.md")["article"]
    assert article["published"] is None  # 9999-12-31T23:59:59-14:00: in UTC, year 10000


def test_two_articles_dated_at_the_end_of_time_compare_without_overflow(tmp_path):
    copy = tmp_path / "copy.md"
    copy.write_text((UNTRUSTED / "bad-front-matter.md").read_text())
    report = checked(copy, "--candidate", str(UNTRUSTED / "bad-front-matter.md"))
    assert report["relation"] == "verbatim"


# -- JSON-LD -----------------------------------------------------------------------------------


def test_json_ld_of_the_wrong_types_is_ignored_field_by_field():
    article = checked(UNTRUSTED / "odd-jsonld.html")["article"]
    assert article["title"] == "Harbour ferry fares rise again"
    assert article["credits"] == [] and article["published"] != "9999-12-31T23:59:59-14:00"


def test_json_ld_nested_thousands_deep_is_skipped(tmp_path):
    page = tmp_path / "deep.html"
    deep = "[" * 5000 + "]" * 5000
    page.write_text((UNTRUSTED / "odd-jsonld.html").read_text().replace('{"@graph": 5}', deep))
    assert checked(page)["article"]["paragraphs"][0].startswith("Fares on the Saltmere")


# -- charsets, NULs, lone surrogates ----------------------------------------------------------


def test_a_page_declaring_charset_undefined_is_decoded_by_file():
    article = checked(UNTRUSTED / "charset-undefined.html")["article"]
    assert "cafés" in article["paragraphs"][0]


def test_a_page_declaring_charset_undefined_is_decoded_over_http(site_config):
    server = FaultServer().start()
    try:
        result = run("--config", site_config, "check", f"{server.url}/undefined-charset", "--no-index", "-f", "json")
    finally:
        server.stop()
    assert result.exit_code == 0, result.output
    assert "cafés along" in json.loads(result.stdout)["article"]["paragraphs"][0]


def test_nul_bytes_after_the_binary_sniff_become_replacement_characters(tmp_path):
    page = tmp_path / "nul.txt"
    body = "Fares on the Saltmere island ferry will rise again, the board said. " * 150
    page.write_bytes(f"Ferry fares\n\n{body}\nThe board\x00 met on Tuesday to vote on it.\n".encode())
    paragraphs = checked(page)["article"]["paragraphs"]
    assert "The board\ufffd met on Tuesday to vote on it." in paragraphs


def test_lone_surrogates_in_an_html_record_do_not_stop_the_import(tmp_path):
    page = (UNTRUSTED / "bad-links.html").read_text().replace("Tuesday", "Tuesday \\ud800")
    record = json.dumps({"url": "https://harbour.example/ferry", "html": page}).replace("\\\\ud800", "\\ud800")
    result = run("index", "import", "-", "--index", str(tmp_path / "i.sqlite"), "--workers", "1",
                 input=(record + "\n").encode())  # fmt: skip
    assert result.exit_code == 0, result.output


# -- runs that made regular expressions backtrack --------------------------------------------


def test_a_number_spaces_and_a_number_in_a_text_file_is_checked(tmp_path):
    page = tmp_path / "spaces.txt"
    page.write_text("Ferry fares\n\nThe board met on Tuesday to vote on the fares.\n1" + " " * 20_000 + "1x\n")
    paragraphs = checked(page)["article"]["paragraphs"]
    assert paragraphs[-1] == "1" + " " * 20_000 + "1x"


def test_unclosed_comments_in_markdown_are_checked_as_text(tmp_path):
    page = tmp_path / "comments.md"
    page.write_text("Ferry fares\n\nThe board met on Tuesday to vote on the fares.\n" + "<!--" * 24_000 + "\n")
    # Nothing hides the text after an unclosed comment; a line without a word is page chrome.
    assert checked(page)["article"]["paragraphs"] == ["The board met on Tuesday to vote on the fares."]
    page.write_text("Ferry fares\n\n" + "<!--" * 24_000 + " The board met on Tuesday.\n")
    assert checked(page)["article"]["paragraphs"] == ["<!--" * 24_000 + " The board met on Tuesday."]


def test_a_run_of_brackets_in_markdown_is_checked_as_text(tmp_path):
    page = tmp_path / "brackets.md"
    page.write_text("Ferry fares\n\nThe board met on Tuesday to vote on the fares.\n" + "[" * 50_000 + " ferry\n")
    assert checked(page)["article"]["paragraphs"][-1] == "[" * 50_000 + " ferry"  # a word: not chrome


def test_lines_of_tabs_are_checked(tmp_path):
    page = tmp_path / "tabs.txt"
    tabs = "\n".join("\t" * n + "x" for n in (5_000, 10_000, 20_000))
    page.write_text(f"Ferry fares\n\nThe board met on Tuesday to vote on the fares.\n{tabs}\n")
    assert checked(page)["article"]["paragraphs"][0] == "The board met on Tuesday to vote on the fares."


# -- sizes and files that are not files -------------------------------------------------------


def test_a_fifo_named_like_an_article_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "x.md"
    os.mkfifo(fifo)
    # A subprocess, so that a regression fails here instead of blocking the suite for ever.
    done = subprocess.run([sys.executable, "-m", "provenance", "check", str(fifo), "--no-index"],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: cannot read {fifo}: a FIFO, not a regular file"


def test_a_page_of_too_many_paragraphs_is_too_large(tmp_path):
    page = tmp_path / "many.txt"
    page.write_text("Ferry fares\n" + "The board met.\n" * (limits.MAX_PARAGRAPHS + 1))
    assert "too large: 5,002 paragraphs; an article may have 5,000" in refused(page)


def test_a_page_of_too_many_elements_is_too_large(tmp_path):
    page = tmp_path / "many.html"
    page.write_text("<html><body><article>" + "<span>a</span>" * (limits.MAX_ELEMENTS + 1) + "</article></body></html>")
    assert "too large: more than 20,000 HTML elements" in refused(page)


def test_a_paragraph_too_long_is_too_large_in_text_and_in_html(tmp_path):
    long_run = "word " * (limits.MAX_PARAGRAPH_CHARS // 5 + 1)
    text, html = tmp_path / "long.txt", tmp_path / "long.html"
    text.write_text(f"Ferry fares\n\n{long_run}\n")
    html.write_text(f"<html><body><article><p>{long_run}</p></article></body></html>")
    assert "too large: a paragraph of 100,00" in refused(text)
    assert "characters of text in one run; a paragraph may have 100,000" in refused(html)


def test_a_long_script_is_no_paragraph(tmp_path):
    page = tmp_path / "script.html"
    script = "var fares = 1;" * (limits.MAX_PARAGRAPH_CHARS // 10)
    story = (UNTRUSTED / "bad-links.html").read_text()
    page.write_text(story.replace("</head>", f"<script>{script}</script></head>"))
    assert checked(page)["article"]["title"] == "Harbour ferry fares rise again"


def test_an_image_in_a_data_uri_and_comparisons_in_a_script_are_neither_text_nor_elements(tmp_path):
    page = tmp_path / "inline.html"
    image = f'<img src="data:image/png;base64,{"QUFB" * (limits.MAX_PARAGRAPH_CHARS // 2)}">'
    script = "<script>" + "if (i<n) { i++; }" * (limits.MAX_ELEMENTS + 1) + "</script>"
    story = (UNTRUSTED / "bad-links.html").read_text()
    page.write_text(story.replace("</head>", f"{script}</head>").replace("<article>", f"<article>{image}"))
    assert checked(page)["article"]["title"] == "Harbour ferry fares rise again"


def test_a_single_line_page_too_large_from_stdin_is_refused():
    line = ("The board met on Tuesday to vote on the fares. " * 90_000).encode()
    assert "too large: 4,230,000 characters; an article may have 4,000,000" in refused("-", input=line)


def test_an_index_record_too_large_is_skipped_with_its_line_number(tmp_path):
    small = json.dumps({"url": "https://harbour.example/a", "text": "The board met on Tuesday to vote on the fares."})
    large = json.dumps({"url": "https://harbour.example/b", "text": "The board met.\n" * (limits.MAX_PARAGRAPHS + 1)})
    result = run("index", "import", "-", "--index", str(tmp_path / "i.sqlite"), "--workers", "1",
                 input=f"{small}\n{large}\n".encode())  # fmt: skip
    assert result.exit_code == 2
    assert "<stdin>:2: too large: 5,001 paragraphs" in result.stderr
    assert "added 1" in result.stdout


@pytest.mark.parametrize("name", sorted(p.name for p in UNTRUSTED.iterdir()))
def test_every_untrusted_fixture_renders_in_every_format(name):
    for fmt in ("full", "concise", "json", "html"):
        result = run("check", str(UNTRUSTED / name), "--no-index", "-f", fmt, "--color")
        assert result.exit_code in (0, 1), (fmt, result.output)
