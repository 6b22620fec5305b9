"""The HTML evidence report (provenance/report/html.py, provenance/ci/formats/html.py).

The first part reads the page as data (BeautifulSoup): what it links to, what it may load, how it
pairs paragraphs, what the CLI writes. The second part opens it in a real browser (tests/support/browser.py:
Debian's chromium through Playwright) and asks the DOM what a reader would see.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from click.testing import CliRunner

from benchmarks.bench_html import html_of, report_of
from provenance import check
from provenance.ci.formats import renderer as ci_renderer
from provenance.cli import main
from provenance.model import (
    Alignment,
    Article,
    Candidate,
    Credit,
    Evidence,
    Gap,
    Link,
    Match,
    Passage,
    Report,
    SentencePair,
    Severity,
    StrategyRun,
)
from provenance.report import FORMATS, renderer
from provenance.report import sidebyside as sbs
from provenance.report.html import outside_url, page_label, rule_url, uncredited_second_sources
from provenance.rules import RULES
from tests.support.browser import LOW_CONTRAST, VISIBLE, open_watched
from tests.support.fixture_web import FixtureWeb
from tests.support.paths import BBC_HTML, FAMILY, FIXTURES, SEED_HTML

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
HOSTILE = FIXTURES / "hostile"
CI_REPO = FIXTURES / "ci-repo"
SCREENSHOT = DOCS / "html-report.png"
PAYLOAD = "<script>alert('payload')</script><img src=x onerror=alert('img')>"


def html(report: Report) -> str:
    out = io.StringIO()
    renderer("html")(report, out)
    return out.getvalue()


def soup(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "html.parser")


def seed() -> Report:
    return check(str(SEED_HTML), [str(BBC_HTML)])


def patchwork() -> Report:
    return check(str(FAMILY / "copy-patchwork.html"), [str(FAMILY)])


# --- addresses and rule links --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["https://www.bbc.co.uk/news/world-asia-45481711", "http://127.0.0.1:8080/a?b=c&d=<e>", "HTTPS://EXAMPLE.ORG/"],
)
def test_http_addresses_become_links(url: str) -> None:
    assert outside_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "javascript:alert(1)//https://example.org",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//example.org/path",
        "/relative/path",
        "http:///no-host",
        "https://exa mple.org/",
        "https://[broken/",
        "",
        None,
    ],
)
def test_other_addresses_stay_text(url: str | None) -> None:
    assert outside_url(url) is None


def test_an_address_python_cannot_parse_neither_links_nor_labels_a_page() -> None:
    page = Article("pages/broken.html", ("text",), url="https://[broken/", canonical_url="http://[::1")
    assert page_label(page) == "pages/broken.html"
    assert outside_url(page.url) is None


def _github_anchor(heading: str) -> str:
    """GitHub's heading fragment: lower case, punctuation but hyphens dropped, spaces to hyphens."""
    return re.sub(r"[^a-z0-9 _-]", "", heading.strip().lower()).replace(" ", "-")


def test_rule_links_point_at_headings_docs_rules_md_has() -> None:
    headings = re.findall(r"^## (.+)$", (DOCS / "rules.md").read_text(), flags=re.MULTILINE)
    anchors = {_github_anchor(h) for h in headings}
    assert len(anchors) == len(RULES)
    for rule in RULES:
        base, _, fragment = rule_url(rule.id).partition("#")
        assert base.endswith("/docs/rules.md")
        assert fragment in anchors, (rule.id, fragment)
    assert "#" not in rule_url("PRV999")  # an unknown rule (a custom policy's) links to the page


# --- one self-contained, safe page ------------------------------------------------------------------


