"""The output formats of `provenance ci`, on runs built from real reports of the fixture articles.

Each format is checked for what it could get wrong: places (lines, columns), levels, what counts and
what is suppressed, escaping of text quoted from hostile pages, and the standard it claims (SARIF schema,
a JUnit parser, docs/ci.schema.json). What each format writes for a fixed run is pinned by the golden
files (tests/test_golden.py).
"""

from __future__ import annotations

import ast
import functools
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from junitparser import Error, Failure, JUnitXml
from referencing import Registry, Resource
from rich.console import Console

from provenance import check
from provenance.ci.formats import FORMATS, renderer
from provenance.ci.formats.github import escape_data, escape_property
from provenance.ci.formats.junit import junit_tree
from provenance.ci.formats.markdown import render_markdown
from provenance.ci.model import ArticleResult, CiRun, Finding, Location
from provenance.inert import inert
from provenance.model import Report, Severity
from tests.support.paths import BBC_HTML, FAMILY, FIXTURES, SEED_HTML

DOCS = Path(__file__).resolve().parent.parent / "docs"
SARIF_SCHEMA = json.loads((FIXTURES / "sarif" / "sarif-schema-2.1.0.json").read_text())
CI_SCHEMA = json.loads((DOCS / "ci.schema.json").read_text())
REPORT_SCHEMA = json.loads((DOCS / "report.schema.json").read_text())

HOSTILE = "Copied :: 100% of <b>it</b> & more ]]> @editor |x| `y` $z$\r\n::error::owned\x1b[31m\x00"
WEIRD_PATH = "news/a dir/q,1:2.md"


def _line_of(paragraph: int | None) -> int:
    """As a locator would place paragraphs in a Markdown file: after front matter, one every second line."""
    return 1 if paragraph is None else 6 + 2 * paragraph


def _findings(report: Report, path: str, suppress: dict[str, str] | None = None) -> tuple[Finding, ...]:
    suppress = suppress or {}
    return tuple(
        Finding(
            rule=g.rule,
            name=g.name,
            severity=g.severity,
            message=g.message,
            location=Location(path, _line_of(g.paragraph), 1, _line_of(g.paragraph), 40),
            fingerprint=f"{g.rule}:{path}:{g.paragraph}",
            evidence=g.evidence,
            suppressed=suppress.get(g.rule),
        )
        for g in report.gaps
    )


@functools.cache
def _reports() -> dict[str, Report]:
    family = {name: check(str(FAMILY / f"{name}.html"), [str(FAMILY)]) for name in ("copy-disguised", "copy-patchwork")}
    family["original-b"] = check(str(FAMILY / "original-b.html"))
    family["seed"] = check(str(SEED_HTML), [str(BBC_HTML)])
    return family


def _result(name: str, path: str, suppress: dict[str, str] | None = None, cached: bool = False) -> ArticleResult:
    report = _reports()[name]
    return ArticleResult(path, path, report, _findings(report, path, suppress), cached=cached)


def make_run(fail_on: Severity | None = Severity.WARNING) -> CiRun:
    """Real reports (an uncredited copy, a patchwork with a suppressed and a baselined finding, a clean
    original, the seed from the cache), a hostile policy finding, a finding on a URL, and an article
    that could not be checked."""
    hostile_report = _reports()["seed"]
    hostile = ArticleResult(
        WEIRD_PATH,
        WEIRD_PATH,
        hostile_report,
        (
            Finding(
                "PRV201",
                "over-licensed-share",
                Severity.WARNING,
                HOSTILE,
                Location(WEIRD_PATH, 12, 7, 14, 3),
                "fp-hostile",
                evidence=("<script>alert(1)</script>",),
            ),
        ),
    )
    url = "https://example.org/news/story?id=1"
    web = ArticleResult(
        url,
        url,
        _reports()["copy-disguised"],
        (Finding("PRV101", "copied-without-credit", Severity.ERROR, "copied", Location(url, 3, 1), "fp-url"),),
    )
    return CiRun(
        (
            _result("copy-disguised", "articles/copy-disguised.md"),
            _result("copy-patchwork", "articles/patchwork.md", {"PRV103": "inline", "PRV106": "baseline"}),
            _result("original-b", "articles/original-b.md"),
            _result("seed", "wire/obiaks.html", cached=True),
            hostile,
            web,
            ArticleResult("articles/broken.md", "articles/broken.md", None, error="cannot read: bad bytes\x00 <&>"),
        ),
        fail_on,
    )


def rendered(name: str, run: CiRun | None = None, color: bool | None = False) -> str:
    out = io.StringIO()
    renderer(name)(run or make_run(), out, color=color)
    return out.getvalue()


