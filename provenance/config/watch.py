"""The [watch] table: whose copies `provenance watch` looks for, where, and how often (docs/watch.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from provenance.config.partners import partner
from provenance.config.tables import Watch, WatchSource
from provenance.config.values import (
    SEVERITY_NAMES,
    duration,
    expect,
    path_value,
    since_value,
    strings,
    unknown,
    web_address,
    web_list,
)
from provenance.errors import ConfigError

WATCH_KEYS = ("own", "sources", "search", "since", "interval", "fail-on", "state", "webhook", "partners")
OWN_KEYS = ("domains", "feeds", "sitemaps", "name")
SOURCE_KEYS = ("url", "kind")
SOURCE_KINDS = ("auto", "feed", "sitemap", "urls")
MAX_INTERVAL = 7 * 86400.0


def _watch_source(path: Path, entry: Any) -> WatchSource:
    if isinstance(entry, str):
        entry = {"url": entry}
    expect(path, "watch.sources", entry, dict, "a list of URLs or {url, kind} tables")
    unknown(path, "watch.sources.", entry, SOURCE_KEYS)
    url = entry.get("url")
    if not web_address(url):
        raise ConfigError(f"{path}: watch.sources: every source needs a url, an http(s):// URL (got {url!r:.200})")
    kind = entry.get("kind", "auto")
    if kind not in SOURCE_KINDS:
        raise ConfigError(f"{path}: watch.sources.kind must be one of {', '.join(SOURCE_KINDS)}")
    return WatchSource(url, kind)


def parse_watch(path: Path, table: Any, own_domains: tuple[str, ...]) -> Watch:
    expect(path, "watch", table, dict, "a table ([watch])")
    unknown(path, "watch.", table, WATCH_KEYS)
    own = expect(path, "watch.own", table.get("own", {}), dict, "a table ([watch.own])")
    unknown(path, "watch.own.", own, OWN_KEYS)
    name = own.get("name")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise ConfigError(f"{path}: watch.own.name must be the outlet's name, as credits give it")
    domains = strings(path, "watch.own.domains", own["domains"]) if "domains" in own else own_domains
    since = table.get("since")
    if since is not None and (since := since_value(since)) is None:
        raise ConfigError(f"{path}: watch.since must be a date (2026-03-01) or a duration back from now (7d, 48h)")
    interval = table.get("interval")
    if interval is not None:
        interval = duration(interval)
        if interval is None or not 1 <= interval <= MAX_INTERVAL:
            raise ConfigError(f"{path}: watch.interval must be seconds or a duration (15m, 1h) from 1 s to 7 days")
    fail_on = table.get("fail-on")
    if fail_on is not None and fail_on not in SEVERITY_NAMES:
        raise ConfigError(f"{path}: watch.fail-on must be one of {', '.join(SEVERITY_NAMES)}")
    state = table.get("state")
    if state is not None:
        if not path_value(state):
            raise ConfigError(f"{path}: watch.state must be a path or a redis:// URL (without control characters)")
        if "://" not in state:
            state = str((path.parent / Path(state).expanduser()).resolve())
    webhook = table.get("webhook")
    if webhook is not None and not web_address(webhook):
        raise ConfigError(f"{path}: watch.webhook must be an http(s):// URL")
    search = expect(path, "watch.search", table.get("search", False), bool, "true or false")
    sources = expect(path, "watch.sources", table.get("sources", []), list, "a list of URLs or {url, kind} tables")
    partners = expect(path, "watch.partners", table.get("partners", []), list, "an array of [[watch.partners]]")
    return Watch(
        own_domains=tuple(d.lower().removeprefix("www.") for d in domains),
        own_feeds=web_list(path, "watch.own.feeds", own.get("feeds", [])),
        own_sitemaps=web_list(path, "watch.own.sitemaps", own.get("sitemaps", [])),
        own_name=name,
        sources=tuple(_watch_source(path, entry) for entry in sources),
        search=search,
        since=since,
        interval=interval,
        fail_on=fail_on,
        state=state,
        webhook=webhook,
        partners=tuple(partner(path, e, "watch.partners", name) for e in partners),
    )
