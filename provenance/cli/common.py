"""What every command shares: one-line errors and exit codes, the options several commands take,
the settings (read once per command, resolved by `config.resolve`), the index, the progress bar."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from provenance.config import SEVERITY_NAMES
from provenance.errors import ProvenanceError
from provenance.inert import inert

if TYPE_CHECKING:
    from provenance.config import Config, Resolved
    from provenance.index.store.base import Store
    from provenance.publishers import Registry

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
SEVERITIES = SEVERITY_NAMES  # --fail-on's choices


class Failure(click.ClickException):
    """A one-line error on stderr and exit code 2 (click's own exceptions exit 1)."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {inert(self.format_message())}", err=True)


def fail(exc: BaseException) -> NoReturn:
    if isinstance(exc, BrokenPipeError):  # the reader left (`| head`): no one to tell, nothing to add
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush is quiet too
        sys.exit(1)
    if isinstance(exc, ProvenanceError):
        raise Failure(str(exc)) from None
    if isinstance(exc, OSError) and exc.filename:  # a file the user named: an output, a baseline
        raise Failure(f"cannot open {exc.filename}: {exc.strerror or exc}") from None
    if isinstance(exc, KeyboardInterrupt):
        raise Failure("interrupted") from None
    if os.environ.get("PROVENANCE_DEBUG"):
        raise exc
    raise Failure(
        f"internal error ({type(exc).__name__}: {exc}); rerun with PROVENANCE_DEBUG=1 and report it"
    ) from None


@contextmanager
def one_line_errors() -> Iterator[None]:
    """Every failure of the library becomes one line and exit code 2, never a traceback."""
    try:
        yield
    except (click.exceptions.Exit, click.ClickException):
        raise
    except (Exception, KeyboardInterrupt) as exc:
        fail(exc)


def warn(text: str) -> None:
    click.echo(f"warning: {inert(text)}", err=True)


def index_option(func: F) -> F:
    return click.option(
        "--index",
        "index",
        metavar="PATH|redis://HOST:PORT/DB",
        help="The index of known articles: a SQLite file (default: index.sqlite in the user data directory) "
        "or a Redis URL. Also $PROVENANCE_INDEX.",
    )(func)


_FETCH_FLAGS = (
    ("--offline", "Fetch nothing: answer from the HTTP cache and local files only."),
    ("--no-cache", "Neither read nor write the HTTP cache."),
    ("--allow-private", "Fetch from loopback and private addresses (your own test or intranet sites)."),
    ("--ignore-robots", "Ignore robots.txt (only for sites you run or may crawl)."),
)


def fetch_options(func: F) -> F:
    """The fetcher's flags (docs/fetching.md); read back by `settings()`, so commands take no parameter."""

    def remember(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if value:
            ctx.meta[f"provenance.fetch.{param.name}"] = True

    for flag, text in reversed(_FETCH_FLAGS):
        func = click.option(flag, is_flag=True, expose_value=False, callback=remember, help=text)(func)
    return func


def fetch_flag(name: str) -> bool:
    """Whether a flag of `fetch_options` was given: "offline", "no_cache", "allow_private", "ignore_robots"."""
    return bool(click.get_current_context().meta.get(f"provenance.fetch.{name}"))


def config() -> Config:
    """The settings file in force, read once per command (errors are one line, like any other)."""
    from provenance.config import load

    root = click.get_current_context().find_root()
    if "provenance.config" not in root.meta:
        root.meta["provenance.config"] = load(root.obj)
    found: Config = root.meta["provenance.config"]
    return found


def settings(**flags: Any) -> Resolved:
    """The command's settings: the file, the environment and `flags` (with the fetcher's) resolved."""
    from provenance.config import Flags, resolve

    fetching = Flags(
        offline=fetch_flag("offline"),
        no_cache=fetch_flag("no_cache"),
        allow_private=fetch_flag("allow_private"),
        ignore_robots=fetch_flag("ignore_robots"),
    )
    return resolve(config(), os.environ, replace(fetching, **flags))


def registry() -> Registry:
    from provenance.publishers import bundled

    return bundled().extended(config().publishers)


def rank(severity: str) -> int:
    from provenance.model import Severity

    return Severity(severity).rank


def open_store(location: str, *, create: bool, readonly: bool = False, verified: bool = True) -> Store:
    """The index at `location`; with `verified`, one whose keys this provenance does not make is
    refused (`index rebuild`)."""
    from provenance.index import open_index

    return open_index(location, create=create, readonly=readonly, verified=verified)


def existing_index(resolved: Resolved) -> str | None:
    """The index to search when it is there: one the user named must be; the default may be absent."""
    from provenance.index import exists

    if resolved.index is None or exists(resolved.index):
        return resolved.index
    if resolved.index_named:
        raise Failure(f"no index at {resolved.index}; fill it with `provenance index add` or `index import`")
    return None


def progress_wanted() -> bool:
    """Progress bars on a terminal only: quiet when piped and in CI."""
    return sys.stderr.isatty() and not os.environ.get("CI")


class Bar:
    """A progress bar a long operation moves: `advance(n)` as it goes, `expect(total)` once it knows."""

    def __init__(self, progress: Any, task: Any) -> None:
        self._progress, self._task = progress, task

    def advance(self, count: int = 1) -> None:
        self._progress.advance(self._task, count)

    def expect(self, total: int) -> None:
        self._progress.update(self._task, total=total)


def with_progress(label: str, work: Callable[[Bar | None], T], *, counted: bool = False) -> T:
    """`work(bar)` with a progress bar on a terminal (`work(None)` elsewhere). A `counted` operation
    says how much there is to do (`bar.expect`); another shows its speed instead."""
    if not progress_wanted():
        return work(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = [TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    if not counted:
        columns.insert(3, TextColumn("{task.speed} /s"))
    with Progress(*columns, transient=True) as progress:
        return work(Bar(progress, progress.add_task(label, total=None)))