def _script_allowed(page_soup: BeautifulSoup) -> None:
    csp = page_soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert isinstance(csp, Tag)
    policy = str(csp["content"])
    assert "default-src 'none'" in policy
    (script,) = page_soup.find_all("script")
    digest = base64.b64encode(hashlib.sha256(script.string.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy, "the page's own script must be the one its CSP allows"


def _self_contained(text: str) -> BeautifulSoup:
    page_soup = soup(text)
    assert not page_soup.find_all(["link", "img", "iframe", "object", "embed", "base", "form", "svg"])
    assert not page_soup.find_all(src=True)
    styles = " ".join(s.get_text() for s in page_soup.find_all("style"))
    assert "url(" not in styles and "@import" not in styles
    _script_allowed(page_soup)
    ids = [t["id"] for t in page_soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), "ids must be unique: fragments would land on the wrong element"
    for a in page_soup.find_all("a", href=True):
        href = str(a["href"])
        if href.startswith("#"):
            assert page_soup.find(id=href[1:]), f"{href} points nowhere"
        else:
            assert re.match(r"https?://", href), href
            assert {"noopener", "noreferrer"} <= set(a.get("rel") or []), href
    return page_soup


def test_the_seed_report_is_one_self_contained_page() -> None:
    page_soup = _self_contained(html(seed()))
    assert page_soup.title is not None and "Kim Jong-un" in page_soup.title.get_text()
    verdict = page_soup.find(id="verdict")
    assert verdict is not None and "verbatim" in verdict.get_text() and "BBC News" in verdict.get_text()
    origin_link = verdict.find("a", href="https://www.bbc.co.uk/news/world-asia-45481711")
    assert origin_link is not None


def test_patchwork_rewrite_wire_and_original_reports_are_self_contained() -> None:
    for report in (
        patchwork(),
        check(str(FAMILY / "rewrite.html"), [str(FAMILY)]),
        wire_client(),
        check(str(FAMILY / "original-b.html")),
    ):
        _self_contained(html(report))


def test_highlighting_keeps_every_paragraph_word_for_word() -> None:
    for report in (patchwork(), check(str(FAMILY / "rewrite.html"), [str(FAMILY)])):
        page_soup = soup(html(report))
        other = report.origin.article if report.origin else None
        assert other is not None
        for side, article in (("a", report.article), ("o", other)):
            for index, text in enumerate(article.paragraphs):
                shown = page_soup.find(id=f"{side}-p{index}")
                assert shown is not None
                for label in shown.select(".pno, .tag"):
                    label.decompose()
                assert shown.get_text().strip() == text.strip(), (side, index)


def test_every_piece_of_evidence_shows_its_weight_in_words() -> None:
    report = seed()
    assert report.origin is not None
    items = soup(html(report)).select("#verdict .evidence li")
    assert len(items) == len(report.origin.evidence)
    for item, evidence in zip(items, report.origin.evidence, strict=True):
        text = item.get_text(" ", strip=True)
        assert f"{evidence.weight:+.2f}" in text and evidence.detail in text
        words = "for: this article is the copy" if evidence.weight > 0 else "neutral"
        assert words in text


def test_gaps_show_rule_severity_message_evidence_place_and_rule_link() -> None:
    report = seed()
    page_soup = soup(html(report))
    items = page_soup.select("#gaps .gap")
    assert len(items) == len(report.gaps) == 5
    for item, gap in zip(items, report.gaps, strict=True):
        text = item.get_text(" ", strip=True)
        assert gap.rule in text and gap.name in text and gap.severity.value in text and gap.message in text
        assert all(e in text for e in gap.evidence)
        rule_link = item.find("a", class_="rule")
        assert rule_link is not None and rule_link["href"] == rule_url(gap.rule)
        place = item.find("p", class_="place")
        assert place is not None
        if gap.paragraph is not None:
            target = place.find("a")
            assert target is not None and target["href"] == f"#a-p{gap.paragraph}"
            shown = page_soup.find(id=f"a-p{gap.paragraph}")
            assert shown is not None and shown.get_text().endswith(report.article.paragraphs[gap.paragraph])


def test_candidates_and_discovery_tables() -> None:
    report = patchwork()
    page_soup = soup(html(report))
    rows = page_soup.select("#candidates tbody tr")
    assert len(rows) == len(report.matches)
    for row, match in zip(rows, report.matches, strict=True):
        cells = [c.get_text(" ", strip=True) for c in row.find_all("td")]
        assert cells[4] == f"{match.copied_share:.0%}" and cells[5] == f"{match.reproduced_share:.0%}"
        assert match.candidate.found_by in cells[2] and match.candidate.reason in cells[2]
    roles = {r.select_one(".role-badge").get_text() for r in rows if r.select_one(".role-badge")}
    assert roles == {"origin", "second source (S1), uncredited"}
    (run,) = page_soup.select("#discovery tbody tr")
    assert "given" in run.get_text() and "ok" in run.get_text()


def test_second_sources_are_found_from_prv106_gaps_and_marked_apart() -> None:
    report = patchwork()
    (second,) = uncredited_second_sources(report)
    assert second.candidate.article.source.endswith("original-b.html")
    page_soup = soup(html(report))
    marks = page_soup.select('#side-by-side td.text mark.m-second[data-mark="S1"]')
    assert marks and all("side-a" in m.find_parent("td")["class"] for m in marks)
    excerpts = page_soup.select("#second-sources tbody tr")
    assert len(excerpts) == sum(not p.quoted for p in second.passages)


def wire_client() -> Report:
    """A client of a wire checked against another client and an independent report: the wire's own page is absent."""
    family = FIXTURES / "wire-family"
    return check(
        str(family / "client-daily.html"), [str(family / "client-station.html"), str(family / "report-gazette.html")]
    )


def test_an_origin_known_from_credits_is_compared_with_a_sibling() -> None:
    report = wire_client()
    assert report.origin is not None and report.origin.article is None and report.siblings
    page_soup = soup(html(report))
    assert "known from credits" in page_soup.select_one("#verdict").get_text()
    header = page_soup.select("#side-by-side thead th")[2].get_text(" ", strip=True)
    assert f"credited to {report.origin.name}" in header


def test_repeated_blocks_are_shown_on_request() -> None:
    report = seed()
    (block,) = report.article.repeated_blocks
    details = soup(html(report)).select_one("#removed")
    assert details is not None and details.name == "details" and not details.has_attr("open")
    shown = [p.get_text() for p in details.select("blockquote p")]
    assert shown == list(report.article.paragraphs[block.first_paragraph : block.first_paragraph + block.paragraphs])


def test_first_archive_captures_reach_the_timeline(tmp_path: Path) -> None:
    with FixtureWeb() as web:
        url = web.url(web.aggregator, "/undated/kim-letter.html")
        output = tmp_path / "report.html"
        args = ["--config", str(web.config(tmp_path)), "check", url, "-f", "html", "-o", str(output)]
        result = CliRunner().invoke(main, [*args, "--discover", "publisher", "--discover", "wayback"])
        assert result.exit_code in (0, 1), result.output
    events = soup(output.read_text()).select("#timeline .event")
    article = next(e for e in events if "self" in e["class"])
    assert "first archived 2018-09-11 07:30 UTC" in article.get_text(" ", strip=True)
    assert article.select_one(".dot.cap") is not None
    summary = soup(output.read_text()).select_one("#timeline .summary").get_text()
    assert "Known to exist first (by published date or first archive capture): BBC News" in summary


def test_the_timeline_puts_the_first_publisher_first_and_mixes_naive_and_aware_dates() -> None:
    report = seed()
    origin = report.origin.article if report.origin else None
    assert origin is not None and origin.published is not None
    # a naive date on one page and an aware one on another must still be ordered, not raise
    naive = replace(report, article=replace(report.article, published=datetime(2018, 9, 11, 7, 20)))
    for variant in (report, naive):
        events = soup(html(variant)).select("#timeline .event")
        assert "first" in events[0]["class"] and "BBC News" in events[0].get_text()
        assert "7.0 hours before the article" in events[0].get_text()
        assert "self" in events[1]["class"]


# --- side by side as data ---------------------------------------------------------------------------


def _article(*paragraphs: str) -> Article:
    return Article("a.txt", paragraphs)


def _match(other: Article, passages: list[Passage], pairs: tuple[SentencePair, ...] = ()) -> Match:
    candidate = Candidate(other, "given", "named on the command line")
    return Match(candidate, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.1, tuple(passages), Alignment(pairs, 4, 4))


def test_a_passage_over_several_paragraphs_is_marked_in_each_and_labelled_in_each() -> None:
    article = _article("one two three", "four five six")
    marks = [sbs.Mark(4, 24, sbs.COPIED, "1", 0)]
    first, second = sbs.paragraphs(article, marks)
    assert [(p.text, p.mark is not None, p.labelled, p.first) for p in first.pieces] == [
        ("one ", False, False, False),
        ("two three", True, True, True),
    ]
    assert [(p.text, p.labelled, p.first) for p in second.pieces] == [
        ("four five", True, False),
        (" six", False, False),
    ]


def test_where_marks_overlap_the_stronger_claim_wins() -> None:
    text = "aaaa bbbb cccc dddd"
    marks = [
        sbs.Mark(0, 19, sbs.REWRITE, "R1", 0),
        sbs.Mark(5, 19, sbs.SECOND, "S1", 0),
        sbs.Mark(0, 9, sbs.COPIED, "1", 0),
    ]
    got = [(p.text, p.mark.label if p.mark else None, p.labelled) for p in sbs.pieces(text, 0, marks)]
    assert got == [("aaaa bbbb", "1", True), (" cccc dddd", "S1", True)]


def _flatten(rows: list[sbs.Row]) -> tuple[list[int], list[int]]:
    return [p.index for r in rows for p in r.article], [p.index for r in rows for p in r.other]


def test_rows_keep_every_paragraph_once_in_order_and_pair_only_along_one_order() -> None:
    left = sbs.paragraphs(_article(*"abcdef"), [])
    right = sbs.paragraphs(_article(*"uvwxyz"), [])
    # 0-1, 1-2 and 4-4 agree; 3-0 goes backwards and must not pull paragraphs 1 to 3 into one row
    pairs = {(0, 1), (1, 2), (3, 0), (4, 4)}
    rows = sbs.rows(left, right, pairs)
    assert _flatten(rows) == ([0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5])
    shown = [([p.index for p in r.article], [p.index for p in r.other], r.linked) for r in rows]
    assert shown == [
        ([], [0], False),
        ([0], [1], True),
        ([1], [2], True),
        ([2, 3], [3], False),
        ([4], [4], True),
        ([5], [5], False),
    ]


def test_a_paragraph_split_in_two_on_the_other_side_shares_one_row() -> None:
    left = sbs.paragraphs(_article(*"abc"), [])
    right = sbs.paragraphs(_article(*"wxyz"), [])
    rows = sbs.rows(left, right, {(0, 0), (1, 1), (1, 2), (2, 3)})
    assert [([p.index for p in r.article], [p.index for p in r.other]) for r in rows] == [
        ([0], [0]),
        ([1], [1, 2]),
        ([2], [3]),
    ]


def test_links_follow_a_passage_across_paragraphs_of_different_lengths() -> None:
    article = _article("alpha beta gamma delta", "epsilon zeta eta theta")
    other = _article("intro line", "alpha beta gamma delta", "epsilon zeta eta theta")
    text_a, text_o = article.text, other.text
    passage = Passage(0, len(text_a), text_o.index("alpha"), len(text_o), text_a, quoted=False)
    assert sbs.links(article, other, _match(other, [passage]), sentences=False) == {(0, 1), (1, 2)}


def test_a_rewrite_pairs_its_aligned_sentences() -> None:
    article = _article("First said here.", "Second said there.")
    other = _article("Another first.", "Another second.")
    pairs = (SentencePair(0, 16, 0, 14, 0.8), SentencePair(18, 36, 16, 31, 0.7))
    match = _match(other, [], pairs)
    assert sbs.links(article, other, match, sentences=True) == {(0, 0), (1, 1)}
    left, right = sbs.sentence_marks(match)
    assert [m.label for m in left] == [m.label for m in right] == ["R1", "R2"]


# --- the command line -------------------------------------------------------------------------------


def test_html_is_a_format_of_check_and_ci() -> None:
    assert "html" in FORMATS
    assert ci_renderer("html") is not None


def test_check_format_html_writes_the_report(tmp_path: Path) -> None:
    output = tmp_path / "report.html"
    args = ["check", str(SEED_HTML), "--candidate", str(BBC_HTML), "--format", "html", "--output", str(output)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output  # the seed has an error-level gap
    assert result.output == ""
    page_soup = _self_contained(output.read_text(encoding="utf-8"))
    assert page_soup.select_one("#verdict .badge").get_text() == "verbatim"


@pytest.fixture(scope="session")
def ci_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """fixtures/ci-repo with its originals in its index, as tests/test_ci.py prepares it."""
    copy = tmp_path_factory.mktemp("ci-repo-html") / "repo"
    shutil.copytree(CI_REPO, copy)
    index = copy / ".provenance" / "index.sqlite"
    originals = str(copy / "wire" / "originals.jsonl")
    result = CliRunner().invoke(main, ["index", "import", "--index", str(index), originals])
    assert result.exit_code == 0, result.output
    return copy


@pytest.fixture
def ci_page(ci_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`provenance ci -f html --output` on the fixture repository."""
    monkeypatch.chdir(ci_repo)
    monkeypatch.setenv("PROVENANCE_INDEX", str(ci_repo / ".provenance" / "index.sqlite"))
    output = tmp_path / "ci.html"
    result = CliRunner().invoke(main, ["ci", "-f", "html", "--output", str(output), "--workers", "1", "--no-cache"])
    assert result.exit_code == 1, result.output  # the repository has failing findings
    return output


def test_ci_html_summarises_and_gives_each_file_with_findings_its_section(ci_page: Path) -> None:
    expected = json.loads((CI_REPO / "expected.json").read_text())["files"]
    page_soup = _self_contained(ci_page.read_text(encoding="utf-8"))
    with_findings = {path for path, found in expected.items() if found}
    sections = {s.select_one("h2 code").get_text(): s for s in page_soup.select("section.file")}
    assert set(sections) == with_findings
    for path, section in sections.items():
        assert section.select_one("article.report") is not None, path  # the article's check report
        listed = [li.select_one("a.rule").get_text() for li in section.select("li.finding")]
        assert sorted(listed) == sorted(f["rule"] for f in expected[path])
    links = page_soup.select("#findings a.to-finding")
    assert len(links) == sum(len(found) for found in expected.values())
    by_rule = {row.select_one("a.rule").get_text(): row for row in page_soup.select("#summary tbody tr") if row.a}
    counted = sum(1 for found in expected.values() for f in found if f["rule"] == "PRV104" and not f["suppressed"])
    assert by_rule["PRV104"].find_all("td")[0].get_text() == str(counted)
    assert "fails" in page_soup.select_one(".status").get_text()


def test_every_ci_format_test_run_renders_as_html() -> None:
    """The ci formats' own test run (hostile messages, an unknown rule, an unreadable file) as one page."""
    from tests.test_ci_formats import make_run

    out = io.StringIO()
    ci_renderer("html")(make_run(), out)
    page_soup = _self_contained(out.getvalue())
    assert "could not check" in page_soup.select_one(".status").get_text()
    assert "<script>alert(1)</script>" in page_soup.get_text()


def test_a_200_paragraph_report_stays_under_a_megabyte() -> None:
    """benchmarks/bench_html.py measures the time to open it; the size is a limit of the format."""
    text = html_of(report_of(200))
    assert len(text.encode()) < 1_000_000


# --- hostile input ----------------------------------------------------------------------------------


def hostile_report() -> Report:
    """The hostile fixture's report, with payloads put in every field extraction leaves alone."""
    report = check(str(HOSTILE / "copy.html"), [str(HOSTILE / "original.html")])
    article = report.article
    # the fixture's payloads reach the report: extraction keeps them as text
    assert "<script>" in (article.title or "") and "<script>" in (article.byline or "")
    # a canonical address that is no web address is left out, and the article's notes say so
    assert article.canonical_url is None and any("javascript:alert('canonical')" in n for n in article.notes)
    assert any("onerror=" in p for p in article.paragraphs)
    assert report.origin is not None and report.origin.match is not None
    article = replace(
        article,
        url="javascript:alert('url')",
        canonical_url="javascript:alert('canonical')//kestrel-post.example/ferry",  # an Article made by a caller
        publisher=PAYLOAD,
        credits=(Credit(f"Harbour {PAYLOAD} Wire", f"Source: {PAYLOAD}", "source-label", "javascript:alert(1)", 4),),
        links=(Link("javascript:alert('link')", PAYLOAD, 1),),
        dates_shown=(PAYLOAD,),
    )
    match = report.origin.match
    # an http(s) address with no space becomes a link: the quote must stay inside the attribute
    address = "https://example.org/\"><script>alert('href')</script>"
    page = replace(match.candidate.article, canonical_url=address, title=PAYLOAD, byline=PAYLOAD, publisher=PAYLOAD)
    candidate = replace(match.candidate, article=page, reason=PAYLOAD, found_by=PAYLOAD)
    match = replace(match, candidate=candidate)
    origin = replace(report.origin, match=match, evidence=(*report.origin.evidence, Evidence(PAYLOAD, PAYLOAD, 0.1)))
    return replace(
        report,
        article=article,
        origin=origin,
        matches=(match,),
        gaps=(*report.gaps, Gap("PRV106", "uncredited-second-source", Severity.ERROR, PAYLOAD, (PAYLOAD,), 2)),
        discovery=(StrategyRun(PAYLOAD, "failed", 0, PAYLOAD, 0.5, (PAYLOAD,)),),
        first_seen=((article.source, datetime(2026, 5, 2, 16, 0, tzinfo=UTC)),),
    )


def test_hostile_text_is_escaped_and_hostile_addresses_are_not_links() -> None:
    page_soup = _self_contained(html(hostile_report()))
    assert len(page_soup.find_all("script")) == 1
    for tag in page_soup.find_all(True):
        assert not any(name.lower().startswith("on") for name in tag.attrs), tag.name
    text = page_soup.get_text()
    assert "<script>alert('payload')</script>" in text and "javascript:alert('canonical')" in text
    links = [a for a in page_soup.find_all("a") if str(a["href"]).startswith("https://example.org/")]
    assert links and all(a["href"] == "https://example.org/\"><script>alert('href')</script>" for a in links)


# --- in a real browser ------------------------------------------------------------------------------

_MARK_COLOURS = """(marks) => marks.map(m => {
  const s = getComputedStyle(m), cell = getComputedStyle(m.closest("td"));
  return [s.backgroundColor, cell.backgroundColor, m.getBoundingClientRect().height > 0];
})"""


def test_the_seed_report_in_a_browser(page: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # as the README runs it: the report shows the paths it was given
    report = check(str(SEED_HTML.relative_to(ROOT)), [str(BBC_HTML.relative_to(ROOT))])
    path = tmp_path / "seed.html"
    path.write_text(html(report), encoding="utf-8")
    seen = open_watched(page, path)
    assert seen["console"] == [] and seen["errors"] == []
    verdict = page.locator("#verdict")
    assert verdict.is_visible() and "verbatim" in verdict.inner_text() and "BBC News" in verdict.inner_text()
    origin = report.origin.article if report.origin else None
    assert origin is not None
    for side, article in (("a", report.article), ("o", origin)):
        shown = page.eval_on_selector_all(f"[id^='{side}-p']", f"els => els.filter({VISIBLE}).map(e => e.id)")
        assert shown == [f"{side}-p{i}" for i in range(len(article.paragraphs))]
    gaps = page.locator("#gaps .gap")
    assert gaps.count() == len(report.gaps)
    assert all(gaps.nth(i).is_visible() for i in range(gaps.count()))
    assert report.origin is not None and report.origin.match is not None
    _passages_highlighted_on_both_sides(page, report.origin.match)
    # the legend explains what the page marks; the minimap links land on marks
    assert page.locator(".legend").is_visible()
    assert page.eval_on_selector_all(".minimap a", "as => as.every(a => document.querySelector(a.hash))")
    page.set_viewport_size({"width": 1280, "height": 2100})  # the verdict, the timeline, the gaps, side by side
    page.screenshot(path=str(tmp_path / "seed.png"))
    if os.environ.get("PROVENANCE_UPDATE_SCREENSHOT"):  # the README's picture: updated by a flag, reviewed in a diff
        page.screenshot(path=str(SCREENSHOT))
    assert seen["refused"] == []


def _passages_highlighted_on_both_sides(page: Any, match: Match) -> None:
    """Each passage: marked in the article's column and in the other page's, visibly, with its label."""
    for number, passage in enumerate(match.passages, 1):
        label = f"Q{number}" if passage.quoted else str(number)
        for side in ("a", "o"):
            marks = page.locator(f"#side-by-side td.side-{side} mark[data-mark='{label}']")
            assert marks.count() > 0, (label, side)
            for background, cell, visible in marks.evaluate_all(_MARK_COLOURS):
                assert visible and background not in ("rgba(0, 0, 0, 0)", cell), (label, side, background)
            assert marks.first.locator(".tag").inner_text().endswith(label)


def test_each_passage_of_a_patchwork_is_highlighted_on_both_sides(page: Any, tmp_path: Path) -> None:
    report = patchwork()
    path = tmp_path / "patchwork.html"
    path.write_text(html(report), encoding="utf-8")
    open_watched(page, path)
    assert report.origin is not None and report.origin.match is not None
    _passages_highlighted_on_both_sides(page, report.origin.match)
    second = page.locator("#side-by-side mark.m-second")
    assert second.count() > 0 and second.first.is_visible()
    # not colour alone: every mark carries its label, and each kind has its own border or pattern
    styles = page.evaluate(
        """() => ["m-copied", "m-second"].map(k => {
            const s = getComputedStyle(document.querySelector("#side-by-side mark." + k));
            return [s.borderBottomStyle, s.backgroundImage];
        })"""
    )
    assert styles[0][0] == "solid" and styles[1][0] == "double" and "gradient" in styles[1][1]
    # pointing at a passage lights it up on both sides (the page's script runs under its CSP)
    page.locator("#side-by-side mark[data-mark='S1']").first.hover()
    page.locator("#side-by-side td.side-a mark[data-mark='1']").first.hover()
    assert page.locator("#side-by-side mark.hot[data-mark='1']").count() >= 2


def test_a_hostile_article_runs_nothing_injects_nothing_and_loads_nothing(page: Any, tmp_path: Path) -> None:
    path = tmp_path / "hostile.html"
    path.write_text(html(hostile_report()), encoding="utf-8")
    seen = open_watched(page, path)
    # let anything deferred run, and give every handler a chance: hover the marks, open the toggles
    for mark in page.locator("mark").all()[:30]:
        mark.hover()
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__calls") == []
    assert seen["dialogs"] == [] and seen["console"] == [] and seen["errors"] == []
    assert seen["requests"] == [path.resolve().as_uri()] and seen["refused"] == []
    injected = page.evaluate(
        """() => ({
            scripts: document.scripts.length,
            elements: [...document.querySelectorAll("img, svg, iframe, object, embed, form, base, link, video, audio")]
                .map(e => e.tagName),
            handlers: [...document.querySelectorAll("*")].flatMap(
                e => [...e.attributes].filter(a => a.name.startsWith("on")).map(a => e.tagName + " " + a.name)),
            links: [...document.querySelectorAll("a[href]")]
                .filter(a => !(a.getAttribute("href").startsWith("#") || ["http:", "https:"].includes(a.protocol)))
                .map(a => a.href),
            bare: [...document.querySelectorAll("a[href^='http']")].filter(a => a.rel !== "noopener noreferrer").length,
        })"""
    )
    assert injected == {"scripts": 1, "elements": [], "handlers": [], "links": [], "bare": 0}
    text = page.locator("body").inner_text()
    assert "<script>alert('payload')</script>" in text and "onerror=alert('paragraph-img')" in text


def test_the_ci_report_links_every_finding_to_its_section(page: Any, ci_page: Path) -> None:
    seen = open_watched(page, ci_page)
    assert seen["console"] == [] and seen["errors"] == []
    checked = page.evaluate(
        """() => [...document.querySelectorAll("#findings a.to-finding")].map(a => {
            const target = document.querySelector(a.hash);
            const section = target && target.closest("section.file");
            return {
                where: a.textContent,
                found: !!target,
                path: section ? section.querySelector("h2 code").textContent : null,
                report: !!section && !!section.querySelector("article.report #" + CSS.escape(section.id + "-verdict")),
            };
        })"""
    )
    expected = json.loads((CI_REPO / "expected.json").read_text())["files"]
    assert len(checked) == sum(len(found) for found in expected.values()) > 0
    for link in checked:
        assert link["found"] and link["report"], link
        assert link["where"].startswith(link["path"] + ":"), link
    files = page.eval_on_selector_all("#files a.to-file", "as => as.map(a => a.textContent)")
    assert sorted(files) == sorted(path for path, found in expected.items() if found)
    # following a link lands on the finding, on screen
    page.locator("#findings a.to-finding").last.click()
    assert page.evaluate("location.hash") == page.locator("#findings a.to-finding").last.get_attribute("href")
    target = page.locator(page.evaluate("location.hash"))
    top = target.evaluate("el => el.getBoundingClientRect().top")
    assert target.is_visible() and -2 < top < 1600, top  # on screen (sub-pixel scrolling may leave -0.4)


def test_colours_pass_wcag_aa_on_screen_and_in_print(page: Any, tmp_path: Path, ci_page: Path) -> None:
    rewrite = check(str(FAMILY / "rewrite.html"), [str(FAMILY)])
    for name, text in (("patchwork", html(patchwork())), ("rewrite", html(rewrite))):
        path = tmp_path / f"{name}.html"
        path.write_text(text, encoding="utf-8")
        page.goto(path.resolve().as_uri())
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        assert page.evaluate(LOW_CONTRAST) == [], name
    page.goto(ci_page.resolve().as_uri())
    assert page.evaluate(LOW_CONTRAST) == []
    # print: the toggles' content shows, the navigation and the minimap go, the highlights stay
    path = tmp_path / "seed.html"
    path.write_text(html(seed()), encoding="utf-8")
    page.goto(path.resolve().as_uri())
    page.emulate_media(media="print")
    assert page.locator("#removed blockquote").first.is_visible()
    assert not page.locator("nav.toc").is_visible() and not page.locator(".minimap").first.is_visible()
    adjust = page.eval_on_selector("mark.m", "m => getComputedStyle(m).printColorAdjust")
    assert adjust == "exact"
    assert page.evaluate(LOW_CONTRAST) == []


def test_the_readme_shows_the_screenshot_the_browser_test_makes() -> None:
    assert SCREENSHOT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"]({SCREENSHOT.relative_to(ROOT)})" in (ROOT / "README.md").read_text()
