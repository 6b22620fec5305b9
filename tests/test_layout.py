"""The shape of the package: no Lua inside Python strings (it lives in `.lua` files, shipped as package data)."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "provenance"


def test_no_lua_inside_a_python_string():
    lua = re.compile(r"redis\.call\(|\blocal function\b")
    offenders = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if lua.search(p.read_text())]
    assert not offenders, offenders


def test_every_lua_file_is_package_data():
    import tomllib

    pyproject = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["provenance"]
    for script in PACKAGE.rglob("*.lua"):
        relative = script.relative_to(PACKAGE)
        assert any(relative.match(pattern) for pattern in patterns), relative


def test_no_module_is_over_400_lines():
    # a module past this holds more than one idea: split it along its seams (docs/ARCHITECTURE.md)
    long = {
        str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text().splitlines())) > 400
    }
    assert not long, long
