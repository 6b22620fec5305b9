"""Docs generated from code must not drift from it."""

from __future__ import annotations

import re
from pathlib import Path

from provenance.rules import RULES
from provenance.rules_doc import rules_markdown

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_rules_md_is_generated_from_the_rules_table():
    assert (DOCS / "rules.md").read_text() == rules_markdown(RULES), (
        "docs/rules.md is stale: run `provenance rules --format markdown > docs/rules.md`"
    )


def test_rule_ids_and_names_are_unique_and_well_formed():
    assert len({r.id for r in RULES}) == len({r.name for r in RULES}) == len(RULES)
    for rule in RULES:
        assert re.fullmatch(r"PRV\d{3}", rule.id)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name)
        assert rule.summary and rule.rationale and rule.example


def test_readme_commands_name_files_that_exist():
    readme = (DOCS.parent / "README.md").read_text()
    for path in re.findall(r"fixtures/[\w./-]+\.(?:html|txt)", readme):
        assert (DOCS.parent / path).is_file(), path
