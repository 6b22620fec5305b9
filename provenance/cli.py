"""Command line: parse arguments, call the library, render, choose the exit code. Nothing else.

Exit codes (as ruff): 0 no gap at or above --fail-on; 1 gaps; 2 usage, input or internal error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from provenance._version import __version__
from provenance.errors import ProvenanceError
from provenance.inert import inert
from provenance.report import FORMATS

if TYPE_CHECKING:
    from provenance.config import Config
    from provenance.discover import DiscoveryOptions, Plan
    from provenance.fetch import FetchSettings
    from provenance.index.store.base import Store
    from provenance.publishers import Registry

SEVERITIES = ("info", "warning", "error", "never")
# provenance.discover.STRATEGIES, spelled out so that --help does not import discovery (tests/test_discovery.py)
DISCOVERY_STRATEGIES = ("links", "publisher", "search", "wayback")
F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


class Failure(click.ClickException):
    """A one-line error on stderr and exit code 2 (click's own exceptions exit 1)."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {inert(self.format_message())}", err=True)


def _fail(exc: BaseException) -> NoReturn:
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
def _one_line_errors() -> Iterator[None]:
    """Every failure of the library becomes one line and exit code 2, never a traceback."""
    try:
        yield
    except (click.exceptions.Exit, click.ClickException):
        raise
    except (Exception, KeyboardInterrupt) as exc:
        _fail(exc)


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
    """The fetcher's flags (docs/fetching.md); read back by _fetch_settings(), so commands take no parameter."""

    def remember(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if value:
            ctx.meta[f"provenance.fetch.{param.name}"] = True

    for flag, text in reversed(_FETCH_FLAGS):
        func = click.option(flag, is_flag=True, expose_value=False, callback=remember, help=text)(func)
    return func


def _fetch_settings() -> FetchSettings:
    """Defaults < [discovery] in the config < the flags of fetch_options."""
    from provenance.fetch import FetchSettings

    meta = click.get_current_context().meta
    names = (flag[2:].replace("-", "_") for flag, _ in _FETCH_FLAGS)
    flags = {name: bool(meta.get(f"provenance.fetch.{name}")) for name in names}
    return FetchSettings.configured(_config().discovery, **flags)


def _progress_wanted() -> bool:
    """Progress bars on a terminal only: quiet when piped and in CI."""
    return sys.stderr.isatty() and not os.environ.get("CI")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="provenance")
@click.option(
    "--config",
    "config_path",
    metavar="FILE",
    help="Settings file (default: the closest .provenance.toml, provenance.toml or pyproject.toml [tool.provenance]).",
)
@click.pass_context
def main(ctx: click.Context, config_path: str | None) -> None:
    """Where did this news text really come from, and does the page say so honestly?"""
    ctx.obj = config_path


def _config() -> Config:
    """The settings file in force, read once per command (errors are one line, like any other)."""
    from provenance.config import load

    root = click.get_current_context().find_root()
    if "provenance.config" not in root.meta:
        root.meta["provenance.config"] = load(root.obj)
    config: Config = root.meta["provenance.config"]
    return config


def _registry() -> Registry:
    from provenance.publishers import bundled

    return bundled().extended(_config().publishers)


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
    type=click.Choice(DISCOVERY_STRATEGIES),
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
    from provenance.model import ShingleParams
    from provenance.pipeline import Settings
    from provenance.pipeline import check as run_check
    from provenance.report import renderer

    with _one_line_errors():
        config = _config()
        fail_on = fail_on or config.fail_on or "error"
        required = index is not None or config.index is not None
        store = None if no_index else _open_index(index, create=False, required=required, readonly=True)
        with store or nullcontext():
            params = ShingleParams(size=shingle_size or config.shingle_size or 5)
            plan = None if no_discover else _discovery_plan(article, discover, budget, max_fetches)
            fetching = _fetch_settings()
            if plan is not None:  # the user's own endpoints (a SearXNG on localhost), not links found in pages
                fetching = fetching.trusting(*_discovery_endpoints())
            settings = Settings(params=params, registry=_registry(), fetch=fetching)
            report = run_check(article, candidates, settings=settings, store=store, discovery=plan)
        if output:
            with open(output, "w", encoding="utf-8") as out:
                renderer(fmt)(report, out, color=False)
        else:
            renderer(fmt)(report, sys.stdout, color=color)
    worst = report.worst_severity()
    if worst is not None and fail_on != "never" and worst.rank >= _rank(fail_on):
        sys.exit(1)


def _discovery_plan(article: str, names: tuple[str, ...], budget: float | None, max_fetches: int | None) -> Plan | None:
    """The web strategies to run: flags > $PROVENANCE_DISCOVER > [discovery] strategies > all for a URL, none else."""
    from provenance.discover import build

    options = _discovery_options(article, names, budget, max_fetches)
    return build(options) if options is not None else None


def _discovery_options(
    article: str, names: tuple[str, ...], budget: float | None, max_fetches: int | None
) -> DiscoveryOptions | None:
    from provenance.discover import DEFAULT_BUDGET, DEFAULT_MAX_FETCHES, STRATEGIES, DiscoveryOptions

    if click.get_current_context().meta.get("provenance.fetch.offline"):
        return None
    conf = _config().discovery
    env = os.environ.get("PROVENANCE_DISCOVER")
    if names:
        chosen = list(names)
    elif env is not None:
        chosen = [n for n in env.replace(",", " ").split() if n != "none"]
    elif conf.strategies is not None:
        chosen = list(conf.strategies)
    else:
        chosen = list(STRATEGIES) if article.startswith(("http://", "https://")) else []
    if not chosen:
        return None
    options = DiscoveryOptions(
        strategies=tuple(chosen),
        budget=budget or conf.budget or DEFAULT_BUDGET,
        max_fetches=next(n for n in (max_fetches, conf.max_fetches, DEFAULT_MAX_FETCHES) if n is not None),
        searxng=_discovery_endpoints()[0],
        wayback=_discovery_endpoints()[1] or DiscoveryOptions.wayback,
        window_hours=conf.window_hours or DiscoveryOptions.window_hours,
        max_pages=conf.max_pages or DiscoveryOptions.max_pages,
    )
    return options


def _discovery_endpoints() -> tuple[str | None, str | None]:
    """The search engine and archive the user configured: $PROVENANCE_SEARXNG/_WAYBACK > [discovery]."""
    conf = _config().discovery
    return (
        os.environ.get("PROVENANCE_SEARXNG") or conf.searxng,
        os.environ.get("PROVENANCE_WAYBACK") or conf.wayback,
    )


def _rank(name: str) -> int:
    from provenance.model import Severity

    return Severity(name).rank


def _open_index(
    location: str | None, *, create: bool, required: bool = True, readonly: bool = False, verified: bool = True
) -> Store | None:
    """The store at `location` (or the default one); None when it is optional and absent. With
    `verified`, an index whose keys this provenance does not make is refused (`index rebuild`)."""
    from provenance.index import default_location, exists, open_index

    location = location or default_location(_config().index)
    if not create and not required and not exists(location):
        return None
    return open_index(location, create=create, readonly=readonly, verified=verified)


def _store(location: str | None, *, create: bool, readonly: bool = False, verified: bool = True) -> Store:
    """The store at `location` (or the default one), which must be there unless `create`."""
    store = _open_index(location, create=create, readonly=readonly, verified=verified)
    assert store is not None  # required
    return store


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


@main.group()
def index() -> None:
    """Build and query the index of known articles that every check searches first."""


@index.command("add")
@click.argument("sources", nargs=-1, required=True, metavar="PATH|URL...")
@index_option
@click.option(
    "--workers", type=click.IntRange(1, 64), default=None, help="Processes for extraction (default: all cores)."
)
@fetch_options
def index_add(sources: tuple[str, ...], index: str | None, workers: int | None) -> None:
    """Add articles: files, directories (recursively) and URLs."""
    from provenance.index.readers.pages import from_specs

    with _one_line_errors():
        client = _client_if_urls(sources)
        try:
            _add_items(index, from_specs(sources, _registry(), client, workers or os.cpu_count() or 1))
        finally:
            if client is not None:
                client.close()


@index.command("add-feed")
@click.argument("urls", nargs=-1, required=True, metavar="URL...")
@index_option
@fetch_options
def index_add_feed(urls: tuple[str, ...], index: str | None) -> None:
    """Add every item of RSS/Atom feeds (the feed's full text when it has it, else the item's page)."""
    from provenance.fetch import new_client
    from provenance.index.readers.feeds import from_feeds

    with _one_line_errors(), new_client(_fetch_settings()) as client:
        _add_items(index, from_feeds(urls, _registry(), client))


@index.command("add-sitemap")
@click.argument("urls", nargs=-1, required=True, metavar="URL...")
@index_option
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
    help="Only pages published or modified on or after this date.",
)
@fetch_options
def index_add_sitemap(urls: tuple[str, ...], index: str | None, since: datetime | None) -> None:
    """Add the pages of sitemaps, sitemap indexes and Google News sitemaps."""
    from provenance.fetch import new_client
    from provenance.index.readers.sitemaps import from_sitemaps

    cutoff = since.replace(tzinfo=UTC) if since and since.tzinfo is None else since
    with _one_line_errors(), new_client(_fetch_settings()) as client:
        _add_items(index, from_sitemaps(urls, _registry(), client, cutoff))


