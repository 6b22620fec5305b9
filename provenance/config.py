"""Settings a user writes: `.provenance.toml`, `provenance.toml`, or `[tool.provenance]` in `pyproject.toml`.

As ruff does it: the closest file to the working directory wins (looking up
through parent directories), `.provenance.toml` before `provenance.toml`
before `pyproject.toml` in one directory; `--config FILE` names one instead.
Precedence: built-in defaults < config file < environment < command-line flags.
Unknown keys are errors that name the key and the file.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from provenance import urls
from provenance.errors import ConfigError
from provenance.files import Unreadable, read_regular

FILENAMES = (".provenance.toml", "provenance.toml", "pyproject.toml")
SEVERITY_NAMES = ("info", "warning", "error", "never")
MAX_CONFIG_BYTES = 4 * 1024 * 1024  # a settings file is a page of TOML; a bigger one is a mistake or an attack


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


def _number(low: float, high: float) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, int | float) and not isinstance(v, bool) and low <= v <= high


def _whole(low: int, high: int) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and low <= v <= high


def _flag(value: Any) -> bool:
    return isinstance(value, bool)


def _web_address(value: Any) -> bool:
    return isinstance(value, str) and urls.is_web_url(value)


def _path(value: Any) -> bool:
    """A path the file system can take: a NUL (or another control character) makes every call fail."""
    return isinstance(value, str) and bool(value) and value.isprintable()


# key -> (accepts the value, what it must be). The Discovery field is the key with "-" as "_";
# a new key needs an entry here and a field there.
DISCOVERY_KEYS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "allow-private": (_flag, "true or false"),
    "ignore-robots": (_flag, "true or false"),
    "cache": (_flag, "true or false"),
    "cache-dir": (_path, "a directory path (without control characters)"),
    "cache-ttl": (_number(0, 10**9), "a number of seconds"),
    "delay": (_number(0, 600), "a number of seconds between 0 and 600"),
    "timeout": (_number(0.01, 600), "a number of seconds between 0.01 and 600"),
    "fetch-deadline": (_number(0.1, 3600), "a number of seconds between 0.1 and 3600"),
    "attempts": (_whole(1, 10), "a whole number between 1 and 10"),
    "host-concurrency": (_whole(1, 2), "1 or 2"),
    "concurrency": (_whole(1, 64), "a whole number between 1 and 64"),
    "strategies": (
        lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
        "a list of strategy names (links, publisher, search, wayback)",
    ),
    "searxng": (_web_address, "an http(s):// URL of a SearXNG instance"),
    "wayback": (_web_address, "an http(s):// URL of a CDX API"),
    "budget": (_number(0.1, 3600), "a number of seconds between 0.1 and 3600"),
    "max-fetches": (_whole(0, 10_000), "a whole number between 0 and 10000"),
    "window-hours": (_number(1, 24 * 365), "a number of hours between 1 and 8760"),
    "max-pages": (_whole(1, 100), "a whole number between 1 and 100"),
}


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


def _table(path: Path) -> dict[str, Any] | None:
    """The provenance settings in `path`, or None when a pyproject.toml has none."""
    try:
        raw = read_regular(path, MAX_CONFIG_BYTES)
    except Unreadable as exc:
        raise ConfigError(f"cannot read config {path}: {exc}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config {path}: {exc}") from None
    except RecursionError:  # tomllib recurses once per level of nested arrays and inline tables
        raise ConfigError(f"cannot read config {path}: values nested too deeply") from None
    if path.name != "pyproject.toml":
        return data
    tool = data.get("tool", {})
    if not isinstance(tool, dict) or "provenance" not in tool:
        return None
    if not isinstance(tool["provenance"], dict):
        raise ConfigError(f"{path}: tool.provenance must be a table ([tool.provenance])")
    table: dict[str, Any] = tool["provenance"]
    return table


def find(start: Path) -> Path | None:
    for directory in (start, *start.parents):
        for name in FILENAMES:
            candidate = directory / name
            if candidate.is_file() and (name != "pyproject.toml" or _table(candidate) is not None):
                return candidate
    return None


def _expect(path: Path, key: str, value: Any, kind: type | tuple[type, ...], what: str) -> Any:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise ConfigError(f"{path}: {key} must be {what}")
    return value


def parse(path: Path, table: Mapping[str, Any]) -> Config:
    known = {"index", "fail-on", "shingle-size", "publishers", "discovery", "watch", *CI_KEYS}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})")
    index = table.get("index")
    if index is not None:
        if not _path(index):
            raise ConfigError(f"{path}: index must be a path or a redis:// URL (without control characters)")
        if "://" not in index:
            index = str((path.parent / Path(index).expanduser()).resolve())
    fail_on = table.get("fail-on")
    if fail_on is not None and fail_on not in SEVERITY_NAMES:
        raise ConfigError(f"{path}: fail-on must be one of {', '.join(SEVERITY_NAMES)}")
    size = table.get("shingle-size")
    if size is not None and not 1 <= _expect(path, "shingle-size", size, int, "a whole number") <= 20:
        raise ConfigError(f"{path}: shingle-size must be between 1 and 20")
    publishers = _expect(path, "publishers", table.get("publishers", []), list, "an array of [[publishers]] tables")
    for entry in publishers:
        _expect(path, "[[publishers]]", entry, dict, "a table")
    discovery = _discovery(path, table.get("discovery", {}))
    ci = _ci_policy(path, table)
    watch = _watch(path, table.get("watch", {}), ci.own_domains)
    return Config(path, index, fail_on, size, tuple(publishers), discovery, ci, watch)


CI_KEYS = ("select", "ignore", "severity", "partners", "max-copied-share", "own-domains", "exclude")
PARTNER_KEYS = ("name", "credit")
CREDIT_KEYS = ("text", "link", "position")
POSITIONS = ("top", "bottom", "any")


def _strings(path: Path, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{path}: {key} must be a list of strings")
    return tuple(value)


def _unknown(path: Path, where: str, table: Mapping[str, Any], known: tuple[str, ...]) -> None:
    if unknown := sorted(set(table) - set(known)):
        raise ConfigError(f"{path}: unknown key '{where}{unknown[0]}' (known: {', '.join(known)})")


def _ci_policy(path: Path, table: Mapping[str, Any]) -> CiPolicy:
    select = _strings(path, "select", table["select"]) if "select" in table else None
    severity = _expect(path, "severity", table.get("severity", {}), dict, "a table ([severity])")
    for rule, level in severity.items():
        if level not in ("info", "warning", "error"):
            raise ConfigError(f"{path}: severity.{rule} must be info, warning or error")
    share = table.get("max-copied-share")
    if share is not None and not _number(0, 1)(share):
        raise ConfigError(f"{path}: max-copied-share must be a number between 0 and 1 (a share of the text)")
    partners = _expect(path, "partners", table.get("partners", []), list, "an array of [[partners]] tables")
    return CiPolicy(
        select=select,
        ignore=_strings(path, "ignore", table.get("ignore", [])),
        severity=tuple(severity.items()),
        partners=tuple(_partner(path, entry) for entry in partners),
        max_copied_share=None if share is None else float(share),
        own_domains=tuple(
            d.lower().removeprefix("www.") for d in _strings(path, "own-domains", table.get("own-domains", []))
        ),
        exclude=_strings(path, "exclude", table.get("exclude", [])),
    )


def _partner(path: Path, entry: Any, where: str = "partners", default_text: str | None = None) -> Partner:
    """A [[partners]] entry; `default_text` is the credit wording when the entry gives none (default: its
    name, the outlet we credit; [[watch.partners]] credit us, so theirs is our name)."""
    _expect(path, f"[[{where}]]", entry, dict, "a table")
    _unknown(path, f"{where}.", entry, PARTNER_KEYS)
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        raise ConfigError(f"{path}: every [[{where}]] entry needs a name")
    credit = _expect(path, f"{where}.{name}.credit", entry.get("credit", {}), dict, "a table")
    _unknown(path, f"{where}.credit.", credit, CREDIT_KEYS)
    text = credit.get("text", default_text or name)
    text = _expect(path, f"{where}.{name}.credit.text", text, str, "a string")
    if not text.strip():
        raise ConfigError(f"{path}: {where}.{name}.credit.text must not be empty")
    link = _expect(path, f"{where}.{name}.credit.link", credit.get("link", False), bool, "true or false")
    position = credit.get("position", "any")
    if position not in POSITIONS:
        raise ConfigError(f"{path}: {where}.{name}.credit.position must be one of {', '.join(POSITIONS)}")
    return Partner(name, text, link, position)


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


WATCH_KEYS = ("own", "sources", "search", "since", "interval", "fail-on", "state", "webhook", "partners")
OWN_KEYS = ("domains", "feeds", "sitemaps", "name")
SOURCE_KEYS = ("url", "kind")
SOURCE_KINDS = ("auto", "feed", "sitemap", "urls")
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(s|m|h|d|w)")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
MAX_INTERVAL = 7 * 86400.0


def duration(value: Any) -> float | None:
    """Seconds from a number or "90s", "15m", "6h", "7d", "2w"; None when it is neither."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and (match := _DURATION.fullmatch(value.strip())):
        return float(match.group(1)) * _UNITS[match.group(2)]
    return None


