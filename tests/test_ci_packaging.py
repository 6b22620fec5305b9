"""The GitHub Action (action.yml) and the pre-commit hooks (.pre-commit-hooks.yaml).

The action's shell steps run here for real, with bash, against a fake `provenance` on PATH that
records its arguments, writes the file it is asked for and exits as told: what GitHub would run,
minus the network.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
BASH = shutil.which("bash")

# what GitHub runs for `shell: bash`
BASH_ARGS = ["--noprofile", "--norc", "-eo", "pipefail"]

FAKE_PROVENANCE = """\
#!{python}
import json, os, sys
args = sys.argv[1:]
with open(os.environ["FAKE_LOG"], "a") as log:
    log.write(json.dumps(args) + "\\n")
fmt = args[args.index("--format") + 1] if "--format" in args else "full"
code = int(os.environ.get("FAKE_EXIT", "0"))
if os.environ.get("FAKE_CONFIG_ERROR"):  # the run cannot start: nothing rendered
    print("error: the config names an unknown key", file=sys.stderr)
    sys.exit(2)
if "--output" in args:
    with open(args[args.index("--output") + 1], "w") as out:
        out.write("## provenance: fake " + fmt + "\\n")
else:
    print("::error file=a.md,line=3::fake finding")
sys.exit(0 if "--exit-zero" in args and code == 1 else code)  # --exit-zero never hides a 2
"""


def step(id_or_name: str) -> dict[str, Any]:
    for s in ACTION["runs"]["steps"]:
        if id_or_name in (s.get("id"), s.get("name")):
            return dict(s)
    raise KeyError(id_or_name)


def test_action_is_a_composite_whose_expressions_name_declared_inputs_and_earlier_steps():
    assert ACTION["runs"]["using"] == "composite"
    text = (ROOT / "action.yml").read_text()
    declared = set(ACTION["inputs"])
    used = set(re.findall(r"\binputs\.([\w-]+)", text))
    assert used <= declared, used - declared
    assert declared <= used, f"inputs never used: {declared - used}"
    seen: set[str] = set()
    for s in ACTION["runs"]["steps"]:
        for ref in re.findall(r"\bsteps\.([\w-]+)\.", json.dumps(s)):
            assert ref in seen, f"step {s.get('id') or s.get('name')} reads steps.{ref} before it runs"
        if "id" in s:
            seen.add(s["id"])
        if "run" in s:
            assert s["shell"] == "bash"  # composite run steps must name their shell
            # inputs reach scripts through env: an expression pasted into a script could inject code
            assert "${{" not in s["run"], s.get("name")
        else:
            assert re.fullmatch(r"[\w./-]+@v\d+", s["uses"]), s["uses"]
    for output in ACTION["outputs"].values():
        assert re.fullmatch(r"\$\{\{ steps\.ci\.outputs\.[\w-]+ \}\}", output["value"])


def test_action_uploads_sarif_with_codeql_only_when_asked_and_after_findings_too():
    upload = step("Upload SARIF to code scanning")
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert "inputs.upload-sarif == 'true'" in upload["if"]
    assert "!cancelled()" in upload["if"]  # not `success()`: findings are when an upload matters
    last = ACTION["runs"]["steps"][-1]
    assert "!cancelled()" in last["if"]
    assert "steps.ci.outputs.exit-code" in last["env"]["CODE"]


@pytest.fixture
def runner_env(tmp_path: Path) -> dict[str, str]:
    """The environment a GitHub runner gives a step, with a fake provenance first on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "provenance"
    fake.write_text(FAKE_PROVENANCE.format(python=sys.executable))
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    work = tmp_path / "work"
    work.mkdir()
    (work / "a.md").write_text("an article\n")
    (tmp_path / "runner-temp").mkdir()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "RUNNER_TEMP": str(tmp_path / "runner-temp"),
        "GITHUB_OUTPUT": str(tmp_path / "github-output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "step-summary.md"),
        "FAKE_LOG": str(tmp_path / "calls.jsonl"),
        "PROVENANCE_BIN_DIR": str(bin_dir),
        "INPUT_PATHS": "",
        "INPUT_CONFIG": "",
        "INPUT_FORMAT": "github",
        "INPUT_FAIL_ON": "",
        "INPUT_BASELINE": "",
        "INPUT_SUMMARY": "true",
        "INPUT_UPLOAD_SARIF": "true",
        "INPUT_ARGS": "",
    }
    assert set(step("ci")["env"]) <= set(env), "the fixture misses an env var the step sets"
    return env


