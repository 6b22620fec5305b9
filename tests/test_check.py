"""End to end through the library: fixture articles to origin, relation and gaps."""

from __future__ import annotations

import json

import pytest

from provenance import Relation, Severity, check
from tests.support.paths import BBC_HTML, FAMILY, FIXTURES, SEED_HTML, SEED_TEXT

EXPECTED = json.loads((FAMILY / "expected.json").read_text())


@pytest.mark.parametrize("seed", [SEED_HTML, SEED_TEXT], ids=["html", "text"])
def test_seed_copy_is_traced_to_the_bbc(seed):
    report = check(str(seed), [str(BBC_HTML)])
    assert report.origin is not None
    assert report.origin.article.source == str(BBC_HTML)
    assert report.origin.article.publisher == "BBC News"
    assert report.relation is Relation.VERBATIM
    assert report.origin.match.copied_share >= 0.95
    rules = {g.rule for g in report.gaps}
    assert {"PRV104", "PRV103", "PRV109"} <= rules
    assert "PRV101" not in rules  # the bare "BBC" line is a credit


def test_seed_repeated_body_is_counted_once():
    report = check(str(SEED_HTML), [str(BBC_HTML)])
    bbc_paragraphs = report.origin.article.paragraphs
    assert report.article.paragraphs == bbc_paragraphs
    assert report.article.repeated_blocks[0].paragraphs >= 19


def test_seed_evidence_names_the_credit_and_the_earlier_date():
    report = check(str(SEED_HTML), [str(BBC_HTML)])
    kinds = {e.kind for e in report.origin.evidence}
    assert {"credit", "date", "containment"} <= kinds
    assert report.origin.confidence >= 0.8


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_family_origin_and_relation(name):
    expected = EXPECTED[name]
    report = check(str(FAMILY / name), [str(FAMILY)])
    origin = report.origin.article.source.rsplit("/", 1)[-1] if report.origin else None
    assert (origin, report.relation.value) == (expected["origin"], expected["relation"])


def test_text_fixture_of_the_partial_copy():
    report = check(str(FIXTURES / "text" / "copy-partial.txt"), [str(FAMILY / "original-a.html")])
    assert report.relation is Relation.PARTIAL
    assert {"PRV101", "PRV104"} <= {g.rule for g in report.gaps}


def test_clean_credited_copy_has_no_error():
    report = check(str(FAMILY / "copy-credited.html"), [str(FAMILY)])
    assert report.relation is Relation.VERBATIM
    assert report.worst_severity() is not Severity.ERROR
    assert not {"PRV101", "PRV102", "PRV103", "PRV104"} & {g.rule for g in report.gaps}


def test_patchwork_flags_the_uncredited_second_source():
    report = check(str(FAMILY / "copy-patchwork.html"), [str(FAMILY)])
    second = [g for g in report.gaps if g.rule == "PRV106"]
    assert len(second) == 1 and "Harbour Wire Service" in second[0].message
    assert "PRV101" not in {g.rule for g in report.gaps}  # Northshore Gazette is credited


def test_independent_report_sharing_a_quote_is_not_a_copy():
    report = check(str(FAMILY / "independent.html"), [str(FAMILY / "original-a.html")])
    assert report.relation is Relation.INDEPENDENT
    assert report.origin is None
    assert report.gaps == ()
    match = report.matches[0]
    assert match.copied_share > 0 and match.unquoted_copied_share == 0
    assert all(p.quoted for p in match.passages)


def test_partial_copy_gets_no_credit_gap_at_the_copied_paragraph():
    report = check(str(FAMILY / "copy-partial.html"), [str(FAMILY / "original-a.html")])
    gap = next(g for g in report.gaps if g.rule == "PRV101")
    assert gap.severity is Severity.ERROR
    assert gap.paragraph == 2  # two paragraphs of its own come first


def test_disguised_copy_is_seen_through():
    report = check(str(FAMILY / "copy-disguised.html"), [str(FAMILY / "original-a.html")])
    assert report.relation is Relation.VERBATIM
    assert report.origin.match.copied_share == pytest.approx(1.0)


def test_original_with_later_copies_is_original():
    report = check(str(FAMILY / "original-a.html"), [str(FAMILY)])
    assert report.origin is None and report.relation is Relation.ORIGINAL
    assert report.gaps == ()


def test_article_given_as_its_own_candidate_is_skipped():
    report = check(str(FAMILY / "original-b.html"), [str(FAMILY / "original-b.html")])
    assert report.matches == () and report.relation is Relation.ORIGINAL
