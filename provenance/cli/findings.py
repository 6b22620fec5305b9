"""`provenance findings ...`: work the queue of copies `provenance watch` found (docs/watch.md)."""

from __future__ import annotations

import sys
from datetime import UTC
from typing import TYPE_CHECKING, Any

import click

from provenance.cli.common import Failure, index_option, one_line_errors, open_store, settings, warn
from provenance.cli.watch import render, state_option
from provenance.cli.watch import state_location as state_location_of
from provenance.watch.formats import LIST_FORMATS

if TYPE_CHECKING:
    from provenance.watch.model import Filters
    from provenance.watch.state.base import State

STATUSES = ("new", "acknowledged", "resolved")
DATES = click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"])


def _state(index: str | None, state_location: str | None) -> State:
    """The state `--state` names (or the default one beside the index), which must be there."""
    from provenance.watch.state import open_state

    return open_state(state_location_of(settings(index=index, state=state_location)), create=False)


@click.group()
def findings() -> None:
    """Work the queue of copies `provenance watch` found: list, show, ack, resolve, export."""


def filter_options(func: Any) -> Any:
    options = [
        click.option("--site", metavar="HOST", help="Only pages on this site (its subdomains too)."),
        click.option("--status", type=click.Choice(STATUSES), help="Only findings in this state."),
        click.option("--rule", metavar="RULE", help="Only findings with this gap (an id or a name)."),
        click.option("--since", type=DATES, help="Only findings seen on or after this date (UTC)."),
        click.option("--until", type=DATES, help="Only findings first found before this date (UTC)."),
        index_option,
        state_option,
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _filters(site: str | None, status: str | None, rule: str | None, since: Any, until: Any) -> Filters:
    from provenance.rules import rule_by_id
    from provenance.watch.model import Filters, Status

    found = rule_by_id(rule) if rule else None
    if rule and found is None:
        raise Failure(f"unknown rule {rule!r} (see `provenance rules`)")
    return Filters(
        site=site,
        status=Status(status) if status else None,
        rule=found.id if found else None,
        since=since.replace(tzinfo=UTC) if since else None,
        until=until.replace(tzinfo=UTC) if until else None,
    )


def _listed(filters: Filters, index: str | None, state_location: str | None) -> tuple[Any, ...]:
    state = _state(index, state_location)
    try:
        return tuple(state.findings(filters))
    finally:
        state.close()


@findings.command("list")
@filter_options
@click.option("--format", "-f", "fmt", type=click.Choice(LIST_FORMATS), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to a file.")
@click.option("--color/--no-color", default=None, help="Force colour on or off (default: on for terminals).")
def findings_list(fmt: str, output: str | None, color: bool | None, index: str | None, state_location: str | None,
                  **chosen: Any) -> None:  # fmt: skip
    """List findings, oldest first, filtered by site, status, rule and date."""
    from provenance.watch.model import Digest

    with one_line_errors():
        found = _listed(_filters(**chosen), index, state_location)
        evidence = _with_evidence(found, index, state_location) if fmt == "html" else ()
        render(Digest(found, None, evidence), fmt, output, color)


@findings.command("export")
@filter_options
@click.option("--format", "-f", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to a file.")
def findings_export(fmt: str, output: str | None, index: str | None, state_location: str | None, **chosen: Any) -> None:
    """Export findings as JSON Lines or CSV (a cell a spreadsheet would run as a formula starts with ')."""
    from provenance.watch.model import Digest

    with one_line_errors():
        found = _listed(_filters(**chosen), index, state_location)
        render(Digest(found), fmt, output, False)


@findings.command("show")
@click.argument("finding_id", type=int, metavar="ID")
@index_option
@state_option
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True,
              help="html: the finding with its side-by-side evidence, checked again against the index.")  # fmt: skip
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to a file.")
@click.option("--color/--no-color", default=None, help="Force colour on or off (default: on for terminals).")
def findings_show(finding_id: int, index: str | None, state_location: str | None, fmt: str, output: str | None,
                  color: bool | None) -> None:  # fmt: skip
    """Show one finding in full: the page, our article, the shares, every gap and its evidence."""
    from provenance.inert import inert_data
    from provenance.watch.formats import terminal
    from provenance.watch.model import Digest

    with one_line_errors():
        state = _state(index, state_location)
        try:
            finding = state.get(finding_id)
        finally:
            state.close()
        if finding is None:
            raise Failure(
                f"no finding #{finding_id} in {state_location_of(settings(index=index, state=state_location))}"
            )
        evidence = _with_evidence((finding,), index, state_location) if fmt == "html" else ()
        digest = Digest((finding,), None, evidence)
        if fmt == "text":
            render(digest, fmt, output, color, lambda d, out, color: terminal.detail(inert_data(d), out, color=color))
        else:
            render(digest, fmt, output, color)


def _with_evidence(found: tuple[Any, ...], index: str | None, state_location: str | None) -> tuple[Any, ...]:
    """Each finding's check report: its stored page against the index (read-only) again."""
    from provenance import watch as library
    from provenance.watch.pages import evidence

    chosen = settings(index=index, state=state_location)
    assert chosen.index is not None
    with open_store(chosen.index, create=False, readonly=True) as store:
        state = _state(index, state_location)
        try:
            check_settings = library.job(chosen.config, chosen.index).settings
            reports = []
            for finding in found:
                page = state.page(finding.id)
                reports.append(evidence(page, check_settings, store) if page is not None else None)
            return tuple(reports)
        finally:
            state.close()


def _set_status(
    ids: tuple[int, ...], status: str, note: str | None, index: str | None, state_location: str | None
) -> None:
    from provenance.watch.model import Status

    with one_line_errors():
        state = _state(index, state_location)
        try:
            done = state.set_status(ids, Status(status), note)
        finally:
            state.close()
    for finding_id in ids:
        if finding_id not in done:
            warn(f"no finding #{finding_id}")
    click.echo(f"{status} {len(done)} of {len(ids)}")
    if len(done) < len(ids):
        sys.exit(2)


@findings.command("ack")
@click.argument("ids", nargs=-1, required=True, type=int, metavar="ID...")
@click.option("--note", help="A note kept with each finding (who is on it, what was agreed).")
@index_option
@state_option
def findings_ack(ids: tuple[int, ...], note: str | None, index: str | None, state_location: str | None) -> None:
    """Mark findings acknowledged: someone is on them."""
    _set_status(ids, "acknowledged", note, index, state_location)


@findings.command("resolve")
@click.argument("ids", nargs=-1, required=True, type=int, metavar="ID...")
@click.option("--note", help="A note kept with each finding (taken down, credit added, licensed).")
@index_option
@state_option
def findings_resolve(ids: tuple[int, ...], note: str | None, index: str | None, state_location: str | None) -> None:
    """Mark findings resolved."""
    _set_status(ids, "resolved", note, index, state_location)
