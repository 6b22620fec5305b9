"""A throwaway `redis-server` on 127.0.0.1 for the store tests and the benchmarks: free port, temp
dir, no persistence.

Without `redis-server` on PATH the Redis tests fail in CI (CI=true), where
.ci/run installs it, and are skipped elsewhere; a benchmark stops with a message
(`running_redis(..., refuse=stop)`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import redis

INSTALL_HINT = "install it with `apt-get install redis-server` (Debian/Ubuntu) or `brew install redis`"


@dataclass(frozen=True)
class RedisServer:
    port: int
    process: subprocess.Popen[bytes]

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def client(self, db: int = 0) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, db=db)

    def flush(self) -> None:
        with self.client() as client:
            client.flushall()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


Refuse = Callable[[str, bool], NoReturn]  # (message, whether redis-server is missing)


def skip_or_fail(message: str, missing: bool) -> NoReturn:
    """In tests: a missing redis-server skips them, except in CI; a server that does not start fails them."""
    import pytest  # not for the benchmarks

    if missing and os.environ.get("CI", "").lower() not in ("1", "true", "yes"):
        pytest.skip(message)
    pytest.fail(message + (" (.ci/run installs it)" if missing else ""), pytrace=False)


def stop(message: str, missing: bool) -> NoReturn:
    """In benchmarks: end the run with the message."""
    raise SystemExit(message)


@contextlib.contextmanager
def running_redis(directory: Path, refuse: Refuse = skip_or_fail) -> Iterator[RedisServer]:
    """A redis-server for the duration of the block; stopped (and waited for) at the end."""
    exe = shutil.which("redis-server")
    if exe is None:
        refuse(f"redis-server is not on PATH: {INSTALL_HINT}", True)
    port = free_port()
    args = [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    args += ["--dir", str(directory), "--logfile", str(directory / "redis.log")]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = RedisServer(port, process)
    try:
        _wait_ready(server, directory, refuse)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)  # a benchmark's server may hold gigabytes to free
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_ready(server: RedisServer, directory: Path, refuse: Refuse) -> None:
    deadline = time.monotonic() + 10
    with server.client() as client:
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if server.process.poll() is not None or time.monotonic() > deadline:
                    log = directory / "redis.log"
                    tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
                    refuse(f"redis-server did not start on port {server.port}:\n{tail}", False)
                time.sleep(0.02)
