"""fixtures/ served as a web site by a real HTTP server on 127.0.0.1 (the `fixture_site` fixture)."""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.support.paths import FIXTURES


class FixtureHandler(SimpleHTTPRequestHandler):
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


@contextlib.contextmanager
def serving_fixtures() -> Iterator[str]:
    """The base URL of the server while the block runs; the server is shut down after it."""
    handler = functools.partial(FixtureHandler, directory=str(FIXTURES))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
