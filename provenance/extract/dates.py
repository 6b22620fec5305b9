"""Dates as pages write them: "11 September 2018", "Tue Sep 11, 2018", "2018-09-11T01:22:15+01:00".

Only possible dates come out: years 1000 to 2999 (in UTC; the range the index keeps,
`store.base.EARLIEST`..`LATEST`) and UTC offsets of at most 14 hours, as on Earth's clocks. So no
later stage (origin's date arithmetic, the store) meets a date it cannot compute with.
"""

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


EARLIEST = datetime(1000, 1, 1, tzinfo=UTC)
LATEST = datetime(3000, 1, 1, tzinfo=UTC)  # excluded
MAX_OFFSET = timedelta(hours=14)  # UTC+14 (Line Islands) and UTC-12 are the ends of real clocks
_METADATA_MAX_CHARS = 1000  # a timestamp in metadata is short; past this it is text, and only its start is read


def possible(value: datetime) -> bool:
    """Whether `value` is a date a page could mean: in EARLIEST..LATEST, offset within ±14:00."""
    offset = value.utcoffset()
    if offset is not None and abs(offset) > MAX_OFFSET:
        return False
    try:
        return EARLIEST <= (value if value.tzinfo else value.replace(tzinfo=UTC)) < LATEST
    except OverflowError:  # converting to UTC at datetime's own ends
        return False


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
            if not possible(when):
                continue
            stamp = _ISO_STAMP.match(text, m.start()) if pattern is _ISO else None
            # A stamp is read by _from_iso only, never by parse_datetime: its fallback (this
            # function) would meet the same stamp again and recurse without end.
            when = (_from_iso(stamp.group()) or when) if stamp else _with_time(when, text[m.end() :])
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


def _from_iso(text: str) -> datetime | None:
    """An ISO 8601 timestamp (naive taken as UTC), None when it is not one or not `possible`."""
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return parsed if possible(parsed) else None


def parse_datetime(value: object) -> datetime | None:
    """An ISO 8601 timestamp from metadata, or a written date; naive times are taken as UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()[:_METADATA_MAX_CHARS]
    parsed = _from_iso(text)
    if parsed is not None:
        return parsed
    dates = find_dates(text)
    return dates[0][1] if dates else None
