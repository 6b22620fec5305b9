"""The command line as a user types it: formats, exit codes, stdin, URLs and bad input."""

from __future__ import annotations

import json
import socket

import pytest
from click.testing import CliRunner

from provenance.cli import main
from tests.support.paths import BBC_HTML, FAMILY, FIXTURES, SEED_HTML, SEED_TEXT


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def test_seed_fails_the_default_gate_with_exit_1():
    result = run("check", str(SEED_HTML), "--candidate", str(BBC_HTML))
    assert result.exit_code == 1
    assert "PRV104" in result.stdout and "BBC News" in result.stdout and "verbatim" in result.stdout


@pytest.mark.parametrize(("fail_on", "code"), [("never", 0), ("error", 1), ("warning", 1)])
def test_fail_on_sets_the_exit_code(fail_on, code):
    result = run("check", str(SEED_HTML), "-c", str(BBC_HTML), "--fail-on", fail_on, "-f", "concise")
    assert result.exit_code == code


def test_clean_copy_exits_0():
    result = run("check", str(FAMILY / "copy-credited.html"), "-c", str(FAMILY), "-f", "concise")
    assert result.exit_code == 0, result.stdout
    assert "relation=verbatim" in result.stdout


def test_warning_gate_fails_the_clean_copy_on_its_warnings():
    result = run("check", str(FAMILY / "copy-credited.html"), "-c", str(FAMILY), "--fail-on", "warning")
    assert result.exit_code == 1


def test_stdin_gives_the_same_verdict_as_the_file():
    result = run("check", "-", "-c", str(BBC_HTML), "-f", "json", input=SEED_TEXT.read_bytes())
    data = json.loads(result.stdout)
    assert data["article"]["source"] == "<stdin>"
    assert data["relation"] == "verbatim"
    assert data["origin"]["url"] == "https://www.bbc.co.uk/news/world-asia-45481711"
    assert data["candidates"][0]["copied_share"] >= 0.95
    assert {"PRV103", "PRV104", "PRV109"} <= {g["rule"] for g in data["gaps"]}


def test_concise_format_is_one_line_per_gap_with_a_location():
    result = run("check", str(FAMILY / "copy-partial.html"), "-c", str(FAMILY / "original-a.html"), "-f", "concise")
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{FAMILY / 'copy-partial.html'}:3: PRV101 copied-without-credit [error]")
    assert lines[-1].endswith("gaps=2")


def test_output_file_holds_the_report(tmp_path):
    out = tmp_path / "report.json"
    result = run("check", str(SEED_TEXT), "-c", str(BBC_HTML), "-f", "json", "-o", str(out), "--fail-on", "never")
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text())["relation"] == "verbatim"


def test_urls_are_fetched_over_http(fixture_site, site_config):
    result = run(
        "--config", site_config, "check", f"{fixture_site}/seed/obiaks-kim-jong-un-letter.html",
        "-c", f"{fixture_site}/seed/bbc-kim-jong-un-letter.html", "-f", "json",
    )  # fmt: skip
    data = json.loads(result.stdout)
    assert data["article"]["url"] == f"{fixture_site}/seed/obiaks-kim-jong-un-letter.html"
    assert data["origin"]["publisher"] == "BBC News"
    assert data["relation"] == "verbatim"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


BAD_INPUTS = {
    "missing file": (str(FIXTURES / "bad" / "no-such-file.html"), "no such file"),
    "empty html": (str(FIXTURES / "bad" / "empty.html"), "empty"),
    "empty text": (str(FIXTURES / "bad" / "empty.txt"), "empty"),
    "whitespace only": (str(FIXTURES / "bad" / "whitespace.txt"), "empty"),
    "binary": (str(FIXTURES / "bad" / "binary.html"), "binary"),
    "unknown format": (str(FIXTURES / "bad" / "article.pdf"), "unsupported format .pdf"),
    "json named html": (str(FIXTURES / "bad" / "nothtml.html"), "not HTML"),
    "malformed html": (str(FIXTURES / "bad" / "truncated.html"), "no article text"),
    "directory": (str(FIXTURES / "bad"), "is a directory"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_and_exit_2(case):
    path, reason = BAD_INPUTS[case]
    result = run("check", path)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and reason in lines[0]
    assert "Traceback" not in result.output


def test_bad_candidate_is_also_one_line(tmp_path):
    result = run("check", str(SEED_TEXT), "-c", str(FIXTURES / "bad" / "binary.html"))
    assert result.exit_code == 2 and result.stderr.startswith("error: cannot read")


def test_http_errors_are_one_line(fixture_site, site_config):
    missing = run("--config", site_config, "check", f"{fixture_site}/seed/nothing-here.html")
    assert missing.exit_code == 2 and "HTTP 404" in missing.stderr
    refused = run("--config", site_config, "check", f"http://127.0.0.1:{_closed_port()}/x.html")
    assert refused.exit_code == 2 and refused.stderr.startswith("error: cannot fetch")
    not_html = run("--config", site_config, "check", f"{fixture_site}/bad/article.pdf")
    assert not_html.exit_code == 2 and "not HTML" in not_html.stderr


def test_unknown_format_option_is_a_usage_error():
    result = run("check", str(SEED_TEXT), "--format", "xml")
    assert result.exit_code == 2 and "xml" in result.stderr


def test_latin1_text_is_decoded():
    result = run("check", str(FIXTURES / "bad" / "latin1.txt"), "-f", "json")
    data = json.loads(result.stdout)
    assert "José Müller" in " ".join([data["article"]["title"], *data["article"]["paragraphs"]])


def test_recoverable_tag_soup_is_extracted():
    result = run("check", str(FIXTURES / "bad" / "malformed.html"), "-f", "json")
    assert result.exit_code == 0
    assert "stone bridge" in " ".join(json.loads(result.stdout)["article"]["paragraphs"])


def test_rules_command_lists_every_rule():
    result = run("rules")
    assert [line.split()[0] for line in result.stdout.splitlines()] == [f"PRV1{n:02d}" for n in range(1, 12)]


def test_a_reader_that_goes_away_gets_no_error_message(tmp_path):
    """`provenance check ... | head -1`: the pipe closes before the report is written."""
    import subprocess
    import sys

    args = [sys.executable, "-m", "provenance", "check", str(SEED_HTML), "--candidate", str(BBC_HTML), "-f", "json"]
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=60) == 1
    assert err == ""


def test_an_output_file_that_cannot_be_written_is_one_line_and_exit_2(tmp_path):
    target = tmp_path / "missing-dir" / "report.json"
    result = run("check", str(SEED_HTML), "--candidate", str(BBC_HTML), "-f", "json", "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: cannot open {target}: No such file or directory"
