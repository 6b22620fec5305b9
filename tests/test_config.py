"""Settings files: which one wins, what they may say, and how flags and the environment override them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from provenance.cli import main
from provenance.config import load
from tests.support.paths import FAMILY, FIXTURES, SEED_HTML

ORIGINALS = FIXTURES / "corpus" / "originals.jsonl"
BBC = FIXTURES / "seed" / "bbc-kim-jong-un-letter.html"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_the_closest_file_wins_and_dot_file_beats_plain_beats_pyproject(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.provenance]\nfail-on = 'info'\n")
    deep = tmp_path / "a" / "b"
    write(tmp_path / "a" / "provenance.toml", "fail-on = 'warning'\n")
    deep.mkdir()
    assert load(start=deep).fail_on == "warning"
    write(tmp_path / "a" / ".provenance.toml", "fail-on = 'never'\n")
    assert load(start=deep).fail_on == "never"
    assert load(start=tmp_path).fail_on == "info"


def test_a_pyproject_without_the_table_is_passed_over(tmp_path):
    write(tmp_path / "provenance.toml", "shingle-size = 4\n")
    write(tmp_path / "sub" / "pyproject.toml", "[project]\nname = 'x'\n")
    assert load(start=tmp_path / "sub").shingle_size == 4


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("fail-on = 'warning'\nfial-on = 'error'\n", "unknown key 'fial-on'"),
        ("fail-on = 'sometimes'\n", "fail-on must be one of"),
        ("shingle-size = 0\n", "shingle-size must be between 1 and 20"),
        ("shingle-size = true\n", "shingle-size must be a whole number"),
        ("index = 3\n", "index must be a path"),
        ("fail-on = \n", "cannot read config"),
        ("[[publishers]]\naliases = ['X']\n", "every [[publishers]] entry needs a name"),
        ("[[publishers]]\nname = 'X'\nfeed = 'y'\n", "unknown key in [[publishers]]: feed"),
    ],
)
def test_bad_settings_are_one_line_errors_naming_the_problem(tmp_path, monkeypatch, text, message):
    config = write(tmp_path / "provenance.toml", text)
    monkeypatch.chdir(tmp_path)
    result = run("check", str(SEED_HTML), "-c", str(BBC))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], lines
    assert str(config) in lines[0] or "[[publishers]]" in message


def test_config_sets_fail_on_and_a_flag_overrides_it(tmp_path, monkeypatch):
    write(tmp_path / "provenance.toml", "fail-on = 'never'\n")
    monkeypatch.chdir(tmp_path)
    assert run("check", str(SEED_HTML), "-c", str(BBC), "-f", "concise").exit_code == 0
    assert run("check", str(SEED_HTML), "-c", str(BBC), "-f", "concise", "--fail-on", "error").exit_code == 1


def test_config_option_names_a_file_and_a_missing_one_is_an_error(tmp_path):
    named = write(tmp_path / "team.toml", "fail-on = 'never'\n")
    assert run("--config", str(named), "check", str(SEED_HTML), "-c", str(BBC), "-f", "concise").exit_code == 0
    missing = run("--config", str(tmp_path / "nope.toml"), "check", str(SEED_HTML))
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def test_index_from_config_is_relative_to_the_file_and_the_environment_beats_it(tmp_path, monkeypatch):
    write(tmp_path / "provenance.toml", "index = 'data/known.sqlite'\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PROVENANCE_INDEX")
    assert run("index", "import", str(ORIGINALS)).exit_code == 0
    assert (tmp_path / "data" / "known.sqlite").is_file()
    found = run("check", str(FAMILY / "copy-partial.html"), "-f", "json", "--fail-on", "never")
    assert json.loads(found.stdout)["relation"] == "partial"
    monkeypatch.setenv("PROVENANCE_INDEX", str(tmp_path / "elsewhere.sqlite"))
    assert run("index", "import", str(ORIGINALS)).exit_code == 0
    assert (tmp_path / "elsewhere.sqlite").is_file()


def test_a_configured_index_that_is_missing_is_an_error_for_check(tmp_path, monkeypatch):
    write(tmp_path / "provenance.toml", "index = 'absent.sqlite'\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PROVENANCE_INDEX")
    result = run("check", str(SEED_HTML))
    assert result.exit_code == 2 and "no index here" in result.stderr


def test_publishers_in_config_teach_new_credit_names(tmp_path, monkeypatch):
    original = FAMILY / "original-a.html"
    copy = write(tmp_path / "copy.txt", _copy_crediting(original, "NSG"))
    monkeypatch.chdir(tmp_path)
    before = {g["rule"] for g in json.loads(run("check", str(copy), "-c", str(original), "-f", "json").stdout)["gaps"]}
    assert "PRV101" in before  # "NSG" means nothing yet: no credit at all
    write(
        tmp_path / "provenance.toml",
        "[[publishers]]\nname = 'Northshore Gazette'\naliases = ['NSG']\ndomains = ['northshore-gazette.example']\n",
    )
    after = {g["rule"] for g in json.loads(run("check", str(copy), "-c", str(original), "-f", "json").stdout)["gaps"]}
    assert "PRV101" not in after and "PRV103" in after  # now a credit, though without a link


def _copy_crediting(original: Path, credit: str) -> str:
    from provenance.inputs import load as load_article
    from provenance.publishers import bundled

    article = load_article(str(original), bundled())
    return "\n".join(["A copied story", *article.paragraphs, credit]) + "\n"


# -- hostile settings: one line, exit 2, never an internal error --------------------------------

HOSTILE = {
    "tool.provenance not a table": ("pyproject.toml", "[tool]\nprovenance = 5\n", "tool.provenance must be a table"),
    "nested 5,000 arrays": ("provenance.toml", "index = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
    "nested 5,000 tables": ("provenance.toml", "x = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n", "nested too deeply"),
    "cache-dir with a NUL": ("provenance.toml", '[discovery]\ncache-dir = "a\\u0000b"\n', "cache-dir must be"),
    "index with a NUL": ("provenance.toml", 'index = "a\\u0000b.sqlite"\n', "index must be a path"),
    "searxng not a URL": ("provenance.toml", '[discovery]\nsearxng = "http://[::1"\n', "discovery.searxng must be"),
    "not UTF-8": ("provenance.toml", "fail-on = '\xff'\n", "cannot read config"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_settings_file_is_one_line_and_exit_2(tmp_path, monkeypatch, case):
    name, text, message = HOSTILE[case]
    (tmp_path / name).write_bytes(text.encode("utf-8", errors="surrogateescape") if "\xff" not in text else b"\xff")
    monkeypatch.chdir(tmp_path)
    for args in (["check", str(SEED_HTML)], ["ci", str(SEED_HTML)], ["index", "stats"]):
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        (line,) = result.stderr.strip().splitlines()
        assert message in line and "internal error" not in line, (args, line)


def test_a_settings_file_that_is_a_fifo_or_a_device_is_refused_without_blocking(tmp_path):
    import os

    fifo = tmp_path / "provenance.toml"
    os.mkfifo(fifo)
    result = run("--config", str(fifo), "check", str(SEED_HTML))
    assert result.exit_code == 2 and "a FIFO, not a regular file" in result.stderr
    result = run("--config", "/dev/zero", "check", str(SEED_HTML))
    assert result.exit_code == 2 and "cannot read config /dev/zero" in result.stderr


@pytest.mark.parametrize("location", ["redis://[::1", "redis://h:99999/0", "redis://u:secret@[::1/0"])
def test_an_index_url_that_does_not_parse_is_one_line(location):
    for command in (["check", str(SEED_HTML)], ["ci", str(SEED_HTML)], ["index", "stats"], ["index", "add", str(BBC)]):
        result = run(*command, "--index", location)
        assert result.exit_code == 2, result.output
        (line,) = result.stderr.strip().splitlines()
        assert "not a Redis URL" in line and "secret" not in line, line


def test_resolve_applies_every_precedence_rule_defaults_file_environment_flags(tmp_path):
    from provenance.config import Flags, parse, resolve

    file = parse(
        tmp_path / "provenance.toml",
        {
            "index": "from-file.sqlite", "fail-on": "warning", "shingle-size": 4,
            "discovery": {"strategies": ["links"], "budget": 5, "searxng": "https://search.example/", "delay": 2},
            "watch": {"fail-on": "info", "interval": "15m"},
        },
    )  # fmt: skip
    bare = resolve(file, {}, Flags())
    assert bare.index == str((tmp_path / "from-file.sqlite").resolve()) and bare.index_named
    assert (bare.fail_on, bare.shingle_size, bare.watch_fail_on, bare.interval) == ("warning", 4, "info", 900.0)
    assert bare.fetch.delay == 2 and bare.fetch.cache
    assert bare.discovery("https://a.example/x") == bare.discovery("notes.md")  # the file's strategies for both
    assert bare.discovery_urls is not None and bare.discovery_urls.strategies == ("links",)
    assert bare.discovery_urls.budget == 5 and bare.discovery_urls.searxng == "https://search.example/"
    env = {"PROVENANCE_INDEX": "env.sqlite", "PROVENANCE_DISCOVER": "wayback", "PROVENANCE_SEARXNG": "https://s.env/"}
    from_env = resolve(file, env, Flags())
    assert from_env.index == "env.sqlite" and from_env.discovery_urls is not None
    assert from_env.discovery_urls.strategies == ("wayback",) and from_env.searxng == "https://s.env/"
    flags = Flags(index="flag.sqlite", fail_on="never", discover=("search",), budget=9, no_cache=True)
    from_flags = resolve(file, env, flags)
    assert (from_flags.index, from_flags.fail_on, from_flags.watch_fail_on) == ("flag.sqlite", "never", "never")
    assert from_flags.discovery_urls is not None and from_flags.discovery_urls.strategies == ("search",)
    assert from_flags.discovery_urls.budget == 9 and not from_flags.fetch.cache
    assert resolve(file, env, Flags(offline=True)).discovery_urls is None
    assert resolve(file, env, Flags(no_index=True)).index is None


def test_resolve_without_a_file_gives_every_strategy_to_a_url_and_none_to_a_file():
    from provenance.config import STRATEGIES, Config, Flags, resolve

    chosen = resolve(Config(), {}, Flags())
    assert chosen.discovery_files is None and chosen.discovery_urls is not None
    assert chosen.discovery_urls.strategies == STRATEGIES
    assert (chosen.fail_on, chosen.shingle_size, chosen.interval, chosen.index_named) == ("error", 5, 3600.0, False)
    trusted = chosen.fetching(discovering=True)
    assert trusted.trusted == chosen.fetch.trusted  # no endpoint configured: nothing more to trust
