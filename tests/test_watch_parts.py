"""The parts of `provenance watch` on their own: the [watch] settings, what makes a copy a finding
(relations, own domains, licensed partners, the policy), reading sources, the webhook's payload,
and hostile page text through every format."""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from provenance.ci.policy import Policy, build
from provenance.config import CiPolicy, Partner
from provenance.config import load as load_config
from provenance.errors import ConfigError
from provenance.fetch import FetchSettings, Response, fetch, new_client
from provenance.inputs import load
from provenance.model import Report, Severity
from provenance.pipeline import Settings, check
from provenance.publishers import bundled
from provenance.watch.formats import renderer
from provenance.watch.judge import Judge
from provenance.watch.model import Copy, Digest, Finding, FindingGap, Pass, SourceRun
from provenance.watch.sources import conditional, listing, sniff
from provenance.watch.state import SourceRecord
from provenance.watch.webhook import MAX_BLOCKS, payload, redacted
from tests.support.paths import FIXTURES
from tests.support.watch_web import WatchWeb

WATCH = FIXTURES / "watch"
OURS = "http://ours.example"
T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
REGISTRY = bundled().extended([
    {"name": "Harbour Daily", "domains": ["ours.example"]},
    {"name": "Coastline Digest", "domains": ["coastline.example"]},
    {"name": "Bayside Bulletin", "domains": ["bayside.example"]},
])  # fmt: skip


def ours(name: str) -> str:
    return str(WATCH / "ours" / "news" / name)


def report_of(page: str, original: str) -> Report:
    """The page checked against our article, which the index gives back at our own address."""
    article = replace(load(original, REGISTRY), url=f"{OURS}/news/x.html", canonical_url=f"{OURS}/news/x.html")
    return check(str(WATCH / page), [article], settings=Settings(registry=REGISTRY))


def judge(policy: Policy | None = None, partners: tuple[Partner, ...] = (), own: tuple[str, ...] = ("ours.example",)):
    return Judge(policy or Policy(), REGISTRY, own, partners)


def rules(copies: tuple[Copy, ...] | list[Copy]) -> set[str]:
    (copy,) = copies
    return set(copy.rules)


# --- what makes a finding ----------------------------------------------------------------------------


def test_a_copy_of_ours_is_a_finding_with_its_gaps_and_shares():
    report = report_of("coastline/islands/tern-island-ferry.html", ours("ferry-fares.html"))
    (copy,) = judge().copies(report, "http://coastline.example/t.html", "http://coastline.example/rss")
    assert copy.rules == ("PRV101", "PRV107") and copy.relation == "partial"
    assert copy.original_url == f"{OURS}/news/x.html" and copy.site == "coastline.example"
    assert 0.85 < copy.copied_share <= 1 and 0.5 < copy.reproduced_share < 0.8
    assert copy.severity is Severity.ERROR and copy.partner is None


def test_an_independent_report_our_own_pages_and_others_originals_are_not_findings():
    independent = report_of("northshore/news/mackerel-season.html", ours("mackerel-catch.html"))
    assert independent.relation.value == "independent"
    assert judge().copies(independent, "http://northshore.example/m.html", "feed") == ()
    copy = report_of("coastline/islands/tern-island-ferry.html", ours("ferry-fares.html"))
    assert judge().copies(copy, "http://www.ours.example/syndicated.html", "feed") == ()  # our own page
    assert judge(own=("someone-else.example",)).copies(copy, "http://c.example/t.html", "feed") == ()
    assert len(judge(own=()).copies(copy, "http://c.example/t.html", "feed")) == 1  # no own domains: all ours


def test_a_licensed_partner_is_judged_by_its_licence_not_the_rules_about_taking_text():
    full = report_of("coastline/islands/sea-wall.html", ours("sea-wall.html"))
    assert rules(judge().copies(full, "http://coastline.example/w.html", "feed")) == {
        "PRV101", "PRV104", "PRV105", "PRV107", "PRV108",
    }  # fmt: skip
    licence = Partner("Coastline Digest", "Harbour Daily", link=True)
    (copy,) = judge(partners=(licence,)).copies(full, "http://coastline.example/w.html", "feed")
    assert copy.rules == ("PRV110",) and copy.partner == "Coastline Digest"
    assert "no credit at all" in copy.gaps[0].message

    credited = report_of("bayside/local/gull-point-museum.html", ours("lighthouse-museum.html"))
    linked = Partner("Bayside Bulletin", "Harbour Daily", link=True)
    (copy,) = judge(partners=(linked,)).copies(credited, "http://bayside.example/g.html", "feed")
    assert copy.rules == ("PRV110",) and "a link to the original (ours.example)" in copy.gaps[0].message
    bare = Partner("Bayside Bulletin", "Harbour Daily", link=False)
    (copy,) = judge(partners=(bare,)).copies(credited, "http://bayside.example/g.html", "feed")
    assert copy.gaps == () and copy.severity is None  # credited as the licence asks: recorded, not failing


