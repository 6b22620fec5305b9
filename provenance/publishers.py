"""The registry of publishers and wires: who a credit line or a host name means."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from provenance import urls
from provenance.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Publisher:
    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    wire: bool = False
    feeds: tuple[str, ...] = ()  # RSS/Atom
    sitemaps: tuple[str, ...] = ()  # (Google News) sitemaps or sitemap indexes
    search: tuple[str, ...] = ()  # site-search URL templates, "{query}" standing for the quoted, escaped query
    # sign-offs that credit it without naming it, "..." standing for any text: "Reporting by ... Editing by"
    footers: tuple[str, ...] = ()


def name_key(name: str) -> str:
    """Case-, accent- and punctuation-free key: "The Associated Press" -> "associatedpress"."""
    from provenance.normalize import normalize_text

    words = normalize_text(name).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return "".join(words)


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    host = urls.host(url)
    return host.removeprefix("www.") if host else None


def _host_matches(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


_FOOTER_GAP = 300  # characters "..." stands for in a footer


def footer_pattern(footer: str) -> re.Pattern[str]:
    """A footer as a pattern matched at a line's start, after any brackets or bullets.

    "Reporting by ... Editing by" matches "(Reporting by Jane Roe; Editing by John Doe)":
    words in any case, any run of spaces between them, up to a few hundred characters for "...".
    """
    parts = [r"\s+".join(map(re.escape, part.split())) for part in footer.split("...")]
    return re.compile(r"^\W{0,3}" + rf".{{0,{_FOOTER_GAP}}}?".join(parts), re.IGNORECASE)


@dataclass(frozen=True)
class Registry:
    publishers: tuple[Publisher, ...]
    _by_alias: dict[str, Publisher] = field(init=False, repr=False, compare=False)
    _footers: tuple[tuple[re.Pattern[str], Publisher], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_alias: dict[str, Publisher] = {}
        for pub in self.publishers:
            for alias in (pub.name, *pub.aliases):
                by_alias.setdefault(name_key(alias), pub)
        object.__setattr__(self, "_by_alias", by_alias)
        footers = tuple((footer_pattern(f), pub) for pub in self.publishers for f in pub.footers)
        object.__setattr__(self, "_footers", footers)

    def by_name(self, name: str) -> Publisher | None:
        return self._by_alias.get(name_key(name))

    def footer_of(self, line: str) -> Publisher | None:
        """The publisher whose sign-off this line is: Reuters for "(Reporting by ...; Editing by ...)"."""
        return next((pub for pattern, pub in self._footers if pattern.match(line)), None)

    def by_url(self, url: str | None) -> Publisher | None:
        host = host_of(url)
        if host is None:
            return None
        for pub in self.publishers:
            if any(_host_matches(host, d) for d in pub.domains):
                return pub
        return None

    def extended(self, entries: Iterable[Mapping[str, Any]]) -> Registry:
        """A registry where user entries override bundled ones of the same name, key by key.

        Keys an entry leaves out keep the bundled values, so adding a feed to
        "BBC News" does not mean listing its aliases and domains again.
        """
        own = {name_key(p.name): p for p in self.publishers}
        added = [parse_publisher(e, own.get(name_key(str(e.get("name", ""))))) for e in entries]
        replaced = {name_key(p.name) for p in added}
        kept = [p for p in self.publishers if name_key(p.name) not in replaced]
        return Registry((*added, *kept))


_FIELDS = {"name", "aliases", "domains", "wire", "feeds", "sitemaps", "search", "footers"}


def parse_publisher(entry: Mapping[str, Any], base: Publisher | None = None) -> Publisher:
    unknown = set(entry) - _FIELDS
    if unknown:
        raise ConfigError(f"unknown key in [[publishers]]: {sorted(unknown)[0]}")
    if not isinstance(entry.get("name"), str):
        raise ConfigError("every [[publishers]] entry needs a name")
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("aliases", "domains", "feeds", "sitemaps", "search", "footers"):
        value = entry.get(key, list(getattr(base, key)) if base else [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"[[publishers]] {entry['name']}: {key} must be a list of strings")
        lists[key] = tuple(value)
    if bad := [t for t in lists["search"] if "{query}" not in t]:
        raise ConfigError(f"[[publishers]] {entry['name']}: search template {bad[0]!r} has no {{query}}")
    if bad := [f for f in lists["footers"] if not f.split("...")[0].strip()]:
        raise ConfigError(f'[[publishers]] {entry["name"]}: footer {bad[0]!r} must start with words, not "..."')
    wire = entry.get("wire", base.wire if base else False)
    if not isinstance(wire, bool):
        raise ConfigError(f"[[publishers]] {entry['name']}: wire must be true or false")
    return Publisher(name=entry["name"], wire=wire, **lists)


@cache
def bundled() -> Registry:
    data = tomllib.loads(resources.files("provenance.data").joinpath("publishers.toml").read_text())
    return Registry(tuple(parse_publisher(e) for e in data["publishers"]))


_NEWSY = re.compile(
    r"\b(news|times|post|herald|gazette|wire|tribune|journal|press|agency|radio|tv|television|"
    r"daily|observer|bulletin|guardian|telegraph|chronicle|reporter|mail|express|star|sun|"
    r"standard|independent|review|digest|media)\b",
    re.IGNORECASE,
)


def looks_like_outlet(name: str) -> bool:
    """A name with a newsroom word in it ("Harbour Wire Service"), for credits not in the registry."""
    return bool(_NEWSY.search(name))


def same_outlet(credit_name: str, publisher: str | None, url: str | None, registry: Registry) -> bool:
    """Whether a credit names the outlet known as `publisher` and publishing at `url`."""
    key = name_key(credit_name)
    if not key:
        return False
    by_credit = registry.by_name(credit_name)
    for pub in (registry.by_name(publisher) if publisher else None, registry.by_url(url)):
        if pub is not None and by_credit is pub:
            return True
    if publisher and name_key(publisher) == key:
        return True
    host = host_of(url)
    if host and len(key) >= 3:
        labels = host.split(".")
        return any(key == re.sub(r"[^a-z0-9]", "", label) for label in labels)
    return False
