"""JUnit XML: one testsuite, one testcase per article, for CI systems that show test reports.

A testcase fails when the article has counted findings at or above fail-on, and errors when it could not
be checked. Findings below fail-on and suppressed ones go to system-out: the article passed, but a
reader of the report should still see them. Text from pages can hold anything; characters XML 1.0
forbids are replaced, the rest is escaped by ElementTree (no CDATA, so `]]>` is just text).
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from typing import TextIO

from provenance import urls
from provenance.ci.formats.summary import in_order, is_failing, is_url, plural
from provenance.ci.model import ArticleResult, CiRun, Finding

# XML 1.0 Char: tab, LF, CR, and the rest minus C0 controls, surrogates, U+FFFE/U+FFFF
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def classname(location: str) -> str:
    """The directory, as test reports group by class; a URL groups by its host."""
    if is_url(location):
        parts = urls.split(location)
        return (parts.netloc if parts else "") or "web"
    return posixpath.dirname(location) or "."


def _line(finding: Finding) -> str:
    where = f"{finding.location.path}:{finding.location.line}:{finding.location.column}"
    extra = f" (suppressed: {finding.suppressed})" if finding.suppressed else ""
    return f"{where}: {finding.rule} {finding.name} [{finding.severity.value}] {finding.message}{extra}"


def _testcase(run: CiRun, result: ArticleResult) -> ET.Element:
    case = ET.Element("testcase", classname=xml_text(classname(result.location)), name=xml_text(result.location))
    if result.error is not None:
        error = ET.SubElement(case, "error", message=xml_text(f"could not check: {result.error}"), type="error")
        error.text = xml_text(result.error)
        return case
    failing = [f for f in in_order(result.findings) if is_failing(run, f)]
    if failing:
        rules = sorted({f.rule for f in failing})
        message = f"{plural(len(failing), 'finding')} at or above {run.fail_on}: {', '.join(rules)}"
        failure = ET.SubElement(case, "failure", message=xml_text(message), type=rules[0])
        failure.text = xml_text("\n".join(_line(f) for f in failing))
    rest = [f for f in in_order(result.findings) if not is_failing(run, f)]
    if rest:
        ET.SubElement(case, "system-out").text = xml_text("\n".join(_line(f) for f in rest))
    return case


def junit_tree(run: CiRun) -> ET.ElementTree[ET.Element]:
    cases = [_testcase(run, r) for r in run.results]
    suite = ET.Element(
        "testsuite",
        name="provenance ci",
        tests=str(len(cases)),
        failures=str(sum(c.find("failure") is not None for c in cases)),
        errors=str(sum(c.find("error") is not None for c in cases)),
        skipped="0",
    )
    suite.extend(cases)
    root = ET.Element("testsuites", name="provenance")
    root.append(suite)
    for key in ("tests", "failures", "errors"):
        root.set(key, suite.get(key, "0"))
    ET.indent(root)
    return ET.ElementTree(root)


def render(run: CiRun, out: TextIO, *, color: bool | None = None) -> None:
    junit_tree(run).write(out, encoding="unicode", xml_declaration=True)
    out.write("\n")
