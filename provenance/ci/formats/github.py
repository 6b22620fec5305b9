"""GitHub Actions workflow commands: each counted finding an annotation on its file and line.

`::error file=a.md,line=3,col=1,title=PRV101 copied-without-credit::message`. Data and property values are
escaped as the runner unescapes them (%, CR, LF; and ':' ',' in properties), so a message copied from a
page can neither end the command early nor start a new one. Suppressed findings are not annotated.
"""

from __future__ import annotations

from typing import TextIO

from provenance.ci.formats.summary import headline, in_order, is_url, printable
from provenance.ci.model import ArticleResult, CiRun, Finding
from provenance.model import Severity

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    return printable(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: str | int | None) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{name} {props}::{escape_data(message)}" if props else f"::{name}::{escape_data(message)}"


def _annotation(finding: Finding) -> str:
    where = finding.location
    if is_url(where.path):  # not a file of the repository: GitHub would drop the annotation; say where instead
        return command(COMMAND[finding.severity], f"{where.path}: {finding.message}", title=_title(finding))
    return command(
        COMMAND[finding.severity],
        finding.message,
        file=where.path,
        line=where.line,
        endLine=where.end_line,
        col=where.column,
        endColumn=where.end_column,
        title=_title(finding),
    )


def _title(finding: Finding) -> str:
    return f"{finding.rule} {finding.name}"


def _error(result: ArticleResult) -> str:
    message = f"could not check {result.source}: {result.error}"
    if is_url(result.location):
        return command("error", message, title="provenance: not checked")
    return command("error", message, file=result.location, title="provenance: not checked")


def render(run: CiRun, out: TextIO, *, color: bool | None = None) -> None:
    for result in run.results:
        if result.error is not None:
            out.write(_error(result) + "\n")
        for finding in in_order(result.counted):
            out.write(_annotation(finding) + "\n")
    out.write(headline(run) + "\n")
