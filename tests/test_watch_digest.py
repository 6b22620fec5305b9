"""The HTML digest of a watch pass in Debian's chromium (tests/support/browser.py): it loads nothing, runs no
page's script, and each finding in its table leads to the copy and our article side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner

from provenance.cli import main
from tests.support.browser import LOW_CONTRAST, VISIBLE, open_watched
from tests.support.watch_web import WatchWeb


def test_the_digest_links_each_finding_to_its_evidence_in_a_browser(page: Any, tmp_path: Path) -> None:
    digest = tmp_path / "digest.html"
    with WatchWeb() as web:
        config = web.config(tmp_path)
        result = CliRunner().invoke(main, ["--config", str(config), "watch", "--once", "-f", "html", "-o", str(digest)])
    assert result.exit_code == 1, result.output
    seen = open_watched(page, digest)
    assert seen["console"] == [] and seen["errors"] == [] and seen["refused"] == []
    rows = page.locator("table.findings tbody tr")
    assert rows.count() == 2
    page.locator("a.to-finding", has_text="#1").click()
    section = page.locator("#finding-1")
    assert section.is_visible() and "Tern Island wins winter fare freeze" in section.inner_text()
    # the copy and our article, every paragraph shown, side by side in the finding's section
    for side, count in (("a", 6), ("o", 8)):  # their intro and five of our paragraphs; ours whole
        shown = page.eval_on_selector_all(f"#finding-1 [id^='f1-{side}-p']", f"els => els.filter({VISIBLE}).length")
        assert shown == count, side
    assert page.locator("#finding-1 mark.m-copied").count() > 0
    assert page.evaluate(LOW_CONTRAST) == []