def test_the_newsrooms_policy_counts_the_gaps():
    report = report_of("coastline/islands/tern-island-ferry.html", ours("ferry-fares.html"))
    strict = build(CiPolicy(max_copied_share=0.5, ignore=("PRV107",), severity=(("PRV101", "warning"),)))
    (copy,) = judge(strict).copies(report, "http://coastline.example/t.html", "feed")
    assert copy.rules == ("PRV101", "PRV111")
    assert {g.rule: g.severity for g in copy.gaps}["PRV101"] is Severity.WARNING


# --- settings ---------------------------------------------------------------------------------------


def test_watch_settings_read_as_a_newsroom_writes_them(tmp_path: Path):
    config = tmp_path / "provenance.toml"
    config.write_text(
        'own-domains = ["harbour.example"]\n'
        "[watch]\n"
        'sources = ["https://a.example/rss", {url = "https://b.example/list.txt", kind = "urls"}]\n'
        'since = "7d"\ninterval = "15m"\nfail-on = "warning"\nstate = "state/watch.sqlite"\n'
        "[watch.own]\n"
        'sitemaps = ["https://harbour.example/news-sitemap.xml"]\nname = "Harbour Daily"\n'
        "[[watch.partners]]\n"
        'name = "Coastline Digest"\ncredit = { link = true, position = "bottom" }\n'
    )
    watch = load_config(str(config)).watch
    assert watch.own_domains == ("harbour.example",)  # the top-level own-domains, by default
    assert [(s.url, s.kind) for s in watch.sources] == [("https://a.example/rss", "auto"),
                                                        ("https://b.example/list.txt", "urls")]  # fmt: skip
    assert watch.since == timedelta(days=7) and watch.interval == 900 and watch.fail_on == "warning"
    assert watch.state == str((tmp_path / "state" / "watch.sqlite").resolve())
    assert watch.partners == (Partner("Coastline Digest", "Harbour Daily", True, "bottom"),)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[watch]\nsource = []\n", "unknown key 'watch.source'"),
        ("[watch.own]\ndomain = ['a.example']\n", "unknown key 'watch.own.domain'"),
        ("[watch]\nsources = [{url = 'https://a.example/', type = 'feed'}]\n", "unknown key 'watch.sources.type'"),
        ("[watch]\nsources = [{url = 'https://a.example/', kind = 'atom'}]\n", "watch.sources.kind must be one of"),
        ("[watch]\nsources = ['file:///etc/passwd']\n", "every source needs a url, an http(s):// URL"),
        ("[[watch.partners]]\nname = 'X'\nlicence = 'y'\n", "unknown key 'watch.partners.licence'"),
        ("[watch]\nsince = 'last week'\n", "watch.since must be a date"),
        ("[watch]\ninterval = '0s'\n", "watch.interval must be"),
        ("[watch]\nfail-on = 'often'\n", "watch.fail-on must be one of"),
        ("[watch]\nwebhook = 'slack'\n", "watch.webhook must be an http(s):// URL"),
        ("[watch]\nsearch = 'yes'\n", "watch.search must be true or false"),
    ],
)
def test_bad_watch_settings_are_errors_that_name_the_key(tmp_path: Path, text: str, message: str):
    config = tmp_path / "provenance.toml"
    config.write_text(text)
    with pytest.raises(ConfigError, match="provenance.toml: .*" + message.replace("(", r"\(").replace(")", r"\)")):
        load_config(str(config))


# --- sources ----------------------------------------------------------------------------------------


def test_a_source_is_told_by_its_content_and_lists_its_pages():
    feed = (WATCH / "coastline" / "feed-2.xml").read_bytes().replace(b"http://COASTLINE", b"https://c.example")
    sitemap = (WATCH / "ours" / "sitemap-1.xml").read_bytes().replace(b"http://OURS", b"https://o.example")
    urls = b"# partner pages\nhttps://p.example/a\n\nnot a url\nhttps://p.example/b\nfile:///etc/passwd\n"
    assert [sniff(feed), sniff(sitemap), sniff(gzip.compress(sitemap)), sniff(urls)] == ["feed", "sitemap", "sitemap",
                                                                                          "urls"]  # fmt: skip

    def answer(data: bytes, url: str = "https://x.example/source") -> Response:
        return Response(url, data, "application/xml", None)

    assert [p.url for p in listing(answer(feed), "auto", answer)] == [
        "https://c.example/islands/sea-wall.html", "https://c.example/islands/tern-island-ferry.html",
    ]  # fmt: skip
    pages = listing(answer(sitemap), "sitemap", answer)
    assert pages[0].published == datetime(2026, 3, 2, 8, 0, tzinfo=UTC) and len(pages) == 4
    assert [p.url for p in listing(answer(urls), "auto", answer)] == ["https://p.example/a", "https://p.example/b"]
    index = b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://o.example/s1.xml</loc></sitemap></sitemapindex>'
    children = {"https://o.example/s1.xml": answer(sitemap)}
    assert len(listing(answer(index), "auto", lambda url: children[url])) == 4


