"""Command line: parse arguments, call the library, render, choose the exit code. Nothing else.

Exit codes (as ruff): 0 no gap at or above --fail-on; 1 gaps; 2 usage, input or internal error.
"""

from __future__ import annotations

import os
import sys
from typing import Any, NoReturn

import click

from provenance import __version__
from provenance.errors import ProvenanceError
from provenance.report import FORMATS

SEVERITIES = ("info", "warning", "error", "never")


class Failure(click.ClickException):
    """A one-line error on stderr and exit code 2 (click's own exceptions exit 1)."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


def _fail(exc: BaseException) -> NoReturn:
    if isinstance(exc, ProvenanceError):
        raise Failure(str(exc)) from None
    if os.environ.get("PROVENANCE_DEBUG"):
        raise exc
    raise Failure(
        f"internal error ({type(exc).__name__}: {exc}); rerun with PROVENANCE_DEBUG=1 and report it"
    ) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="provenance")
def main() -> None:
    """Where did this news text really come from, and does the page say so honestly?"""


@main.command()
@click.argument("article")
@click.option(
    "--candidate",
    "-c",
    "candidates",
    multiple=True,
    metavar="URL|FILE|DIR",
    help="A page the article may come from (repeatable; a directory adds its .html/.txt/.md files).",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(sorted(FORMATS)),
    default="full",
    show_default=True,
    help="Report format.",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the report to a file.")
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    default="error",
    show_default=True,
    help="Exit 1 when a gap of this severity or worse is found.",
)
@click.option("--shingle-size", type=click.IntRange(1, 20), default=5, show_default=True, help="Words per shingle.")
@click.option("--color/--no-color", default=None, help="Force colour on or off (default: on for terminals).")
def check(
    article: str,
    candidates: tuple[str, ...],
    fmt: str,
    output: str | None,
    fail_on: str,
    shingle_size: int,
    color: bool | None,
) -> None:
    """Check ARTICLE (a URL, an .html/.txt/.md file, or - for stdin) against candidate sources."""
    from provenance.check import Settings
    from provenance.check import check as run_check
    from provenance.model import ShingleParams
    from provenance.report import renderer

    try:
        report = run_check(article, candidates, settings=Settings(params=ShingleParams(size=shingle_size)))
        if output:
            with open(output, "w", encoding="utf-8") as out:
                renderer(fmt)(report, out, color=False)
        else:
            renderer(fmt)(report, sys.stdout, color=color)
    except (Exception, KeyboardInterrupt) as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise Failure("interrupted") from None
        _fail(exc)
    worst = report.worst_severity()
    threshold = None if fail_on == "never" else fail_on
    if worst is not None and threshold is not None and worst.rank >= _rank(threshold):
        sys.exit(1)


def _rank(name: str) -> int:
    from provenance.model import Severity

    return Severity(name).rank


@main.command()
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "markdown"]), default="table", show_default=True)
def rules(fmt: str) -> None:
    """List the attribution rules (docs/rules.md is this command's markdown output)."""
    from provenance.rules import RULES

    if fmt == "markdown":
        from provenance.rules_doc import rules_markdown

        click.echo(rules_markdown(RULES), nl=False)
        return
    for rule in RULES:
        click.echo(f"{rule.id}  {rule.name:<28} {rule.severity.value:<8} {rule.summary}")