def test_every_format_renders_and_only_full_imports_rich():
    for name in FORMATS:
        assert rendered(name)
    package = Path(__file__).resolve().parent.parent / "provenance" / "ci" / "formats"
    for module in package.glob("*.py"):
        imported = {
            alias.name if isinstance(node, ast.Import) else node.module or ""
            for node in ast.walk(ast.parse(module.read_text()))
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        }
        uses_rich = any(name.split(".")[0] == "rich" for name in imported)
        assert uses_rich == (module.name == "full.py"), module.name


def test_the_run_built_from_real_reports_has_what_the_formats_must_show():
    run = make_run()
    rules = {f.rule for r in run.results for f in r.findings}
    assert {"PRV101", "PRV104", "PRV106", "PRV103", "PRV201"} <= rules
    assert run.exit_code == 2 and len(run.errors) == 1


# concise


def test_concise_one_line_per_counted_finding_ruff_style():
    text = rendered("concise")
    lines = text.splitlines()
    assert "articles/copy-disguised.md:6:1: PRV101 " in text  # paragraph 0 -> line 6
    assert f"{WEIRD_PATH}:12:7: PRV201 Copied :: 100% of <b>it</b>" in text
    assert "articles/broken.md: error: cannot read: bad bytes" in text
    patchwork = [line for line in lines if line.startswith("articles/patchwork.md:")]
    assert patchwork and not any(" PRV103 " in line or " PRV106 " in line for line in patchwork)  # suppressed
    assert "\x1b" not in text and "\x00" not in text and "\r" not in text
    assert lines[-1].startswith("Found ") and "2 suppressed" in lines[-1] and "1 could not be checked" in lines[-1]
    located = [line for line in lines[:-1] if not line.startswith("articles/broken.md: error:")]
    counted = sum(len(r.counted) for r in make_run().results)
    assert len(located) == counted
    assert all(re.match(r"^.+:\d+:\d+: PRV\d{3} ", line) for line in located)


def test_concise_clean_run_says_so():
    run = CiRun((_result("original-b", "a.md"),), Severity.ERROR)
    assert rendered("concise", run) == "No problems in 1 article checked.\n"


# github


def test_github_escaping_follows_the_runner():
    assert escape_data("a%b\r\nc") == "a%25b%0D%0Ac"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_github_annotations_levels_places_and_hostile_text():
    lines = rendered("github").splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert all("\r" not in c and "\x1b" not in c for c in commands)
    hostile = next(c for c in commands if "PRV201" in c)
    assert hostile.startswith(
        "::warning file=news/a dir/q%2C1%3A2.md,line=12,endLine=14,col=7,endColumn=3,title=PRV201 over-licensed-share::"
    )
    # the data after the first `::` is one line and cannot open a new command
    data = hostile.split("::", 2)[2]
    assert "100%25 of <b>it</b>" in data and "␍%0A::error::owned" in data  # CR made inert before the escaping
    assert any(c.startswith("::error file=articles/copy-disguised.md,line=6,") and "PRV101" in c for c in commands)
    assert any(c.startswith("::notice file=articles/copy-disguised.md,") and "PRV107" in c for c in commands)
    assert not any(("PRV103" in c or "PRV106" in c) and "patchwork" in c for c in commands)  # suppressed
    assert any(c.startswith("::error file=articles/broken.md,title=provenance%3A not checked::") for c in commands)
    web = next(c for c in commands if "fp-url" not in c and "example.org" in c)
    assert "file=" not in web and "https://example.org/news/story?id=1: copied" in web


# sarif


def _sarif(run: CiRun | None = None) -> dict:
    return json.loads(rendered("sarif", run))


def test_sarif_validates_against_the_sarif_2_1_0_schema():
    log = _sarif()
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(log)
    clean = _sarif(CiRun((_result("original-b", "a.md"),), Severity.ERROR))
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(clean)
    assert clean["runs"][0]["results"] == []


def test_sarif_schema_catches_a_broken_log():
    log = _sarif()
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(SARIF_SCHEMA).validate(log)


