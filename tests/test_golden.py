"""Golden files: every renderer of `check`, `ci` and `watch`, given fixed values (tests/support/reports.py),
writes exactly what tests/golden/ holds.

The values are built by hand, so only a change to a renderer changes what it writes. When a change is
meant, write the files again and review them in the commit's diff:

    PROVENANCE_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py

Terminal formats render 100 columns wide with colour off (`fixed_terminal`). The package version is the
one thing in the output that changes by itself; `normalised` replaces it.
"""

from __future__ import annotations

import difflib
import io
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

import jsonschema
import pytest
from referencing import Registry, Resource

from provenance._version import __version__
from provenance.ci import formats as ci_formats
from provenance.inert import inert_data
from provenance.report import FORMATS as CHECK_FORMATS
from provenance.report import renderer as check_renderer
from provenance.watch import formats as watch_formats
from provenance.watch.formats.terminal import detail
from provenance.watch.model import Digest
from tests.support import reports
from tests.support.paths import FIXTURES, ROOT

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("PROVENANCE_UPDATE_GOLDEN") == "1"
REGENERATE = "PROVENANCE_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py"
WIDTH = 100
VERSION = "@VERSION@"

SUFFIX = {
    "full": "txt",
    "concise": "txt",
    "github": "txt",
    "table": "txt",
    "json": "json",
    "jsonl": "jsonl",
    "sarif": "sarif",
    "junit": "xml",
    "markdown": "md",
    "csv": "csv",
    "html": "html",
}
CHECK_REPORTS = {"copied": reports.COPIED, "original": reports.ORIGINAL_REPORT, "credited": reports.CREDITED_REPORT}
WATCH_DIGESTS = {
    "pass": (reports.WATCH_DIGEST, watch_formats.PASS_FORMATS),  # `provenance watch --format`
    "list": (reports.WATCH_LISTING, watch_formats.LIST_FORMATS),  # `provenance findings list --format`
}

Render = Callable[..., None]


def findings_show(digest: Digest, out: TextIO, *, color: bool | None = None) -> None:
    """`provenance findings show`, which is no format of FORMATS, called as the CLI calls it."""
    detail(inert_data(digest), out, color=color)


def _cases() -> dict[str, tuple[Render, Any]]:
    """Golden file name -> (the render function, the fixed value it renders)."""
    cases: dict[str, tuple[Render, Any]] = {}
    for case, report in CHECK_REPORTS.items():
        for name in CHECK_FORMATS:
            cases[f"check-{case}-{name}.{SUFFIX[name]}"] = (check_renderer(name), report)
    for name in ci_formats.FORMATS:
        cases[f"ci-{name}.{SUFFIX[name]}"] = (ci_formats.renderer(name), reports.CI_RUN)
    for case, (digest, names) in WATCH_DIGESTS.items():
        for name in names:
            cases[f"watch-{case}-{name}.{SUFFIX[name]}"] = (watch_formats.renderer(name), digest)
    cases["watch-list-show.txt"] = (findings_show, reports.WATCH_LISTING)
    return cases


CASES = _cases()


@pytest.fixture
def fixed_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """rich takes its width from COLUMNS when it writes to a file; nothing in the environment may turn
    a terminal or colour on (each renderer is called with color=False as well)."""
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    monkeypatch.setenv("LINES", "50")
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "TERM", "COLORTERM"):
        monkeypatch.delenv(name, raising=False)


def normalised(text: str) -> str:
    """The one normalisation: the package version (JSON, SARIF, HTML) becomes @VERSION@, so a release
    changes no golden file. The fixed values hold every date, share and timing: nothing else varies."""
    return text.replace(__version__, VERSION)


def rendered(name: str) -> str:
    render, value = CASES[name]
    out = io.StringIO()
    render(value, out, color=False)
    return normalised(out.getvalue())


def golden(name: str) -> str:
    path = GOLDEN / name
    if not path.is_file():
        pytest.fail(f"tests/golden/{name} is missing: write it with `{REGENERATE}`", pytrace=False)
    return path.read_bytes().decode()  # bytes: no newline translation hides a stray \r


@pytest.mark.usefixtures("fixed_terminal")
@pytest.mark.parametrize("name", sorted(CASES))
def test_each_renderer_writes_its_golden_file(name: str) -> None:
    text = rendered(name)
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        (GOLDEN / name).write_bytes(text.encode())
        return
    expected = golden(name)
    if text != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            text.splitlines(keepends=True),
            fromfile=f"tests/golden/{name}",
            tofile=f"{name} as rendered now",
        )
        pytest.fail(
            f"the output differs from tests/golden/{name}; if the change is meant, run `{REGENERATE}` "
            f"and review the diff\n{''.join(diff)}",
            pytrace=False,
        )


def test_rendering_twice_writes_the_same() -> None:
    """Nothing in a renderer depends on the clock, the order of a set or a cache filled by the first call."""
    for name in CASES:
        assert rendered(name) == rendered(name), name