def _add_items(index: str | None, items: Iterator[Any]) -> None:
    """Ingest what could be read, warn about the rest on stderr, and say how it went."""
    from provenance.index.readers.pages import Skipped

    skipped: list[Skipped] = []

    def readable() -> Iterator[Any]:
        for item in items:
            if isinstance(item, Skipped):
                skipped.append(item)
                click.echo(f"warning: skipped {inert(item.reason)}", err=True)
            else:
                yield item

    def refused(where: str, why: str) -> None:
        click.echo(f"warning: skipped {where}: {why}", err=True)

    with _store(index, create=True) as store:
        totals = _ingest(store, readable(), None, on_skipped=refused)
    count = len(skipped) + totals.skipped
    click.echo(f"added {totals.added}, already indexed {totals.merged}, skipped {count} ({store.location})")
    if count and not totals.added and not totals.merged:
        raise Failure("nothing could be added")


@index.command("import")
@click.argument("files", nargs=-1, required=True, metavar="FILE.jsonl|-...")
@index_option
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Processes for fingerprinting.")
@click.option(
    "--on-error",
    type=click.Choice(["skip", "stop"]),
    default="skip",
    show_default=True,
    help="A bad record: report it with its line number and go on (exit 2 at the end), or stop there. "
    "Either way every valid record before it is kept.",
)
def index_import(files: tuple[str, ...], index: str | None, workers: int | None, on_error: str) -> None:
    """Import JSONL: one article per line (url, title, published, text or html, publisher, byline)."""
    from provenance.index.readers.jsonl import jsonl_lines, parse_jsonl

    def refused(where: str, why: str) -> None:
        click.echo(f"warning: skipped {where}: {why}", err=True)

    skipped = 0
    with _one_line_errors(), _store(index, create=True) as store:
        for name in files:
            with click.open_file(name, encoding="utf-8", errors="replace") as stream:
                label = "<stdin>" if name == "-" else name
                lines = jsonl_lines(stream, label)
                on_skipped = refused if on_error == "skip" else None
                totals = _ingest(store, lines, workers or os.cpu_count() or 1, parse_jsonl, on_skipped)
            skipped += totals.skipped
            counts = f"added {totals.added}, already indexed {totals.merged}, skipped {totals.skipped}"
            click.echo(f"{label}: {counts} ({store.location})")
    if skipped:
        raise Failure(f"{skipped} record(s) not imported (the warnings above say why); the others are in")


