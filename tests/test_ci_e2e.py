"""`provenance ci` end to end: the real command, in a subprocess, on a copy of fixtures/ci-repo.

Each format's output is parsed back into findings and compared with fixtures/ci-repo/expected.json:
the same (file, line, column, rule, suppressed) and nothing else. Then exit codes, the baseline
workflow, SARIF against the schema and the files' own lines, JUnit through a JUnit parser, and the
pre-commit hook through `pre-commit try-repo`. Everything offline; the runs share one result cache
after the first, as a user's runs do.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
import yaml
from junitparser import Error, Failure, JUnitXml

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "ci-repo"
EXPECTED = json.loads((FIXTURE / "expected.json").read_text())
SARIF_SCHEMA = json.loads((ROOT / "fixtures" / "sarif" / "sarif-schema-2.1.0.json").read_text())
BIN = Path(sys.executable).parent
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, order=True)
class Seen:
    """A finding as an output format shows it; column None where the format shows none."""

    path: str
    line: int
    column: int | None
    rule: str
    suppressed: str | None = None


def expected(*, suppressed: bool = True, columns: bool = True) -> Counter[Seen]:
    """The findings of expected.json: all of them, or only the counted ones (suppressed=False)."""
    found: Counter[Seen] = Counter()
    for path, findings in EXPECTED["files"].items():
        for f in findings:
            if f["suppressed"] and not suppressed:
                continue
            found[Seen(path, f["line"], f["column"] if columns else None, f["rule"], f["suppressed"])] += 1
    return found


def failing() -> Counter[Seen]:
    """Counted findings at or above the fixture policy's fail-on (warning)."""
    return Counter(
        Seen(path, f["line"], f["column"], f["rule"])
        for path, findings in EXPECTED["files"].items()
        for f in findings
        if f["suppressed"] is None and SEVERITY_RANK[f["severity"]] >= SEVERITY_RANK["warning"]
    )


def user_env(home: Path) -> dict[str, str]:
    """A user's shell: provenance on PATH, no colour, nothing of the developer's own provenance settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROVENANCE_") and k != "FORCE_COLOR"}
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        NO_COLOR="1",
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        PROVENANCE_CACHE=str(home / "provenance-cache"),
        PROVENANCE_DISCOVER="none",
    )
    return env


@dataclass
class Repo:
    path: Path
    env: dict[str, str]

    def run(self, *args: str, code: int | None = None) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            ["provenance", *args], cwd=self.path, env=self.env, capture_output=True, text=True, timeout=120, check=False
        )
        if code is not None:
            assert done.returncode == code, f"provenance {' '.join(args)} exited {done.returncode}:\n{done.stderr}"
        return done


def make_repo(base: Path) -> Repo:
    path = base / "newsroom"
    shutil.copytree(FIXTURE, path)
    repo = Repo(path, user_env(base))
    repo.run("index", "import", "wire/originals.jsonl", code=0)  # the index provenance.toml names
    return repo


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """One copy for the tests that only read it."""
    return make_repo(tmp_path_factory.mktemp("e2e"))


@pytest.fixture(scope="module")
def outputs(repo: Repo) -> dict[str, str]:
    """Every format's output of the whole repository, as `provenance ci -f FORMAT` prints it."""
    printed = {}
    for fmt in ("full", "concise", "json", "sarif", "junit", "markdown", "github"):
        # the first run fills the result cache on all cores; one worker is enough to read it back
        workers = () if not printed else ("--workers", "1")
        printed[fmt] = repo.run("ci", "--format", fmt, *workers, code=EXPECTED["exit_code"]).stdout
    return printed


# every format shows the expected findings and nothing else

FINDING_LINE = re.compile(r"(?P<path>[^\s:]+):(?P<line>\d+):(?P<column>\d+): (?P<rule>PRV\d{3}) ")


def test_concise_lists_the_counted_findings(outputs):
    lines = outputs["concise"].splitlines()
    seen = Counter(
        Seen(m["path"], int(m["line"]), int(m["column"]), m["rule"]) for m in map(FINDING_LINE.match, lines) if m
    )
    assert seen == expected(suppressed=False)
    assert len(lines) == sum(seen.values()) + 1
    with_findings = sum(1 for findings in EXPECTED["files"].values() if any(not f["suppressed"] for f in findings))
    assert lines[-1] == (
        f"Found {EXPECTED['counted']} problems in {with_findings} articles of {len(EXPECTED['files'])} checked"
        f" ({EXPECTED['suppressed']} suppressed)."
    )


