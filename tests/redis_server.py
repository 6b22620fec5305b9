"""A throwaway `redis-server` on 127.0.0.1 for the store tests: free port, temp dir, no persistence.

Without `redis-server` on PATH the Redis tests fail in CI (CI=true), where
.ci/run installs it, and are skipped elsewhere.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
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


def _executable() -> str:
    exe = shutil.which("redis-server")
    if exe is None:
        message = f"redis-server is not on PATH: {INSTALL_HINT}"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message + " (.ci/run installs it)", pytrace=False)
        pytest.skip(message)
    return exe


@contextlib.contextmanager
def running_redis(directory: Path) -> Iterator[RedisServer]:
    """A redis-server for the duration of the block; stopped (and waited for) at the end."""
    exe = _executable()
    port = free_port()
    args = [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    args += ["--dir", str(directory), "--logfile", str(directory / "redis.log")]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = RedisServer(port, process)
    try:
        _wait_ready(server, directory)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_ready(server: RedisServer, directory: Path) -> None:
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
                    pytest.fail(f"redis-server did not start on port {server.port}:\n{tail}", pytrace=False)
                time.sleep(0.02)
