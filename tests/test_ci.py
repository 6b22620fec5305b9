"""`provenance ci` and `provenance baseline` on the fixture content repository (fixtures/ci-repo).

The repository's originals are imported into a fresh index in a temporary copy once per session;
each test works in its own copy of that, so edits (a new article, a policy change) stay local.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from provenance import ci
from provenance.ci import inputs, locate
from provenance.ci.model import CiRun
from provenance.ci.policy import build
from provenance.ci.suppress import ignored_rules
from provenance.cli import main
from provenance.config import load
from provenance.errors import InputError
from provenance.pipeline import Settings
from provenance.publishers import bundled
from tests.support.paths import FIXTURES

REPO = FIXTURES / "ci-repo"
EXPECTED = json.loads((REPO / "expected.json").read_text())


@pytest.fixture(scope="session")
def indexed_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture repository with its originals in its index (.provenance/index.sqlite)."""
    copy = tmp_path_factory.mktemp("ci-repo-indexed") / "repo"
    shutil.copytree(REPO, copy)
    index = copy / ".provenance" / "index.sqlite"
    result = CliRunner().invoke(
        main, ["index", "import", "--index", str(index), str(copy / "wire" / "originals.jsonl")]
    )
    assert result.exit_code == 0, result.output
    return copy


@pytest.fixture
def repo(indexed_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private copy of the indexed repository, the working directory of the test."""
    copy = tmp_path / "repo"
    shutil.copytree(indexed_repo, copy)
    monkeypatch.chdir(copy)
    # conftest points PROVENANCE_INDEX at an empty private index; the repository names its own
    monkeypatch.setenv("PROVENANCE_INDEX", str(copy / ".provenance" / "index.sqlite"))
    yield copy


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def library_run(root: Path, **changes: Any) -> CiRun:
    config = load(start=root)
    policy = build(config.ci, config.fail_on)
    settings = Settings(registry=bundled().extended(config.publishers))
    options: dict[str, Any] = {"root": root, "settings": settings, "index": config.index, "workers": 1, **changes}
    return ci.run([], policy, **options)


def findings_of(run: CiRun) -> dict[str, list[dict[str, Any]]]:
    return {
        r.location: [
            {
                "rule": f.rule,
                "name": f.name,
                "line": f.location.line,
                "column": f.location.column,
                "severity": f.severity.value,
                "suppressed": f.suppressed,
            }
            for f in r.findings
        ]
        for r in run.results
    }


def concise_findings(output: str) -> set[tuple[str, int, str]]:
    found = set()
    for line in output.splitlines():
        parts = line.split(":", 3)
        if len(parts) == 4 and parts[1].isdigit():
            found.add((parts[0], int(parts[1]), parts[3].split()[0]))
    return found


def expected_counted() -> set[tuple[str, int, str]]:
    return {
        (path, f["line"], f["rule"]) for path, found in EXPECTED["files"].items() for f in found if not f["suppressed"]
    }


# --- the fixture repository's findings ------------------------------------------------------------


def test_library_run_gives_the_expected_findings_per_file(repo: Path) -> None:
    run = library_run(repo, cache=False)
    assert findings_of(run) == EXPECTED["files"]
    assert run.exit_code == EXPECTED["exit_code"] == 1
    assert len(run.failing) == EXPECTED["failing"]


def test_each_case_of_the_repository_is_what_it_claims(repo: Path) -> None:
    files = EXPECTED["files"]
    rules = {path: {f["rule"] for f in found if not f["suppressed"]} for path, found in files.items()}
    for clean in ("council-budget.md", "ferry-timetable.md", "school-orchestra.html", "bridge-repairs.md"):
        assert rules[f"articles/{clean}"] == set(), clean  # originals, and a properly credited partner copy
    assert rules["articles/lighthouse-museum.md"] == set()  # our own story again: own-domains
    assert "PRV101" in rules["articles/port-strike.md"]  # uncredited wire copy
    assert "PRV102" in rules["articles/library-reopens.html"]  # credits the wrong source
    assert rules["articles/harvest-festival.md"] == {"PRV110"}  # partner copy without its link
    suppressed = {f["rule"] for f in files["articles/marathon-route.md"] if f["suppressed"] == "inline"}
    assert suppressed == {"PRV101", "PRV104"}
    assert not any(path.startswith("drafts/") for path in files)  # excluded by the policy


def test_cli_concise_points_at_the_copied_passage_and_the_credit(repo: Path) -> None:
    result = run_cli("ci", "--format", "concise")
    assert result.exit_code == 1, result.output
    assert concise_findings(result.stdout) == expected_counted()

    def line(path: str, rule: str) -> str:
        number = next(f["line"] for f in EXPECTED["files"][path] if f["rule"] == rule)
        return (repo / path).read_text().splitlines()[number - 1]

    assert line("articles/harvest-festival.md", "PRV110") == "Source: Meridian Wire"  # the credit line
    assert line("articles/port-strike.md", "PRV101").startswith("Container dock workers")  # first copied paragraph
    assert line("articles/port-strike.md", "PRV104") == "author: Lena Marsh"  # the byline
    assert "Source: Coastline Press" in line("articles/library-reopens.html", "PRV102")
    assert "By Harbour Daily staff" in line("articles/library-reopens.html", "PRV104")


def test_json_format_counts_suppressed_findings_apart(repo: Path) -> None:
    result = run_cli("ci", "-f", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    assert data["summary"]["suppressed"]["inline"] == EXPECTED["suppressed"] == 2


# --- exit codes ------------------------------------------------------------------------------------


def test_exit_codes(repo: Path) -> None:
    assert run_cli("ci", "articles/council-budget.md", "articles/bridge-repairs.md").exit_code == 0
    assert run_cli("ci", "articles/port-strike.md").exit_code == 1
    assert run_cli("ci", "--exit-zero", "articles/port-strike.md").exit_code == 0
    assert run_cli("ci", "--fail-on", "never", "articles/port-strike.md").exit_code == 0
    missing = run_cli("ci", "articles/no-such-story.md")
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    assert run_cli("ci", "--exit-zero", "articles/no-such-story.md").exit_code == 2
    assert run_cli("ci", "--format", "yaml").exit_code == 2


def test_fail_on_error_lets_warnings_pass(repo: Path) -> None:
    (repo / "provenance.toml").write_text((repo / "provenance.toml").read_text().replace('"PRV107" = "info"', ""))
    # PRV110 is an error; lowered to a warning, a gate on errors lets the partner copy pass
    config = (repo / "provenance.toml").read_text().replace("[severity]", '[severity]\nPRV110 = "warning"')
    (repo / "provenance.toml").write_text(config)
    assert run_cli("ci", "--fail-on", "error", "articles/harvest-festival.md").exit_code == 0
    assert run_cli("ci", "--fail-on", "warning", "articles/harvest-festival.md").exit_code == 1


def test_an_unreadable_article_is_one_line_and_exit_2_while_others_are_checked(repo: Path) -> None:
    (repo / "articles" / "empty.md").write_text("---\ntitle: nothing yet\n---\n")
    (repo / "articles" / "binary.html").write_bytes(b"\x00\x01\x02\xff" * 200)
    result = run_cli("ci", "-f", "concise", "--exit-zero")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2 and all("\n" not in e for e in errors)
    assert concise_findings(result.stdout) == expected_counted()  # the others were still checked


def test_a_damaged_index_is_one_error_before_any_worker_starts(repo: Path, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"not a database at all" * 50)
    result = run_cli("ci", "-f", "concise", "--workers", "2", "--index", str(damaged))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: index {damaged}: not a provenance index (file is not a database)"
    ]


# --- policy --------------------------------------------------------------------------------------------


def _edit_config(repo: Path, old: str, new: str) -> None:
    path = repo / "provenance.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def rules_in(output: str) -> set[tuple[str, str]]:
    return {(path, rule) for path, _, rule in concise_findings(output)}


def test_select_and_ignore_flags(repo: Path) -> None:
    selected = rules_in(run_cli("ci", "--select", "credit-names-other-source").stdout)
    assert selected == {("articles/library-reopens.html", "PRV102")}
    ignored = rules_in(run_cli("ci", "--ignore", "PRV111", "--ignore", "PRV104").stdout)
    assert ignored and not {rule for _, rule in ignored} & {"PRV104", "PRV111"}
    assert run_cli("ci", "--select", "PRV999").exit_code == 2


def test_select_and_severity_in_the_config(repo: Path) -> None:
    _edit_config(repo, "[severity]", 'select = ["PRV101"]\n\n[severity]\nPRV101 = "info"')
    result = run_cli("ci", "-f", "json")
    assert result.exit_code == 0  # the only rule left is info, under fail-on = "warning"
    run = library_run(repo)
    assert {f.rule for r in run.results for f in r.findings} == {"PRV101"}
    assert {f.severity.value for r in run.results for f in r.findings} == {"info"}


def test_without_the_partner_licence_the_copies_are_plain_copies(repo: Path) -> None:
    config = (repo / "provenance.toml").read_text()
    (repo / "provenance.toml").write_text(config.split("[[partners]]")[0])
    found = rules_in(run_cli("ci").stdout)
    assert ("articles/harvest-festival.md", "PRV103") in found  # credit without link, now a rule gap
    assert ("articles/bridge-repairs.md", "PRV105") in found  # full reproduction needs the licence
    assert not any(rule == "PRV110" for _, rule in found)


def test_partner_credit_position_is_enforced(repo: Path) -> None:
    _edit_config(repo, 'position = "bottom"', 'position = "top"')
    found = rules_in(run_cli("ci").stdout)
    assert ("articles/bridge-repairs.md", "PRV110") in found
    message = run_cli("ci", "articles/bridge-repairs.md").stdout
    assert "top of the article" in message


def test_partner_credit_text_is_enforced(repo: Path) -> None:
    _edit_config(repo, 'text = "Meridian Wire"', 'text = "Meridian Wire Service"')
    assert ("articles/bridge-repairs.md", "PRV110") in rules_in(run_cli("ci").stdout)


def test_max_copied_share(repo: Path) -> None:
    _edit_config(repo, "max-copied-share = 0.6", "max-copied-share = 0.95")
    found = rules_in(run_cli("ci").stdout)
    assert ("articles/library-reopens.html", "PRV111") in found  # 100% copied
    assert ("articles/port-strike.md", "PRV111") not in found  # 89%: under the new ceiling


def test_own_domains_and_exclude(repo: Path) -> None:
    _edit_config(repo, 'own-domains = ["harbourdaily.example"]', "")
    _edit_config(repo, 'exclude = ["drafts/**"]', 'exclude = ["articles/library-*.html"]')
    found = rules_in(run_cli("ci").stdout)
    assert ("articles/lighthouse-museum.md", "PRV101") in found  # our own story, no longer ours
    assert ("drafts/quota-draft.md", "PRV101") in found
    assert not any(path.startswith("articles/library") for path, _ in found)


@pytest.mark.parametrize(
    ("config", "key"),
    [
        ("colour = true\n", "'colour'"),
        ('[[partners]]\nname = "X"\ncredits = {}\n', "'partners.credits'"),
        ('[[partners]]\nname = "X"\n[partners.credit]\nplace = "top"\n', "'partners.credit.place'"),
        ('[severity]\nPRV101 = "fatal"\n', "severity.PRV101"),
        ('ignore = ["no-such-rule"]\n', "'no-such-rule'"),
        ("max-copied-share = 2\n", "max-copied-share"),
    ],
)
def test_bad_policy_keys_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str, key: str) -> None:
    (tmp_path / "provenance.toml").write_text(config)
    (tmp_path / "a.md").write_text("# A\n\nSome words of an article that is here.\n")
    monkeypatch.chdir(tmp_path)
    result = run_cli("ci", "a.md")
    assert result.exit_code == 2
    assert key in result.stderr and len(result.stderr.strip().splitlines()) == 1


# --- baseline --------------------------------------------------------------------------------------


def test_baseline_then_only_new_findings_fail(repo: Path) -> None:
    written = run_cli("baseline", "-o", "baseline.json")
    assert written.exit_code == 0, written.output
    data = json.loads((repo / "baseline.json").read_text())
    assert data["version"] == 1 and len(data["findings"]) == EXPECTED["counted"]
    assert run_cli("ci", "--baseline", "baseline.json").exit_code == 0

    # an edit elsewhere in a file keeps its findings matched: fingerprints hold no line numbers
    strike = repo / "articles" / "port-strike.md"
    strike.write_text(strike.read_text().replace("---\n\n", "---\n\nAn editor's note added on top.\n\n", 1))
    assert run_cli("ci", "--baseline", "baseline.json").exit_code == 0

    shutil.copy(repo / "drafts" / "quota-draft.md", repo / "articles" / "quota.md")
    result = run_cli("ci", "--baseline", "baseline.json", "-f", "concise")
    assert result.exit_code == 1
    assert {path for path, _ in rules_in(result.stdout)} == {"articles/quota.md"}


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        '{"kind": "other"}',
        '{"kind": "provenance-baseline", "version": 9}',
        "[" * 100_000 + "]" * 100_000,  # RecursionError in json.loads
        '{"kind": "provenance-baseline", "version": 1, "findings": ' + "[" * 5000 + "]" * 5000 + "}",
        "FIFO",  # a named pipe in the repository, where the workflow expects the baseline
        "\udc80",  # not UTF-8
    ],
)
def test_a_bad_baseline_is_one_line_and_exit_2(repo: Path, content: str) -> None:
    if content == "FIFO":
        os.mkfifo(repo / "baseline.json")
    else:
        (repo / "baseline.json").write_bytes(content.encode("utf-8", errors="surrogateescape"))
    result = run_cli("ci", "--baseline", "baseline.json")
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert "baseline" in line and "internal error" not in line, line


# --- inline suppression ----------------------------------------------------------------------------


def test_inline_suppression_comments() -> None:
    assert ignored_rules("<!-- provenance: ignore PRV101 -->") == {"PRV101"}
    assert ignored_rules("x <!--provenance:ignore PRV101, byline-claims-copied-work--> y") == {"PRV101", "PRV104"}
    assert ignored_rules("<!-- provenance: ignore all -->") == {"all"}
    assert ignored_rules("<!-- an editor's note -->") == frozenset()


def test_ignore_all_suppresses_a_whole_file(repo: Path) -> None:
    strike = repo / "articles" / "port-strike.md"
    strike.write_text(strike.read_text() + "\n<!-- provenance: ignore all -->\n")
    result = run_cli("ci", "-f", "json", "articles/port-strike.md")
    assert result.exit_code == 0
    findings = json.loads(result.stdout)["articles"][0]
    assert json.dumps(findings).count('"inline"') >= 3


# --- incremental cache ---------------------------------------------------------------------------


def test_unchanged_files_come_from_the_cache(repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "results"
    first = library_run(repo, cache_dir=cache)
    assert not any(r.cached for r in first.results)
    second = library_run(repo, cache_dir=cache)
    assert all(r.cached for r in second.results)
    assert findings_of(second) == findings_of(first)

    (repo / "articles" / "ferry-timetable.md").write_text(
        (repo / "articles" / "ferry-timetable.md").read_text() + "\nA late correction.\n"
    )
    third = library_run(repo, cache_dir=cache)
    assert [r.location for r in third.results if not r.cached] == ["articles/ferry-timetable.md"]


def test_a_policy_change_or_an_index_change_misses_the_cache(repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "results"
    library_run(repo, cache_dir=cache)
    _edit_config(repo, "max-copied-share = 0.6", "max-copied-share = 0.7")
    changed = library_run(repo, cache_dir=cache)
    assert not any(r.cached for r in changed.results)
    assert all(r.cached for r in library_run(repo, cache_dir=cache).results)
    extra = '{"url": "https://atlasnews.example/x", "title": "X", "text": "A new wire story about the harbour."}\n'
    (repo / "more.jsonl").write_text(extra)
    assert run_cli("index", "import", "more.jsonl").exit_code == 0
    assert not any(r.cached for r in library_run(repo, cache_dir=cache).results)


def test_a_corrupt_cache_entry_is_checked_again(repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "results"
    library_run(repo, cache_dir=cache)
    entries = list(cache.rglob("*.pickle"))
    assert entries
    for entry in entries:
        entry.write_bytes(b"garbage")
    again = library_run(repo, cache_dir=cache)
    assert not any(r.cached for r in again.results)
    assert findings_of(again) == EXPECTED["files"]


def test_no_cache_flag(repo: Path) -> None:
    run_cli("ci", "-f", "json")
    cached = json.loads(run_cli("ci", "-f", "json").stdout)
    uncached = json.loads(run_cli("ci", "-f", "json", "--no-cache").stdout)
    assert cached["summary"].pop("cached") == len(EXPECTED["files"])
    assert uncached["summary"].pop("cached") == 0
    assert cached["summary"] == uncached["summary"]


# --- parallel runs ---------------------------------------------------------------------------------


def test_worker_processes_give_the_same_findings(repo: Path) -> None:
    run = library_run(repo, workers=2, cache=False)
    assert findings_of(run) == EXPECTED["files"]


# --- inputs and locations --------------------------------------------------------------------------


def test_inputs_globs_directories_exclude_and_paths(repo: Path) -> None:
    found = inputs.collect(["articles/*.md", "articles"], repo, exclude=["school-*.html"])
    paths = [i.path for i in found]
    assert paths[0].endswith(".md") and len(paths) == len(set(paths))
    assert "articles/school-orchestra.html" not in paths and "articles/library-reopens.html" in paths
    assert [i.path for i in inputs.collect(["**/quota-*.md"], repo)] == ["drafts/quota-draft.md"]
    assert inputs.excluded("drafts/a/b.md", ["drafts/**"]) and inputs.excluded("x/drafts/b.md", ["drafts"])
    assert not inputs.excluded("articles/a.md", ["drafts/**"])


def test_only_excluded_files_is_a_clean_run(repo: Path) -> None:
    result = run_cli("ci", "drafts/quota-draft.md")  # as a pre-commit hook passes a changed draft
    assert result.exit_code == 0
    assert "nothing to check" in result.stderr


def test_url_list_file(tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text("# our pages\nhttps://example.org/a  # first\n\nhttps://example.org/b#part\n")
    assert inputs.url_list(str(listing)) == ["https://example.org/a", "https://example.org/b#part"]
    listing.write_text("example.org/a\n")
    with pytest.raises(InputError, match=r"urls\.txt:1"):
        inputs.url_list(str(listing))


def test_locate_markdown_and_html() -> None:
    md = locate.SourceLines.of("---\ntitle: A story\n---\n# A story\n\nSee [the board](https://x.example) said so.\n")
    assert locate.locate(md, "See the board said so.", None, "A story") == (6, 1)
    assert locate.locate(md, None, None, "A story") == (2, 8)
    page = locate.SourceLines.of("<html>\n<body>\n  <p>Caf&eacute; owners <b>agreed</b>\n  on Monday.</p>\n")
    assert locate.locate(page, "Café owners agreed on Monday.", None, None) == (3, 6)
    assert locate.locate(page, "Nowhere to be seen", None, None) == (1, 1)


# --- URLs, URL lists and sitemaps, over a server on loopback ---------------------------------------


def test_urls_url_lists_and_sitemaps(fixture_site: str, site_config: str, tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# checked by hand\n{fixture_site}/family/original-a.html\n")
    args = ["ci", "--config", site_config, "-f", "json", "--workers", "2", "--urls", str(listing)]
    result = run_cli(*args, "--sitemap", f"{fixture_site}/site/news-sitemap.xml")
    assert result.exit_code == 0, result.output
    sources = [a["source"] for a in json.loads(result.stdout)["articles"]]
    assert sources == [
        f"{fixture_site}/family/original-a.html",  # listed once, though the sitemap names it again
        f"{fixture_site}/family/original-b.html",
        f"{fixture_site}/seed/bbc-kim-jong-un-letter.html",
    ]


def test_an_unreadable_sitemap_is_one_line_and_exit_2(fixture_site: str, site_config: str) -> None:
    result = run_cli("ci", "--config", site_config, "--sitemap", f"{fixture_site}/site/sitemap-index.xml")
    assert result.exit_code == 2
    assert "missing-sitemap.xml" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_fetch_error_is_that_articles_error(fixture_site: str, site_config: str) -> None:
    result = run_cli("ci", "--config", site_config, "-f", "concise", f"{fixture_site}/family/gone.html")
    assert result.exit_code == 2
    assert "gone.html" in result.stderr and "Traceback" not in result.output


# --- more policy ---------------------------------------------------------------------------------


def test_a_partner_copy_with_no_credit_at_all(repo: Path) -> None:
    harvest = repo / "articles" / "harvest-festival.md"
    harvest.write_text(harvest.read_text().replace("Source: Meridian Wire\n", ""))
    result = run_cli("ci", "-f", "concise", "articles/harvest-festival.md")
    assert result.exit_code == 1
    assert rules_in(result.stdout) == {("articles/harvest-festival.md", "PRV110")}
    assert "no credit at all" in result.stdout


def test_markdown_comments_are_not_article_text() -> None:
    from provenance.extract.text import extract_text

    text = "---\ntitle: T\n---\n<!-- provenance: ignore PRV101 -->\n\nThe first paragraph of the story.\n"
    assert extract_text("a.md", text, bundled()).paragraphs == ("The first paragraph of the story.",)


@pytest.mark.parametrize(("doc", "heading"), [("README.md", "## CI policy"), ("docs/ci-policy.md", "## The policy")])
def test_the_documented_policies_are_valid(doc: str, heading: str) -> None:
    import re
    import tomllib

    from provenance.config import parse

    text = (REPO.parent.parent / doc).read_text().split(heading, 1)[1]
    block = re.search(r"```toml\n(.*?)```", text, re.DOTALL)
    assert block is not None
    config = parse(Path(doc), tomllib.loads(block.group(1)))
    policy = build(config.ci, config.fail_on)
    assert policy.partners and policy.max_copied_share == 0.6


def test_baseline_leaves_out_inline_suppressions_and_exits_2_on_an_unchecked_article(repo: Path) -> None:
    (repo / "articles" / "empty.md").write_text("")
    result = run_cli("baseline", "-o", "accepted.json")
    assert result.exit_code == 2 and "error:" in result.stderr
    data = json.loads((repo / "accepted.json").read_text())  # written all the same
    assert len(data["findings"]) == EXPECTED["counted"]
    assert "articles/marathon-route.md" not in {f["path"] for f in data["findings"] if f["rule"] == "PRV101"}


# --- a hostile repository: regular files inside the tree, bounded time ------------------------------

ARTICLE = "# A story\n\nThe harbour wall at Port Callow was rebuilt this spring after the winter storms.\n"


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "hostile"
    (root / "articles").mkdir(parents=True)
    (root / "provenance.toml").write_text("")
    (root / "articles" / "story.md").write_text(ARTICLE)
    monkeypatch.chdir(root)
    return root


def _ci(*args: str) -> Result:
    return run_cli("ci", "--workers", "1", "--no-cache", "-f", "json", *args)


def _checked(result: Result) -> set[str]:
    return {article["location"] for article in json.loads(result.stdout)["articles"]}


def test_a_symlink_out_of_the_tree_is_skipped_with_a_warning(hostile: Path) -> None:
    (hostile / "articles" / "leak.md").symlink_to("/etc/passwd")
    (hostile / "articles" / "zero.md").symlink_to("/dev/zero")
    (hostile / "articles" / "alias.md").symlink_to(hostile / "articles" / "story.md")  # inside: followed
    for args in ((), ("articles/leak.md", "articles/zero.md", "articles/alias.md")):
        result = _ci(*args)
        assert result.exit_code == 0, result.output
        assert _checked(result) == {"articles/alias.md", *(() if args else ("articles/story.md",))}
        assert "root:" not in result.stdout
        for name, target in (("leak.md", "/etc/passwd"), ("zero.md", "/dev/zero")):
            assert f"warning: skipped articles/{name}: a symlink to {target}, outside the tree" in result.stderr
    followed = _ci("--follow-symlinks", "articles/zero.md")  # allowed out of the tree, still not a device
    assert "warning: skipped articles/zero.md: a device, not a regular file" in followed.stderr


def test_fifos_are_skipped_and_never_block(hostile: Path) -> None:
    os.mkfifo(hostile / "articles" / "x.md")
    for args in ((), ("articles/x.md",), ("articles/*.md",)):
        result = _ci(*args)
        assert result.exit_code == 0 and "warning: skipped articles/x.md: a FIFO, not a regular file" in result.stderr


def test_a_symlink_loop_is_walked_once(hostile: Path) -> None:
    (hostile / "articles" / "self").symlink_to(".")
    (hostile / "articles" / "up").symlink_to("..")
    start = time.monotonic()
    for spec in ("articles/**/*.md", "articles"):
        result = _ci(spec)
        assert result.exit_code == 0 and _checked(result) == {"articles/story.md"}, result.output
    assert time.monotonic() - start < 30  # it ran past 120 s; a few seconds is the check itself


def test_exclude_patterns_take_linear_time(hostile: Path) -> None:
    deep = hostile.joinpath(*["d"] * 26)
    deep.mkdir(parents=True)
    (deep / "deep.md").write_text(ARTICLE)
    (hostile / "provenance.toml").write_text(f'exclude = ["{"**/" * 18}zz", "[a-c]*/**/nothing"]\n')
    start = time.monotonic()
    result = _ci()
    assert result.exit_code == 0 and "/".join(["d"] * 26) + "/deep.md" in _checked(result), result.output
    assert time.monotonic() - start < 30  # it ran past 60 s
    assert inputs.excluded("a/b/zz/c.md", ["**/" * 18 + "zz"]) and not inputs.excluded("zzz/c.md", ["zz"])


def test_a_partner_credit_text_is_literal_text_never_a_pattern(repo: Path) -> None:
    """As a regular expression, `(a+)+$` takes seconds per character over a credit of 30 a's and a !"""
    _edit_config(repo, 'text = "Meridian Wire"', 'text = "(a+)+$"')
    story = repo / "articles" / "bridge-repairs.md"
    story.write_text(story.read_text().replace("[Meridian Wire]", "[" + "a" * 30 + "!]"))
    start = time.monotonic()
    result = run_cli("ci", "articles/bridge-repairs.md", "-f", "concise", "--workers", "1")
    assert time.monotonic() - start < 30
    assert result.exit_code == 1 and "PRV110" in result.stdout and "the wording '(a+)+$'" in result.stdout
    _edit_config(repo, 'text = "(a+)+$"', 'text = "  aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa! "')  # spaces and case do not count
    assert "PRV110" not in run_cli("ci", "articles/bridge-repairs.md", "-f", "concise", "--workers", "1").stdout


@pytest.mark.parametrize("fmt", ["junit", "concise", "sarif"])
def test_a_url_input_that_does_not_parse_is_one_line(hostile: Path, fmt: str) -> None:
    result = run_cli("ci", "http://[::1/x", "-f", fmt, "--workers", "1")
    assert result.exit_code == 2
    expected = "error: cannot read http://[::1/x: not a valid URL (cannot be parsed: a bad port or an unbalanced '[')"
    assert result.stderr.strip() == expected


def test_an_input_larger_than_the_cap_is_one_line(hostile: Path) -> None:
    (hostile / "articles" / "huge.md").write_bytes(b"# Huge\n\n" + b"word " * (5 * 1024 * 1024))
    result = _ci("articles/huge.md")
    assert result.exit_code == 2
    assert "error: cannot read articles/huge.md: larger than 20 MB" in result.stderr