def since_value(value: Any) -> datetime | timedelta | None:
    """A date ("2026-03-01", a datetime; UTC when it has no zone) or a duration back from now ("7d")."""
    seconds = duration(value) if isinstance(value, str) else None
    if seconds is not None:
        return timedelta(seconds=seconds)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str):
        try:
            when = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
        return when if when.tzinfo else when.replace(tzinfo=UTC)
    if hasattr(value, "isoformat") and hasattr(value, "year"):  # a TOML local date
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return None


def _web_list(path: Path, key: str, value: Any) -> tuple[str, ...]:
    found = _strings(path, key, value)
    if bad := [v for v in found if not _web_address(v)]:
        raise ConfigError(f"{path}: {key}: {bad[0][:200]!r} is not an http(s):// URL")
    return found


def _watch_source(path: Path, entry: Any) -> WatchSource:
    if isinstance(entry, str):
        entry = {"url": entry}
    _expect(path, "watch.sources", entry, dict, "a list of URLs or {url, kind} tables")
    _unknown(path, "watch.sources.", entry, SOURCE_KEYS)
    url = entry.get("url")
    if not _web_address(url):
        raise ConfigError(f"{path}: watch.sources: every source needs a url, an http(s):// URL (got {url!r:.200})")
    kind = entry.get("kind", "auto")
    if kind not in SOURCE_KINDS:
        raise ConfigError(f"{path}: watch.sources.kind must be one of {', '.join(SOURCE_KINDS)}")
    return WatchSource(url, kind)


