"""The HTML report of a long article: its size, the time to make it, and the time a browser takes to open it.

An invented 200-paragraph story and a copy of it are generated (most paragraphs word for word,
some reworded, some the copy's own, quotations throughout); the copy is checked against the story,
its HTML report is written, and Debian's chromium (driven by Playwright) opens the file several
times: the figures are printed, never asserted as times (tests/test_report_html.py asserts the size).

    python -m benchmarks.bench_html [--paragraphs 200] [--runs 5] [--output report.html]
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from provenance.model import Article, Report
from provenance.pipeline import check
from provenance.report.html import render

# Invented words, people and places, so that no sentence repeats another by chance: nothing here
# comes from a real article.
_SYLLABLES = ("ka", "lo", "mir", "ten", "vas", "bru", "del", "sor", "qui", "han", "zet", "pol", "rin", "mo")
_BODIES = ("harbour board", "county council", "ferry operator", "fishermen's cooperative", "water authority")
_THINGS = ("sea wall", "lifeboat station", "fish market", "tidal gate", "coast road", "harbour crane")
_VERBS = ("cost", "need", "lose", "save", "add", "take")
_UNITS = ("million pounds", "weeks", "jobs", "berths", "metres", "tonnes")
_REWORD = {"said": "stated", "would": "could", "the": "a", "by": "before", "in": "at"}


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _sentence(rng: random.Random, quoted: bool) -> str:
    who, body, place = f"{_name(rng)} {_name(rng)}", rng.choice(_BODIES), _name(rng)
    claim = (
        f"the {rng.choice(_THINGS)} at {place} would {rng.choice(_VERBS)} {rng.randint(2, 990)} "
        f"{rng.choice(_UNITS)} by {rng.choice(('spring', 'the autumn', 'next year', 'March'))}"
    )
    if quoted:
        return f'"We were told {claim}, and nobody checked," {who} of the {body} said.'
    return f"{who} of the {body} in {_name(rng)} said {claim}, after {_name(rng)} {_name(rng)} raised it."


def story(paragraphs: int, seed: int = 7) -> tuple[Article, Article]:
    """(the copy, the original): an invented story of `paragraphs` paragraphs and an aggregator's copy of it."""
    rng = random.Random(seed)
    original = [
        " ".join(_sentence(rng, quoted=rng.random() < 0.2) for _ in range(rng.randint(2, 4))) for _ in range(paragraphs)
    ]
    copied = []
    for i, para in enumerate(original):
        if i % 7 == 3:  # reworded
            copied.append(" ".join(_REWORD.get(word, word) for word in para.split()))
        elif i % 11 == 5:  # the copy's own paragraph
            copied.append(" ".join(_sentence(rng, quoted=False) for _ in range(2)))
        else:
            copied.append(para)
    when = datetime(2026, 3, 14, 7, 30, tzinfo=UTC)
    source = Article(
        "generated/original.html",
        tuple(original),
        url="https://northshore-gazette.example/news/long-story",
        title="Port Callow counts the cost of its harbour",
        byline="Maria Keane",
        publisher="Northshore Gazette",
        published=when,
    )
    copy = Article(
        "generated/copy.html",
        tuple(copied),
        url="https://quick-news.example/long-story",
        title="Port Callow counts the cost of its harbour",
        byline="Quick News 24",
        publisher="Quick News 24",
        published=when.replace(hour=13),
    )
    return copy, source


def report_of(paragraphs: int) -> Report:
    copy, source = story(paragraphs)
    return check(copy, [source])


def html_of(report: Report) -> str:
    out = io.StringIO()
    render(report, out)
    return out.getvalue()


def open_times(path: Path, runs: int) -> list[dict[str, float]]:
    """Per run: wall time of page.goto() to the load event, and the browser's own navigation and paint timings."""
    from playwright.sync_api import sync_playwright

    from tests.support.browser import FLAGS, chromium_path

    executable = chromium_path()
    if executable is None:
        raise SystemExit("no chromium: install Debian's (apt-get install chromium) to measure the open time")
    figures = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=list(FLAGS), headless=True)
        try:
            for _ in range(runs):
                page = browser.new_page(viewport={"width": 1280, "height": 1000})
                start = time.perf_counter()
                page.goto(path.as_uri(), wait_until="load")
                wall = time.perf_counter() - start
                timing = page.evaluate(
                    """() => {
                        const nav = performance.getEntriesByType("navigation")[0];
                        const paint = performance.getEntriesByName("first-contentful-paint")[0];
                        return {load: nav.loadEventEnd, paint: paint ? paint.startTime : -1};
                    }"""
                )
                figures.append({"wall": wall, "load": timing["load"] / 1000, "paint": timing["paint"] / 1000})
                page.close()
        finally:
            browser.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--paragraphs", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--output", type=Path, help="Keep the report here (default: a temporary file).")
    args = parser.parse_args()
    start = time.perf_counter()
    report = report_of(args.paragraphs)
    checked = time.perf_counter()
    html = html_of(report)
    rendered = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.output or Path(tmp) / "report.html"
        path.write_text(html, encoding="utf-8")
        figures = open_times(path.resolve(), args.runs)
    passages = len(report.origin.match.passages) if report.origin and report.origin.match else 0
    print(f"article: {args.paragraphs} paragraphs, {len(report.article.text):,} characters; relation {report.relation}")
    print(f"passages: {passages}; gaps: {len(report.gaps)}")
    print(f"report size: {len(html.encode()):,} bytes ({len(html.encode()) / 2**20:.2f} MiB; limit 1 MiB)")
    print(f"check: {checked - start:.2f} s; render: {rendered - checked:.3f} s")
    for name in ("wall", "load", "paint"):
        values = [f[name] for f in figures if f[name] >= 0]  # headless chromium may record no paint
        if not values:
            continue
        label = {"wall": "open (goto to load event)", "load": "load event end", "paint": "first contentful paint"}[name]
        print(f"{label}: median {statistics.median(values):.3f} s, max {max(values):.3f} s over {len(values)} runs")


if __name__ == "__main__":
    main()
