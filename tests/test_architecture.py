"""docs/ARCHITECTURE.md is true to the code: its import rules hold (import-linter), its layer list is the
contract's, and its module table names every module there is and none that is gone."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "provenance"
DOC = (ROOT / "docs" / "ARCHITECTURE.md").read_text()
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _section(title: str) -> str:
    start = DOC.index(f"\n## {title}\n")
    end = DOC.find("\n## ", start + 1)
    return DOC[start : end if end != -1 else None]


def _layers_contract() -> list[str]:
    (contract,) = [c for c in PYPROJECT["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    return [str(layer) for layer in contract["layers"]]


def test_import_rules_hold():
    # what `lint-imports --no-cache` runs, through this interpreter (its console script may not be on PATH)
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True, no_logo=True))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_the_documented_layers_are_the_contract():
    block = re.search(r"```layers\n(.*?)```", _section("Who may import whom"), re.DOTALL)
    assert block, "the layer list in ARCHITECTURE.md"
    assert block.group(1).split("\n")[:-1] == _layers_contract()


def test_every_package_module_is_in_a_layer():
    named = {part.strip() for layer in _layers_contract() for part in re.split(r"[:|]", layer)}
    top = {p.stem for p in PACKAGE.glob("*.py")} | {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    unplaced = sorted(
        f"provenance.{name}" for name in top - {"__init__", "__main__"} if f"provenance.{name}" not in named
    )
    assert not unplaced, unplaced


def _table_rows() -> list[tuple[str, str]]:
    rows = []
    for line in _section("Modules").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if len(cells) >= 2 and not set(cells[0]) <= set("-: ") and cells[0] != "module":
            rows.append((cells[0], " ".join(cells[1:])))
    return rows


def _words(text: str) -> set[str]:
    return set(re.findall(r"[\w.]+\.py|`\w+`", text))


def test_every_module_the_table_names_exists():
    missing = []
    for first, _ in _table_rows():
        for name in re.findall(r"`([^`]+)`", first):
            a_path = name.endswith((".py", "/")) or ("." not in name and "/" in name)
            if a_path and not ((PACKAGE / name).exists() or (ROOT / name).exists()):
                missing.append(name)
    assert not missing, missing


def test_the_table_names_every_module():
    rows = _table_rows()
    assert len(rows) > 20
    first_column = " ".join(first for first, _ in rows)
    everything = " ".join(f"{first} {rest}" for first, rest in rows)
    unnamed = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if len(relative.parts) == 1:
            # a top-level module has a row of its own
            if relative.name != "__init__.py" and f"`{relative.name}`" not in first_column:
                unnamed.append(str(relative))
        elif len(relative.parts) == 2 and relative.name == "__init__.py":
            if f"`{relative.parts[0]}/`" not in first_column:
                unnamed.append(f"{relative.parts[0]}/")
        elif relative.name != "__init__.py" and not {relative.name, f"`{relative.stem}`"} & _words(everything):
            unnamed.append(str(relative))
    assert not unnamed, f"modules the table of docs/ARCHITECTURE.md does not name: {unnamed}"
