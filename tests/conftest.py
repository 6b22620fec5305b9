"""Shared test fixtures: the fixture files, and a real HTTP server on 127.0.0.1 serving them."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEED_HTML = FIXTURES / "seed" / "obiaks-kim-jong-un-letter.html"
SEED_TEXT = FIXTURES / "seed" / "obiaks-kim-jong-un-letter.txt"
BBC_HTML = FIXTURES / "seed" / "bbc-kim-jong-un-letter.html"
FAMILY = FIXTURES / "family"


class _FixtureHandler(SimpleHTTPRequestHandler):
    """Serves fixtures/; feeds and sitemaps get the server's own address where they say FIXTURE-SITE."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.suffix != ".xml" or not path.is_file():
            super().do_GET()
            return
        host, port = self.server.server_address[:2]
        body = path.read_bytes().replace(b"http://FIXTURE-SITE", f"http://{host}:{port}".encode())
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(autouse=True)
def _private_index(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read or write the user's own index."""
    monkeypatch.setenv("PROVENANCE_INDEX", str(tmp_path_factory.mktemp("index") / "index.sqlite"))


@pytest.fixture(autouse=True)
def _no_web_discovery(monkeypatch: pytest.MonkeyPatch) -> None:
    """Checks of URLs never look for candidates on the real web; tests of discovery name their strategies."""
    monkeypatch.setenv("PROVENANCE_DISCOVER", "none")
    monkeypatch.delenv("PROVENANCE_SEARXNG", raising=False)
    monkeypatch.delenv("PROVENANCE_WAYBACK", raising=False)


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read or write the user's HTTP cache, nor each other's, nor robots.txt rules
    another test's server (maybe on the same port) gave."""
    from provenance.fetch.robots import forget

    monkeypatch.setenv("PROVENANCE_CACHE", str(tmp_path_factory.mktemp("cache")))
    forget()


@pytest.fixture
def site_config(tmp_path: Path) -> str:
    """A settings file, as a user testing against their own local site writes it: loopback
    allowed, no per-host delay, no retries (so a refused port fails at once)."""
    path = tmp_path / "provenance.toml"
    path.write_text("[discovery]\nallow-private = true\ndelay = 0\nattempts = 1\n")
    return str(path)


@pytest.fixture(scope="session")
def fixture_site() -> Iterator[str]:
    """Base URL of a server on loopback serving fixtures/ as a web site."""
    handler = functools.partial(_FixtureHandler, directory=str(FIXTURES))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
