"""A threaded HTTP server on 127.0.0.1 that misbehaves on purpose, for the fetcher's tests.

Each path is one fault. The server records every request (path and arrival time) and how many
body bytes it managed to send, so tests can assert what the client did, not only what it said.
`robots` chooses what /robots.txt answers: "404", "500", "disallow" (Disallow: /private), "drip"
(a byte a second), "redirect:<Location>" or a full robots.txt text. The slow faults wait on `stopped`, so they end with
the server rather than hold a thread for minutes.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.support.paths import FIXTURES

PAGE = (
    "<!doctype html><html><head><title>Harbour wall rebuilt after storm</title></head><body><article>"
    "<h1>Harbour wall rebuilt after storm</h1>"
    "<p>Workers finished rebuilding the harbour wall at Port Callow on Tuesday, three months after a winter "
    "storm tore a forty-metre gap in it and flooded the lower town.</p>"
    "<p>The council said the new wall stands a metre higher than the old one and was paid for by a national "
    "flood defence grant, with fishermen returning to the inner harbour this week.</p>"
    "</article></body></html>"
)
# windows-1252 text with curly quotes, accents and a dash: bytes that are not valid UTF-8.
WESTERN = "The café owner said: “Déjà vu – the señor’s façade fell again.”"
BIG = 50 * 1024 * 1024
BOMB = 64 * 1024 * 1024  # decompressed size of /bomb


@functools.cache
def _bomb() -> bytes:
    return gzip.compress(b"\0" * BOMB, compresslevel=9)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # resets and hang-ups are the point here


class FaultServer:
    def __init__(self, robots: str = "404") -> None:
        self.robots = robots
        self.requests: list[tuple[str, float]] = []
        self.sent: dict[str, int] = {}
        self.counters: dict[str, int] = {}
        self.agents: list[str] = []
        self.encodings: list[str] = []  # the Accept-Encoding of each request
        self.spans: list[tuple[float, float]] = []  # (start, end) of each /slow response
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.server = _Server(("127.0.0.1", 0), _handler(self))
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def hits(self, path: str) -> list[float]:
        """Arrival times of the requests for `path` (without the query)."""
        with self.lock:
            return [t for p, t in self.requests if p == path]

    def count(self, path: str) -> int:
        """Requests for `path` so far, this one included (the flaky paths use it)."""
        with self.lock:
            self.counters[path] = self.counters.get(path, 0) + 1
            return self.counters[path]

    def start(self) -> FaultServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopped.set()
        self.server.shutdown()
        self.server.server_close()


def _handler(fault: FaultServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def reply(
            self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8", **headers: str
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(body)
            with fault.lock:
                fault.sent[self.path] = fault.sent.get(self.path, 0) + len(body)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            with fault.lock:
                fault.requests.append((parts.path, time.monotonic()))
                fault.agents.append(self.headers.get("User-Agent", ""))
                fault.encodings.append(self.headers.get("Accept-Encoding", ""))
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            route = ROUTES.get(parts.path)
            if route is None:
                self.reply(404, b"<html><body>no such page</body></html>")
            else:
                route(self, query)

        def trickle(self, data: bytes, every: float) -> None:
            """`data` a byte at a time, `every` seconds apart, until done or the server stops."""
            with contextlib.suppress(OSError):
                for byte in data:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    if fault.stopped.wait(every):
                        return

        # The faults, one per path.
        def robots_txt(self, query: dict[str, str]) -> None:
            if fault.robots == "drip":  # 400 bytes at a byte a second
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", "400")
                self.end_headers()
                self.trickle(b"#" * 399 + b"\n", 1.0)
            elif fault.robots.startswith("redirect:"):
                self.reply(302, b"", "text/plain", Location=fault.robots.removeprefix("redirect:"))
            elif fault.robots in ("404", "500"):
                self.reply(int(fault.robots), b"nope", "text/plain")
            else:
                text = "User-agent: *\nDisallow: /private\n" if fault.robots == "disallow" else fault.robots
                self.reply(200, text.encode(), "text/plain")

        def page(self, query: dict[str, str]) -> None:
            self.reply(200, PAGE.encode())

        def linking(self, query: dict[str, str]) -> None:
            """The page, with a link to `to` in its last paragraph (where sources are linked)."""
            link = f'<p>Source: <a href="{query["to"]}">the original report</a>.</p></article>'
            self.reply(200, PAGE.replace("</article>", link).encode())

        def slow(self, query: dict[str, str]) -> None:
            start = time.monotonic()
            fault.stopped.wait(float(query.get("s", "2")))
            self.reply(200, PAGE.encode())
            with fault.lock:
                fault.spans.append((start, time.monotonic()))

        def flaky(self, query: dict[str, str]) -> None:
            if fault.count("/flaky") <= int(query.get("fail", "2")):
                self.reply(500, b"try again")
            else:
                self.reply(200, PAGE.encode())

        def always_500(self, query: dict[str, str]) -> None:
            self.reply(503, b"down", Retry_After="0")

        def busy(self, query: dict[str, str]) -> None:
            if fault.count("/busy") == 1:
                self.reply(429, b"slow down", Retry_After=query.get("after", "1"))
            else:
                self.reply(200, PAGE.encode())

        def loop(self, query: dict[str, str]) -> None:
            hop = int(query.get("n", "0"))
            self.reply(302, b"", Location=f"/loop?n={hop + 1}")

        def redirect(self, query: dict[str, str]) -> None:
            self.reply(302, b"", Location=query["to"])

        def big(self, query: dict[str, str]) -> None:
            """50 MB, chunked (no Content-Length): only counting can stop it."""
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"<p>" + b"x" * 65530 + b"</p>\n"
            try:
                while fault.sent.get("/big", 0) < BIG:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    with fault.lock:
                        fault.sent["/big"] = fault.sent.get("/big", 0) + len(chunk)
                self.wfile.write(b"0\r\n\r\n")
            except OSError:
                pass  # the client hung up: what it was meant to do

        def big_declared(self, query: dict[str, str]) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(BIG))
            self.end_headers()
            try:
                for _ in range(BIG // 65536):
                    self.wfile.write(b"x" * 65536)
                    with fault.lock:
                        fault.sent["/big-declared"] = fault.sent.get("/big-declared", 0) + 65536
            except OSError:
                pass

        def bomb(self, query: dict[str, str]) -> None:
            with contextlib.suppress(OSError):
                self.reply(200, _bomb(), "text/html", Content_Encoding="gzip")

        def drip(self, query: dict[str, str]) -> None:
            """A byte every `every` s (0.1), `n` of them (600): never idle long enough for a read timeout."""
            size = int(query.get("n", "600"))
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            self.trickle(b" " * size, float(query.get("every", "0.1")))

        def slow_headers(self, query: dict[str, str]) -> None:
            """The status line and headers a byte every `every` s (3): some 6 minutes before the body."""
            head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(PAGE)}\r\n\r\n"
            self.trickle(head.encode() + PAGE.encode(), float(query.get("every", "3")))
            self.close_connection = True

        def silent(self, query: dict[str, str]) -> None:
            """Reads the request and says nothing, for five minutes."""
            fault.stopped.wait(300)
            self.close_connection = True

        def encoded(self, query: dict[str, str]) -> None:
            """The page compressed as ?as= says: gzip, zlib (deflate as the RFC means it) or raw deflate."""
            how = query.get("as", "gzip")
            if how == "gzip":
                body, coding = gzip.compress(PAGE.encode()), "gzip"
            else:
                engine = zlib.compressobj(wbits=zlib.MAX_WBITS if how == "zlib" else -zlib.MAX_WBITS)
                body, coding = engine.compress(PAGE.encode()) + engine.flush(), "deflate"
            self.reply(200, body, Content_Encoding=query.get("coding", coding))

        def image(self, query: dict[str, str]) -> None:
            self.reply(200, b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")

        def pdf(self, query: dict[str, str]) -> None:
            self.reply(200, b"%PDF-1.4\n" + b"x" * 1024, "application/pdf")

        def lying_utf8(self, query: dict[str, str]) -> None:
            """Says UTF-8, is windows-1252."""
            body = PAGE.replace("</article>", f"<p>{WESTERN}</p></article>").encode("cp1252")
            self.reply(200, body, "text/html; charset=utf-8")

        def lying_latin1(self, query: dict[str, str]) -> None:
            """Says ISO-8859-1, is UTF-8."""
            body = PAGE.replace("</article>", f"<p>{WESTERN}</p></article>").encode("utf-8")
            self.reply(200, body, "text/html; charset=iso-8859-1")

        def undefined_charset(self, query: dict[str, str]) -> None:
            """Says `charset=undefined` (a Python codec that always fails), is windows-1252."""
            page = (FIXTURES / "untrusted" / "charset-undefined.html").read_bytes()
            self.reply(200, page, "text/html; charset=undefined")

        def reset(self, query: dict[str, str]) -> None:
            # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True

        def private(self, query: dict[str, str]) -> None:
            self.reply(200, PAGE.encode())

    ROUTES: dict[str, Callable[[Handler, dict[str, str]], None]] = {
        "/robots.txt": Handler.robots_txt,
        "/page": Handler.page,
        "/linking": Handler.linking,
        "/private/page": Handler.private,
        "/slow": Handler.slow,
        "/flaky": Handler.flaky,
        "/down": Handler.always_500,
        "/busy": Handler.busy,
        "/loop": Handler.loop,
        "/redirect": Handler.redirect,
        "/big": Handler.big,
        "/big-declared": Handler.big_declared,
        "/bomb": Handler.bomb,
        "/drip": Handler.drip,
        "/slow-headers": Handler.slow_headers,
        "/silent": Handler.silent,
        "/encoded": Handler.encoded,
        "/image": Handler.image,
        "/pdf": Handler.pdf,
        "/lying-utf8": Handler.lying_utf8,
        "/lying-latin1": Handler.lying_latin1,
        "/undefined-charset": Handler.undefined_charset,
        "/reset": Handler.reset,
    }
    return Handler
