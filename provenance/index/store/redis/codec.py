"""The record of one article in the Redis index, written here and read here and, for the few
fields the scripts need, in Lua: `LUA_OFFSETS` gives the scripts (the `.lua` templates) where
each field starts, so the layout is written once.

A record: a header (`HEADER`: format version; published and first_seen, each a date block of
flag, epoch seconds, microseconds and UTC offset in microseconds; the content key; the number of
band keys, the text's length, the URL's length (0xFFFFFFFF: none)), then the URL, the title,
publisher and byline (each a length and UTF-8, or 0xFFFFFFFF), then the zlib-compressed text.
Dates are kept exactly (microseconds, fixed UTC offset); a naive datetime is ordered as if it
were UTC.
"""

from __future__ import annotations

import struct
import zlib
from datetime import UTC, datetime, timedelta, timezone

from provenance.index.store.base import Entry, StoredArticle, kept_date, kept_first_seen, unpack_text

FORMAT_VERSION = 3  # 3: multimaps in strings of (key, id) entries; 2: records without band keys
NONE_LEN = 0xFFFFFFFF
DATE = "<BdId"  # flag, epoch seconds, microseconds, UTC offset in microseconds
_DATE_FIELDS = DATE[1:]
HEADER = struct.Struct("<B" + _DATE_FIELDS + _DATE_FIELDS + "QIII")
_LEN = struct.Struct("<I")
_NO_DATE, _NAIVE, _AWARE = 0, 1, 2
_EPOCH = datetime(1970, 1, 1)


def _offsets() -> dict[str, int]:
    """Where each header field starts, 1-based as Lua's string.sub and struct.unpack count."""
    date = struct.calcsize(DATE)
    published = 1 + struct.calcsize("<B")
    first_seen = published + date
    content_key = first_seen + date
    band_count = content_key + struct.calcsize("<Q")
    text_len = band_count + 4
    url_len = text_len + 4
    return {
        "PUBLISHED": published,
        "FIRST_SEEN": first_seen,
        "DATE_BYTES": date,
        "CONTENT_KEY": content_key,
        "BAND_COUNT": band_count,
        "TEXT_LEN": text_len,
        "URL_LEN": url_len,
        "URL": HEADER.size + 1,
        "NONE_LEN": NONE_LEN,
    }


LUA_OFFSETS = _offsets()


def _date(value: datetime | None) -> bytes:
    if value is None:
        return struct.pack(DATE, _NO_DATE, 0.0, 0, 0.0)
    offset = value.utcoffset()
    if offset is None:
        since = value - _EPOCH
        flag, offset_us = _NAIVE, 0
    else:
        since = value - _EPOCH.replace(tzinfo=UTC)
        flag, offset_us = _AWARE, offset // timedelta(microseconds=1)
    return struct.pack(DATE, flag, float(since.days * 86400 + since.seconds), since.microseconds, offset_us)


def _undate(flag: int, seconds: float, micros: int, offset_us: float) -> datetime | None:
    if flag == _NO_DATE:
        return None
    since = timedelta(seconds=int(seconds), microseconds=micros)
    try:
        if flag == _NAIVE:
            return _EPOCH + since
        return (_EPOCH.replace(tzinfo=UTC) + since).astimezone(timezone(timedelta(microseconds=int(offset_us))))
    except OverflowError:  # past datetime's range, stored before dates were checked: the nearest end
        return (datetime.max if seconds > 0 else datetime.min).replace(tzinfo=UTC)


def _text(value: str | None) -> bytes:
    if value is None:
        return _LEN.pack(NONE_LEN)
    data = value.encode()
    return _LEN.pack(len(data)) + data


def record(entry: Entry, band_count: int) -> bytes:
    art = entry.article
    url = None if art.url is None else art.url.encode()
    text = entry.text_bytes()
    header = (
        struct.pack("<B", FORMAT_VERSION)
        + _date(art.published)
        + _date(art.first_seen)
        + struct.pack("<QIII", entry.content_key, band_count, len(text), NONE_LEN if url is None else len(url))
    )
    rest = _text(art.title) + _text(art.publisher) + _text(art.byline)
    return header + (url or b"") + rest + text


def _read_text(data: bytes, at: int) -> tuple[str | None, int]:
    (length,) = _LEN.unpack_from(data, at)
    at += 4
    if length == NONE_LEN:
        return None, at
    return data[at : at + length].decode(), at + length


def article(data: bytes) -> StoredArticle:
    fields = HEADER.unpack_from(data)
    text_len, url_len = fields[11:13]
    at = HEADER.size
    url = None
    if url_len != NONE_LEN:
        url, at = data[at : at + url_len].decode(), at + url_len
    title, at = _read_text(data, at)
    publisher, at = _read_text(data, at)
    byline, at = _read_text(data, at)
    first_seen = _undate(*fields[5:9])
    assert first_seen is not None
    return StoredArticle(
        url=url,
        title=title,
        publisher=publisher,
        byline=byline,
        published=kept_date(_undate(*fields[1:5])),
        first_seen=kept_first_seen(first_seen),
        paragraphs=unpack_text(data[at : at + text_len]),
    )


def url_key(url: str) -> int:
    return zlib.crc32(url.encode())
