"""Output formats of `provenance ci`, looked up by name: one module per format, each with a `render` function."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Protocol, TextIO

from provenance.inert import inert_data

if TYPE_CHECKING:
    from provenance.ci.model import CiRun


class CiRenderer(Protocol):
    def __call__(self, run: CiRun, out: TextIO, *, color: bool | None = None) -> None: ...


# format name -> module in this package; importing lazily keeps `-f json` (and a pre-commit hook) free of rich.
FORMATS: dict[str, str] = {
    "full": "full",
    "concise": "concise",
    "json": "json",
    "sarif": "sarif",
    "junit": "junit",
    "markdown": "markdown",
    "github": "github",
    "html": "html",
}


def renderer(name: str) -> CiRenderer:
    """The render function of a format; KeyError names an unknown format (the CLI offers FORMATS as choices)."""
    module = import_module(f"provenance.ci.formats.{FORMATS[name]}")
    render: Callable[..., None] = module.render

    def inert_render(run: CiRun, out: TextIO, *, color: bool | None = None) -> None:
        render(inert_data(run), out, color=color)  # nothing from a page or a file name reaches the output raw

    return inert_render