def _watch(path: Path, table: Any, own_domains: tuple[str, ...]) -> Watch:
    _expect(path, "watch", table, dict, "a table ([watch])")
    _unknown(path, "watch.", table, WATCH_KEYS)
    own = _expect(path, "watch.own", table.get("own", {}), dict, "a table ([watch.own])")
    _unknown(path, "watch.own.", own, OWN_KEYS)
    name = own.get("name")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise ConfigError(f"{path}: watch.own.name must be the outlet's name, as credits give it")
    domains = _strings(path, "watch.own.domains", own["domains"]) if "domains" in own else own_domains
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
        if not _path(state):
            raise ConfigError(f"{path}: watch.state must be a path or a redis:// URL (without control characters)")
        if "://" not in state:
            state = str((path.parent / Path(state).expanduser()).resolve())
    webhook = table.get("webhook")
    if webhook is not None and not _web_address(webhook):
        raise ConfigError(f"{path}: watch.webhook must be an http(s):// URL")
    search = _expect(path, "watch.search", table.get("search", False), bool, "true or false")
    sources = _expect(path, "watch.sources", table.get("sources", []), list, "a list of URLs or {url, kind} tables")
    partners = _expect(path, "watch.partners", table.get("partners", []), list, "an array of [[watch.partners]]")
    return Watch(
        own_domains=tuple(d.lower().removeprefix("www.") for d in domains),
        own_feeds=_web_list(path, "watch.own.feeds", own.get("feeds", [])),
        own_sitemaps=_web_list(path, "watch.own.sitemaps", own.get("sitemaps", [])),
        own_name=name,
        sources=tuple(_watch_source(path, entry) for entry in sources),
        search=search,
        since=since,
        interval=interval,
        fail_on=fail_on,
        state=state,
        webhook=webhook,
        partners=tuple(_partner(path, e, "watch.partners", name) for e in partners),
    )


def _discovery(path: Path, table: Any) -> Discovery:
    _expect(path, "discovery", table, dict, "a table ([discovery])")
    unknown = sorted(set(table) - set(DISCOVERY_KEYS))
    if unknown:
        known = ", ".join(sorted(DISCOVERY_KEYS))
        raise ConfigError(f"{path}: unknown key 'discovery.{unknown[0]}' (known: {known})")
    values: dict[str, Any] = {}
    for key, value in table.items():
        accepts, what = DISCOVERY_KEYS[key]
        if not accepts(value):
            raise ConfigError(f"{path}: discovery.{key} must be {what}")
        if key == "cache-dir":
            value = str((path.parent / Path(value).expanduser()).resolve())
        values[key.replace("-", "_")] = value
    return Discovery(**values)


def load(explicit: str | None = None, start: Path | None = None) -> Config:
    """The config named by `explicit`, or the closest one to `start` (default: the working directory)."""
    if explicit is not None:
        path = Path(explicit)
        if not path.exists():
            raise ConfigError(f"cannot read config {path}: no such file")
        table = _table(path)
        if table is None:
            raise ConfigError(f"{path}: no [tool.provenance] table")
        return parse(path, table)
    found = find((start or Path.cwd()).resolve())
    if found is None:
        return Config()
    return parse(found, _table(found) or {})
