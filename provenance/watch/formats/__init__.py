"""Output formats of `provenance watch` and `provenance findings`, looked up by name: one module per
format, each with a `render(digest, out, *, color=None)` of a `watch.model.Digest`."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Protocol, TextIO

from provenance.inert import inert_data

if TYPE_CHECKING:
    from provenance.watch.model import Digest


class WatchRenderer(Protocol):
    def __call__(self, digest: Digest, out: TextIO, *, color: bool | None = None) -> None: ...


# format name -> module in this package; importing lazily keeps every format but `table` free of rich.
FORMATS: dict[str, str] = {
    "table": "terminal",
    "json": "json",
    "jsonl": "jsonl",
    "csv": "csv",
    "markdown": "markdown",
    "html": "html",
}
PASS_FORMATS = ("table", "json", "jsonl", "markdown", "html")  # `provenance watch --format`
LIST_FORMATS = ("table", "json", "jsonl", "csv", "markdown", "html")  # `provenance findings list --format`


def renderer(name: str) -> WatchRenderer:
    """The format's render function, given the digest with every string from a page or a server made inert."""
    module = import_module(f"provenance.watch.formats.{FORMATS[name]}")
    render: Callable[..., None] = module.render

    def inert_render(digest: Digest, out: TextIO, *, color: bool | None = None) -> None:
        render(inert_data(digest), out, color=color)

    return inert_render
