"""A small web on loopback for discovery tests: real sockets, real wire formats, no internet.

    aggregator  127.0.0.1  copies of the story (fixtures/seed/obiaks..., fixtures/web/aggregator/)
    publisher   127.0.0.2  the original (fixtures/seed/bbc...), robots.txt, RSS, a news sitemap
    outlet      127.0.0.3  a later copy and unrelated pages
    search      127.0.0.4  a SearXNG-compatible /search?q=...&format=json over every page above
    cdx         127.0.0.5  a Wayback-compatible /cdx?url=...&output=json (fixtures/web/cdx.json)

Each site on its own loopback address, because the fetcher's per-host politeness and the
search engine's site: filter both go by host name. Pages say http://AGGREGATOR, http://PUBLISHER
and http://OUTLET where the served copy says the site's real address; the seed pages' own hosts
are rewritten the same way. Every server records the paths it was asked for and can be told to
answer with an error status or slowly.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.support.paths import FIXTURES

WEB = FIXTURES / "web"
SEED_PATH = "/180911082030/kim-jong-un-seeks-another-meeting-with-trump-pens-very-warm-letter"
BBC_PATH = "/news/world-asia-45481711"
# Served paths that are not files under fixtures/web/<site>/, and what the seed pages call their hosts.
ALIASES = {
    "aggregator": {SEED_PATH: FIXTURES / "seed" / "obiaks-kim-jong-un-letter.html"},
    "publisher": {BBC_PATH: FIXTURES / "seed" / "bbc-kim-jong-un-letter.html"},
}
SEED_HOSTS = {"aggregator": b"http://news.obiaks.com", "publisher": b"https://www.bbc.co.uk"}
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".json": "application/json",
}

Reply = tuple[int, str, bytes]  # status, content type, body


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a handler sleeping on purpose must not hold up the test's teardown


@dataclass
class Site:
    name: str
    host: str
    app: Callable[[Site, str, dict[str, list[str]]], Reply]
    requests: list[str] = field(default_factory=list)  # paths (with queries), in order
    fail_with: int | None = None  # every request but robots.txt gets this status
    delay: float = 0.0  # seconds before answering
    base: str = ""
    server: _Server | None = None

    def pages(self) -> list[str]:
        """Requests other than robots.txt: what a strategy fetched."""
        return [p for p in self.requests if p != "/robots.txt"]

    def start(self) -> None:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                site.requests.append(self.path)
                if site.delay:
                    time.sleep(site.delay)
                parts = urlsplit(self.path)
                if site.fail_with and parts.path != "/robots.txt":
                    status, kind, body = site.fail_with, "text/plain", b"failing on purpose\n"
                else:
                    status, kind, body = site.app(site, parts.path, parse_qs(parts.query))
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a budget cut it off)

        self.server = _Server((self.host, 0), Handler)
        self.base = f"http://{self.host}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


class FixtureWeb:
    def __init__(self) -> None:
        self.aggregator = Site("aggregator", "127.0.0.1", self._static)
        self.publisher = Site("publisher", "127.0.0.2", self._publisher_site)
        self.outlet = Site("outlet", "127.0.0.3", self._static)
        self.search = Site("search", "127.0.0.4", self._search)
        self.cdx = Site("cdx", "127.0.0.5", self._cdx)
        self.sites = (self.aggregator, self.publisher, self.outlet, self.search, self.cdx)
        self._corpus: list[tuple[str, str, str]] | None = None  # (url, title, text), built on first search

    def __enter__(self) -> FixtureWeb:
        for site in self.sites:
            site.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for site in self.sites:
            site.stop()

    def url(self, site: Site, path: str) -> str:
        return site.base + path

    # -- pages -------------------------------------------------------------------------

    def substitute(self, body: bytes, site_name: str | None = None) -> bytes:
        if site_name in SEED_HOSTS:
            body = body.replace(SEED_HOSTS[site_name], getattr(self, site_name).base.encode())
        for site in (self.aggregator, self.publisher, self.outlet):
            body = body.replace(f"http://{site.name.upper()}".encode(), site.base.encode())
        return body

    def _file(self, site: Site, path: str) -> Path | None:
        if path in ALIASES.get(site.name, {}):
            return ALIASES[site.name][path]
        root = WEB / site.name
        target = (root / path.lstrip("/")).resolve()
        if not target.is_relative_to(root):
            return None
        for candidate in (target, target.with_name(target.name + ".html")):
            if candidate.is_file():
                return candidate
        return None

    def _static(self, site: Site, path: str, query: dict[str, list[str]]) -> Reply:
        found = self._file(site, path)
        if found is None:
            return 404, "text/plain", b"not found\n"
        kind = TYPES.get(found.suffix, "text/html; charset=utf-8")
        return 200, kind, self.substitute(found.read_bytes(), site.name)

    def _publisher_site(self, site: Site, path: str, query: dict[str, list[str]]) -> Reply:
        """The publisher's pages, and its own site search: an HTML page of links to its matching pages."""
        if path != "/search":
            return self._static(site, path, query)
        words = set(_plain(query.get("q", [""])[0]).split())
        links = [
            f'<li><a href="{url}">{title.rsplit(" - ", 1)[0]}</a></li>'
            for url, title, text in self.corpus()
            if url.startswith(site.base) and words and len(words & set(_plain(title).split())) >= 0.6 * len(words)
        ]
        page = f"<html><body><nav><a href='/'>Home</a></nav><ul>{''.join(links)}</ul></body></html>"
        return 200, "text/html; charset=utf-8", page.encode()

    def page_urls(self) -> list[tuple[str, Path, str]]:
        """(served URL, file, site) of every article page on the three sites."""
        found = [(self.aggregator.base + p, f, "aggregator") for p, f in ALIASES["aggregator"].items()]
        found += [(self.publisher.base + p, f, "publisher") for p, f in ALIASES["publisher"].items()]
        for site in (self.aggregator, self.publisher, self.outlet):
            for file in sorted((WEB / site.name).rglob("*.html")):
                found.append((site.base + "/" + file.relative_to(WEB / site.name).as_posix(), file, site.name))
        return found

    # -- the search engine ---------------------------------------------------------------

    def corpus(self) -> list[tuple[str, str, str]]:
        if self._corpus is None:
            from bs4 import BeautifulSoup

            self._corpus = []
            for url, file, site in self.page_urls():
                soup = BeautifulSoup(self.substitute(file.read_bytes(), site), "lxml")
                title = soup.title.get_text(strip=True) if soup.title else ""
                self._corpus.append((url, title, _plain(soup.get_text(" "))))
        return self._corpus

    def _search(self, site: Site, path: str, query: dict[str, list[str]]) -> Reply:
        if path != "/search":
            return 404, "text/plain", b"not found\n"
        if query.get("format") != ["json"]:
            return 403, "text/plain", b"format not enabled in settings.yml\n"  # as SearXNG answers
        q = query.get("q", [""])[0]
        phrases = [_plain(p) for p in re.findall(r'"([^"]+)"', q)]
        rest = re.sub(r'"[^"]*"', " ", q)
        sites = re.findall(r"site:(\S+)", rest)
        words = set(_plain(re.sub(r"site:\S+", " ", rest)).split())
        results = []
        for url, title, text in self.corpus():
            host = urlsplit(url).hostname or ""
            if sites and not any(host == s or host.endswith("." + s) for s in sites):
                continue
            if not all(p in text for p in phrases):
                continue
            if words and len(words & set(_plain(title + " " + text).split())) < 0.6 * len(words):
                continue
            results.append({"url": url, "title": title, "content": text[:160], "engine": "fixture", "score": 1.0})
        data = {"query": q, "number_of_results": len(results), "results": results, "answers": [],
                "corrections": [], "infoboxes": [], "suggestions": [], "unresponsive_engines": []}  # fmt: skip
        return 200, "application/json", json.dumps(data).encode()

    # -- the web archive -----------------------------------------------------------------

    def _cdx(self, site: Site, path: str, query: dict[str, list[str]]) -> Reply:
        if path != "/cdx":
            return 404, "text/plain", b"not found\n"
        table = json.loads(self.substitute((WEB / "cdx.json").read_bytes()))
        url = query.get("url", [""])[0]
        stamp = table.get(url)
        rows: list[list[str]] = [["timestamp", "original"], [stamp, url]] if stamp else []
        return 200, "application/json", json.dumps(rows).encode()

    # -- what a user writes ----------------------------------------------------------------

    def config(self, directory: Path, publisher: dict[str, list[str]] | None = None, **discovery: object) -> Path:
        """A provenance.toml pointing the registry and the endpoints at this web, as a user would write it.

        `publisher` replaces keys of the BBC entry (feeds, sitemaps, search); `discovery`, keys of [discovery].
        """
        settings: dict[str, object] = {
            "allow-private": True,
            "cache": False,
            "delay": 0,
            "attempts": 1,
            "timeout": 10,
            "searxng": self.search.base,
            "wayback": self.cdx.base + "/cdx",
        } | discovery
        lines = ["[discovery]", *(f"{key} = {json.dumps(value)}" for key, value in settings.items())]
        entry = {
            "name": "BBC News",
            "aliases": ["BBC", "BBC News"],
            "domains": [self.publisher.host, "bbc.co.uk", "bbc.com"],
            "feeds": [f"{self.publisher.base}/news/world/rss.xml"],
            "sitemaps": [f"{self.publisher.base}/sitemaps/news.xml"],
        } | (publisher or {})
        lines += ["", "[[publishers]]", *(f"{key} = {json.dumps(value)}" for key, value in entry.items())]
        path = directory / "provenance.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path


def _plain(text: str) -> str:
    """Lower case, straight quotes, single spaces: how the fixture engine compares phrases."""
    text = text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'}))
    return " ".join(re.sub(r"[^\w\s'-]", " ", text.casefold()).split())
