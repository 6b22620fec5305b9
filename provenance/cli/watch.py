"""`provenance watch`: read the sources in [watch], check each new page against our index, keep the
findings (docs/watch.md). The `findings` commands (findings.py) work the queue it fills.

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
from typing import TYPE_CHECKING, Any

import click

from provenance import urls
from provenance.cli import common
from provenance.cli.common import (
    SEVERITIES,
    Failure,
    fetch_flag,
    fetch_options,
    index_option,
    one_line_errors,
    open_store,
    settings,
    warn,
)
from provenance.config import WEBHOOK_ENV
from provenance.watch.formats import PASS_FORMATS

if TYPE_CHECKING:
    from provenance.config import Resolved
    from provenance.index.store.base import Store
    from provenance.watch.model import Digest, Pass
    from provenance.watch.run import Job, Progress
    from provenance.watch.state.base import State


def state_option(func: Any) -> Any:
    return click.option(
        "--state",
        "state_location",
        metavar="PATH|redis://HOST:PORT/DB",
        help="Where watch keeps what it has seen and found (default: [watch] state, else beside the index: "
        "index.watch.sqlite, or the Redis index's database).",
    )(func)


def state_location(chosen: Resolved) -> str:
    """--state > [watch] state > beside the index."""
    from provenance.watch.state import beside

    assert chosen.index is not None
    return chosen.state or beside(chosen.index)


def _open_state(chosen: Resolved, *, create: bool) -> State:
    from provenance.watch.state import open_state

    return open_state(state_location(chosen), create=create)


@click.command()
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

    with one_line_errors():
        every = duration(interval) if interval is not None else None
        if interval is not None and (every is None or not 1 <= every <= 7 * 86400):
            raise Failure(f"--interval {interval!r}: give seconds or a duration (15m, 1h) from 1 s to 7 days")
        chosen = settings(index=index, fail_on=fail_on, interval=every, webhook=webhook, state=state_location)
        conf = chosen.config.watch
        if not (conf.own_feeds or conf.own_sitemaps or conf.sources or conf.search):
            raise Failure("nothing to watch: list sources, own feeds or search = true under [watch] (docs/watch.md)")
        if fetch_flag("offline"):
            raise Failure("--offline: watch reads its sources as they are now, from the network")
        hook = chosen.webhook
        if hook and not urls.is_web_url(hook):
            raise Failure(f"the webhook must be an http(s):// URL (--webhook, ${WEBHOOK_ENV} or [watch] webhook)")
        location = chosen.index
        assert location is not None
        job = library.job(
            chosen.config, location, fetching=chosen.fetch, fail_on=chosen.watch_fail_on,
            workers=workers or os.cpu_count() or 1, searxng=chosen.searxng, webhook=hook,
        )  # fmt: skip
        store = open_store(location, create=True)
        try:
            state = _open_state(chosen, create=True)
        except BaseException:
            store.close()
            raise
        every = chosen.interval
    code = 0
    with store, _closing(state), new_client(job.settings.fetch) as client, _stopping() as stop:
        while True:
            with one_line_errors():
                run = _pass(job, state, store, client, stop, hook)
                _report(run, job, state, store, fmt, output, color)
            code = run.exit_code
            if once or stop.is_set() or stop.wait(every):
                break
    sys.exit(code if once else 0)


@contextmanager
def _closing(state: State) -> Iterator[None]:
    try:
        yield
    finally:
        state.close()


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
            warn(f"source {source.url} failed: {source.detail} (read again next pass)")
    for error in run.errors:
        warn(error.error)
    for note in run.notes:
        warn(note)
    problem = library.notify(state, client, hook)
    if problem is not None:
        warn(problem)
        run = replace(run, notes=(*run.notes, problem))
    return run


@contextmanager
def _progress() -> Iterator[Progress | None]:
    """A bar per pass on a terminal (never in CI or when stderr is piped): sources, pages, findings."""
    if not common.progress_wanted():
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
    render(digest, fmt, output, color)
    state.mark_reported([f.id for f in run.findings])


def _evidence(findings: Any, job: Job, state: State, store: Store) -> tuple[Any, ...]:
    from provenance.errors import ProvenanceError
    from provenance.watch.pages import evidence

    reports = []
    for finding in findings:
        page = state.page(finding.id)
        try:
            reports.append(evidence(page, job.settings, store) if page is not None else None)
        except ProvenanceError:
            reports.append(None)
    return tuple(reports)


def render(
    digest: Digest, fmt: str, output: str | None, color: bool | None, show: Callable[..., None] | None = None
) -> None:
    from provenance.watch.formats import renderer

    render = show or renderer(fmt)
    if output is None:
        render(digest, sys.stdout, color=color)
        return
    with open(output, "w", encoding="utf-8") as out:
        render(digest, out, color=False)
