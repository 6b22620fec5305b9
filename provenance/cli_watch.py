"""The `watch` and `findings` commands: parse, call `provenance.watch`, render, choose the exit code.

Registered on the main group by `provenance/cli.py` importing this module; it takes the shared
options (the index, the fetcher's flags) and the one-line error handling from there.

Exit codes: `watch --once` 1 when the pass found new findings at or above fail-on, else 0; without
`--once` 0 after a clean stop (SIGINT, SIGTERM); 2 usage, config or a state or index that cannot
be used. A source or a webhook that fails is a warning on stderr: the pass goes on.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC
from typing import TYPE_CHECKING, Any

import click

from provenance import urls
from provenance.cli import (
    SEVERITIES,
    Failure,
    _config,
    _discovery_endpoints,
    _fetch_settings,
    _one_line_errors,
    _progress_wanted,
    _store,
    fetch_options,
    index_option,
    main,
)
from provenance.inert import inert
from provenance.watch.formats import LIST_FORMATS, PASS_FORMATS

if TYPE_CHECKING:
    from provenance.index.store.base import Store
    from provenance.watch.model import Digest, Filters, Pass
    from provenance.watch.run import Job, Progress
    from provenance.watch.state.base import State

STATUSES = ("new", "acknowledged", "resolved")
WEBHOOK_ENV = "PROVENANCE_WEBHOOK"
DATES = click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"])


def state_option(func: Any) -> Any:
    return click.option(
        "--state",
        "state_location",
        metavar="PATH|redis://HOST:PORT/DB",
        help="Where watch keeps what it has seen and found (default: [watch] state, else beside the index: "
        "index.watch.sqlite, or the Redis index's database).",
    )(func)


def _state_location(explicit: str | None, index: str | None) -> str:
    from provenance.index import default_location
    from provenance.watch.state import beside

    config = _config()
    return explicit or config.watch.state or beside(index or default_location(config.index))


def _open_state(explicit: str | None, index: str | None, *, create: bool) -> State:
    from provenance.watch.state import open_state

    return open_state(_state_location(explicit, index), create=create)


def _warn(text: str) -> None:
    click.echo(f"warning: {inert(text)}", err=True)


# --- watch ---------------------------------------------------------------------------------------------


@main.command()
@click.option("--once", is_flag=True, help="Run one pass and exit (1 when it found new findings at or above fail-on).")
@index_option
@state_option
@click.option(
    "--format", "-f", "fmt", type=click.Choice(PASS_FORMATS), default="table", show_default=True,
    help="How each pass reports its new findings (html: a digest linking each finding's side-by-side evidence).",
)  # fmt: skip
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write each pass's report here.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None, help="With --once: exit 1 on new findings "
              "this severe or worse (default: [watch] fail-on, else fail-on, else error).")  # fmt: skip
@click.option("--interval", metavar="DURATION", help="Time between passes: seconds, or 15m, 1h (default: [watch] "
              "interval, else 1h).")  # fmt: skip
@click.option("--webhook", metavar="URL", help=f"POST new findings here (Slack-compatible). Also ${WEBHOOK_ENV}.")
@click.option("--workers", type=click.IntRange(1, 64), help="Processes checking pages (default: all cores).")
@click.option("--color/--no-color", default=None, help="Force colour on or off (default: on for terminals).")
@fetch_options
def watch(
    once: bool,
    index: str | None,
    state_location: str | None,
    fmt: str,
    output: str | None,
    fail_on: str | None,
    interval: str | None,
    webhook: str | None,
    workers: int | None,
    color: bool | None,
) -> None:
    """Find who republishes our stories: read the sources in [watch], check each new page against our index.

    Every pass refreshes the index from our own feeds and sitemaps, reads the sources with conditional
    GET, checks each page it has not seen (against the index only: no web discovery) and records
    the ones that copy an article of ours, with their gaps. A rerun reports only what is new.
    Without --once it passes every interval until SIGINT or SIGTERM. See docs/watch.md.
    """
    from provenance import watch as library
    from provenance.config import duration
    from provenance.fetch import new_client
    from provenance.index import default_location

    with _one_line_errors():
        config = _config()
        conf = config.watch
        if not (conf.own_feeds or conf.own_sitemaps or conf.sources or conf.search):
            raise Failure("nothing to watch: list sources, own feeds or search = true under [watch] (docs/watch.md)")
        if click.get_current_context().meta.get("provenance.fetch.offline"):
            raise Failure("--offline: watch reads its sources as they are now, from the network")
        every = duration(interval) if interval is not None else conf.interval or 3600.0
        if every is None or not 1 <= every <= 7 * 86400:
            raise Failure(f"--interval {interval!r}: give seconds or a duration (15m, 1h) from 1 s to 7 days")
        hook = webhook or os.environ.get(WEBHOOK_ENV) or conf.webhook
        if hook and not urls.is_web_url(hook):
            raise Failure(f"the webhook must be an http(s):// URL (--webhook, ${WEBHOOK_ENV} or [watch] webhook)")
        location = index or default_location(config.index)
        searxng = _discovery_endpoints()[0]
        job = library.job(
            config, location, fetching=_fetch_settings(), fail_on=fail_on, workers=workers or os.cpu_count() or 1,
            searxng=searxng, webhook=hook,
        )  # fmt: skip
        store = _store(location, create=True)
        try:
            state = _open_state(state_location, location, create=True)
        except BaseException:
            store.close()
            raise
    code = 0
    with _closing(store, state), new_client(job.settings.fetch) as client, _stopping() as stop:
        while True:
            with _one_line_errors():
                run = _pass(job, state, store, client, stop, hook)
                _report(run, job, state, store, fmt, output, color)
            code = run.exit_code
            if once or stop.is_set() or stop.wait(every):
                break
    sys.exit(code if once else 0)


@contextmanager
def _closing(store: Store, state: State) -> Iterator[None]:
    try:
        yield
    finally:
        state.close()
        store.close()


@contextmanager
def _stopping() -> Iterator[threading.Event]:
    """SIGINT and SIGTERM end the pass after the page in hand (and the loop); a second SIGINT at once."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():  # a test runner's thread: no signals
        yield stop
        return

    def handler(number: int, frame: object) -> None:
        if stop.is_set() and number == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()
        click.echo("stopping after the page in hand (Ctrl-C again to quit at once)", err=True)

    before = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, old in before.items():
            signal.signal(sig, old)


