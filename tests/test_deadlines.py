"""Wall-clock deadlines against servers on 127.0.0.1 that would take minutes, by `fetch()` and the CLI.

Each server below would keep a fetch going for 5 to 7 minutes (headers a byte every 3 s, a body
or robots.txt a byte a second, silence). With a 1 s limit per fetch, or a 1.5 s discovery budget,
each must end with one line (or, for a page discovery fetches, a report) well within the limit
plus the slack docs/fetching.md gives. The fetches run in threads and the `provenance check`
runs as subprocesses, all started together, so the module costs a few seconds.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from provenance.errors import FetchError
from provenance.fetch import FetchSettings, fetch, new_client
from tests.support.fault_server import FaultServer

FETCH_LIMIT = 1.0  # fetch-deadline
BUDGET = 1.5  # --budget of the discovery cases
RETRIED_LIMIT = 2.0  # the fetch-deadline of the case with retries
# What docs/fetching.md allows past a limit (0.1 s for a fetch, 5 s for a check), on a busy machine.
# Generous on purpose: the servers would take 300 s and more.
SLACK = 6.0


@dataclass(frozen=True)
class Outcome:
    message: str  # the error's one line, or "" for success; for a CLI run, stderr
    ended: float  # time.monotonic() at the end
    server: FaultServer
    code: int = 2
    stdout: str = ""

    @property
    def seconds(self) -> float:
        """From the server's first request to the end: the fetch and what follows it, without a
        process's start-up (several at once on a busy machine take seconds)."""
        return self.ended - self.server.requests[0][1]


