"""A Markdown summary for a pull-request comment or a GitHub job summary.

Messages quote pages, so they are escaped for both Markdown and HTML, and `@` gets a zero-width joiner
so a quoted handle pings nobody. GitHub refuses comments over 65,536 characters (job summaries cap at
1 MiB): whole blocks are dropped from the end, never cut in half, and a note says what was left out.
"""

from __future__ import annotations

import html
import re
from typing import TextIO

from provenance.ci.formats.summary import (
    copied_share,
    headline,
    in_order,
    is_failing,
    one_line,
    origin_url,
    plural,
    summarize,
)
from provenance.ci.model import ArticleResult, CiRun, Finding

# invisible once rendered: lets a workflow find and update its earlier comment instead of adding one
MARKER = "<!-- provenance-ci -->"
LIMIT = 65_000  # characters: under GitHub's comment limit, with room for a bot's own header
# what starts markup inside a line; `$` is GitHub's maths
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~$])")
_SEVERITY_MARK = {"error": "🔴 error", "warning": "🟡 warning", "info": "🔵 info"}


_MAX_TEXT = 1_000  # characters of one message or evidence line: one pasted page must not crowd out the rest


def escape(text: str) -> str:
    """Safe inside a table cell or a paragraph: no markup, no HTML, no mention, one line."""
    text = one_line(text)
    if len(text) > _MAX_TEXT:
        text = text[: _MAX_TEXT - 1] + "…"
    text = html.escape(text, quote=False)
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return text.replace("@", "@\u200d")


def code(text: str) -> str:
    """Inline code that survives backticks and pipes in the path."""
    text = one_line(text).replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def verdict(run: CiRun) -> str:
    s = summarize(run)
    if s.errored:
        mark = "⚠️"
    elif s.failing:
        mark = "❌"
    elif s.counted:
        mark = "ℹ️"  # findings, none at or above fail-on
    else:
        mark = "✅"
    fail_on = run.fail_on.value if run.fail_on else "never"
    failing = f" {plural(s.failing, 'finding')} at or above `{fail_on}`." if run.fail_on else ""
    return f"## {mark} provenance: {headline(run)}{failing}"


def _counts(run: CiRun) -> str:
    s = summarize(run)
    by = ", ".join(f"{n} {sev.value}" for sev, n in s.by_severity.items())
    lines = [
        f"- Articles: {s.articles} checked ({s.cached} from cache), {s.errored} could not be checked",
        f"- Findings: {s.counted} ({by})",
        f"- Suppressed: {s.suppressed} ({s.suppressed_inline} inline, {s.suppressed_baseline} baseline)",
    ]
    return "\n".join(lines)


def _row(run: CiRun, finding: Finding) -> str:
    where = code(f"{finding.location.path}:{finding.location.line}")
    mark = " **(fails)**" if is_failing(run, finding) else ""
    severity = _SEVERITY_MARK[finding.severity.value]
    return f"| {where} | `{finding.rule}` {escape(finding.name)} | {severity}{mark} | {escape(finding.message)} |"


def _details(result: ArticleResult) -> str:
    report = result.report
    summary = f"<code>{html.escape(one_line(result.location))}</code>"
    if report is not None:
        share = copied_share(report)
        origin = origin_url(report)
        summary += f": {report.relation.value}"
        if origin:
            summary += f" of {html.escape(origin)}"
        if share is not None:
            summary += f", {share:.0%} copied"
    lines = [f"<details><summary>{summary}</summary>", ""]
    if result.error is not None:
        lines.append(f"Could not be checked: {escape(result.error)}")
    for f in in_order(result.findings):
        state = f" *(suppressed: {f.suppressed})*" if f.suppressed else ""
        where = f"{f.location.line}:{f.location.column}"
        lines.append(f"- `{where}` `{f.rule}` {escape(f.name)} ({f.severity.value}){state}: {escape(f.message)}")
        lines.extend(f"  - {escape(e)}" for e in f.evidence[:3])
    lines += ["", "</details>"]
    return "\n".join(lines)


def render_markdown(run: CiRun, limit: int = LIMIT) -> str:
    head = [MARKER, verdict(run), "", _counts(run)]
    blocks: list[str] = []
    rows = [_row(run, f) for r in run.results for f in in_order(r.counted)]
    if rows:
        blocks.append("\n### Findings\n\n| where | rule | severity | message |\n|---|---|---|---|")
        blocks.extend(rows)
    errors = run.errors
    if errors:
        blocks.append("\n### Not checked\n")
        blocks.extend(f"- {code(r.location)}: {escape(r.error or '')}" for r in errors)
    detailed = [r for r in run.results if r.findings or r.error is not None]
    if detailed:
        blocks.append("\n### Articles\n")
        blocks.extend(_details(r) for r in detailed)
    return _bounded("\n".join(head), blocks, limit)


def _bounded(head: str, blocks: list[str], limit: int) -> str:
    """Head and as many whole blocks as fit; a table row, a list item or a <details> is a block."""
    note = "\n\n> Truncated: {n} more entries are not shown (GitHub's size limit). Use `--format sarif` or `json`."
    reserve = len(note) + 10
    text = head
    for i, block in enumerate(blocks):
        if len(text) + 1 + len(block) + reserve > limit:
            left = sum(not b.startswith("\n###") for b in blocks[i:])
            return text + note.format(n=left) + "\n"
        text += "\n" + block
    return text + "\n"


def render(run: CiRun, out: TextIO, *, color: bool | None = None) -> None:
    out.write(render_markdown(run))
