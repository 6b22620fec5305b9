"""A real browser for the HTML report's tests: Debian's chromium, driven by Playwright.

Playwright's own browser download is never used (`playwright install` fetches from outside the
package registries); it drives the system's /usr/bin/chromium through `executable_path`.
Without chromium (or Playwright) the browser tests skip with a message saying how to get it,
except under CI=true, where they fail: .ci/run installs chromium, so its absence is a broken run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser")
# The flags this machine's chromium needs headless: no sandbox as root, no GPU, and none of the
# background connections (updates, sync, QUIC probes) that a closed network refuses.
FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium_path() -> str | None:
    found = os.environ.get("PROVENANCE_CHROMIUM") or next(filter(None, map(shutil.which, CHROMIUM_NAMES)), None)
    return found if found and Path(found).exists() else None


def _unavailable(why: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"browser tests cannot run under CI: {why}", pytrace=False)
    pytest.skip(f"browser tests skipped: {why}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless chromium for the session (Playwright's Browser); each test opens its own pages."""
    executable = chromium_path()
    if executable is None:
        _unavailable("no chromium on PATH; install Debian's with `apt-get install chromium` (.ci/run does)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is missing; `pip install -e '.[test]'` installs it")
    with sync_playwright() as playwright:
        # Playwright starts each launch with a new, empty profile directory of its own.
        launched = playwright.chromium.launch(executable_path=executable, args=list(FLAGS), headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 1600}, java_script_enabled=True)
    opened = context.new_page()
    try:
        yield opened
    finally:
        context.close()
