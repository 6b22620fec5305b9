"""Every precedence rule, and nowhere else: built-in defaults < the settings file < the environment <
command-line flags. `resolve(file, env, flags)` gives a command everything it runs with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from provenance import urls
from provenance.config.tables import Config, Discovery
from provenance.fetch.settings import FetchSettings

INDEX_ENV = "PROVENANCE_INDEX"
DISCOVER_ENV = "PROVENANCE_DISCOVER"
SEARXNG_ENV = "PROVENANCE_SEARXNG"
WAYBACK_ENV = "PROVENANCE_WAYBACK"
WEBHOOK_ENV = "PROVENANCE_WEBHOOK"

STRATEGIES = ("links", "publisher", "search", "wayback")  # the web's, in the order reports list them
DEFAULT_BUDGET = 20.0  # seconds for all of discovery: a check a person waits for
DEFAULT_MAX_FETCHES = 30
WAYBACK_ENDPOINT = "https://web.archive.org/cdx/search/cdx"
DEFAULT_FAIL_ON = "error"
DEFAULT_SHINGLE_SIZE = 5
DEFAULT_INTERVAL = 3600.0  # seconds between two passes of `watch`


@dataclass(frozen=True)
class DiscoveryOptions:
    """Which web strategies find candidates, and with what (docs/discovery.md)."""

    strategies: tuple[str, ...] = STRATEGIES
    budget: float = DEFAULT_BUDGET
    max_fetches: int = DEFAULT_MAX_FETCHES
    searxng: str | None = None  # the search strategy is skipped without an instance
    wayback: str = WAYBACK_ENDPOINT
    window_hours: float = 48.0  # how far from the article's date a feed item may be
    max_pages: int = 3  # pages each strategy fetches at most (links: its top-ranked links)


@dataclass(frozen=True)
class Flags:
    """What the command line says; None (or empty, or False) where it says nothing."""

    index: str | None = None
    no_index: bool = False
    fail_on: str | None = None
    shingle_size: int | None = None
    discover: tuple[str, ...] = ()
    no_discover: bool = False
    budget: float | None = None
    max_fetches: int | None = None
    # the fetcher's: each can only switch on
    offline: bool = False
    no_cache: bool = False
    allow_private: bool = False
    ignore_robots: bool = False
    # watch's
    webhook: str | None = None
    interval: float | None = None
    state: str | None = None


@dataclass(frozen=True)
class Resolved:
    """A command's settings once every precedence rule has been applied."""

    config: Config
    index: str | None  # the index's location; None with --no-index
    index_named: bool  # by --index or the settings file: then its absence is an error
    fail_on: str
    shingle_size: int
    fetch: FetchSettings
    searxng: str | None  # the user's own search engine and archive
    wayback: str | None
    discovery_urls: DiscoveryOptions | None  # the web strategies for an article read from the web
    discovery_files: DiscoveryOptions | None  # and for one read from a file (None: none)
    watch_fail_on: str
    interval: float
    webhook: str | None
    state: str | None  # where watch keeps its state; None: beside the index (watch.state.beside)

    def discovery(self, article: str) -> DiscoveryOptions | None:
        """The web strategies for `article`: by default all of them for a URL, none for a file."""
        return self.discovery_urls if urls.is_url(article) else self.discovery_files

    def fetching(self, discovering: bool) -> FetchSettings:
        """The fetcher's settings; when discovery runs, the user's own endpoints (a SearXNG on localhost)
        are reachable on private addresses, where links met in pages are not."""
        return self.fetch.trusting(self.searxng, self.wayback) if discovering else self.fetch


def default_index() -> str:
    """index.sqlite in the user's data directory."""
    from platformdirs import user_data_dir

    return str(Path(user_data_dir("provenance", appauthor=False)) / "index.sqlite")


def index_location(config: Config, env: Mapping[str, str], flag: str | None = None) -> str:
    """--index > $PROVENANCE_INDEX > the settings file's `index` > index.sqlite in the user's data directory."""
    return flag or env.get(INDEX_ENV) or config.index or default_index()