def _pass(job: Job, state: State, store: Store, client: Any, stop: threading.Event, hook: str | None) -> Pass:
    from provenance import watch as library
    from provenance.watch.run import run_pass

    with _progress() as progress:
        run = run_pass(job, state, store, client, stop=stop, progress=progress)
    for source in run.sources:
        if source.status == "failed":
            _warn(f"source {source.url} failed: {source.detail} (read again next pass)")
    for error in run.errors:
        _warn(error.error)
    for note in run.notes:
        _warn(note)
    problem = library.notify(state, client, hook)
    if problem is not None:
        _warn(problem)
        run = replace(run, notes=(*run.notes, problem))
    return run


@contextmanager
def _progress() -> Iterator[Progress | None]:
    """A bar per pass on a terminal (never in CI or when stderr is piped): sources, pages, findings."""
    if not _progress_wanted():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    counts = {"sources": 0, "source": 0, "finding": 0}
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:  # stdout holds the findings
        task = bar.add_task("reading sources", total=None)

        def step(event: str, count: int) -> None:
            if event in counts:
                counts[event] += count
            label = f"sources {counts['source']}/{counts['sources']}, findings {counts['finding']}"
            if event == "items":
                bar.update(task, total=count, completed=0)
            bar.update(task, advance=count if event == "item" else 0, description=f"pages ({label})")

        yield step


def _report(run: Pass, job: Job, state: State, store: Store, fmt: str, output: str | None, color: bool | None) -> None:
    """The pass's new findings, rendered; then they count as reported (a pass killed before this
    point leaves them for the next one to report)."""
    from provenance.watch.model import Digest

    digest = Digest(run.findings, run, _evidence(run.findings, job, state, store) if fmt == "html" else ())
    _render(digest, fmt, output, color)
    state.mark_reported([f.id for f in run.findings])


def _evidence(findings: Any, job: Job, state: State, store: Store) -> tuple[Any, ...]:
    from provenance.errors import ProvenanceError
    from provenance.watch.run import evidence

    reports = []
    for finding in findings:
        page = state.page(finding.id)
        try:
            reports.append(evidence(page, job.settings, store) if page is not None else None)
        except ProvenanceError:
            reports.append(None)
    return tuple(reports)


def _render(
    digest: Digest, fmt: str, output: str | None, color: bool | None, show: Callable[..., None] | None = None
) -> None:
    from provenance.watch.formats import renderer

    render = show or renderer(fmt)
    if output is None:
        render(digest, sys.stdout, color=color)
        return
    with open(output, "w", encoding="utf-8") as out:
        render(digest, out, color=False)


# --- findings ------------------------------------------------------------------------------------------


@main.group()
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
    state = _open_state(state_location, index, create=False)
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

    with _one_line_errors():
        found = _listed(_filters(**chosen), index, state_location)
        evidence = _with_evidence(found, index, state_location) if fmt == "html" else ()
        _render(Digest(found, None, evidence), fmt, output, color)


@findings.command("export")
@filter_options
@click.option("--format", "-f", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to a file.")
def findings_export(fmt: str, output: str | None, index: str | None, state_location: str | None, **chosen: Any) -> None:
    """Export findings as JSON Lines or CSV (a cell a spreadsheet would run as a formula starts with ')."""
    from provenance.watch.model import Digest

    with _one_line_errors():
        found = _listed(_filters(**chosen), index, state_location)
        _render(Digest(found), fmt, output, False)


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

    with _one_line_errors():
        state = _open_state(state_location, index, create=False)
        try:
            finding = state.get(finding_id)
        finally:
            state.close()
        if finding is None:
            raise Failure(f"no finding #{finding_id} in {_state_location(state_location, index)}")
        evidence = _with_evidence((finding,), index, state_location) if fmt == "html" else ()
        digest = Digest((finding,), None, evidence)
        if fmt == "text":
            _render(digest, fmt, output, color, lambda d, out, color: terminal.detail(inert_data(d), out, color=color))
        else:
            _render(digest, fmt, output, color)


def _with_evidence(found: tuple[Any, ...], index: str | None, state_location: str | None) -> tuple[Any, ...]:
    """Each finding's check report: its stored page against the index (read-only) again."""
    from provenance import watch as library
    from provenance.index import default_location
    from provenance.watch.run import evidence

    location = index or default_location(_config().index)
    with _store(location, create=False, readonly=True) as store:
        state = _open_state(state_location, index, create=False)
        try:
            settings = library.job(_config(), location).settings
            reports = []
            for finding in found:
                page = state.page(finding.id)
                reports.append(evidence(page, settings, store) if page is not None else None)
            return tuple(reports)
        finally:
            state.close()


def _set_status(
    ids: tuple[int, ...], status: str, note: str | None, index: str | None, state_location: str | None
) -> None:
    from provenance.watch.model import Status

    with _one_line_errors():
        state = _open_state(state_location, index, create=False)
        try:
            done = state.set_status(ids, Status(status), note)
        finally:
            state.close()
    for finding_id in ids:
        if finding_id not in done:
            _warn(f"no finding #{finding_id}")
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
