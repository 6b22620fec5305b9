"""JSONL records: one article per line (url, title, published, text or html, publisher, byline, first_seen)."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any

from provenance import safejson
from provenance.decoding import as_text
from provenance.errors import InputError
from provenance.extract.dates import parse_datetime
from provenance.extract.limits import check_text
from provenance.fetch.settings import MAX_BYTES
from provenance.index.store.base import StoredArticle
from provenance.inputs import extract_bytes
from provenance.publishers import Registry, bundled

_JSONL_FIELDS = {"url", "title", "published", "text", "html", "publisher", "byline", "first_seen"}
MAX_LINE = MAX_BYTES  # characters in one JSONL line: a record holds at most a page
_READ = 1024 * 1024  # characters read at a time when passing over a line that is too long


def paragraphs_of(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _text(value: str) -> str:
    """Lone surrogates ("\ud800" in JSON is legal, but not text: UTF-8 cannot write it) and NULs become
    U+FFFD, as undecodable bytes in the file do."""
    return as_text(value)


def _date(value: str | None, field: str, where: str) -> datetime | None:
    """ISO 8601 as the docs ask (other forms as extraction reads them); None when absent or unreadable."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        pass
    try:
        return parse_datetime(value)
    except (ValueError, OverflowError, RecursionError):
        raise InputError(where, f"{field} {value[:100]!r} is not a date") from None


def from_jsonl_line(line: str | None, where: str, registry: Registry) -> StoredArticle:
    """One JSONL record -> StoredArticle; `where` names the line in errors; None: a line over the cap."""
    if line is None:
        raise InputError(where, f"line longer than {MAX_LINE // (1024 * 1024)} MB characters")
    try:
        record: Any = safejson.loads(line, max_depth=4)
    except safejson.TooDeep as exc:
        raise InputError(where, f"invalid record ({exc})") from None
    except ValueError as exc:
        raise InputError(where, f"invalid JSON ({exc.args[0]})") from None
    if not isinstance(record, dict):
        raise InputError(where, "each line must be a JSON object")
    unknown = set(record) - _JSONL_FIELDS
    if unknown:
        raise InputError(where, f"unknown field {sorted(unknown)[0]!r}")
    for key, value in record.items():
        if value is not None and not isinstance(value, str):
            raise InputError(where, f"field {key!r} must be a string")
    record = {key: _text(value) for key, value in record.items() if value is not None}
    url = record.get("url")
    published = _date(record.get("published"), "published", where)
    if record.get("html"):
        article = extract_bytes(url or where, record["html"].encode(), "html", registry, url)
        paragraphs = article.paragraphs
        title = record.get("title") or article.title
        publisher = record.get("publisher") or article.publisher or article.site_name
        byline = record.get("byline") or article.byline
        published = published or article.published
    elif record.get("text"):
        check_text(where, record["text"])  # the limits of any article (docs/limits.md)
        paragraphs = paragraphs_of(record["text"])
        title, publisher, byline = record.get("title"), record.get("publisher"), record.get("byline")
    else:
        raise InputError(where, "a record needs 'text' or 'html'")
    if not paragraphs:
        raise InputError(where, "no article text")
    return StoredArticle(
        url=url,
        title=title,
        publisher=publisher,
        byline=byline,
        published=published,
        first_seen=_date(record.get("first_seen"), "first_seen", where) or datetime.now(UTC),
        paragraphs=paragraphs,
    )


def read_jsonl(stream: IO[str], name: str, registry: Registry | None = None) -> Iterator[StoredArticle]:
    """Records in order; a bad line stops the import with its line number (what came before is stored)."""
    registry = registry or bundled()
    for where, line in jsonl_lines(stream, name):
        yield from_jsonl_line(line, where, registry)


def jsonl_lines(stream: IO[str], name: str) -> Iterator[tuple[str, str | None]]:
    """(where, line) for each non-blank line, for `parse_jsonl` to turn into articles: a bulk import
    parses on its worker processes, since JSON and dates cost the single writer a sixth of its time.
    A line longer than MAX_LINE is passed over without being held, as (where, None)."""
    number = 0
    while line := stream.readline(MAX_LINE + 1):
        number += 1
        if len(line) > MAX_LINE and not line.endswith("\n"):
            while (rest := stream.readline(_READ)) and not rest.endswith("\n"):
                pass
            yield f"{name}:{number}", None
        elif line.strip():
            yield f"{name}:{number}", line


def parse_jsonl(item: tuple[str, str | None]) -> StoredArticle:
    where, line = item
    return from_jsonl_line(line, where, _bundled())


@functools.cache
def _bundled() -> Registry:
    return bundled()  # read once per worker process, not once per line


def to_jsonl(article: StoredArticle) -> str:
    record = {
        "url": article.url,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "publisher": article.publisher,
        "byline": article.byline,
        "first_seen": article.first_seen.isoformat(),
        "text": "\n\n".join(article.paragraphs),
    }
    return json.dumps({k: v for k, v in record.items() if v is not None}, ensure_ascii=False)