def run_step(name: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    assert BASH is not None
    script = cwd.parent / f"{name}.sh"
    script.write_text(step(name)["run"])
    return subprocess.run(
        [BASH, *BASH_ARGS, str(script)], env=env, cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )


def outputs(env: dict[str, str]) -> dict[str, str]:
    path = Path(env["GITHUB_OUTPUT"])
    lines = path.read_text().splitlines() if path.exists() else []
    return dict(line.split("=", 1) for line in lines)


def calls(env: dict[str, str]) -> list[list[str]]:
    return [json.loads(line) for line in Path(env["FAKE_LOG"]).read_text().splitlines()]


def final_exit(env: dict[str, str], code: str | None, cwd: Path) -> int:
    final = dict(env)
    if code is not None:
        final["CODE"] = code
    last = ACTION["runs"]["steps"][-1]
    assert BASH is not None
    return subprocess.run([BASH, *BASH_ARGS, "-c", last["run"]], env=final, cwd=cwd, check=False).returncode


@pytest.mark.parametrize("code", [0, 1, 2])  # 2: an article could not be checked, the others were
def test_findings_still_write_the_summary_and_sarif_then_fail_the_job_with_the_same_code(runner_env, tmp_path, code):
    runner_env["FAKE_EXIT"] = str(code)
    work = tmp_path / "work"
    done = run_step("ci", runner_env, work)
    assert done.returncode == 0, done.stderr  # the upload step must still run
    assert "::error file=a.md,line=3::fake finding" in done.stdout  # the annotations reach the log
    out = outputs(runner_env)
    assert out["exit-code"] == str(code)
    assert Path(out["sarif-file"]).read_text() == "## provenance: fake sarif\n"
    assert Path(out["markdown-file"]).read_text() == "## provenance: fake markdown\n"
    assert Path(runner_env["GITHUB_STEP_SUMMARY"]).read_text() == "## provenance: fake markdown\n"
    formats = [c[c.index("--format") + 1] for c in calls(runner_env)]
    assert formats == ["github", "markdown", "sarif"]
    assert final_exit(runner_env, out["exit-code"], work) == code


def test_a_config_error_writes_no_summary_warns_and_fails_with_2(runner_env, tmp_path):
    runner_env.update(FAKE_EXIT="2", FAKE_CONFIG_ERROR="1")
    work = tmp_path / "work"
    done = run_step("ci", runner_env, work)
    assert done.returncode == 0, done.stderr
    out = outputs(runner_env)
    assert out["exit-code"] == "2"
    assert "sarif-file" not in out and "markdown-file" not in out
    assert not Path(runner_env["GITHUB_STEP_SUMMARY"]).exists()
    assert "::warning title=provenance::could not write the Markdown summary" in done.stdout
    assert "unknown key" in done.stderr
    assert final_exit(runner_env, out["exit-code"], work) == 2


def test_no_recorded_exit_code_fails_the_job(runner_env, tmp_path):
    assert final_exit(runner_env, None, tmp_path) == 2
    assert final_exit(runner_env, "", tmp_path) == 2


def test_summary_and_sarif_off_run_provenance_once(runner_env, tmp_path):
    runner_env.update(INPUT_SUMMARY="false", INPUT_UPLOAD_SARIF="false", FAKE_EXIT="1")
    done = run_step("ci", runner_env, tmp_path / "work")
    assert done.returncode == 0, done.stderr
    assert outputs(runner_env) == {"exit-code": "1"}
    assert len(calls(runner_env)) == 1
    assert not Path(runner_env["GITHUB_STEP_SUMMARY"]).exists()


def test_inputs_become_arguments_with_globs_left_to_provenance(runner_env, tmp_path):
    runner_env.update(
        INPUT_PATHS="*.md\n  news/2026  'odd",
        INPUT_CONFIG="ci/provenance.toml",
        INPUT_FORMAT="concise",
        INPUT_FAIL_ON="warning",
        INPUT_BASELINE=".provenance-baseline.json",
        INPUT_ARGS="--offline  --jobs 2",
        INPUT_SUMMARY="false",
        INPUT_UPLOAD_SARIF="false",
    )
    done = run_step("ci", runner_env, tmp_path / "work")
    assert done.returncode == 0, done.stderr
    [args] = calls(runner_env)
    assert args == [
        "--config",
        "ci/provenance.toml",
        "ci",
        "--format",
        "concise",
        "--fail-on",
        "warning",
        "--baseline",
        ".provenance-baseline.json",
        "--offline",
        "--jobs",
        "2",
        "--",
        "*.md",  # a.md exists in the working directory: bash must not have expanded it
        "news/2026",
        "'odd",
    ]


def test_install_step_installs_the_pinned_version_or_the_actions_own_checkout():
    script = step("install")["run"]
    assert 'spec="provenance==$PROVENANCE_VERSION"' in script
    assert 'spec="$GITHUB_ACTION_PATH"' in script
    assert step("install")["env"]["PROVENANCE_VERSION"] == "${{ inputs.version }}"


def test_hooks_run_ci_offline_on_markdown_and_html():
    by_id = {hook["id"]: hook for hook in HOOKS}
    assert set(by_id) == {"provenance-ci", "provenance-ci-system"}
    assert by_id["provenance-ci"]["language"] == "python"
    assert by_id["provenance-ci-system"]["language"] == "system"
    for hook in HOOKS:
        entry = hook["entry"].split()
        assert entry[:2] == ["provenance", "ci"]
        assert "--offline" in entry
        assert hook["types_or"] == ["markdown", "html"]
        assert hook["pass_filenames"] is True
        assert hook["require_serial"] is True


# docs/ci.md must not drift from the files it documents

CI_DOC = (ROOT / "docs" / "ci.md").read_text()


def test_the_docs_table_of_inputs_is_the_actions():
    table = re.search(r"^\| input \| default \| meaning \|\n\|[-|]+\|\n((?:\|.*\n)+)", CI_DOC, re.M)
    assert table is not None
    rows = [re.match(r"\| `([\w-]+)` \| (empty|`[^`]*`) \|", row) for row in table[1].splitlines()]
    documented = {m[1]: "" if m[2] == "empty" else m[2].strip("`") for m in rows if m}
    assert documented == {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    outputs = re.search(r"^Outputs: (.+)\.$", CI_DOC, re.M)
    assert outputs is not None
    assert re.findall(r"`([\w-]+)`", outputs[1]) == list(ACTION["outputs"])


def test_the_docs_yaml_snippets_parse_and_name_real_hooks_and_inputs():
    snippets = [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", CI_DOC, re.S)]
    workflow = next(s for s in snippets if isinstance(s, dict) and "jobs" in s)
    [step] = [s for s in workflow["jobs"]["attribution"]["steps"] if s["uses"].startswith("provenance-tool/")]
    assert set(step["with"]) <= set(ACTION["inputs"])
    assert workflow["permissions"]["security-events"] == "write"
    config = next(s for s in snippets if isinstance(s, dict) and "repos" in s)
    ids = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert ids <= {hook["id"] for hook in HOOKS}
    for hook_id in re.findall(r"try-repo \S+ ([\w-]+)", CI_DOC):
        assert hook_id in {hook["id"] for hook in HOOKS}
