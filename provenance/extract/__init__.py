"""Extraction: a document's text -> Article."""

from __future__ import annotations

from provenance.decoding import as_text
from provenance.errors import UnsupportedFormat
from provenance.extract.limits import check_html, check_text
from provenance.model import Article
from provenance.publishers import Registry


def extract_document(source: str, text: str, kind: str, registry: Registry, url: str | None = None) -> Article:
    """`kind` is "html" or "text"."""
    text = as_text(text)  # NULs and lone surrogates, wherever the text came from
    if kind == "html":
        from provenance.extract.html import extract_html

        check_html(source, text)

        return extract_html(source, text, registry, url)
    if kind == "text":
        from provenance.extract.text import extract_text

        check_text(source, text)

        return extract_text(source, text, registry, url)
    raise UnsupportedFormat(source, f"unknown document kind {kind!r}")
