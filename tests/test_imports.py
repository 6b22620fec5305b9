"""What a command loads: `import provenance`, `--version` and `rules` start without the heavy libraries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("numpy", "httpx", "rich", "datasketch", "trafilatura", "bs4", "jinja2")

_PROBE = """
import json, sys
{code}
print(json.dumps(sorted({{name.split(".")[0] for name in sys.modules}})))
"""

_CLI = """
import contextlib, io
from provenance.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main({args!r})
    except SystemExit:
        pass
"""


def _loaded(code: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", _PROBE.format(code=code)], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.parametrize(
    "code",
    [
        "import provenance",
        "import provenance.errors",
        "from provenance import __version__",
        _CLI.format(args=["--version"]),
        _CLI.format(args=["rules"]),
        _CLI.format(args=["--help"]),
    ],
    ids=["import", "errors", "version-attribute", "--version", "rules", "--help"],
)
def test_light_paths_load_no_heavy_library(code: str) -> None:
    assert _loaded(code).isdisjoint(HEAVY), sorted(_loaded(code) & set(HEAVY))


def test_public_names_load_on_first_use() -> None:
    # the function, not a module: no submodule is called `check`
    code = "import provenance, provenance.pipeline\nassert provenance.check is provenance.pipeline.check"
    assert "provenance" in _loaded(code)  # _loaded raises when the assertion in `code` fails


SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seed"
_CHECK = """
from provenance import check
report = check({article!r}, [{candidates}])
assert report.relation.value == {relation!r}, report.relation
"""


def test_a_check_loads_numpy_only_when_it_has_something_to_compare() -> None:
    text, page = str(SEED / "obiaks-kim-jong-un-letter.txt"), str(SEED / "bbc-kim-jong-un-letter.html")
    alone = _loaded(_CHECK.format(article=text, candidates="", relation="original"))
    compared = _loaded(_CHECK.format(article=text, candidates=repr(page), relation="verbatim"))
    assert alone.isdisjoint({"numpy", "httpx", "trafilatura", "bs4", "datasketch"}), alone & set(HEAVY)
    assert "numpy" in compared


def test_dir_lists_every_public_name() -> None:
    import provenance

    assert set(provenance.__all__) <= set(dir(provenance))
    with pytest.raises(AttributeError):
        provenance.no_such_name  # noqa: B018