def test_full_lists_every_finding_under_its_file_with_suppressed_ones_marked(outputs):
    seen: Counter[Seen] = Counter()
    path = None
    for line in outputs["full"].splitlines():
        if header := re.match(r"(\S+\.(?:md|html))\s", line):
            path = header[1]
        elif m := re.match(r"  (\d+):(\d+) (PRV\d{3}) [a-z-]+ \[(\w+)\] .*?(?:suppressed \((\w+)\))?$", line):
            assert path is not None
            seen[Seen(path, int(m[1]), int(m[2]), m[3], m[5])] += 1
    assert seen == expected()


def test_json_has_each_article_and_its_findings(outputs):
    data = json.loads(outputs["json"])
    seen = Counter(
        Seen(f["location"]["path"], f["location"]["line"], f["location"]["column"], f["rule"], f["suppressed"])
        for article in data["articles"]
        for f in article["findings"]
    )
    assert seen == expected()
    assert sorted(a["location"] for a in data["articles"]) == sorted(EXPECTED["files"])
    flagged = Counter(
        Seen(f["location"]["path"], f["location"]["line"], f["location"]["column"], f["rule"])
        for a in data["articles"]
        for f in a["findings"]
        if f["failing"]
    )
    assert flagged == failing()
    summary = data["summary"]
    assert (summary["findings"], summary["failing"], summary["exit_code"]) == (
        EXPECTED["counted"],
        EXPECTED["failing"],
        EXPECTED["exit_code"],
    )


def sarif_findings(log: dict) -> Counter[Seen]:
    kinds = {"inSource": "inline", "external": "baseline"}
    seen: Counter[Seen] = Counter()
    for result in log["runs"][0]["results"]:
        where = result["locations"][0]["physicalLocation"]
        suppressions = result.get("suppressions", [])
        seen[
            Seen(
                where["artifactLocation"]["uri"],
                where["region"]["startLine"],
                where["region"]["startColumn"],
                result["ruleId"],
                kinds[suppressions[0]["kind"]] if suppressions else None,
            )
        ] += 1
    return seen


