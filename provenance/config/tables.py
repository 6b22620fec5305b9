"""The settings a user writes, as read from the file: every field None (or empty) when not set."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Discovery:
    """The [discovery] table: how pages are fetched and found (docs/fetching.md). None: not set."""

    allow_private: bool | None = None
    ignore_robots: bool | None = None
    cache: bool | None = None
    cache_dir: str | None = None  # resolved against the config file's directory
    cache_ttl: float | None = None
    delay: float | None = None
    timeout: float | None = None
    fetch_deadline: float | None = None
    attempts: int | None = None
    host_concurrency: int | None = None
    concurrency: int | None = None
    # which strategies find candidates, and with what (docs/discovery.md)
    strategies: list[str] | None = None
    searxng: str | None = None
    wayback: str | None = None
    budget: float | None = None
    max_fetches: int | None = None
    window_hours: float | None = None
    max_pages: int | None = None


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    index: str | None = None  # a SQLite path (relative to the config file) or a Redis URL
    fail_on: str | None = None
    shingle_size: int | None = None
    publishers: tuple[Mapping[str, Any], ...] = ()
    discovery: Discovery = field(default_factory=Discovery)
    ci: CiPolicy = field(default_factory=lambda: CiPolicy())
    watch: Watch = field(default_factory=lambda: Watch())


@dataclass(frozen=True)
class Partner:
    """A [[partners]] entry: a publisher whose copy we may run, and the credit the licence asks for."""

    name: str
    credit_text: str  # literal text, found case-insensitively in the credit line (never a pattern)
    link: bool = False  # the credit must link to the original or to the partner's domain
    position: str = "any"  # "top", "bottom" or "any"


@dataclass(frozen=True)
class CiPolicy:
    """What `provenance ci` enforces beyond the rules (docs/ci-policy.md). Rule ids are checked by ci.policy."""

    select: tuple[str, ...] | None = None  # None: every rule
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()  # (rule, "info" | "warning" | "error")
    partners: tuple[Partner, ...] = ()
    max_copied_share: float | None = None
    own_domains: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class WatchSource:
    """A page listing to scan: an aggregator's or partner's feed, sitemap, or plain list of URLs."""

    url: str
    kind: str = "auto"  # "feed", "sitemap", "urls", or "auto": told by its content


@dataclass(frozen=True)
class Watch:
    """The [watch] table: whose copies `provenance watch` looks for, where, and how often (docs/watch.md)."""

    own_domains: tuple[str, ...] = ()  # default: the top-level own-domains
    own_feeds: tuple[str, ...] = ()
    own_sitemaps: tuple[str, ...] = ()
    own_name: str | None = None  # how credits name us: the wording [[watch.partners]] owe us by default
    sources: tuple[WatchSource, ...] = ()
    search: bool = False  # our recent articles' distinctive phrases sent to [discovery] searxng
    since: datetime | timedelta | None = None  # a date, or how far back from each pass
    interval: float | None = None  # seconds between passes
    fail_on: str | None = None
    state: str | None = None  # a SQLite path (relative to the config file); default: beside the index
    webhook: str | None = None  # better in $PROVENANCE_WEBHOOK: a webhook URL is a secret
    partners: tuple[Partner, ...] = ()  # outlets licensed to run our stories, and the credit they owe
