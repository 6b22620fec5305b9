"""Extraction: a document's text -> Article."""

from __future__ import annotations

from provenance.errors import UnsupportedFormat
from provenance.model import Article
from provenance.publishers import Registry


def extract_document(source: str, text: str, kind: str, registry: Registry, url: str | None = None) -> Article:
    """`kind` is "html" or "text"."""
    if kind == "html":
        from provenance.extract.html import extract_html

        return extract_html(source, text, registry, url)
    if kind == "text":
        from provenance.extract.text import extract_text

        return extract_text(source, text, registry, url)
    raise UnsupportedFormat(source, f"unknown document kind {kind!r}")
