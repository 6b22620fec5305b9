"""`provenance index ...`: fill, look after and rebuild the index of known articles (docs/index.md)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from provenance.cli.common import (
    Bar,
    Failure,
    fetch_options,
    index_option,
    one_line_errors,
    open_store,
    registry,
    settings,
    with_progress,
)
from provenance.inert import inert
from provenance.urls import is_url

if TYPE_CHECKING:
    import httpx

    from provenance.index.ingest import IngestTotals
    from provenance.index.store.base import Store


@click.group()
def index() -> None:
    """Build and query the index of known articles that every check searches first."""


def _store(location: str | None, *, create: bool, readonly: bool = False, verified: bool = True) -> Store:
    """The index `--index` names (or the default one), which must be there unless `create`."""
    chosen = settings(index=location).index
    assert chosen is not None
    return open_store(chosen, create=create, readonly=readonly, verified=verified)


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

    with one_line_errors():
        client = _client_if_urls(sources)
        try:
            _add_items(index, from_specs(sources, registry(), client, workers or os.cpu_count() or 1))
        finally:
            if client is not None:
                client.close()


def _client_if_urls(sources: tuple[str, ...]) -> httpx.Client | None:
    if any(is_url(s) for s in sources):
        from provenance.fetch import new_client

        return new_client(settings().fetch)
    return None


@index.command("add-feed")
@click.argument("urls", nargs=-1, required=True, metavar="URL...")
@index_option
@fetch_options
def index_add_feed(urls: tuple[str, ...], index: str | None) -> None:
    """Add every item of RSS/Atom feeds (the feed's full text when it has it, else the item's page)."""
    from provenance.fetch import new_client
    from provenance.index.readers.feeds import from_feeds

    with one_line_errors(), new_client(settings().fetch) as client:
        _add_items(index, from_feeds(urls, registry(), client))


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
    with one_line_errors(), new_client(settings().fetch) as client:
        _add_items(index, from_sitemaps(urls, registry(), client, cutoff))


def _refused(where: str, why: str) -> None:
    click.echo(f"warning: skipped {where}: {why}", err=True)


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

    with _store(index, create=True) as store:
        totals = _ingest(store, readable(), None, on_skipped=_refused)
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

    skipped = 0
    with one_line_errors(), _store(index, create=True) as store:
        for name in files:
            with click.open_file(name, encoding="utf-8", errors="replace") as stream:
                label = "<stdin>" if name == "-" else name
                lines = jsonl_lines(stream, label)
                on_skipped = _refused if on_error == "skip" else None
                totals = _ingest(store, lines, workers or os.cpu_count() or 1, parse_jsonl, on_skipped)
            skipped += totals.skipped
            counts = f"added {totals.added}, already indexed {totals.merged}, skipped {totals.skipped}"
            click.echo(f"{label}: {counts} ({store.location})")
    if skipped:
        raise Failure(f"{skipped} record(s) not imported (the warnings above say why); the others are in")


def _ingest(
    store: Store, items: Iterator[Any], workers: int | None, parse: Any = None, on_skipped: Any = None
) -> IngestTotals:
    """`index.ingest` with a progress bar on a terminal; with `on_skipped`, bad records are skipped."""
    from provenance.index.ingest import ingest

    def work(bar: Bar | None) -> IngestTotals:
        return ingest(
            store, items, parse=parse, workers=workers or 1, skip_bad=on_skipped is not None, on_skipped=on_skipped,
            on_batch=bar.advance if bar else None,
        )  # fmt: skip

    return with_progress("indexing", work)


@index.command("stats")
@index_option
def index_stats(index: str | None) -> None:
    """How many articles the index holds, its size, and how its keys were made."""
    from provenance.index.keys import stamp, stamp_of

    with one_line_errors(), _store(index, create=False, readonly=True, verified=False) as store:
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


@index.command("remove")
@click.argument("urls", nargs=-1, required=True)
@index_option
def index_remove(urls: tuple[str, ...], index: str | None) -> None:
    """Remove articles by URL."""
    from provenance.index.ingest import remove

    with one_line_errors(), _store(index, create=False) as store:
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
        one_line_errors(),
        _store(index, create=False, readonly=True, verified=False) as store,
        click.open_file(output or "-", "w", encoding="utf-8") as out,
    ):
        for article in store.export():
            out.write(to_jsonl(article) + "\n")


@index.command("rebuild")
@index_option
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Processes (default: all cores).")
def index_rebuild(index: str | None, workers: int | None) -> None:
    """Sign the stored texts again with the keys this provenance makes (after an upgrade changed them).

    In place and crash-safe: the new keys replace the old ones at the end, all at once, so an
    interrupted rebuild leaves the index as it was; run it again. Nothing else may write meanwhile.
    """
    from provenance.index.keys import stamp, stamp_of
    from provenance.index.rebuild import Rebuilt, rebuild

    with one_line_errors(), _store(index, create=False, verified=False) as store:
        if stamp_of(store) == stamp():
            click.echo(f"nothing to do: the keys of {store.location} are already this provenance's")
            return

        def work(bar: Bar | None) -> Rebuilt:
            return rebuild(store, workers=workers or os.cpu_count() or 1, on_batch=bar.advance if bar else None)

        done = with_progress("signing", work)
    merged = f", {done.merged} merged into an article with the same text" if done.merged else ""
    click.echo(f"signed {done.articles} article(s) again{merged} ({store.location})")
