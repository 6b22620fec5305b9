"""`provenance watch` as a process: killed with SIGKILL mid-pass it loses nothing and duplicates
nothing on the rerun; SIGTERM stops it cleanly, mid-pass or between passes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from provenance.watch.state import beside, open_state
from tests.support.watch_web import HOSTS, WatchWeb

ROOT = Path(__file__).resolve().parent.parent
WAIT = 60.0  # seconds a condition may take to come true on a busy machine: a bound, not a measurement


@pytest.fixture
def web() -> Iterator[WatchWeb]:
    with WatchWeb() as running:
        yield running


def start(config: Path, *args: str) -> subprocess.Popen[str]:
    """The CLI in a process of its own (`-m` from the repository root: this checkout's provenance); its
    stderr goes to a file beside the config, to read as it runs."""
    command = [sys.executable, "-m", "provenance", "--config", str(config), "watch", *args]
    with stderr_of(config).open("w") as err:
        return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=err, text=True)


def stderr_of(config: Path) -> Path:
    return config.with_name("stderr.txt")


def finish(process: subprocess.Popen[str], config: Path) -> tuple[int, str, str]:
    out, _ = process.communicate(timeout=WAIT)
    return process.returncode, out, stderr_of(config).read_text()


def until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.05)


def state_location() -> str:
    return beside(os.environ["PROVENANCE_INDEX"])


def recorded() -> list[str]:
    """Page URLs of the findings in the state, read as a second process would."""
    if not Path(state_location()).exists():
        return []
    state = open_state(state_location(), create=False)
    try:
        return [f.copy.page_url for f in state.findings()]
    finally:
        state.close()


def pages(out: str) -> list[str]:
    return [json.loads(line)["page_url"] for line in out.splitlines()]


def test_a_pass_killed_mid_way_loses_nothing_and_duplicates_nothing(web: WatchWeb, tmp_path: Path):
    config = web.config(tmp_path)
    release, arrived = web["northshore"].hold("/news/mackerel-season.html")  # the last page of the pass
    killed = start(config, "--once", "--format", "jsonl")
    try:
        assert arrived.wait(WAIT), "the pass never reached the last page"
        until(lambda: len(recorded()) == 2, "the two copies before it to be recorded")
        killed.send_signal(signal.SIGKILL)
        code, out, _ = finish(killed, config)
    finally:
        release.set()
        if killed.poll() is None:
            killed.kill()
    assert code == -signal.SIGKILL and out == ""  # killed before it could report anything

    code, out, err = finish(start(config, "--once", "--format", "jsonl"), config)
    assert code == 1, err
    reported = pages(out)
    assert sorted(reported) == sorted(recorded()) == sorted([
        web.url("coastline", "/islands/tern-island-ferry.html"),
        web.url("bayside", "/local/gull-point-museum.html"),
    ])  # fmt: skip
    asked = [r.path for r in web["coastline"].requests if r.path.endswith(".html")]
    assert asked == ["/islands/tern-island-ferry.html"]  # recorded before the kill: not checked again
    assert len(web["northshore"].asked("/news/mackerel-season.html")) == 2  # not recorded: checked by the rerun

    code, out, _ = finish(start(config, "--once", "--format", "jsonl"), config)
    assert (code, out) == (0, "")  # nothing new, nothing reported twice


def test_sigterm_stops_a_pass_after_the_page_in_hand_and_the_next_pass_finishes_it(web: WatchWeb, tmp_path: Path):
    config = web.config(tmp_path)
    release, arrived = web["bayside"].hold("/local/gull-point-museum.html")  # the second page of three
    running = start(config, "--format", "jsonl")  # the loop, not --once
    try:
        assert arrived.wait(WAIT)
        until(lambda: len(recorded()) == 1, "the copy before it to be recorded")
        running.send_signal(signal.SIGTERM)
        until(lambda: "stopping after the page in hand" in stderr_of(config).read_text(), "the stop to be heard")
        release.set()
        code, out, err = finish(running, config)
    finally:
        release.set()
        if running.poll() is None:
            running.kill()
    assert code == 0, err
    # the page in hand was finished and reported; the third page was left for the next pass
    assert sorted(pages(out)) == sorted(recorded()) == sorted([
        web.url("coastline", "/islands/tern-island-ferry.html"),
        web.url("bayside", "/local/gull-point-museum.html"),
    ])  # fmt: skip
    state = open_state(state_location(), create=False)
    try:
        assert state.last_pass() is None  # the pass did not finish
        assert state.pending([web.url("northshore", "/news/mackerel-season.html")])
    finally:
        state.close()
    code, out, _ = finish(start(config, "--once", "--format", "jsonl"), config)
    assert code == 0 and pages(out) == []
    assert not state_pending(web.url("northshore", "/news/mackerel-season.html"))


def state_pending(url: str) -> bool:
    state = open_state(state_location(), create=False)
    try:
        return bool(state.pending([url]))
    finally:
        state.close()


def test_sigterm_between_passes_ends_the_loop_at_once(web: WatchWeb, tmp_path: Path):
    config = web.config(tmp_path)
    running = start(config, "--format", "jsonl", "--interval", "1h")
    try:
        until(lambda: Path(state_location()).exists() and _passes() >= 1, "the first pass to end")
        running.send_signal(signal.SIGTERM)
        code, out, err = finish(running, config)
    finally:
        if running.poll() is None:
            running.kill()
    assert code == 0, err
    assert {p.split("/")[2].split(":")[0] for p in pages(out)} == {HOSTS["coastline"], HOSTS["bayside"]}


def _passes() -> int:
    state = open_state(state_location(), create=False)
    try:
        return 1 if state.last_pass() is not None else 0
    finally:
        state.close()