def test_conditional_get_sends_the_validators_and_a_304_has_no_body():
    record = SourceRecord("https://a.example/rss", "feed", '"abc"', "Mon, 02 Mar 2026 08:00:00 GMT")
    assert conditional(record) == {"If-None-Match": '"abc"', "If-Modified-Since": "Mon, 02 Mar 2026 08:00:00 GMT"}
    assert conditional(None) == {}
    with WatchWeb() as web, new_client(FetchSettings(allow_private=True, delay=0, cache=False)) as client:
        first = fetch(web.url("coastline", "/feed.xml"), client)
        assert first.status == 200 and set(first.validators) == {"etag", "last-modified"}
        again = fetch(web.url("coastline", "/feed.xml"), client, headers={"If-None-Match": first.validators["etag"]})
        assert (again.status, again.content, again.validators["etag"]) == (304, b"", first.validators["etag"])


# --- the webhook and the formats: page text is hostile ---------------------------------------------

HOSTILE = 'Fare freeze \x1b]52;c;cGF5bG9hZA==\x07 \u202eevil <!channel> & =HYPERLINK("http://x")'


def finding(number: int, title: str = HOSTILE, page: str = "https://copier.example/a|b") -> Finding:
    gap = FindingGap("PRV101", "copied-without-credit", Severity.ERROR, f"copied: {title}", (f"passage {title}",))
    copy = Copy(page, "copier.example", title, "https://ours.example/a", "Ours", "partial", 0.9, 0.6, (gap,),
                "https://copier.example/rss")  # fmt: skip
    return Finding(number, copy, T0, T0)


def test_the_webhook_payload_is_slack_mrkdwn_escaped_inert_and_bounded():
    data = payload([finding(n) for n in range(1, MAX_BLOCKS + 6)])
    text = json.dumps(data)
    assert "\x1b" not in text and "\u202e" not in text and "\\u001b" not in text and "\\u202e" not in text
    assert "<!channel>" not in text and "&lt;!channel&gt; &amp;" in text  # no @channel ping, & escaped
    assert "<https://copier.example/a|b|" not in text  # a URL that would break Slack's link syntax is text
    assert data["blocks"][-1]["elements"][0]["text"] == "... and 5 more"
    assert len(data["blocks"]) <= 50 and data["text"].startswith(f"provenance watch: {MAX_BLOCKS + 5} new copies")
    assert redacted("https://hooks.slack.com/services/T0/B0/s3cret") == "https://hooks.slack.com/..."


@pytest.mark.parametrize("name", ["table", "json", "jsonl", "csv", "markdown", "html"])
def test_every_format_makes_page_text_inert(name: str):
    run = Pass(T0, T0, (SourceRun("https://copier.example/rss", "feed", "failed", detail=HOSTILE),), 0, 1,
               (finding(1),), notes=(HOSTILE,))  # fmt: skip
    out = io.StringIO()
    renderer(name)(Digest(run.findings, run), out, color=False)
    text = out.getvalue()
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    if name == "csv":
        (row,) = list(csv.DictReader(io.StringIO(text)))
        assert row["title"].startswith("Fare freeze ␛]52")
    if name == "markdown":
        assert "&lt;!channel&gt;" in text
    if name == "html":
        assert "<!channel>" not in text and "&lt;!channel&gt;" in text


def test_a_spreadsheet_never_runs_a_cell_from_a_page():
    out = io.StringIO()
    renderer("csv")(Digest((finding(1, title='=HYPERLINK("http://x","y")', page="https://c.example/p"),)), out)
    (row,) = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["title"] == '\'=HYPERLINK("http://x","y")'


def test_a_pass_takes_one_page_of_each_host_in_turn_and_each_page_once():
    from provenance.watch.pages import Item, interleaved

    listed = [Item(f"https://{site}.example/{n}", "feed") for site in "ab" for n in range(3)]
    listed += [Item("https://c.example/0", "search"), Item("https://a.example/0", "feed")]
    assert [i.url.split("//")[1] for i in interleaved(listed)] == [
        "a.example/0", "b.example/0", "c.example/0", "a.example/1", "b.example/1", "a.example/2", "b.example/2",
    ]  # fmt: skip
