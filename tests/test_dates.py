"""Dates as pages write them, and timestamps from metadata."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from provenance.extract.dates import date_only, find_dates, parse_datetime


@pytest.mark.parametrize(
    ("text", "written", "when"),
    [
        (
            "Published 11 September 2018 in London",
            "11 September 2018",
            datetime(2018, 9, 11, tzinfo=UTC),
        ),
        # the seed's header line: weekday before, "08:20:am" after
        (
            "Tue Sep 11, 2018 08:20:am World",
            "Sep 11, 2018",
            datetime(2018, 9, 11, 8, 20, tzinfo=UTC),
        ),
        (
            "14 March 2026 12:40 GMT",
            "14 March 2026",
            datetime(2026, 3, 14, 12, 40, tzinfo=UTC),
        ),
        ("Sep 11, 2018 08:20 pm", "Sep 11, 2018", datetime(2018, 9, 11, 20, 20, tzinfo=UTC)),
        ("12 March 2026 at 12:15am", "12 March 2026", datetime(2026, 3, 12, 0, 15, tzinfo=UTC)),
        ("on the 1st March 2026.", "1st March 2026", datetime(2026, 3, 1, tzinfo=UTC)),
        ("11 Sept. 2018", "11 Sept. 2018", datetime(2018, 9, 11, tzinfo=UTC)),
        ("2018-09-11", "2018-09-11", datetime(2018, 9, 11, tzinfo=UTC)),
    ],
)
def test_find_dates_reads_written_dates(text: str, written: str, when: datetime) -> None:
    assert find_dates(text) == [(written, when)]


def test_find_dates_finds_iso_timestamp_inside_text() -> None:
    found = find_dates("Updated at 2018-09-11T01:22:15+01:00 by the desk.")
    assert len(found) == 1
    written, when = found[0]
    assert written == "2018-09-11"
    assert when.date() == datetime(2018, 9, 11).date()


def test_find_dates_honours_iso_offset() -> None:
    stamp = "2018-09-11T01:22:15+01:00"
    ((_, when),) = find_dates(f"Updated at {stamp} by the desk.")
    assert abs(when - datetime.fromisoformat(stamp)) < timedelta(minutes=1)


def test_find_dates_returns_dates_in_text_order() -> None:
    text = "Filed March 2, 2026 about events of 1 March 2026 and 2026-02-28."
    assert [w for w, _ in find_dates(text)] == ["March 2, 2026", "1 March 2026", "2026-02-28"]


@pytest.mark.parametrize(
    "text",
    ["31 February 2018", "February 30, 2018", "2018-02-31", "2018-13-01", "32 March 2026"],
)
def test_find_dates_ignores_impossible_dates(text: str) -> None:
    assert find_dates(text) == []


def test_find_dates_keeps_valid_dates_next_to_invalid_ones() -> None:
    assert find_dates("not 31 February 2018 but 28 February 2018") == [
        ("28 February 2018", datetime(2018, 2, 28, tzinfo=UTC))
    ]


def test_impossible_clock_time_is_ignored_not_the_date() -> None:
    assert find_dates("11 September 2018 25:61") == [("11 September 2018", datetime(2018, 9, 11, tzinfo=UTC))]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-09-11T01:22:15Z", datetime(2018, 9, 11, 1, 22, 15, tzinfo=UTC)),
        # naive ISO times are taken as UTC
        ("2018-09-11T01:22:15", datetime(2018, 9, 11, 1, 22, 15, tzinfo=UTC)),
        (
            "2018-09-11T01:22:15+01:00",
            datetime(2018, 9, 11, 1, 22, 15, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("  2026-03-14T07:30:00Z  ", datetime(2026, 3, 14, 7, 30, tzinfo=UTC)),
        ("11 September 2018", datetime(2018, 9, 11, tzinfo=UTC)),
        ("Tue Sep 11, 2018 08:20:am", datetime(2018, 9, 11, 8, 20, tzinfo=UTC)),
    ],
)
def test_parse_datetime_reads_iso_and_written_dates(value: str, expected: datetime) -> None:
    parsed = parse_datetime(value)
    assert parsed is not None
    assert parsed.tzinfo is not None
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("value", [None, "", "   ", "no date here", 20180911, "31 February 2018"])
def test_parse_datetime_returns_none_without_a_date(value: object) -> None:
    assert parse_datetime(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2018, 9, 11, tzinfo=UTC), True),
        (datetime(2018, 9, 11, 8, 20, tzinfo=UTC), False),
        (datetime(2018, 9, 11, tzinfo=timezone(timedelta(hours=1))), False),
    ],
)
def test_date_only_means_midnight_utc(value: datetime, expected: bool) -> None:
    assert date_only(value) is expected
