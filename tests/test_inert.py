"""Nothing from a page reaches the output raw: terminal escapes, C1 controls, direction overrides, lone surrogates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from provenance import check
from provenance.cli import main
from provenance.inert import inert, inert_data
from tests.support.paths import FIXTURES

HOSTILE = FIXTURES / "hostile" / "controls.html"
WIRE_PAGE = FIXTURES / "wire-family" / "wire-page.html"
FORBIDDEN = {*(chr(c) for c in range(0x20) if c not in (9, 10)), "\x7f", *(chr(c) for c in range(0x80, 0xA0))}
FORBIDDEN |= {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"}


def raw_controls(text: str) -> set[str]:
    return {c for c in text if c in FORBIDDEN or 0xD800 <= ord(c) < 0xE000}


def test_inert_shows_each_control_as_one_visible_character() -> None:
    text = "a\x1b]52;c;eA==\x07b\x9b31m\u202eright\ud800\tend\n"
    shown = inert(text)
    assert len(shown) == len(text)  # offsets into the text still hold
    assert shown.startswith("a␛]52;c;eA==␇b")
    assert shown.endswith("\tend\n")
    assert not raw_controls(shown)


def test_inert_data_keeps_shared_objects_shared_and_offsets_valid() -> None:
    report = check(str(HOSTILE), [str(WIRE_PAGE)])
    clean = inert_data(report)
    assert clean.origin is not None and clean.origin.match is not None
    assert any(m is clean.origin.match for m in clean.matches)
    assert "\x1b" in report.article.title and "\x1b" not in clean.article.title
    for p in clean.origin.match.passages:
        assert clean.article.text[p.article_start : p.article_end] == p.text
    assert inert_data(clean.discovery) is clean.discovery  # nothing to change: the same object


@pytest.mark.parametrize("fmt", ["full", "concise", "json"])
def test_no_check_format_prints_a_raw_control(fmt: str) -> None:
    result = CliRunner().invoke(main, ["check", str(HOSTILE), "-c", str(WIRE_PAGE), "-f", fmt, "--no-color"])
    assert result.exit_code == 1, result.output
    assert "Harbour" in result.stdout
    assert not raw_controls(result.stdout)
    if fmt == "json":
        assert "␛" in json.loads(result.stdout)["article"]["title"]


@pytest.mark.parametrize("fmt", ["full", "concise", "json", "sarif", "junit", "markdown", "github"])
def test_no_ci_format_prints_a_raw_control(fmt: str, tmp_path: Path) -> None:
    index = str(tmp_path / "index.sqlite")
    assert CliRunner().invoke(main, ["index", "add", str(WIRE_PAGE), "--index", index]).exit_code == 0
    shutil.copy(HOSTILE, tmp_path / "bridge\x1b[2J.html")
    args = ["ci", str(tmp_path / "bridge\x1b[2J.html"), "-f", fmt, "--no-discover", "--index", index]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert not raw_controls(result.stdout)
    assert "bridge" in result.stdout


def test_a_one_line_error_shows_no_raw_control(tmp_path: Path) -> None:
    missing = tmp_path / "gone\x1b]0;pwned\x07.html"
    result = CliRunner().invoke(main, ["check", str(missing)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "gone␛]0;pwned␇" in result.stderr
    assert not raw_controls(result.stderr)