def test_sarif_rules_cover_every_result_with_help():
    run = _sarif()["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "provenance" and driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids)) and "PRV201" in ids  # a policy rule outside RULES still gets an entry
    prv101 = rules[ids.index("PRV101")]
    assert prv101["helpUri"].endswith("docs/rules.md#prv101-copied-without-credit-error")
    assert prv101["defaultConfiguration"]["level"] == "error"
    assert rules[ids.index("PRV107")]["defaultConfiguration"]["level"] == "note"
    assert prv101["help"]["text"] and prv101["help"]["markdown"] and prv101["fullDescription"]["text"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_results_locations_levels_and_suppressions():
    run = _sarif()["runs"][0]
    results = run["results"]
    assert len(results) == sum(len(r.findings) for r in make_run().results)  # suppressed ones stay, marked
    first = next(r for r in results if r["ruleId"] == "PRV101")
    physical = first["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "articles/copy-disguised.md", "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {"startLine": 6, "startColumn": 1, "endLine": 6, "endColumn": 40}
    assert first["level"] == "error"
    assert first["partialFingerprints"] == {"provenance/v1": "PRV101:articles/copy-disguised.md:0"}
    props = first["properties"]
    assert props["originUrl"].startswith("https://") and 0 < props["copiedShare"] <= 1
    hostile = next(r for r in results if r["ruleId"] == "PRV201")
    assert hostile["message"]["text"] == inert(HOSTILE)  # controls shown as visible characters, the rest as is
    assert hostile["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "news/a%20dir/q%2C1%3A2.md"
    assert hostile["locations"][0]["physicalLocation"]["region"]["endLine"] == 14
    assert hostile["level"] == "warning"
    kinds = {r["ruleId"]: r["suppressions"][0]["kind"] for r in results if "suppressions" in r}
    assert kinds == {"PRV103": "inSource", "PRV106": "external"}
    web = next(r for r in results if r["partialFingerprints"]["provenance/v1"] == "fp-url")
    # a web article is no file of the repository: a logical location, its URL in the properties
    assert web["locations"] == [
        {"logicalLocations": [{"fullyQualifiedName": "https://example.org/news/story?id=1", "kind": "resource"}]}
    ]
    assert web["properties"]["source"] == "https://example.org/news/story?id=1"
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert run["invocations"][0]["executionSuccessful"] is False
    assert len(notes) == 1 and "articles/broken.md" in notes[0]["message"]["text"]


# junit


def test_junit_parses_and_counts_failures_and_errors():
    xml = rendered("junit")
    parsed = JUnitXml.fromstring(xml.encode())
    suites = list(parsed) if isinstance(parsed, JUnitXml) else [parsed]
    assert len(suites) == 1
    suite = suites[0]
    cases = {case.name: case for case in suite}
    run = make_run()
    assert set(cases) == {r.location for r in run.results}
    assert suite.tests == len(run.results)
    failed = {name for name, case in cases.items() if any(isinstance(r, Failure) for r in case.result)}
    errored = {name for name, case in cases.items() if any(isinstance(r, Error) for r in case.result)}
    # the patchwork fails on PRV104/PRV106? PRV106 is baselined, PRV104 still counts
    assert failed == {"articles/copy-disguised.md", "articles/patchwork.md", "wire/obiaks.html", WEIRD_PATH,
                      "https://example.org/news/story?id=1"}  # fmt: skip
    assert errored == {"articles/broken.md"}
    assert suite.failures == len(failed) and suite.errors == 1
    assert cases["articles/original-b.md"].is_passed
    assert cases["articles/copy-disguised.md"].classname == "articles"
    assert cases["https://example.org/news/story?id=1"].classname == "example.org"


def test_junit_failure_lists_findings_at_fail_on_and_keeps_the_rest_in_system_out():
    run = make_run(fail_on=Severity.ERROR)
    cases = {c.get("name"): c for c in junit_tree(run).getroot().iter("testcase")}
    patchwork = cases["articles/patchwork.md"]
    failure = patchwork.find("failure")
    assert failure is not None and "PRV104" in (failure.text or "") and "PRV107" not in (failure.text or "")
    out = patchwork.findtext("system-out") or ""
    assert "PRV107" in out and "(suppressed: inline)" in out and "(suppressed: baseline)" in out
    assert cases[WEIRD_PATH].find("failure") is None  # a warning, below fail-on error


def test_junit_escapes_hostile_text_and_drops_control_characters():
    xml = rendered("junit")
    assert "\x00" not in xml and "\x1b" not in xml
    assert "&lt;b&gt;it&lt;/b&gt; &amp; more ]]&gt;" in xml
    JUnitXml.fromstring(xml.encode())


def test_junit_never_fails_when_fail_on_is_never():
    cases = list(junit_tree(make_run(fail_on=None)).getroot().iter("testcase"))
    assert not any(c.find("failure") is not None for c in cases)


# json


def _ci_validator() -> jsonschema.Draft202012Validator:
    registry = Registry().with_resource(REPORT_SCHEMA["$id"], Resource.from_contents(REPORT_SCHEMA))
    return jsonschema.Draft202012Validator(CI_SCHEMA, registry=registry)


def test_json_validates_against_the_ci_schema_and_reuses_the_check_report():
    data = json.loads(rendered("json"))
    _ci_validator().validate(data)
    seed = next(a for a in data["articles"] if a["location"] == "wire/obiaks.html")
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(seed["report"])
    assert seed["cached"] is True
    broken = next(a for a in data["articles"] if a["error"])
    assert broken["report"] is None and broken["findings"] == []


def test_json_summary_and_findings():
    data = json.loads(rendered("json"))
    summary = data["summary"]
    run = make_run()
    assert summary["articles"] == 7 and summary["errored"] == 1 and summary["cached"] == 1
    assert summary["suppressed"] == {"inline": 1, "baseline": 1}
    assert summary["failing"] == len(run.failing) and summary["exit_code"] == 2
    assert summary["findings"] == sum(summary["by_severity"].values())
    patchwork = next(a for a in data["articles"] if a["location"] == "articles/patchwork.md")
    by_rule = {f["rule"]: f for f in patchwork["findings"]}
    assert by_rule["PRV103"]["suppressed"] == "inline" and by_rule["PRV103"]["failing"] is False
    assert by_rule["PRV104"]["failing"] is True and by_rule["PRV104"]["location"]["line"] == 6


def test_json_schema_rejects_a_finding_without_location():
    data = json.loads(rendered("json"))
    del data["articles"][0]["findings"][0]["location"]
    with pytest.raises(jsonschema.ValidationError):
        _ci_validator().validate(data)


# markdown


def test_markdown_verdict_table_details_and_escaping():
    text = rendered("markdown")
    assert text.startswith("<!-- provenance-ci -->\n## ⚠️ provenance: Found ")  # an article could not be checked
    assert "| where | rule | severity | message |" in text
    assert "| `articles/copy-disguised.md:6` | `PRV101` copied\\-without\\-credit" not in text  # names unescaped
    assert "| `articles/copy-disguised.md:6` | `PRV101` copied-without-credit | 🔴 error **(fails)** |" in text
    assert "&lt;b&gt;it&lt;/b&gt; &amp; more \\]\\]&gt; @\u200deditor \\|x\\| \\`y\\` \\$z\\$" in text
    assert "<script>" not in text and "\x1b" not in text and "\r" not in text
    assert text.count("<details>") == text.count("</details>") == 6  # every article with findings or an error
    assert "Suppressed: 2 (1 inline, 1 baseline)" in text
    assert "`articles/broken.md`: cannot read" in text


def test_markdown_clean_run_has_a_green_verdict():
    run = CiRun((_result("original-b", "a.md"),), Severity.ERROR)
    text = rendered("markdown", run)
    assert text.startswith("<!-- provenance-ci -->\n## ✅ provenance: No problems in 1 article checked.")
    assert "<details>" not in text
    below = CiRun((_result("copy-disguised", "a.md"),), None)
    assert "## ℹ️ provenance: Found 5 problems" in rendered("markdown", below)


def test_markdown_truncates_whole_blocks_with_a_note():
    base = make_run()
    many = tuple(
        ArticleResult(f"a/{i}.md", f"a/{i}.md", r.report, tuple(
            Finding(f.rule, f.name, f.severity, f.message * 20, Location(f"a/{i}.md", f.location.line), f"{i}")
            for f in r.findings
        ))
        for i, r in enumerate(base.results[:2] * 150)
    )  # fmt: skip
    run = CiRun(many, Severity.ERROR)
    text = render_markdown(run, limit=20_000)
    assert len(text) <= 20_000
    assert "> Truncated: " in text and "more entries are not shown" in text
    assert text.count("<details>") == text.count("</details>")
    assert len(render_markdown(run)) <= 65_000
    huge = CiRun(
        (
            ArticleResult(
                "a.md", "a.md", None, (Finding("PRV101", "x", Severity.ERROR, "y" * 10**6, Location("a.md"), "f"),)
            ),
        ),
        None,
    )
    assert "y" * 999 + "…" in render_markdown(huge) and len(render_markdown(huge)) < 5_000


# full


def test_full_colours_only_when_asked():
    plain = io.StringIO()
    renderer("full")(make_run(), plain, color=False)
    assert "\x1b[" not in plain.getvalue()
    coloured = io.StringIO()
    renderer("full")(make_run(), coloured, color=True)
    assert "\x1b[" in coloured.getvalue()
    # a hostile escape in a message is never replayed, even in colour
    assert "\x1b[31m\x00" not in coloured.getvalue()


def test_full_width_independent_of_the_console():
    console = Console(file=io.StringIO(), width=80, color_system=None, _environ={})
    from provenance.ci.formats.full import run_renderable

    console.print(run_renderable(make_run()))
    assert "PRV201" in console.file.getvalue()  # type: ignore[attr-defined]


def test_sarif_help_links_land_on_headings_of_rules_md():
    headings = re.findall(r"^## (.+)$", (DOCS / "rules.md").read_text(), flags=re.MULTILINE)
    slugs = {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}
    rules = _sarif()["runs"][0]["tool"]["driver"]["rules"]
    fragments = {r["helpUri"].partition("#")[2] for r in rules if "#" in r["helpUri"]}
    assert len(fragments) >= 9 and fragments <= slugs
