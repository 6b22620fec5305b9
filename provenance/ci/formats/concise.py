"""One line per counted finding, as ruff prints them: `path:line:col: PRV101 message`.

Errors read `path: error: why`. The last line is the summary, on the same stream as ruff's
("Found 3 problems ..."): editors' errorformat and GitHub problem matchers skip lines that do
not start with a location, and a summary on stderr would be lost with `--output FILE`.
"""

from __future__ import annotations

from typing import TextIO

from provenance.ci.formats.summary import headline, in_order, one_line
from provenance.ci.model import CiRun


def render(run: CiRun, out: TextIO, *, color: bool | None = None) -> None:
    for result in run.results:
        if result.error is not None:
            out.write(f"{one_line(result.location)}: error: {one_line(result.error)}\n")
        for f in in_order(result.counted):
            where = f"{one_line(f.location.path)}:{f.location.line}:{f.location.column}"
            out.write(f"{where}: {f.rule} {one_line(f.message)}\n")
    out.write(headline(run) + "\n")
