"""Every way an HTML page names its sources, found on one syndicated page."""

from __future__ import annotations

import pytest

from provenance.inputs import load
from provenance.publishers import bundled
from tests.support.paths import FIXTURES

PAGE = FIXTURES / "extract" / "syndicated.html"


@pytest.fixture(scope="module")
def credits():
    article = load(str(PAGE), bundled())
    return {(c.kind, c.name): c for c in article.credits}


def test_schema_org_is_based_on_names_the_original_and_its_url(credits):
    credit = credits[("isBasedOn", "Harbour Wire Service")]
    assert credit.link == "https://www.harbourwire.example/news/ferry-fares-rise"


def test_schema_org_author_of_another_outlet_is_a_credit_but_the_site_itself_is_not(credits):
    assert ("jsonld-author", "Reuters") in credits
    assert not any(name == "Valley Times" for _, name in credits)


def test_wire_dateline_in_the_first_paragraph(credits):
    assert credits[("dateline", "Reuters")].position == 0


def test_reported_by_a_named_outlet(credits):
    assert credits[("reported", "Guardian")].position == 2


def test_link_whose_host_is_a_known_publisher(credits):
    credit = credits[("link", "BBC News")]
    assert credit.link == "https://www.bbc.co.uk/news/ferry-report" and credit.position == 3


def test_rel_canonical_to_another_host_when_the_page_address_is_known():
    page = PAGE.read_bytes()
    from provenance.inputs import extract_bytes

    article = extract_bytes("https://www.valleytimes.example/ferry", page, "html", bundled(),
                            url="https://www.valleytimes.example/ferry")  # fmt: skip
    canonical = [c for c in article.credits if c.kind == "canonical"]
    assert [c.link for c in canonical] == ["https://www.harbourwire.example/news/ferry-fares-rise"]
    own = extract_bytes("https://www.harbourwire.example/x", page, "html", bundled(),
                        url="https://www.harbourwire.example/x")  # fmt: skip
    assert not [c for c in own.credits if c.kind == "canonical"]
