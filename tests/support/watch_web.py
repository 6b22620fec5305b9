"""A small web on loopback for `provenance watch`: our newsroom, three aggregators, a site nobody
lists, a SearXNG-compatible search engine and a webhook receiver. Real sockets, no internet.

    ours        127.0.0.11  Harbour Daily: /feed.xml (RSS), /sitemap.xml (a news sitemap), /news/*.html
    coastline   127.0.0.12  copies our stories without credit
    bayside     127.0.0.13  copies one with a credit line but no link
    northshore  127.0.0.14  an independent report of the same event as one of ours
    gullhaven   127.0.0.15  copies one of ours; in no source: only search finds it
    search      127.0.0.16  /search?q=...&format=json over every page above ("exact phrases")
    hook        127.0.0.17  records the webhook's POSTs

Pages are files under fixtures/watch/<site>/. A feed or sitemap may change between passes:
`/feed.xml` serves the newest of `feed-1.xml`, `feed-2.xml`, ... numbered at most `web.round`
(else `feed.xml`). Feeds and sitemaps carry an ETag and a Last-Modified, and a request whose
validators match is answered 304. `http://OURS`, `http://COASTLINE`, ... in files become each
site's address. Every site records what it was asked (path, validators sent, status answered),
can be told to answer with an error status, and can hold a path until the test releases it.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.support.fixture_web import _plain
from tests.support.paths import FIXTURES

WATCH = FIXTURES / "watch"
CONTENT = ("ours", "coastline", "bayside", "northshore", "gullhaven")
HOSTS = {name: f"127.0.0.{11 + n}" for n, name in enumerate((*CONTENT, "search", "hook"))}
Reply = tuple[int, str, bytes, dict[str, str]]  # status, content type, body, headers
TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/xml", ".txt": "text/plain; charset=utf-8"}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    if_none_match: str | None
    if_modified_since: str | None
    status: int
    body: bytes = b""


@dataclass
class Site:
    name: str
    web: WatchWeb
    requests: list[Request] = field(default_factory=list)
    fail_with: int | None = None  # every request but robots.txt gets this status
    holds: dict[str, threading.Event] = field(default_factory=dict)  # path -> released when set
    arrived: dict[str, threading.Event] = field(default_factory=dict)  # path -> set when its request came
    base: str = ""
    server: _Server | None = None

    @property
    def host(self) -> str:
        return HOSTS[self.name]

    def hold(self, path: str) -> tuple[threading.Event, threading.Event]:
        """Hold requests for `path` until the first event is set; the second is set when one arrives."""
        self.holds[path], self.arrived[path] = threading.Event(), threading.Event()
        return self.holds[path], self.arrived[path]

    def asked(self, path: str | None = None) -> list[Request]:
        return [r for r in self.requests if path is None or r.path == path]

    def start(self) -> None:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def answer(self, status: int, kind: str, body: bytes, headers: dict[str, str], sent: bytes = b"") -> None:
                path = urlsplit(self.path).path
                site.requests.append(Request(self.command, self.path, self.headers.get("If-None-Match"),
                                             self.headers.get("If-Modified-Since"), status, sent))  # fmt: skip
                if path in site.arrived:
                    site.arrived[path].set()
                    site.holds[path].wait(60)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if site.fail_with and parts.path != "/robots.txt":
                    self.answer(site.fail_with, "text/plain", b"failing on purpose\n", {})
                    return
                status, kind, body, headers = site.web.reply(site, parts.path, parse_qs(parts.query), self.headers)
                self.answer(status, kind, body, headers)

            def do_POST(self) -> None:
                sent = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status = site.fail_with or 200
                self.answer(status, "text/plain", b"ok\n" if status == 200 else b"failing on purpose\n", {}, sent)

        self.server = _Server((self.host, 0), Handler)
        self.base = f"http://{self.host}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def stop(self) -> None:
        for event in self.holds.values():
            event.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


class WatchWeb:
    def __init__(self) -> None:
        self.round = 1
        self.sites = {name: Site(name, self) for name in HOSTS}
        self._corpus: list[tuple[str, str]] | None = None

    def __enter__(self) -> WatchWeb:
        for site in self.sites.values():
            site.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for site in self.sites.values():
            site.stop()

    def __getitem__(self, name: str) -> Site:
        return self.sites[name]

    def url(self, name: str, path: str) -> str:
        return self.sites[name].base + "/" + path.lstrip("/")

    def substitute(self, body: bytes) -> bytes:
        for name in CONTENT:
            body = body.replace(f"http://{name.upper()}".encode(), self.sites[name].base.encode())
        return body

    def file(self, site: Site, path: str) -> Path | None:
        """The file a path serves; a feed or sitemap as it is in this round."""
        root = WATCH / site.name
        target = (root / path.lstrip("/")).resolve()
        if not target.is_relative_to(root):
            return None
        if target.suffix == ".xml":
            for number in range(self.round, 0, -1):
                versioned = target.with_name(f"{target.stem}-{number}{target.suffix}")
                if versioned.is_file():
                    return versioned
        return target if target.is_file() else None

    def reply(self, site: Site, path: str, query: dict[str, list[str]], asked: Any) -> Reply:
        if site.name == "search":
            return self._search(path, query)
        found = self.file(site, path) if site.name in CONTENT else None
        if found is None:
            return 404, "text/plain", b"not found\n", {}
        body = self.substitute(found.read_bytes())
        headers: dict[str, str] = {}
        if found.suffix == ".xml":  # what a newsroom CMS sends with its feeds: validators
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            modified = formatdate(1772409600 + 3600 * int(hashlib.sha1(body).hexdigest()[:4], 16), usegmt=True)
            headers = {"ETag": etag, "Last-Modified": modified}
            if asked.get("If-None-Match") == etag:
                return 304, TYPES[".xml"], b"", headers
        return 200, TYPES.get(found.suffix, "application/octet-stream"), body, headers

    # -- the search engine ---------------------------------------------------------------------

    def corpus(self) -> list[tuple[str, str]]:
        """(URL, plain text) of every article page on the content sites."""
        if self._corpus is None:
            from bs4 import BeautifulSoup

            self._corpus = []
            for name in CONTENT:
                for file in sorted((WATCH / name).rglob("*.html")):
                    url = self.sites[name].base + "/" + file.relative_to(WATCH / name).as_posix()
                    text = BeautifulSoup(self.substitute(file.read_bytes()), "lxml").get_text(" ")
                    self._corpus.append((url, _plain(text)))
        return self._corpus

    def _search(self, path: str, query: dict[str, list[str]]) -> Reply:
        if path != "/search":
            return 404, "text/plain", b"not found\n", {}
        if query.get("format") != ["json"]:
            return 403, "text/plain", b"format not enabled in settings.yml\n", {}  # as SearXNG answers
        q = query.get("q", [""])[0]
        phrases = [_plain(p) for p in re.findall(r'"([^"]+)"', q)]
        hits = [url for url, text in self.corpus() if phrases and all(p in text for p in phrases)]
        results = [{"url": url, "title": "", "content": "", "engine": "fixture", "score": 1.0} for url in hits]
        data = {"query": q, "number_of_results": len(results), "results": results}
        return 200, "application/json", json.dumps(data).encode(), {}

    # -- what a newsroom writes --------------------------------------------------------------------

    def config(self, directory: Path, *, search: bool = False, sources: list[str] | None = None,
               extra: str = "") -> Path:  # fmt: skip
        """provenance.toml for this web, as a newsroom would write it (loopback allowed, no delay);
        `sources` are "site/path" (default: the three aggregators' feeds)."""
        listed = sources if sources is not None else ["coastline/feed.xml", "bayside/feed.xml", "northshore/feed.xml"]
        lines = [
            'fail-on = "error"',
            f'index = "{directory / "index.sqlite"}"',
            "",
            "[discovery]",
            "allow-private = true",
            "delay = 0",
            "attempts = 1",
            "timeout = 10",
            f'searxng = "{self.sites["search"].base}"',
            "",
            "[watch]",
            f"sources = {json.dumps([self.url(*source.split('/', 1)) for source in listed])}",
            f"search = {json.dumps(search)}",
            'since = "2026-03-01"',
            'interval = "1h"',
            "",
            "[watch.own]",
            f'domains = ["{HOSTS["ours"]}"]',
            f'feeds = ["{self.url("ours", "/feed.xml")}"]',
            f'sitemaps = ["{self.url("ours", "/sitemap.xml")}"]',
            'name = "Harbour Daily"',
            extra,
        ]
        path = directory / "provenance.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path
