"""Credits on real pages: does the report name the source a page's own text visibly credits?

Each excerpt of the realnews-dev set (201 real pages, ``sNN-*/N.json``) is loaded as a text
article, as ``check`` would load a saved text file (``sources.extract_bytes(..., "text", bundled())``).
The set's ``credited`` field is the source the excerpt itself visibly credits, or null (silver
labels from one reader). Reported:

- credit recall: of the pages with a ``credited`` source, those whose credits or byline name it.
  A credit names it when the registry takes both for the same publisher ("AP" and "The Associated
  Press"), or, for outlets not in the registry, when their names are the same; a byline does when
  one of its parts (split at commas, "and", brackets, bars) does. Given for all labelled pages and
  for those whose labelled source is a wire in the registry. Misses are listed.
- false credits: pages whose credits or byline name a wire (``wire = true`` in the registry)
  other than the labelled source. Each is listed with its kind and text so a reader can judge:
  the labels are silver, and "reported"/"according-to" credits are prose naming an outlet, not
  credit lines, so they are counted apart.

The archive's stamp at the start of each excerpt (`` date YYYY-MM-DD``) is not on the page and is
removed first. The data are read in place from ``../shared/data/realnews-dev`` (or
``$PROVENANCE_DATA/realnews-dev``) and never copied into the project.

    python -m benchmarks.accuracy.credits
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from benchmarks.accuracy.reuse import data_dir
from provenance.errors import ProvenanceError
from provenance.inputs import extract_bytes
from provenance.model import Article
from provenance.publishers import Registry, bundled, name_key

CORPUS = "realnews-dev"
PROSE_KINDS = frozenset({"reported", "according-to"})
_STAMP = re.compile(r"^\s*date \d{4}-\d{2}(?:-\d{2})?\s*")
_BYLINE_PARTS = re.compile(r",|\band\b|[()|/]")
_SHOWN = 110


@dataclass(frozen=True)
class Named:
    """An outlet the page names, and how: a credit's kind or "byline"."""

    name: str
    kind: str
    text: str


@dataclass(frozen=True)
class Page:
    path: str
    outlet: str
    credited: str | None
    named: tuple[Named, ...]


def same_source(name: str, label: str, registry: Registry) -> bool:
    pub, labelled = registry.by_name(name), registry.by_name(label)
    if pub is not None and labelled is not None:
        return pub is labelled
    return bool(name_key(name)) and name_key(name) == name_key(label)


def named_in(article: Article) -> tuple[Named, ...]:
    found = [Named(c.name, c.kind, c.text) for c in article.credits]
    if article.byline:
        parts = [p.strip() for p in _BYLINE_PARTS.split(article.byline)]
        found += [Named(p, "byline", article.byline) for p in parts if p]
    return tuple(found)


def load_pages(folder: Path, registry: Registry) -> list[Page]:
    pages = []
    for path in sorted(folder.glob("s*/*.json")):
        if not path.stem.isdigit():
            continue
        item = json.loads(path.read_text(encoding="utf-8"))
        name = f"{path.parent.name.split('-')[0]}/{path.stem}"
        text = _STAMP.sub("", item["text"])
        try:
            named = named_in(extract_bytes(name, text.encode(), "text", registry))
        except ProvenanceError:
            named = ()
        pages.append(Page(name, item["outlet"], item["credited"], named))
    return pages


def _wire(name: str, registry: Registry) -> bool:
    pub = registry.by_name(name)
    return pub is not None and pub.wire


def render(pages: list[Page], registry: Registry) -> str:
    labelled = [p for p in pages if p.credited]
    wired = [p for p in labelled if p.credited and _wire(p.credited, registry)]
    found = [p for p in labelled if any(same_source(n.name, p.credited or "", registry) for n in p.named)]
    found_wired = [p for p in found if p in wired]
    out = [
        f"realnews-dev: {len(pages)} pages, {len(labelled)} with a visibly credited source"
        f" ({len(wired)} of them a wire in the registry)",
        f"credit recall, all labelled pages: {len(found)}/{len(labelled)}",
        f"credit recall, pages crediting a wire: {len(found_wired)}/{len(wired)}",
    ]
    out += ["", "missed (page, outlet, labelled source: what was found):"]
    for page in labelled:
        if page not in found:
            seen = "; ".join(f"{n.name} ({n.kind})" for n in page.named) or "nothing"
            out.append(f"  {page.path:<7} {page.outlet[:40]:<40} {page.credited}: {seen}")
    lines, prose = [], []
    for page in pages:
        for n in page.named:
            if _wire(n.name, registry) and not (page.credited and same_source(n.name, page.credited, registry)):
                where = f"{page.path:<7} {page.outlet[:32]:<32} label {page.credited}"
                row = f"  {where}: {n.name} ({n.kind}) {n.text[:_SHOWN]!r}"
                (prose if n.kind in PROSE_KINDS else lines).append((page.path, row))
    for title, rows in (("credit lines, datelines, bylines", lines), ("prose mentions", prose)):
        out += ["", f"wire credits not matching the label, {title}: {len({p for p, _ in rows})} pages"]
        out += [row for _, row in rows]
    return "\n".join(out)


def main() -> int:
    folder = data_dir() / CORPUS
    if not folder.is_dir():
        print(f"credits benchmark skipped: {folder} not found (set PROVENANCE_DATA to the data folder)")
        return 0
    registry = bundled()
    print(render(load_pages(folder, registry), registry))
    return 0


if __name__ == "__main__":
    sys.exit(main())
