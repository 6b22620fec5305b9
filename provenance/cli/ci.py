"""`provenance ci` and `provenance baseline`: many articles under the newsroom's policy (docs/ci.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from provenance.cli.common import (
    SEVERITIES,
    Bar,
    F,
    existing_index,
    fetch_flag,
    fetch_options,
    index_option,
    one_line_errors,
    registry,
    settings,
    with_progress,
)
from provenance.config import STRATEGIES
from provenance.inert import inert

if TYPE_CHECKING:
    from provenance.ci.model import CiRun


def ci_options(func: F) -> F:
    """The options `ci` and `baseline` share: what to check and under which policy."""
    options = [
        click.argument("inputs", nargs=-1, metavar="[PATH|GLOB|URL]..."),
        click.option("--sitemap", "sitemaps", multiple=True, metavar="URL", help="Check the pages of a sitemap."),
        click.option("--urls", "url_files", multiple=True, metavar="FILE", help="Check the URLs a file lists."),
        click.option("--config", "ci_config", metavar="FILE", help="Settings file (as `provenance --config`)."),
        index_option,
        click.option("--no-index", is_flag=True, help="Do not search the index, even if one exists."),
        click.option("--fail-on", type=click.Choice(SEVERITIES), default=None, help="Severity that fails the run."),
        click.option("--select", multiple=True, metavar="RULE", help="Check only these rules (ids or names)."),
        click.option("--ignore", "ignore_rules", multiple=True, metavar="RULE", help="Do not check these rules."),
        click.option(
            "--workers", "--jobs", type=click.IntRange(1, 64), default=None, help="Processes (default: all cores)."
        ),
        click.option("--discover", multiple=True, type=click.Choice(STRATEGIES), help="As for `check`."),
        click.option("--no-discover", is_flag=True, help="Look for no candidates on the web."),
        click.option(
            "--budget", type=click.FloatRange(0.1, 3600), metavar="SECONDS", help="Discovery time per article."
        ),
        click.option(
            "--max-fetches", type=click.IntRange(0, 10_000), metavar="N", help="Discovery requests per article."
        ),
        click.option(
            "--follow-symlinks",
            is_flag=True,
            help="Read files that symlinks lead to outside the tree checked (skipped with a warning by default).",
        ),
        fetch_options,
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _run(options: dict[str, Any], baseline: str | None = None) -> CiRun:
    """The settings, the policy and the inputs from the flags and the config, then `provenance.ci.run`."""
    from provenance import ci
    from provenance.ci.policy import build
    from provenance.model import ShingleParams
    from provenance.pipeline import Settings

    if options["ci_config"]:
        click.get_current_context().find_root().obj = options["ci_config"]
    chosen = settings(
        index=options["index"], no_index=options["no_index"], fail_on=options["fail_on"],
        discover=options["discover"], no_discover=options["no_discover"], budget=options["budget"],
        max_fetches=options["max_fetches"],
    )  # fmt: skip
    config = chosen.config
    where = str(config.path or "flags")
    policy = build(config.ci, chosen.fail_on, select=options["select"], ignore=options["ignore_rules"], where=where)
    index = existing_index(chosen)
    urls, files = chosen.discovery_urls, chosen.discovery_files
    fetching = chosen.fetching(discovering=bool(urls or files))
    check_settings = Settings(params=ShingleParams(size=chosen.shingle_size), registry=registry(), fetch=fetching)

    def work(bar: Bar | None) -> CiRun:
        def collected(count: int) -> None:
            if not count:  # not an error: a pre-commit hook may pass only files the policy excludes
                click.echo("warning: nothing to check: no Markdown or HTML file or URL left among the inputs", err=True)
            if bar:
                bar.expect(count)

        return ci.run(
            options["inputs"],
            policy,
            root=config.path.parent if config.path else Path.cwd(),
            settings=check_settings,
            index=index,
            workers=options["workers"],
            cache=not fetch_flag("no_cache"),
            baseline=baseline,
            url_files=options["url_files"],
            sitemaps=options["sitemaps"],
            follow_symlinks=options["follow_symlinks"],
            discovery_files=files,
            discovery_urls=urls,
            on_skipped=lambda path, why: click.echo(f"warning: skipped {path}: {why}", err=True),
            on_collected=collected,
            on_result=(lambda _: bar.advance()) if bar else None,
        )

    return with_progress("checking", work, counted=True)


def _ci_formats() -> list[str]:
    from provenance.ci.formats import FORMATS

    return sorted(FORMATS)


@click.command()
@ci_options
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(_ci_formats()),
    default=None,
    help="Output format (default: full on a terminal, concise otherwise). See docs/ci-formats.md.",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the report to a file.")
@click.option("--baseline", metavar="FILE", help="Report only findings not in this file (`provenance baseline`).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings fail the run (errors still exit 2).")
@click.option("--color/--no-color", default=None, help="Force colour on or off (default: on for terminals).")
def ci(
    fmt: str | None, output: str | None, baseline: str | None, exit_zero: bool, color: bool | None, **options: Any
) -> None:
    """Check many articles against the newsroom's policy (docs/ci.md, docs/ci-policy.md).

    With no input, every Markdown and HTML file under the root (the config file's directory, else the
    working directory). Unchanged files are answered from the result cache (--no-cache: neither
    cache). Exit codes: 0 clean, 1 findings at or above fail-on, 2 usage, config or an article that
    could not be checked.
    """
    from provenance.ci.formats import renderer

    with one_line_errors():
        run = _run(options, baseline)
        name = fmt or ("full" if sys.stdout.isatty() and not output else "concise")
        if output:
            with open(output, "w", encoding="utf-8") as out:
                renderer(name)(run, out, color=False)
        else:
            renderer(name)(run, sys.stdout, color=color)
    _errors(run)
    code = run.exit_code
    sys.exit(0 if exit_zero and code == 1 else code)


def _errors(run: CiRun) -> None:
    for result in run.errors:
        click.echo(f"error: {inert(result.error or '')}", err=True)


@click.command()
@ci_options
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    default=".provenance-baseline.json",
    show_default=True,
    help="The baseline file to write.",
)
def baseline(output: str, **options: Any) -> None:
    """Accept today's findings: write them to a baseline that `ci --baseline` leaves out.

    Findings are remembered by rule, file and the text they point at, not by line. Exits 2 (after
    writing) when an article could not be checked: the baseline then misses its findings.
    """
    from provenance.ci.baseline import write

    with one_line_errors():
        run = _run(options)
        count = write(run, Path(output))
    _errors(run)
    click.echo(f"wrote {count} finding(s) of {len(run.results)} article(s) to {output}")
    sys.exit(2 if run.errors else 0)