def test_no_golden_file_is_left_over() -> None:
    """A format renamed or removed leaves no stale file behind."""
    stale = sorted(p.name for p in GOLDEN.iterdir() if p.name not in CASES)
    assert not stale, f"golden files no renderer writes (delete them): {stale}"


# --- what the golden files must hold ---------------------------------------------------------------------
# Regenerating them from a broken renderer would pass the test above; these facts would still fail.

ORIGIN_URL = "https://harbour.example/news/wall-rebuilt"
PASSAGE = "Workers finished rebuilding the harbour wall"  # the copied passage
QUOTE = "We will not be caught out again"  # the quoted one


def files(prefix: str, *names: str) -> tuple[str, ...]:
    return tuple(f"{prefix}-{name}.{SUFFIX[name]}" for name in names)


MUST_SHOW: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    # check: the verdict, the origin, every gap's rule, and (but concise) the passages side by side
    (files("check-copied", *CHECK_FORMATS), ("partial", ORIGIN_URL, "PRV104", "PRV103", "PRV107")),
    (files("check-copied", "full", "json", "html"), (PASSAGE, QUOTE, "Jane Roe", "Source: Harbour Daily")),
    (files("check-copied", "full", "html"), ("68%", "search")),  # the share, the failed strategy
    (files("check-original", "full", "html"), ("this looks original",)),
    (files("check-original", "json"), ('"relation": "original"', '"origin": null', '"gaps": []')),
    (files("check-original", "concise"), ("relation=original origin=none gaps=0",)),
    (files("check-credited", *CHECK_FORMATS), ("Reuters",)),
    (files("check-credited", "full", "json", "html"), ("Ferry crews walked out on", "Other Client")),
    # ci: each file with findings, the file that could not be read, the counted findings' rules
    (
        files("ci", *ci_formats.FORMATS),
        ("articles/harbour-wall.md", "articles/broken.md", "PRV104", "PRV103", "PRV101"),
    ),
    (files("ci", "full", "json", "sarif", "junit", "markdown", "html"), ("PRV107", "PRV111")),  # suppressed
    (files("ci", "full", "concise", "markdown", "github"), ("Found 3 problems in 2 articles of 5 checked",)),
    (files("ci", "sarif"), ('"ruleId": "PRV103"', '"startLine": 12', '"kind": "inSource"', '"kind": "external"')),
    (files("ci", "junit"), ('failures="2" errors="1"',)),
    (files("ci", "github"), ("::warning file=articles/harbour-wall.md,line=12",)),
    # watch: each copy, its rules, and in a listing the newsroom's statuses
    (
        files("watch-pass", *watch_formats.PASS_FORMATS),
        ("coastline.example", "bayside.example", "partner.example", "PRV101", "PRV108", "PRV103"),
    ),
    (files("watch-pass", "table", "markdown", "html"), ("3 new findings (1 error, 1 warning, 1 ok)",)),
    (files("watch-list", *watch_formats.LIST_FORMATS), ("acknowledged", "resolved", "PRV103")),
    (("watch-list-show.txt",), ("acknowledged: asked them to credit us", "licensed partner Partner Gazette")),
)


@pytest.mark.parametrize(("names", "facts"), MUST_SHOW, ids=lambda value: ",".join(value)[:60])
def test_the_golden_files_hold_the_verdict_the_gaps_and_the_passages(names: tuple[str, ...], facts: tuple[str, ...]):
    for name in names:
        text = golden(name)
        missing = [fact for fact in facts if fact not in text]
        assert not missing, f"tests/golden/{name} lacks {missing}"


def test_every_golden_file_has_facts_it_must_show() -> None:
    covered = {name for names, _ in MUST_SHOW for name in names}
    assert covered == set(CASES), sorted(set(CASES) ^ covered)


def _schema(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded


def test_the_golden_json_files_follow_their_schemas() -> None:
    """The fixed values are ones the tool could produce: what they render is valid output."""
    report = _schema(ROOT / "docs" / "report.schema.json")
    registry = Registry().with_resource(report["$id"], Resource.from_contents(report))
    schemas = {
        "check-": jsonschema.Draft202012Validator(report),
        "ci-json": jsonschema.Draft202012Validator(_schema(ROOT / "docs" / "ci.schema.json"), registry=registry),
        "ci-sarif": jsonschema.Draft7Validator(_schema(FIXTURES / "sarif" / "sarif-schema-2.1.0.json")),
        "watch-": jsonschema.Draft202012Validator(_schema(ROOT / "docs" / "watch.schema.json")),
    }
    checked = 0
    for name in sorted(CASES):
        if not name.endswith((".json", ".sarif")):
            continue
        (validator,) = [v for prefix, v in schemas.items() if name.startswith(prefix)]
        validator.validate(json.loads(golden(name).replace(VERSION, __version__)))
        checked += 1
    assert checked == 7  # check x 3, ci json and sarif, watch x 2