def _ingest(store: Store, items: Iterator[Any], workers: int | None, parse: Any = None, on_skipped: Any = None) -> Any:
    """`index.ingest` with a progress bar on a terminal; with `on_skipped`, bad records are skipped."""
    from provenance.index.ingest import ingest

    options = {"parse": parse, "workers": workers or 1, "skip_bad": on_skipped is not None, "on_skipped": on_skipped}
    return _with_progress("indexing", lambda advance: ingest(store, items, **options, on_batch=advance))


def _with_progress(label: str, work: Callable[[Callable[[int], None] | None], T]) -> T:
    """`work(advance)` with a progress bar of what it has done on a terminal (`work(None)` elsewhere)."""
    if not _progress_wanted():
        return work(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn("{task.speed} /s"))
    with Progress(*columns, TimeElapsedColumn(), transient=True) as progress:
        task = progress.add_task(label, total=None)
        return work(lambda n: progress.advance(task, n))


def _client_if_urls(sources: tuple[str, ...]) -> Any:
    if any(s.startswith(("http://", "https://")) for s in sources):
        from provenance.fetch import new_client

        return new_client(_fetch_settings())
    return None


@index.command("stats")
@index_option
def index_stats(index: str | None) -> None:
    """How many articles the index holds, its size, and how its keys were made."""
    from provenance.index.keys import stamp, stamp_of

    with _one_line_errors(), _store(index, create=False, readonly=True, verified=False) as store:
        stats = store.stats()
        found = stamp_of(store)
    overhead = stats.bytes - stats.text_bytes if stats.overhead_bytes is None else stats.overhead_bytes
    per_doc = overhead / stats.articles if stats.articles else 0
    click.echo(f"index:        {stats.location}")
    click.echo(f"articles:     {stats.articles}")
    click.echo(f"band entries: {stats.band_entries}")
    click.echo(f"size:         {stats.bytes / 1e6:.1f} MB ({per_doc:.0f} bytes per article without text)")
    if stats.oldest and stats.newest:
        click.echo(f"published:    {stats.oldest:%Y-%m-%d} to {stats.newest:%Y-%m-%d}")
    stale = "" if found == stamp() else " (not this provenance's: run `provenance index rebuild`)"
    click.echo(f"keys:         {found}{stale}")