def _together(jobs: dict[str, Callable[[], Outcome]]) -> dict[str, Outcome]:
    outcomes: dict[str, Outcome] = {}

    def one(name: str, job: Callable[[], Outcome]) -> None:
        outcomes[name] = job()

    threads = [threading.Thread(target=one, args=item) for item in jobs.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return outcomes


class _Servers:
    def __init__(self) -> None:
        self.started: list[FaultServer] = []

    def __call__(self, robots: str = "404") -> FaultServer:
        self.started.append(FaultServer(robots).start())
        return self.started[-1]

    def stop(self) -> None:
        for server in self.started:
            server.stop()


@pytest.fixture(scope="module")
def servers() -> Iterator[_Servers]:
    made = _Servers()
    yield made
    made.stop()


# -- one fetch ----------------------------------------------------------------------------------


def _fetching(server: FaultServer, path: str, settings: FetchSettings) -> Callable[[], Outcome]:
    def job() -> Outcome:
        try:
            with new_client(settings) as client:
                fetch(f"{server.url}{path}", client)
            message = ""
        except FetchError as exc:
            message = str(exc)
        return Outcome(message, time.monotonic(), server)

    return job


def _fetches(servers: _Servers) -> dict[str, Callable[[], Outcome]]:
    limit = FetchSettings(allow_private=True, delay=0, cache=False, fetch_deadline=FETCH_LIMIT)
    # silent for 0.2 s is a timeout, and the first retry waits 0.25 to 0.75 s: two tries at least fit in 2 s
    retried = dataclasses.replace(limit, timeout=0.2, attempts=10, fetch_deadline=RETRIED_LIMIT)
    return {
        "headers a byte every 3 s": _fetching(servers(), "/slow-headers?every=3", limit),
        "body a byte a second": _fetching(servers(), "/drip?every=1&n=400", limit),
        "robots.txt a byte a second": _fetching(servers("drip"), "/page", limit),
        "silent server": _fetching(servers(), "/silent", limit),
        "silent server, retried": _fetching(servers(), "/silent", retried),
    }


LIMIT = "took longer than 1 s, the limit for one fetch"
FETCH_CASES = {
    "headers a byte every 3 s": f"{LIMIT} (reading the answer)",
    "body a byte a second": f"{LIMIT} (reading the answer)",
    "robots.txt a byte a second": f"{LIMIT} (reading http://127.0.0.1:",
    "silent server": f"{LIMIT} (reading the answer)",
}


@pytest.mark.parametrize("case", sorted(FETCH_CASES))
def test_a_slow_server_ends_at_the_deadline_of_one_fetch(outcomes, case):
    outcome = outcomes[case]
    assert FETCH_CASES[case] in outcome.message and "\n" not in outcome.message, outcome.message
    assert outcome.seconds < FETCH_LIMIT + SLACK, outcome.seconds


def test_retries_are_counted_inside_the_limit_of_one_fetch(outcomes):
    outcome = outcomes["silent server, retried"]
    assert "timed out after" in outcome.message or "the limit for one fetch" in outcome.message, outcome.message
    assert outcome.seconds < RETRIED_LIMIT + SLACK
    assert len(outcome.server.hits("/silent")) >= 2


# -- through the command line ------------------------------------------------------------------


def _config(path: Path, **extra: object) -> str:
    keys = {"allow-private": "true", "delay": 0, "fetch-deadline": FETCH_LIMIT, **extra}
    path.write_text("[discovery]\n" + "".join(f"{key} = {value}\n" for key, value in keys.items()))
    return str(path)


def _cli(server: FaultServer, args: list[str]) -> Callable[[], Outcome]:
    def job() -> Outcome:
        command = [sys.executable, "-m", "provenance", *args]
        done: Any = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        return Outcome(done.stderr, time.monotonic(), server, done.returncode, done.stdout)

    return job


def _checks(servers: _Servers, where: Path) -> dict[str, Callable[[], Outcome]]:
    limit = ["--config", _config(where / "limit.toml"), "check", "--no-cache"]
    budget = ["--config", _config(where / "budget.toml", **{"fetch-deadline": 600}), "check", "--no-cache"]
    discover = ["--discover", "links", "--budget", str(BUDGET), "-f", "json", "--fail-on", "never"]
    slow, dripping_robots, linking, dripping = servers(), servers("drip"), servers(), servers()
    # a link to another host (localhost, not 127.0.0.1: links to the page's own site are not followed)
    link = quote(f"http://localhost:{dripping.port}/drip?every=1&n=400")
    return {
        "one fetch, headers a byte every 3 s": _cli(slow, [*limit, f"{slow.url}/slow-headers?every=3"]),
        "the budget, robots.txt a byte a second": _cli(
            dripping_robots, [*budget, f"{dripping_robots.url}/page", *discover]
        ),
        "the budget, the linked page a byte a second": _cli(
            linking, [*budget, f"{linking.url}/linking?to={link}", *discover]
        ),
    }


@pytest.fixture(scope="module")
def outcomes(servers: _Servers, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Every case of the module at once: the fetches in threads, the checks as subprocesses."""
    return _together({**_fetches(servers), **_checks(servers, tmp_path_factory.mktemp("deadlines"))})


def _one_line(outcome: Outcome) -> str:
    lines = outcome.message.strip().splitlines()
    assert outcome.code == 2 and len(lines) == 1, outcome
    assert lines[0].startswith("error: cannot fetch ") and "Traceback" not in outcome.message
    return lines[0]


def test_check_of_a_slow_server_is_one_line_and_exit_2_at_the_fetch_limit(outcomes):
    outcome = outcomes["one fetch, headers a byte every 3 s"]
    assert f"{LIMIT} (reading the answer)" in _one_line(outcome)
    assert outcome.seconds < FETCH_LIMIT + SLACK, outcome.seconds


def test_check_with_discovery_fetches_the_article_and_its_robots_txt_within_the_budget(outcomes):
    outcome = outcomes["the budget, robots.txt a byte a second"]
    assert "the 1.5 s budget (--budget) ran out (reading http://127.0.0.1:" in _one_line(outcome)
    assert outcome.seconds < BUDGET + SLACK, outcome.seconds


def test_check_with_discovery_ends_within_its_budget_and_reports_the_cut(outcomes):
    outcome = outcomes["the budget, the linked page a byte a second"]
    assert outcome.code == 0, outcome.message
    assert outcome.seconds < BUDGET + SLACK, outcome.seconds
    (links,) = [run for run in json.loads(outcome.stdout)["discovery"] if run["strategy"] == "links"]
    assert links["status"] in ("timed-out", "ok") and links["found"] == 0, links
