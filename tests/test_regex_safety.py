"""Every regular expression of the package on long runs of the characters that make patterns backtrack.

Pages are written by strangers, and a pattern that backtracks turns a 200 KB page into minutes
(issue 11: a number, 2,000 spaces and "1x" took 10.8 s; `<!--` x 50,000, 38 s). Two kinds of test:

- each pattern's own worst case, 20,000 to 50,000 characters long, with the answer it must give;
- every module-level pattern of the package (found by walking it, so new ones are covered) on
  every run below, to the end of `finditer`.

No timing: a pattern that regressed makes this file run for hours, which is the failure.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from typing import Any

import pytest

import provenance
from provenance.extract import bylines, chrome, credits, dates, text
from provenance.normalize import normalize_text

N = 20_000


def _patterns() -> dict[str, re.Pattern[Any]]:
    found: dict[str, re.Pattern[Any]] = {}
    for info in pkgutil.walk_packages(provenance.__path__, "provenance."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found.setdefault(f"{info.name}.{name}", value)
    return found


PATTERNS = _patterns()

# Units repeated to N characters: the runs that made one pattern or another backtrack.
UNITS = [
    " ",
    "\t",
    "\n",
    "a",
    "A",
    "1",
    "-",
    ".",
    "!",
    ",",
    "(",
    "[",
    "<",
    "/",
    "'",
    '"',
    ":",
    "|",
    "©",
    "—",
    "<!--",
    "](",
    "[a](",
    "<a",
    "A ",
    "A. ",
    "1 ",
    "1:00 ",
    "2019 ",
    ", ",
    " on",
    "A (",
    "-- ",
    "By A, ",
    "said: ",
    '\\"',
    "{",
    "1.",
    "A-",
    "A'",
    "A&",
]
RUNS = [(unit * (N // len(unit)))[:N] for unit in UNITS] + ["1" + " " * N + "1x", "<!--" + "a" * N, "[a](" + "x(" * N]


def _as(pattern: re.Pattern[Any], run: str) -> Any:
    return run.encode() if isinstance(pattern.pattern, bytes) else run


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_every_pattern_runs_to_the_end_of_every_long_run(name):
    pattern = PATTERNS[name]
    for run in RUNS:
        subject = _as(pattern, run)
        end = 0
        for m in pattern.finditer(subject):
            assert end <= m.start() <= m.end() <= len(subject)
            end = m.end()
        pattern.match(subject)


def test_the_walk_finds_the_patterns_of_extraction():
    assert {
        "provenance.extract.chrome._COUNTER",
        "provenance.extract.text._MD_LINK",
        "provenance.extract.credits._DATE_TAIL",
        "provenance.alignment._SENTENCE_END",
    } <= set(PATTERNS)


# -- each pattern's worst case and its answer -----------------------------------------------------

SPACES = " " * N
Case = tuple[str, Callable[[], Any], Any]
CASES: list[Case] = [
    # extract/chrome.py
    ("counter: a number, spaces, a number and a letter", lambda: chrome._COUNTER.match("1" + SPACES + "1x"), None),
    ("counter: a number, spaces and a number", lambda: bool(chrome._COUNTER.match("1" + SPACES + "1")), True),
    ("widget: spaces then a count", lambda: chrome.is_widget("Share" + SPACES + "12"), True),
    ("widget: a count after a word", lambda: chrome.is_widget("Tweet 12"), True),
    (
        "trailing count over a run of spaces",
        lambda: chrome._TRAILING_COUNT.sub("", "Share" + SPACES + "x"),
        "Share" + SPACES + "x",
    ),
    ("trailing count over digits and spaces", lambda: chrome._TRAILING_COUNT.sub("", "Share 1 2" + "1" * N), "Share 1"),
    ("year and clock on a line of clocks", lambda: chrome.is_header_line("1:00 " * (N // 5)), False),
    ("year and clock, short", lambda: chrome.is_header_line("19/11/2019 11:28"), True),
    ("copyright holder over spaces", lambda: chrome.copyright_holder("© ab" + SPACES + "x"), None),
    ("tail marker of a long line", lambda: chrome.is_tail_marker("Tags:" + "a" * N), True),
    # extract/credits.py, extract/bylines.py
    (
        "byline parts over a run of newlines",
        lambda: bylines._BYLINE_PARTS.split("A" + "\n" * N + "B"),
        ["A" + "\n" * N + "B"],
    ),
    ("byline parts over spaces and a comma", lambda: bylines._BYLINE_PARTS.split("A" + SPACES + ", B"), ["A", "B"]),
    ("date tail over spaces", lambda: credits._DATE_TAIL.sub("", "Reuters" + SPACES + "x"), "Reuters" + SPACES + "x"),
    ("date tail over brackets", lambda: credits._DATE_TAIL.sub("", "Reuters (" * (N // 9)), "Reuters"),
    ("a credit's name cut to its length", lambda: credits._clean("Reuters on Monday" + " on x" * N), "Reuters"),
    ("byline of a long line", lambda: bylines.parse_byline("By " + "A " * (N // 2)), None),
    ("label of a long line", lambda: credits._LABEL.match("Source: " + "A" * N), None),
    ("inside dateline over capitals", lambda: list(credits._INSIDE.finditer("A-" * (N // 2))), []),
    ("reported over names", lambda: len(credits._REPORTED.findall("A'" * (N // 2))), 0),
    ("slashed over slashes", lambda: len(credits._SLASHED.findall("/a" * (N // 2))), 0),
    ("trailing wire over dashes", lambda: credits._TRAILING.search("-- " * (N // 3)), None),
    ("signoff over stops", lambda: credits._SIGNOFF.search("." * N), None),
    ("caption end over spaces", lambda: credits._CAPTION_END.search("2019" + SPACES + "x"), None),
    # extract/dates.py
    ("day first over spaces", lambda: dates.find_dates("1" + SPACES + "1x"), []),
    (
        "month first over spaces",
        lambda: dates.find_dates("Sep" + SPACES + "11, 2018"),
        [("Sep" + SPACES + "11, 2018", dates.datetime(2018, 9, 11, tzinfo=dates.UTC))],
    ),
    ("iso dates in a run", lambda: len(dates.find_dates("2019-01-01 " * (N // 11))), N // 11),
    ("a clock after spaces", lambda: dates._TIME.match(", " + SPACES + "at 12:40").group("minute"), "40"),
    (
        "a long stamp",
        lambda: dates.parse_datetime("2020-01-01T00:00:00+99:99" * 1000),
        dates.datetime(2020, 1, 1, tzinfo=dates.UTC),
    ),
    # extract/text.py
    ("markdown comments never closed", lambda: text._without_comments("<!--" * (N // 4)), "<!--" * (N // 4)),
    ("markdown comments closed", lambda: text._without_comments("a<!--x-->b" * 3), "ababab"),
    ("markdown brackets", lambda: text._MD_LINK.findall("[" * N), []),
    ("markdown link openings", lambda: text._MD_LINK.findall("[a](" * (N // 4)), []),
    (
        "markdown link with one parenthesis pair",
        lambda: text._MD_LINK.findall("[a](https://w.example/a_(b))"),
        [("a", "https://w.example/a_(b)")],
    ),
    ("markdown heading over spaces", lambda: text._MD_HEADING.sub("", "#" + SPACES + "x"), "x"),
    # extract/metadata.py
    (
        "title suffix over spaces",
        lambda: _metadata()._TITLE_SUFFIX.sub("", "Ferry" + SPACES + "x"),
        "Ferry" + SPACES + "x",
    ),
    (
        "title suffix kept",
        lambda: _metadata()._TITLE_SUFFIX.sub("", "Ferry fares rise - Harbour Post"),
        "Ferry fares rise",
    ),
    # speech.py, alignment.py, normalize.py
    ("single quotes", lambda: _speech().speech_spans("'a " * (N // 3)), []),
    ("speech cue over colons", lambda: len(_speech()._CUE.findall("said:" * (N // 5))), N // 5),
    ("sentence ends over stops", lambda: _alignment()._SENTENCE_END.findall("!" * N), []),
    (
        "sentence ends in a run of stops and a capital",
        lambda: _alignment()._SENTENCE_END.findall("!" * N + " A"),
        ["!" * N + " "],
    ),
    ("double quotes", lambda: normalize_text('"a' * (N // 2)), " ".join(["a"] * (N // 2))),
    # ci/locate.py, ci/suppress.py
    ("located tags over openings", lambda: _module("provenance.ci.locate")._TAG.sub(" ", "<" * N), "<" * N),
    ("located markdown links", lambda: _module("provenance.ci.locate")._MD_LINK.sub(r"\1", "[" * N), "[" * N),
    ("leading tags", lambda: _module("provenance.ci.locate")._LEADING_TAGS.match("<" * N).end(), 0),
    (
        "ignore comments never closed",
        lambda: _module("provenance.ci.suppress").ignored_rules("<!-- provenance: ignore PRV101 " * (N // 30)),
        frozenset(),
    ),
    (
        "ignore comment closed",
        lambda: _module("provenance.ci.suppress").ignored_rules("<!-- provenance: ignore PRV101 -->"),
        frozenset({"PRV101"}),
    ),
    # safejson.py, inputs.py
    (
        "json strings never closed",
        lambda: _raises(lambda: _module("provenance.safejson").loads('["' + '\\"' * N)),
        "JSONDecodeError",
    ),
    (
        "meta charset over openings",
        lambda: _module("provenance.inputs")._META_CHARSET.search(b"<meta" * (N // 5)),
        None,
    ),
]


def _module(name: str) -> Any:
    return importlib.import_module(name)


def _metadata() -> Any:
    return _module("provenance.extract.metadata")


def _speech() -> Any:
    return _module("provenance.speech")


def _alignment() -> Any:
    return _module("provenance.alignment")


def _raises(call: Callable[[], Any]) -> str:
    try:
        call()
    except Exception as exc:
        return type(exc).__name__
    return "nothing"


@pytest.mark.parametrize(("name", "call", "expected"), CASES, ids=[c[0] for c in CASES])
def test_worst_case_of_each_pattern_gives_the_right_answer(name, call, expected):
    assert call() == expected
