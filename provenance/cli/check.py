"""`provenance check ARTICLE`: where one article came from, rendered in a format, and the exit code."""

from __future__ import annotations

import sys
from contextlib import nullcontext

import click

from provenance.cli.common import (
    SEVERITIES,
    fetch_options,
    index_option,
    one_line_errors,
    open_store,
    rank,
    registry,
    settings,
)
from provenance.config import STRATEGIES
from provenance.report import FORMATS


@click.command()
@click.argument("article")
@click.option(
    "--candidate",
    "-c",
    "candidates",
    multiple=True,
    metavar="URL|FILE|DIR",
    help="A page the article may come from (repeatable; a directory adds its .html/.txt/.md files).",
)
@index_option
@click.option("--no-index", is_flag=True, help="Do not search the index, even if one exists.")
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
    default=None,
    help="Exit 1 when a gap of this severity or worse is found (default: error, or fail-on in the config).",
)
@click.option(
    "--shingle-size", type=click.IntRange(1, 20), default=None, help="Words per shingle (default: 5, or the config's)."
)
@click.option("--color/--no-color", default=None, help="Force colour on or off (default: on for terminals).")
@click.option(
    "--discover",
    "discover",
    multiple=True,
    type=click.Choice(STRATEGIES),
    help="Find candidates on the web with this strategy (repeatable; default: all of them when ARTICLE is a URL, "
    "none for files; or [discovery] strategies, or $PROVENANCE_DISCOVER). See docs/discovery.md.",
)
@click.option("--no-discover", is_flag=True, help="Look for no candidates on the web (the index and --candidate only).")
@click.option(
    "--budget",
    type=click.FloatRange(0.1, 3600),
    metavar="SECONDS",
    help="Time for the check when discovery runs, the article's own fetch included; strategies still running "
    "then are cut off and reported (default: 20).",
)
@click.option(
    "--max-fetches",
    type=click.IntRange(0, 10_000),
    metavar="N",
    help="Requests discovery may make in all: pages, feeds, searches, archive lookups (default: 30).",
)
@fetch_options
def check(
    article: str,
    candidates: tuple[str, ...],
    index: str | None,
    no_index: bool,
    fmt: str,
    output: str | None,
    fail_on: str | None,
    shingle_size: int | None,
    color: bool | None,
    discover: tuple[str, ...],
    no_discover: bool,
    budget: float | None,
    max_fetches: int | None,
) -> None:
    """Check ARTICLE (a URL, an .html/.txt/.md file, or - for stdin) against candidate sources.

    Candidates come from --candidate and from the index of known articles, when one exists.
    """
    from provenance.discover import build
    from provenance.index import exists
    from provenance.model import ShingleParams
    from provenance.pipeline import Settings
    from provenance.pipeline import check as run_check
    from provenance.report import renderer

    with one_line_errors():
        chosen = settings(
            index=index, no_index=no_index, fail_on=fail_on, shingle_size=shingle_size, discover=discover,
            no_discover=no_discover, budget=budget, max_fetches=max_fetches,
        )  # fmt: skip
        location = chosen.index
        store = None
        if location is not None and (chosen.index_named or exists(location)):
            store = open_store(location, create=False, readonly=True)
        with store or nullcontext():
            options = chosen.discovery(article)
            plan = build(options) if options is not None else None
            fetching = chosen.fetching(discovering=plan is not None)
            params = ShingleParams(size=chosen.shingle_size)
            run = Settings(params=params, registry=registry(), fetch=fetching)
            report = run_check(article, candidates, settings=run, store=store, discovery=plan)
        if output:
            with open(output, "w", encoding="utf-8") as out:
                renderer(fmt)(report, out, color=False)
        else:
            renderer(fmt)(report, sys.stdout, color=color)
    worst = report.worst_severity()
    if worst is not None and chosen.fail_on != "never" and worst.rank >= rank(chosen.fail_on):
        sys.exit(1)