def test_sarif_validates_and_has_every_finding(outputs):
    log = json.loads(outputs["sarif"])
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(log)
    assert sarif_findings(log) == expected()
    rules = {rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    assert {f.rule for f in expected()} <= rules


def test_sarif_locations_are_the_lines_of_the_repository_files_they_name(outputs, repo):
    """Where a finding quotes the file (the copied paragraph, the credit), the region starts on that text."""
    quoted = 0
    for result in json.loads(outputs["sarif"])["runs"][0]["results"]:
        where = result["locations"][0]["physicalLocation"]
        file = repo.path / where["artifactLocation"]["uri"]
        assert file.is_file() and file.resolve().is_relative_to(repo.path.resolve())
        lines = file.read_text().splitlines()
        line = lines[where["region"]["startLine"] - 1]
        assert line.strip(), "a finding points at an empty line"
        text_at = line[where["region"]["startColumn"] - 1 :]
        for evidence in result["properties"].get("evidence", []):
            if evidence[:40] in file.read_text():
                assert text_at.startswith(evidence[:40]), (file.name, line, evidence)
                quoted += 1
        assert not text_at[:1].isspace()
    assert quoted >= 5  # the copied paragraphs and the credits of the fixture


JUNIT_LINE = re.compile(
    r"(?P<path>[^\s:]+):(?P<line>\d+):(?P<column>\d+): (?P<rule>PRV\d{3}) .*?(?: \(suppressed: (?P<why>\w+)\))?$"
)


def test_junit_parses_with_one_testcase_per_article(outputs, repo):
    report = repo.path.parent / "junit.xml"
    report.write_text(outputs["junit"])
    xml = JUnitXml.fromfile(str(report))
    cases = [case for suite in xml for case in suite]
    assert sorted(case.name for case in cases) == sorted(EXPECTED["files"])
    in_failures: Counter[Seen] = Counter()
    everything: Counter[Seen] = Counter()
    for case in cases:
        texts = []
        for outcome in case.result:
            assert not isinstance(outcome, Error)
            if isinstance(outcome, Failure):
                for m in map(JUNIT_LINE.match, (outcome.text or "").splitlines()):
                    assert m and m["path"] == case.name
                    in_failures[Seen(m["path"], int(m["line"]), int(m["column"]), m["rule"])] += 1
                texts.append(outcome.text or "")
        texts.append(case.system_out or "")
        for m in filter(None, map(JUNIT_LINE.match, "\n".join(texts).splitlines())):
            everything[Seen(m["path"], int(m["line"]), int(m["column"]), m["rule"], m["why"])] += 1
    assert in_failures == failing()
    assert everything == expected()


def test_markdown_table_has_the_counted_findings_and_details_all_of_them(outputs):
    text = outputs["markdown"]
    rows = re.findall(r"^\| `([^`]+):(\d+)` \| `(PRV\d{3})` ", text, re.M)
    assert Counter(Seen(p, int(n), None, r) for p, n, r in rows) == expected(suppressed=False, columns=False)
    seen: Counter[Seen] = Counter()
    path = None
    for line in text.splitlines():
        if summary := re.match(r"<details><summary><code>([^<]+)</code>", line):
            path = summary[1]
        elif m := re.match(r"- `(\d+):(\d+)` `(PRV\d{3})` [a-z-]+ \(\w+\)(?: \*\(suppressed: (\w+)\)\*)?:", line):
            assert path is not None
            seen[Seen(path, int(m[1]), int(m[2]), m[3], m[4])] += 1
    assert seen == expected()


def test_github_annotations_carry_file_line_and_column(outputs):
    levels = {"error": "error", "warning": "warning", "info": "notice"}
    want = Counter(
        (path, f["line"], f["column"], f["rule"], levels[f["severity"]])
        for path, findings in EXPECTED["files"].items()
        for f in findings
        if f["suppressed"] is None
    )
    lines = outputs["github"].splitlines()
    pattern = (
        r"::(\w+) file=([^,]+),line=(\d+)(?:,endLine=\d+)?,col=(\d+)(?:,endColumn=\d+)?,title=(PRV\d{3}) [a-z-]+::.+"
    )
    seen = Counter((m[2], int(m[3]), int(m[4]), m[5], m[1]) for m in map(re.compile(pattern).fullmatch, lines) if m)
    assert seen == want
    assert len(lines) == sum(seen.values()) + 1  # and the summary line


# exit codes


def clean_articles() -> list[str]:
    return [path for path, findings in EXPECTED["files"].items() if not findings]


def test_a_clean_subset_exits_0(repo):
    done = repo.run("ci", "--workers", "1", "--format", "concise", *clean_articles(), code=0)
    assert done.stdout.splitlines() == [f"No problems in {len(clean_articles())} articles checked."]


def test_exit_zero_reports_the_findings_and_exits_0(repo):
    done = repo.run("ci", "--workers", "1", "--format", "concise", "--exit-zero", code=0)
    assert sum(1 for line in done.stdout.splitlines() if FINDING_LINE.match(line)) == EXPECTED["counted"]


def test_fail_on_never_exits_0_and_error_still_fails(repo):
    repo.run("ci", "--workers", "1", "--format", "concise", "--fail-on", "never", code=0)
    # PRV105 on library-reopens is the fixture's only warning; errors remain
    repo.run("ci", "--workers", "1", "--format", "concise", "--fail-on", "error", code=1)


def test_a_config_error_exits_2_and_names_the_key(tmp_path):
    repo = Repo(tmp_path / "newsroom", user_env(tmp_path))
    shutil.copytree(FIXTURE, repo.path)
    config = repo.path / "provenance.toml"
    config.write_text("fail-when = 'warning'\n" + config.read_text())
    done = repo.run("ci", "--format", "json", code=2)
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "fail-when" in done.stderr


def test_an_unreadable_article_exits_2_even_with_exit_zero_and_the_others_are_still_checked(repo, tmp_path):
    binary = tmp_path / "binary.md"
    binary.write_bytes(bytes(range(256)) * 8)
    done = repo.run("ci", "--workers", "1", "--format", "json", "--exit-zero", str(binary), "articles/port-strike.md")
    assert done.returncode == 2
    articles = {Path(a["source"]).name: a for a in json.loads(done.stdout)["articles"]}
    assert articles["binary.md"]["error"] and "binary" in articles["binary.md"]["error"]
    assert [f["rule"] for f in articles["port-strike.md"]["findings"]] == [
        f["rule"] for f in EXPECTED["files"]["articles/port-strike.md"]
    ]


def test_a_missing_path_exits_2(repo):
    done = repo.run("ci", "--workers", "1", "articles/no-such-story.md", code=2)
    assert "no-such-story.md" in done.stderr


# the baseline workflow


def test_baseline_accepts_todays_findings_and_a_new_uncredited_copy_fails_alone(tmp_path):
    repo = make_repo(tmp_path)
    repo.run("baseline", "--workers", "1", code=0)
    assert (repo.path / ".provenance-baseline.json").is_file()

    done = repo.run("ci", "--workers", "1", "--format", "json", "--baseline", ".provenance-baseline.json", code=0)
    accepted = [f for a in json.loads(done.stdout)["articles"] for f in a["findings"]]
    assert Counter(f["suppressed"] for f in accepted) == {
        "baseline": EXPECTED["counted"],
        "inline": EXPECTED["suppressed"],
    }

    # the draft goes out under articles/: an uncredited copy of a wire story, which the baseline has never seen
    (repo.path / "articles" / "quotas-cut.md").write_text((repo.path / "drafts" / "quota-draft.md").read_text())
    done = repo.run("ci", "--workers", "1", "--format", "concise", "--baseline", ".provenance-baseline.json", code=1)
    findings = [m for m in map(FINDING_LINE.match, done.stdout.splitlines()) if m]
    assert findings and {m["path"] for m in findings} == {"articles/quotas-cut.md"}
    assert "PRV101" in {m["rule"] for m in findings}


# pre-commit


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="try-repo needs provenance as a git repository")
def test_pre_commit_try_repo_runs_the_hook_on_the_changed_articles(repo, tmp_path):
    """The `language: system` hook, so pre-commit installs nothing and needs no network."""
    pre_commit = BIN / "pre-commit"
    assert pre_commit.exists(), "pre-commit is in the test extra: pip install -e '.[test]'"
    env = dict(
        repo.env,
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        GIT_AUTHOR_NAME="test",
        GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="test",
        GIT_COMMITTER_EMAIL="test@example.invalid",
    )
    content = tmp_path / "content"
    shutil.copytree(repo.path, content, ignore=shutil.ignore_patterns(".git"))
    git = ["git", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], cwd=content, env=env, check=True)
    subprocess.run([*git, "add", "articles", "drafts", "provenance.toml", "wire"], cwd=content, env=env, check=True)

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(pre_commit), "try-repo", str(ROOT), "provenance-ci-system", "--verbose", "--files", *files],
            cwd=content,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    done = try_repo(
        "articles/port-strike.md", "articles/bridge-repairs.md", "drafts/quota-draft.md", "wire/originals.jsonl"
    )
    assert done.returncode == 1, done.stdout + done.stderr
    reported = {m["path"] for m in map(FINDING_LINE.match, done.stdout.splitlines()) if m}
    assert reported == {"articles/port-strike.md"}  # the draft is excluded by the policy, the JSONL is no article
    assert try_repo(*clean_articles()).returncode == 0