@index.command("rebuild")
@index_option
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Processes (default: all cores).")
def index_rebuild(index: str | None, workers: int | None) -> None:
    """Sign the stored texts again with the keys this provenance makes (after an upgrade changed them).

    In place and crash-safe: the new keys replace the old ones at the end, all at once, so an
    interrupted rebuild leaves the index as it was; run it again. Nothing else may write meanwhile.
    """
    from provenance.index.keys import stamp, stamp_of
    from provenance.index.rebuild import rebuild

    with _one_line_errors(), _store(index, create=False, verified=False) as store:
        if stamp_of(store) == stamp():
            click.echo(f"nothing to do: the keys of {store.location} are already this provenance's")
            return
        done = _with_progress(
            "signing", lambda advance: rebuild(store, workers=workers or os.cpu_count() or 1, on_batch=advance)
        )
    merged = f", {done.merged} merged into an article with the same text" if done.merged else ""
    click.echo(f"signed {done.articles} article(s) again{merged} ({store.location})")


@index.command("remove")
@click.argument("urls", nargs=-1, required=True)
@index_option
def index_remove(urls: tuple[str, ...], index: str | None) -> None:
    """Remove articles by URL."""
    from provenance.index.ingest import remove

    with _one_line_errors(), _store(index, create=False) as store:
        removed = remove(store, urls)
    click.echo(f"removed {removed} of {len(urls)}")


@index.command("export")
@index_option
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to a file (default: stdout)."
)
def index_export(index: str | None, output: str | None) -> None:
    """Write every article as JSONL (the format `index import` reads)."""
    from provenance.index.readers.jsonl import to_jsonl

    with (
        _one_line_errors(),
        _store(index, create=False, readonly=True, verified=False) as store,
        click.open_file(output or "-", "w", encoding="utf-8") as out,
    ):
        for article in store.export():
            out.write(to_jsonl(article) + "\n")


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
        click.option("--discover", multiple=True, type=click.Choice(DISCOVERY_STRATEGIES), help="As for `check`."),
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


