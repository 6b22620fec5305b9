"""Properties over generated input (Hypothesis), a few seconds in all: the longer run is benchmarks/fuzz.py.

- `check` on any bytes, as a .txt, .md or .html file, returns a Report or raises a ProvenanceError;
- every output format of `check` and of `ci`, given any report, prints no raw control character
  (C0 but newline and tab, DEL, C1, direction overrides, lone surrogates).
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provenance import check
from provenance.ci.formats import FORMATS as CI_FORMATS
from provenance.ci.formats import renderer as ci_renderer
from provenance.ci.model import ArticleResult, CiRun, Finding, Location
from provenance.errors import ProvenanceError
from provenance.model import Article, Credit, Link, Report, Severity
from provenance.report import FORMATS
from provenance.report import renderer as report_renderer

FEW = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)

CONTROLS = [chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))]
OVERRIDES = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff"]
HOSTILE = ["\x1b]52;c;cHduZWQ=\x07", "\x1b[2J", "\x00", "http://[::1/x", "2020-01-01T00:00:00+99:99", "<!--", "[",
           "\t" * 50, "9999-12-31T23:59:59-14:00", '{"@graph": 5}', "\r\n", "::error::x"]  # fmt: skip
# Text that means something to extraction, strangers' characters, and plain words between them.
PIECES = st.sampled_from([*HOSTILE, *CONTROLS, *OVERRIDES, *SURROGATES, "Reuters", "(AP) —", "By Ines Marlow", " "])
WORDS = st.text(alphabet=st.characters(codec="utf-8"), max_size=30)
TEXTS = st.lists(st.one_of(PIECES, WORDS), max_size=20).map("".join)
HTML = st.tuples(TEXTS, st.lists(TEXTS, max_size=6), TEXTS).map(
    lambda t: (
        f'<html><head><title>{t[0]}</title><link rel="canonical" href="{t[2]}">'
        f'<script type="application/ld+json">{{"author": "{t[2]}", "datePublished": "{t[0]}"}}</script></head>'
        f"<body><article>{''.join(f'<p>{p} <a href={t[2]!r}>{t[0]}</a></p>' for p in t[1])}</article></body></html>"
    )
)


def _as_bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


DOCUMENTS = st.one_of(st.binary(max_size=2000), TEXTS.map(_as_bytes), HTML.map(_as_bytes))


def _check_bytes(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"article{suffix}"
        path.write_bytes(data)
        try:
            report = check(str(path))
        except ProvenanceError:
            return
        assert isinstance(report, Report)


@FEW
@given(DOCUMENTS)
def test_check_of_any_bytes_as_text_returns_a_report_or_a_provenance_error(data):
    _check_bytes(data, ".txt")


@FEW
@given(DOCUMENTS)
def test_check_of_any_bytes_as_markdown_returns_a_report_or_a_provenance_error(data):
    _check_bytes(data, ".md")


@FEW
@given(DOCUMENTS)
def test_check_of_any_bytes_as_html_returns_a_report_or_a_provenance_error(data):
    _check_bytes(data, ".html")


FORBIDDEN = {*CONTROLS, *OVERRIDES} - {"\t", "\n"}


def raw_controls(text: str) -> set[str]:
    return {c for c in text if c in FORBIDDEN or 0xD800 <= ord(c) < 0xE000}


BODY = "Fares on the Saltmere island ferry will rise by a fifth from June, the harbour board said on Tuesday."


def _report(text: str) -> Report:
    """A report whose every field from a page holds `text`: the article copies a candidate that says so."""
    paragraphs = (f"{BODY} {text}", f"The board blamed fuel costs {text} and a new safety rule.")
    page = Article(source=f"copy-{text}.html", paragraphs=paragraphs, url="https://copy.example/a", title=text,
                   byline=text, site_name=text, credits=(Credit(text, text, "source-label", text, 0),),
                   links=(Link(text, text, 0),), dates_shown=(text,), notes=(text,))  # fmt: skip
    original = Article(source=text, paragraphs=paragraphs, url=f"https://wire.example/{text}", title=text,
                       publisher=text, canonical_url=text)  # fmt: skip
    return check(page, [original])


@FEW
@given(TEXTS)
def test_no_check_format_prints_a_raw_control_from_any_report(text):
    report = _report(text)
    for name in sorted(FORMATS):
        out = io.StringIO()
        report_renderer(name)(report, out, color=False)
        assert not raw_controls(out.getvalue()), name


@FEW
@given(TEXTS)
def test_no_ci_format_prints_a_raw_control_from_any_run(text):
    report = _report(text)
    finding = Finding("PRV101", "copied-without-credit", Severity.ERROR, text, Location(text, 2, 3), text, (text,))
    run = CiRun(
        (
            ArticleResult(text, text, report, (finding,)),
            ArticleResult(f"{text}.md", f"{text}.md", None, error=text),
        ),
        Severity.WARNING,
    )
    for name in sorted(CI_FORMATS):
        out = io.StringIO()
        ci_renderer(name)(run, out, color=False)
        assert not raw_controls(out.getvalue()), name
