"""Reading what the user names (a URL, a file, a directory, stdin) into Articles."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx

from provenance.errors import InputError, UnsupportedFormat
from provenance.fetch import MAX_BYTES, fetch
from provenance.model import Article
from provenance.publishers import Registry

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_BINARY_SAMPLE = 8192


def is_url(spec: str) -> bool:
    return spec.startswith(("http://", "https://"))


def decode(data: bytes, source: str, declared: str | None = None) -> str:
    """Bytes to text: declared charset if it fits, else UTF-8, else a detected one."""
    sample = data[:_BINARY_SAMPLE]
    controls = sum(b < 9 or 13 < b < 32 for b in sample)
    if b"\x00" in sample or controls > len(sample) * 0.05:
        raise InputError(source, "binary data, not an article (expected HTML or text)")
    from bs4.dammit import UnicodeDammit

    encodings = [e for e in (declared, "utf-8") if e]
    dammit = UnicodeDammit(data, known_definite_encodings=encodings, is_html=False)
    if dammit.unicode_markup is None:
        raise InputError(source, "cannot decode the text: unknown character encoding")
    return str(dammit.unicode_markup)


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
        response = fetch(spec, client)
        if response.content_type not in HTML_TYPES and not response.content_type.startswith("text/"):
            raise UnsupportedFormat(spec, f"content type {response.content_type or 'unknown'} is not HTML")
        kind = "text" if response.content_type == "text/plain" else "html"
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
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError(spec, "no such file") from None
    except IsADirectoryError:
        raise InputError(spec, "is a directory") from None
    except OSError as exc:
        raise InputError(spec, exc.strerror or str(exc)) from None
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
