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


# --- what the tests ask of a page ---------------------------------------------------------------------

HOOKS = """
window.__calls = [];
for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
  window[name] = (...args) => { window.__calls.push([name, String(args[0])]); };
}
for (const name of ["log", "info", "warn", "error", "debug"]) {
  const original = console[name].bind(console);
  console[name] = (...args) => { window.__calls.push(["console." + name, String(args[0])]); original(...args); };
}
"""


def open_watched(page: Any, path: Path) -> dict[str, list[str]]:
    """Opens `path` with every outside request refused and recorded, dialogs and console watched."""
    seen: dict[str, list[str]] = {"requests": [], "refused": [], "dialogs": [], "console": [], "errors": []}
    url = path.resolve().as_uri()

    def route(r: Any) -> None:
        if r.request.url == url:
            r.continue_()
        else:
            seen["refused"].append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("console", lambda m: seen["console"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.add_init_script(HOOKS)
    page.goto(url, wait_until="load")
    return seen


# an element a reader can see (it takes up room on the page)
VISIBLE = "el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 }"

# the elements with text whose contrast with what is behind them is below WCAG AA
LOW_CONTRAST = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const blend = (top, under) => { const a = top.length > 3 ? top[3] : 1;
    return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)); };
  const background = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length && !(c.length > 3 && c[3] === 0)) { layers.push(c); if (c.length === 3 || c[3] === 1) break; }
    }
    return layers.reduceRight((under, top) => blend(top, under), [255, 255, 255]);
  };
  const failures = [];
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const r = el.getBoundingClientRect();
    if (!own || r.width === 0 || r.height === 0 || el.closest(".sr")) continue;
    const s = getComputedStyle(el);
    const fg = blend(rgb(s.color), background(el)), bg = background(el);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const size = parseFloat(s.fontSize), bold = parseInt(s.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) failures.push([el.tagName, el.className, s.color, ratio.toFixed(2)]);
  }
  return failures;
}"""
