"""Report formats, looked up by name: one module per format, each with a `render` function."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Protocol, TextIO

from provenance.inert import inert_data

if TYPE_CHECKING:
    from provenance.model import Report


class Renderer(Protocol):
    def __call__(self, report: Report, out: TextIO, *, color: bool | None = None) -> None: ...


# format name -> module in this package; importing lazily keeps `--format json` free of rich.
FORMATS: dict[str, str] = {"full": "full", "concise": "concise", "json": "json", "html": "html"}


def renderer(name: str) -> Renderer:
    """The format's render function, given the report with every string from a page made inert (provenance.inert)."""
    module = import_module(f"provenance.report.{FORMATS[name]}")
    render: Callable[..., None] = module.render

    def inert_render(report: Report, out: TextIO, *, color: bool | None = None) -> None:
        render(inert_data(report), out, color=color)

    return inert_render
