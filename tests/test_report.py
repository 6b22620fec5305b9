"""Report formats on real reports: the JSON schema holds, offsets index the body, dropped chrome is kept.

What each format writes for a given report is pinned by the golden files (tests/test_golden.py)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest

from provenance import check
from provenance.report import renderer
from provenance.report.json import report_dict
from tests.support.paths import BBC_HTML, FAMILY, SEED_HTML, SEED_TEXT

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "docs" / "report.schema.json").read_text())


@pytest.mark.parametrize("name", sorted(p.name for p in FAMILY.glob("*.html")))
def test_json_report_validates_against_the_schema(name):
    data = json.loads(json.dumps(report_dict(check(str(FAMILY / name), [str(FAMILY)]))))
    jsonschema.Draft202012Validator(SCHEMA).validate(data)


def test_schema_rejects_a_report_missing_its_relation():
    data = report_dict(check(str(SEED_HTML), [str(BBC_HTML)]))
    del data["relation"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_json_passage_offsets_index_the_article_body():
    data = report_dict(check(str(FAMILY / "copy-patchwork.html"), [str(FAMILY)]))
    body = "\n\n".join(data["article"]["paragraphs"])
    for cand in data["candidates"]:
        for p in cand["passages"]:
            assert body[p["article_start"] : p["article_end"]] == p["text"]


def test_the_chrome_extraction_dropped_is_kept_and_shown_on_request():
    report = check(str(SEED_TEXT), [str(BBC_HTML)])
    assert "Related News" in report.article.chrome  # the tail marker, not body text
    assert all(line not in report.article.paragraphs for line in report.article.chrome)
    assert report_dict(report)["article"]["chrome"] == list(report.article.chrome)
    out = io.StringIO()
    renderer("html")(report, out)
    folded = out.getvalue().split('<details class="removed"', 1)[1].split("</details>", 1)[0]
    assert "dropped as page chrome" in folded and "Related News" in folded