# the GitHub Action's step, with the real provenance


@pytest.mark.parametrize("unreadable", [False, True])
def test_the_actions_ci_step_on_the_repository_writes_the_summary_and_sarif_and_records_the_exit_code(
    repo, tmp_path, unreadable
):
    """With an article that cannot be read, the summary and SARIF still come, and the job fails with 2."""
    paths = "articles"
    if unreadable:
        (tmp_path / "binary.md").write_bytes(bytes(range(256)) * 8)
        paths += f" {tmp_path / 'binary.md'}"
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    [step] = [s for s in action["runs"]["steps"] if s.get("id") == "ci"]
    script = tmp_path / "ci-step.sh"
    script.write_text(step["run"])
    (tmp_path / "runner-temp").mkdir()
    env = dict(
        repo.env,
        RUNNER_TEMP=str(tmp_path / "runner-temp"),
        GITHUB_OUTPUT=str(tmp_path / "output"),
        GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"),
        PROVENANCE_BIN_DIR=str(BIN),
        INPUT_PATHS=paths,
        INPUT_CONFIG="provenance.toml",
        INPUT_FORMAT="github",
        INPUT_FAIL_ON="",
        INPUT_BASELINE="",
        INPUT_SUMMARY="true",
        INPUT_UPLOAD_SARIF="true",
        INPUT_ARGS="--offline --workers 1",
    )
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=repo.path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    outputs = dict(line.split("=", 1) for line in (tmp_path / "output").read_text().splitlines())
    assert outputs["exit-code"] == str(2 if unreadable else EXPECTED["exit_code"])
    annotations = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == EXPECTED["counted"] + unreadable  # and one for the article not checked
    assert any("could not check" in line for line in annotations) is unreadable
    summary = (tmp_path / "summary.md").read_text()
    assert summary == Path(outputs["markdown-file"]).read_text()
    assert f"Found {EXPECTED['counted']} problems" in summary
    assert ("1 could not be checked" in summary) is unreadable
    log = json.loads(Path(outputs["sarif-file"]).read_text())
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(log)
    assert sarif_findings(log) == expected()
