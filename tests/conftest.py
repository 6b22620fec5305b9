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


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def fixture_site() -> Iterator[str]:
    """Base URL of a server on loopback serving fixtures/ as a web site."""
    handler = functools.partial(_QuietHandler, directory=str(FIXTURES))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
