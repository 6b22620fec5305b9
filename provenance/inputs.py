"""Reading what the user names (a URL, a file, a directory, stdin) into Articles: the inputs of a check.

(Not its sources: in this domain a source is where a text came from, which is what `check` finds.)
"""

from __future__ import annotations

import codecs
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from provenance.decoding import decoded
from provenance.errors import InputError, UnsupportedFormat
from provenance.fetch.settings import MAX_BYTES
from provenance.files import Unreadable, read_regular
from provenance.model import Article
from provenance.publishers import Registry
from provenance.urls import is_url

if TYPE_CHECKING:
    import httpx

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_BINARY_SAMPLE = 8192


_META_CHARSET = re.compile(rb"""<meta[^<>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes, source: str, declared: str | None = None) -> str:
    """Bytes to text, trusting what the bytes say over what the page says.

    Pages lie about their charset both ways, so: a BOM; then UTF-8 if the bytes are valid UTF-8
    (text in a legacy encoding almost never is); then the charset declared in the HTTP header or a
    <meta> tag, if it names a charset (`decoding.codec_for`) and decodes; then charset-normalizer's
    guess; then windows-1252, the web's commonest legacy encoding, with replacement characters.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    sample = data[:_BINARY_SAMPLE]
    controls = sum(b < 9 or 13 < b < 32 for b in sample)
    if b"\x00" in sample or controls > len(sample) * 0.05:
        raise InputError(source, "binary data, not an article (expected HTML or text)")
    meta = _META_CHARSET.search(data[:4096])
    for label in ("utf-8", declared, meta.group(1).decode("ascii") if meta else None):
        text = decoded(data, label)
        if text is not None:
            return text
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data[:65536]))
    # Short Western text fits several code pages about equally well; windows-1252 is by far the
    # likeliest on the web, so it wins among the near-best guesses.
    near = [m.encoding for m in matches if m.chaos <= matches[0].chaos + 0.15] if matches else []
    for guess in ("cp1252" if "cp1252" in near else None, *near[:1]):
        text = decoded(data, guess)
        if text is not None:
            return text
    return data.decode("windows-1252", errors="replace")


def extract_bytes(
    source: str, data: bytes, kind: str, registry: Registry, url: str | None = None, charset: str | None = None
) -> Article:
    from provenance.extract import extract_document

    if not data.strip():
        raise InputError(source, "the file is empty")
    if len(data) > MAX_BYTES:
        raise InputError(source, f"larger than {MAX_BYTES // (1024 * 1024)} MB; not an article page")
    return extract_document(source, decode(data, source, charset), kind, registry, url)


def _sniff(text_start: bytes) -> str:
    head = text_start.lstrip()[:200].lower()
    return "html" if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<")) else "text"


def load(spec: str, registry: Registry, client: httpx.Client | None = None) -> Article:
    """An Article from a URL, a file path or "-" (stdin)."""
    if is_url(spec):
        if client is None:
            raise InputError(spec, "URLs need a network client")
        from provenance.fetch.client import ARTICLE, fetch

        response = fetch(spec, client, accept=ARTICLE)
        kind = "text" if response.content_type == "text/plain" else "html"
        if response.content_type not in HTML_TYPES and kind == "html":  # no Content-Type: look
            kind = _sniff(response.content)
        return extract_bytes(spec, response.content, kind, registry, response.url, response.charset)
    if spec == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        return extract_bytes("<stdin>", data, _sniff(data), registry)
    path = Path(spec)
    suffix = path.suffix.lower()
    if path.is_dir():
        raise InputError(spec, "is a directory (only --candidate takes directories)")
    if suffix not in HTML_SUFFIXES | TEXT_SUFFIXES:
        raise UnsupportedFormat(spec, f"unsupported format {suffix or '(no extension)'}; use .html, .htm, .txt or .md")
    if not path.exists():
        raise InputError(spec, "no such file")
    try:
        # Regular files only, opened without blocking: a FIFO named x.md would wait for a writer forever.
        data = read_regular(path, MAX_BYTES)
    except Unreadable as exc:
        raise InputError(spec, str(exc)) from None
    return extract_bytes(spec, data, "html" if suffix in HTML_SUFFIXES else "text", registry)


def expand(spec: str) -> Iterator[str]:
    """A candidate spec as article specs: a directory becomes its supported files, sorted."""
    path = Path(spec)
    if not is_url(spec) and path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and child.suffix.lower() in HTML_SUFFIXES | TEXT_SUFFIXES:
                yield str(child)
    else:
        yield spec