def fetch_settings(discovery: Discovery, flags: Flags) -> FetchSettings:
    """Defaults < the settings file's [discovery] table < command-line flags (a flag can only switch on)."""
    settings = FetchSettings()
    known: dict[str, Any] = {
        "allow_private": discovery.allow_private,
        "ignore_robots": discovery.ignore_robots,
        "cache": discovery.cache,
        "cache_dir": Path(discovery.cache_dir) if discovery.cache_dir is not None else None,
        "cache_ttl": discovery.cache_ttl,
        "delay": discovery.delay,
        "timeout": discovery.timeout,
        "fetch_deadline": discovery.fetch_deadline,
        "attempts": discovery.attempts,
        "host_concurrency": discovery.host_concurrency,
        "concurrency": discovery.concurrency,
    }
    settings = replace(settings, **{k: v for k, v in known.items() if v is not None})
    return replace(
        settings,
        offline=flags.offline or settings.offline,
        cache=settings.cache and not flags.no_cache,
        allow_private=flags.allow_private or settings.allow_private,
        ignore_robots=flags.ignore_robots or settings.ignore_robots,
    )


def endpoints(discovery: Discovery, env: Mapping[str, str]) -> tuple[str | None, str | None]:
    """The search engine and archive the user configured: $PROVENANCE_SEARXNG/_WAYBACK > [discovery]."""
    return env.get(SEARXNG_ENV) or discovery.searxng, env.get(WAYBACK_ENV) or discovery.wayback


def discovery_options(
    config: Config, env: Mapping[str, str], flags: Flags, *, for_url: bool
) -> DiscoveryOptions | None:
    """The web strategies: --discover > $PROVENANCE_DISCOVER > [discovery] strategies > all of them for
    a URL, none for a file; none at all with --no-discover or --offline."""
    if flags.no_discover or flags.offline:
        return None
    conf = config.discovery
    chosen: list[str]
    if flags.discover:
        chosen = list(flags.discover)
    elif (named := env.get(DISCOVER_ENV)) is not None:
        chosen = [n for n in named.replace(",", " ").split() if n != "none"]
    elif conf.strategies is not None:
        chosen = list(conf.strategies)
    else:
        chosen = list(STRATEGIES) if for_url else []
    if not chosen:
        return None
    searxng, wayback = endpoints(conf, env)
    return DiscoveryOptions(
        strategies=tuple(chosen),
        budget=flags.budget or conf.budget or DEFAULT_BUDGET,
        max_fetches=next(n for n in (flags.max_fetches, conf.max_fetches, DEFAULT_MAX_FETCHES) if n is not None),
        searxng=searxng,
        wayback=wayback or WAYBACK_ENDPOINT,
        window_hours=conf.window_hours or DiscoveryOptions.window_hours,
        max_pages=conf.max_pages or DiscoveryOptions.max_pages,
    )


def watch_fail_on(config: Config, flag: str | None = None) -> str:
    """--fail-on > [watch] fail-on > fail-on > error."""
    return flag or config.watch.fail_on or config.fail_on or DEFAULT_FAIL_ON


def resolve(file: Config, env: Mapping[str, str], flags: Flags) -> Resolved:
    """Everything a command runs with, from the settings file, the environment and its flags."""
    searxng, wayback = endpoints(file.discovery, env)
    return Resolved(
        config=file,
        index=None if flags.no_index else index_location(file, env, flags.index),
        index_named=flags.index is not None or file.index is not None,
        fail_on=flags.fail_on or file.fail_on or DEFAULT_FAIL_ON,
        shingle_size=flags.shingle_size or file.shingle_size or DEFAULT_SHINGLE_SIZE,
        fetch=fetch_settings(file.discovery, flags),
        searxng=searxng,
        wayback=wayback,
        discovery_urls=discovery_options(file, env, flags, for_url=True),
        discovery_files=discovery_options(file, env, flags, for_url=False),
        watch_fail_on=watch_fail_on(file, flags.fail_on),
        interval=flags.interval or file.watch.interval or DEFAULT_INTERVAL,
        webhook=flags.webhook or env.get(WEBHOOK_ENV) or file.watch.webhook,
        state=flags.state or file.watch.state,
    )