def _ci_run(options: dict[str, Any], baseline: str | None = None) -> Any:
    """Inputs, policy and settings from the flags and the config, then the run (docs/ci-policy.md)."""
    from pathlib import Path

    from provenance.ci.inputs import collect, sitemap_pages
    from provenance.ci.policy import build
    from provenance.ci.runner import Job, run
    from provenance.model import ShingleParams
    from provenance.pipeline import Settings

    ctx = click.get_current_context()
    if options["ci_config"]:
        ctx.find_root().obj = options["ci_config"]
    config = _config()
    root = config.path.parent if config.path else Path.cwd()
    fail_on = options["fail_on"] or config.fail_on or "error"
    where = str(config.path or "flags")
    policy = build(config.ci, fail_on, select=options["select"], ignore=options["ignore_rules"], where=where)
    index = None
    if not options["no_index"]:
        from provenance.index import default_location, exists

        index = options["index"] or default_location(config.index)
        if not exists(index):
            if options["index"] or config.index:
                raise Failure(f"no index at {index}; fill it with `provenance index add` or `index import`")
            index = None
    names, budget, fetches = options["discover"], options["budget"], options["max_fetches"]
    no_web = options["no_discover"]
    fetching = _fetch_settings()
    discovery_urls = None if no_web else _discovery_options("https://", names, budget, fetches)
    discovery_files = None if no_web else _discovery_options("", names, budget, fetches)
    if discovery_urls or discovery_files:
        fetching = fetching.trusting(*_discovery_endpoints())
    settings = Settings(params=ShingleParams(size=config.shingle_size or 5), registry=_registry(), fetch=fetching)

    def pages() -> list[str]:
        from provenance.fetch import new_client

        with new_client(fetching) as client:
            return sitemap_pages(options["sitemaps"], client)

    items = collect(
        options["inputs"],
        root,
        exclude=policy.exclude,
        url_files=options["url_files"],
        sitemap_urls=pages if options["sitemaps"] else None,
        follow_symlinks=options["follow_symlinks"],
        on_skipped=lambda path, why: click.echo(f"warning: skipped {path}: {why}", err=True),
    )
    if not items:  # not an error: a pre-commit hook may pass only files the policy excludes
        click.echo("warning: nothing to check: no Markdown or HTML file or URL left among the inputs", err=True)
    accepted = frozenset[str]()
    if baseline:
        from provenance.ci.baseline import read

        accepted = read(Path(baseline))
    job = Job(policy, settings, index, discovery_files, discovery_urls, fetching.cache_path())
    use_cache = not ctx.meta.get("provenance.fetch.no_cache")
    workers = options["workers"]
    if not _progress_wanted():
        return run(items, job, workers=workers, use_cache=use_cache, accepted=accepted)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True
    ) as bar:
        task = bar.add_task("checking", total=len(items))
        return run(
            items, job, workers=workers, use_cache=use_cache, accepted=accepted, on_result=lambda _: bar.advance(task)
        )


def _ci_formats() -> list[str]:
    from provenance.ci.formats import FORMATS as CI_FORMATS

    return sorted(CI_FORMATS)


@main.command()
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

    with _one_line_errors():
        run = _ci_run(options, baseline)
        name = fmt or ("full" if sys.stdout.isatty() and not output else "concise")
        if output:
            with open(output, "w", encoding="utf-8") as out:
                renderer(name)(run, out, color=False)
        else:
            renderer(name)(run, sys.stdout, color=color)
    for result in run.errors:
        click.echo(f"error: {inert(result.error)}", err=True)
    code = run.exit_code
    sys.exit(0 if exit_zero and code == 1 else code)


@main.command()
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
    from pathlib import Path

    from provenance.ci.baseline import write

    with _one_line_errors():
        run = _ci_run(options)
        count = write(run, Path(output))
    for result in run.errors:
        click.echo(f"error: {inert(result.error)}", err=True)
    click.echo(f"wrote {count} finding(s) of {len(run.results)} article(s) to {output}")
    sys.exit(2 if run.errors else 0)


from provenance import cli_watch  # noqa: E402, F401  (registers `watch` and `findings` on main)
