"""Wall-clock deadlines, through the command line, against servers on 127.0.0.1 that would take minutes.

Each server below would keep a fetch going for 5 to 7 minutes (headers a byte every 3 s, a
body or robots.txt a byte a second, silence). With a 1 s limit per fetch, or a 1.5 s discovery
budget, each `provenance check` must end with one line and exit 2 (or, for a page discovery
fetches, a report) well within the limit plus the slack docs/fetching.md gives. The runs are
subprocesses started together, so the whole module costs a few seconds.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

from fault_server import FaultServer

FETCH_LIMIT = 1.0  # the config's fetch-deadline
BUDGET = 1.5  # --budget of the discovery cases
RETRIED_LIMIT = 2.0  # the fetch-deadline of the case with retries
# What docs/fetching.md allows past a limit, plus a Python start-up and the report on a busy machine.
# Generous on purpose: the servers would take 300 s and more.
SLACK = 6.0


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str
    ended: float  # time.monotonic() when the process had exited
    server: FaultServer

    @property
    def seconds(self) -> float:
        """From the server's first request to the process's exit: the fetch and what follows it,
        without the Python start-up (eight at once on a busy machine take seconds)."""
        return self.ended - self.server.requests[0][1]


def _config(path: Path, **extra: object) -> str:
    keys = {"allow-private": "true", "delay": 0, "fetch-deadline": FETCH_LIMIT, **extra}
    path.write_text("[discovery]\n" + "".join(f"{key} = {value}\n" for key, value in keys.items()))
    return str(path)


def _run_together(commands: dict[str, tuple[FaultServer, list[str]]]) -> dict[str, Outcome]:
    """Each command as `python -m provenance ...`, all started at once; how each ended and when."""
    outcomes: dict[str, Outcome] = {}

    def one(name: str, server: FaultServer, args: list[str]) -> None:
        process = subprocess.run(
            [sys.executable, "-m", "provenance", *args], capture_output=True, text=True, timeout=120, check=False
        )
        outcomes[name] = Outcome(process.returncode, process.stdout, process.stderr, time.monotonic(), server)

    threads = [threading.Thread(target=one, args=(name, *command)) for name, command in commands.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> Iterator[dict[str, Outcome]]:
    where = tmp_path_factory.mktemp("deadlines")
    limit = ["--config", _config(where / "limit.toml"), "check", "--no-cache"]
    # silent for 0.2 s is a timeout, and the first retry waits 0.25 to 0.75 s: two tries at least fit in 2 s
    retried = {"timeout": 0.2, "attempts": 10, "fetch-deadline": RETRIED_LIMIT}
    retries = ["--config", _config(where / "retries.toml", **retried), "check", "--no-cache"]
    budget = ["--config", _config(where / "budget.toml", **{"fetch-deadline": 600}), "check", "--no-cache"]
    discover = ["--discover", "links", "--budget", str(BUDGET), "-f", "json", "--fail-on", "never"]
    servers: list[FaultServer] = []

    def server(robots: str = "404") -> FaultServer:
        servers.append(FaultServer(robots).start())
        return servers[-1]

    def at(path: str, args: list[str], robots: str = "404", *more: str) -> tuple[FaultServer, list[str]]:
        one = server(robots)
        return one, [*args, f"{one.url}{path}", *more]

    # A page linking to another host (localhost, not 127.0.0.1: links to the page's own site are not
    # followed), whose page drips.
    linking, dripping = server(), server()
    dripping_link = quote(f"http://localhost:{dripping.port}/drip?every=1&n=400")
    try:
        yield _run_together(
            {
                "headers a byte every 3 s": at("/slow-headers?every=3", limit),
                "body a byte a second": at("/drip?every=1&n=400", limit),
                "robots.txt a byte a second": at("/page", limit, "drip"),
                "silent server": at("/silent", limit),
                "silent server, retried": at("/silent", retries),
                "article in the budget": at("/slow-headers?every=3", budget, "404", *discover),
                "robots.txt in the budget": at("/page", budget, "drip", *discover),
                "discovery in the budget": (linking, [*budget, f"{linking.url}/linking?to={dripping_link}", *discover]),
            }
        )
    finally:
        for one in servers:
            one.stop()


FETCH_CASES = {
    "headers a byte every 3 s": "took longer than 1 s, the limit for one fetch (reading the answer)",
    "body a byte a second": "took longer than 1 s, the limit for one fetch (reading the answer)",
    "robots.txt a byte a second": "took longer than 1 s, the limit for one fetch (reading http://127.0.0.1:",
    "silent server": "took longer than 1 s, the limit for one fetch (reading the answer)",
    "article in the budget": "the 1.5 s budget (--budget) ran out (reading the answer)",
    "robots.txt in the budget": "the 1.5 s budget (--budget) ran out (reading http://127.0.0.1:",
}


def _one_line(outcome: Outcome) -> str:
    lines = outcome.stderr.strip().splitlines()
    assert outcome.code == 2 and len(lines) == 1, outcome
    assert lines[0].startswith("error: cannot fetch ") and "Traceback" not in outcome.stderr
    return lines[0]


@pytest.mark.parametrize("case", sorted(FETCH_CASES))
def test_a_slow_server_ends_at_the_deadline_with_one_line(outcomes, case):
    outcome = outcomes[case]
    assert FETCH_CASES[case] in _one_line(outcome)
    limit = BUDGET if "budget" in case else FETCH_LIMIT
    assert outcome.seconds < limit + SLACK, outcome.seconds


def test_retries_are_counted_inside_the_limit_of_one_fetch(outcomes):
    outcome = outcomes["silent server, retried"]
    line = _one_line(outcome)
    assert "timed out after" in line or "the limit for one fetch" in line, line
    assert outcome.seconds < RETRIED_LIMIT + SLACK
    assert len(outcome.server.hits("/silent")) >= 2


def test_check_with_discovery_ends_within_its_budget_and_reports_the_cut(outcomes):
    outcome = outcomes["discovery in the budget"]
    assert outcome.code == 0, outcome.stderr
    assert outcome.seconds < BUDGET + SLACK, outcome.seconds
    (links,) = [run for run in json.loads(outcome.stdout)["discovery"] if run["strategy"] == "links"]
    assert links["status"] in ("timed-out", "ok") and links["found"] == 0, links
