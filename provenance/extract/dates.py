"""Dates as pages write them: "11 September 2018", "Tue Sep 11, 2018", "2018-09-11T01:22:15+01:00"."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_FIRST = re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}})\b", re.I)
_MONTH_FIRST = re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", re.I)
_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)")
_ISO_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")
# A clock time right after a date: "11 September 2018 08:20", "Sep 11, 2018 08:20:am", "at 12:40 GMT".
_TIME = re.compile(
    r"^(?:,?\s+(?:at\s+)?|T)(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*:?\s*(?P<ampm>[ap]\.?m\.?)?",
    re.I,
)


def find_dates(text: str) -> list[tuple[str, datetime]]:
    """Every calendar date written in `text`, as (text as written, date)."""
    found: list[tuple[int, str, datetime]] = []
    for pattern in (_DAY_FIRST, _MONTH_FIRST, _ISO):
        for m in pattern.finditer(text):
            month = m.group("month")
            number = int(month) if month.isdigit() else _MONTHS[month.lower()]
            try:
                when = datetime(int(m.group("year")), number, int(m.group("day")), tzinfo=UTC)
            except ValueError:
                continue
            stamp = _ISO_STAMP.match(text, m.start()) if pattern is _ISO else None
            when = (parse_datetime(stamp.group()) or when) if stamp else _with_time(when, text[m.end() :])
            found.append((m.start(), m.group(), when))
    return [(written, when) for _, written, when in sorted(found, key=lambda f: f[0])]


def _with_time(day: datetime, after: str) -> datetime:
    """The date with the clock time written after it, if any (taken as UTC: pages rarely say)."""
    m = _TIME.match(after)
    if not m:
        return day
    hour, minute = int(m.group("hour")), int(m.group("minute"))
    ampm = (m.group("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return day
    return day.replace(hour=hour, minute=minute)


def date_only(value: datetime) -> bool:
    """Whether a time stamp came from a bare date (midnight UTC), so hours cannot be compared."""
    return value.utcoffset() == timedelta(0) and (value.hour, value.minute, value.second) == (0, 0, 0)


def parse_datetime(value: object) -> datetime | None:
    """An ISO 8601 timestamp from metadata, or a written date; naive times are taken as UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        dates = find_dates(text)
        return dates[0][1] if dates else None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
