"""Pages that carry one wire's text: the wire's page is the origin, the other clients are siblings.

Through the command line, on fixtures/wire-family: an invented wire story on the wire's own page,
two clients crediting it with a dateline, and two independent reports of the same event that share
one statement from the mayor, reproduced without quotation marks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from click.testing import CliRunner

from provenance.cli import main
from tests.support.paths import FIXTURES

WIRE = FIXTURES / "wire-family"
SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "docs" / "report.schema.json").read_text())


def check_json(article: str, *candidates: str) -> tuple[int, dict[str, Any]]:
    args = ["check", str(WIRE / article), "-f", "json", "--fail-on", "error"]
    for name in candidates:
        args += ["-c", str(WIRE / name)]
    result = CliRunner().invoke(main, args)
    data = json.loads(result.stdout)
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    return result.exit_code, data


def relations(data: dict[str, Any]) -> dict[str, str]:
    return {Path(c["source"]).name: c["relation"] for c in data["candidates"]}


def rules(data: dict[str, Any]) -> set[str]:
    return {g["rule"] for g in data["gaps"]}


def test_the_wires_own_page_is_the_origin_and_the_other_client_a_sibling() -> None:
    _, data = check_json("client-station.html", "client-daily.html", "wire-page.html")
    assert data["origin"]["known_from"] == "page"
    assert data["origin"]["url"] == "https://apnews.com/article/harrow-point-bridge-reopens-riverton-4f2a9c"
    assert relations(data)["client-daily.html"] == "sibling"
    assert relations(data)["wire-page.html"] in {"verbatim", "partial"}
    assert data["origin"]["siblings"] == [str(WIRE / "client-daily.html")]
    assert "PRV102" not in rules(data)  # the dateline credits the wire, which is the origin


def test_without_the_wires_page_the_wire_is_the_origin_from_the_credits() -> None:
    code, data = check_json("client-station.html", "client-daily.html")
    origin = data["origin"]
    assert origin["known_from"] == "credits"
    assert origin["publisher"] == "Associated Press"
    assert origin["url"] is None and origin["copied_share"] is None
    assert {e["kind"] for e in origin["evidence"]} == {"credit", "sibling"}
    assert origin["confidence"] == round(origin["copying"] * origin["direction"], 3) > 0.5
    assert relations(data) == {"client-daily.html": "sibling"}
    assert data["relation"] == "partial"
    # Judged against the wire: its dateline is the right credit, and its byline is the wire's reporter.
    assert not rules(data) & {"PRV101", "PRV102", "PRV103", "PRV104"}
    assert code == 0


def test_the_sibling_is_never_taken_for_the_origin_even_when_it_came_first() -> None:
    # The daily (12:15) is later than the station (11:30); checked the other way it is earlier.
    _, data = check_json("client-daily.html", "client-station.html")
    assert data["origin"]["known_from"] == "credits"
    assert relations(data) == {"client-station.html": "sibling"}


def test_a_byline_claiming_the_wire_text_is_still_a_gap_against_the_wire() -> None:
    _, data = check_json("client-daily.html", "client-station.html")
    assert "PRV104" in rules(data)  # "Staff and wire reports" names neither the wire nor its reporter


def test_two_independent_reports_sharing_an_unquoted_statement_are_independent() -> None:
    for article, other in (
        ("report-gazette.html", "report-herald.html"),
        ("report-herald.html", "report-gazette.html"),
    ):
        code, data = check_json(article, other)
        assert data["origin"] is None
        assert relations(data) == {other: "independent"}
        assert data["relation"] in {"independent", "original"}
        assert data["gaps"] == [] and code == 0


def test_an_uncredited_copy_of_a_client_is_a_copy_of_that_client(tmp_path: Path) -> None:
    html = (WIRE / "client-daily.html").read_text()
    page = tmp_path / "scraper.html"
    page.write_text(html.replace("(AP) — ", "").replace("Staff and wire reports", "By Scraper Desk"))
    result = CliRunner().invoke(main, ["check", str(page), "-c", str(WIRE / "client-station.html"), "-f", "json"])
    data = json.loads(result.stdout)
    assert data["origin"]["known_from"] == "page"  # it credits nothing, so the client is no sibling
    assert "PRV101" in rules(data)
    assert result.exit_code == 1


def test_a_photo_credit_both_pages_carry_makes_no_siblings(tmp_path: Path) -> None:
    def photo_credited(name: str) -> Path:
        html = (WIRE / name).read_text().replace("RIVERTON, Ore. (AP) — ", "")
        html = html.replace("Copyright 2026 The Associated Press.", "").replace(
            "</article>", "<p>Credit: Reuters</p></article>"
        )
        page = tmp_path / name
        page.write_text(html)
        return page

    article, other = photo_credited("client-daily.html"), photo_credited("client-station.html")
    result = CliRunner().invoke(main, ["check", str(article), "-c", str(other), "-f", "json"])
    data = json.loads(result.stdout)
    assert data["origin"]["known_from"] == "page"
    assert relations(data) == {"client-station.html": "partial"}


def test_the_dateline_bonus_needs_a_dateline_naming_that_wire(tmp_path: Path) -> None:
    html = (WIRE / "client-station.html").read_text().replace("(AP) — ", "(Reuters) — ")
    html = html.replace("</article>", "<p>Source: AP</p></article>")
    page = tmp_path / "station.html"
    page.write_text(html)
    result = CliRunner().invoke(main, ["check", str(page), "-c", str(WIRE / "wire-page.html"), "-f", "json"])
    kinds = {e["kind"] for e in json.loads(result.stdout)["origin"]["evidence"]}
    assert "credit" in kinds and "dateline" not in kinds  # credited by "Source: AP", dated by Reuters
