"""Credit lines and bylines: every way a page names where its text came from.

Each pattern yields a `Credit` with a `kind`, so rules and reports can tell a
bare "BBC" line from a linked "Source:" label or a wire dateline.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

from provenance.model import Credit, Link
from provenance.publishers import Registry, looks_like_outlet, name_key

_NAME = r"[A-Z][\w&.'’-]*(?:\s+(?:of|de|du|the|and|&|[A-Z][\w&.'’-]*)){0,5}"
_BYLINE = re.compile(r"^(?:[\d.,]+\s*[kKmM]?\s+)?by[:\s]+(?P<name>\S.{0,80}?)\s*$", re.IGNORECASE)
_LABEL = re.compile(
    r"^(?P<label>sources?|credits?|culled from|via|h/t|hat tip|courtesy(?: of)?|adapted from|"
    r"republished from|reprinted from|syndicated from|originally (?:published|appeared) (?:on|in|at|by))"
    r"\s*[:\-–—]?\s+(?P<name>.+?)\s*\.?$",
    re.IGNORECASE,
)
_ORIGINALLY = re.compile(
    r"\b(?i:this|the) (?:article|story|post|piece|report|item) (?:was |has been )?(?:originally |first )?"
    r"(?:appeared|published|ran|written)(?: originally| first)? (?:on|in|at|by) (?:the )?"
    rf"(?P<name>{_NAME})",
)
_DATELINE = re.compile(r"^(?:[A-Z][A-Za-z.,' -]{0,40}?\s*)?\((?P<name>[A-Z][\w&.' -]{0,30}?)\)\s*[-–—]")
_TRAILING = re.compile(r"(?:^|\s)[-–—]\s*(?P<name>[A-Z][\w&.]*(?: [A-Z][\w&.]*){0,3})\.?$")
_REPORTED = re.compile(rf"\b(?:[Tt]he )?(?P<name>{_NAME}) (?:reported|reports|has reported)\b")
_ACCORDING = re.compile(rf"\b[Aa]ccording to (?:the |a report (?:by|in) (?:the )?)?(?P<name>{_NAME})")
# Credit kinds as docs/report.schema.json lists them, by the label's first word.
_LABEL_KINDS = {
    "source": "source", "sources": "source", "credit": "credit", "credits": "credit", "culled": "culled",
    "via": "via", "h/t": "via", "hat": "via", "courtesy": "courtesy", "adapted": "adapted",
    "republished": "republished", "reprinted": "republished", "syndicated": "republished",
    "originally": "originally-appeared",
}  # fmt: skip
_DATE_TAIL = re.compile(r"\s+on\s+\w+.*$|\s+\(.*$|,\s.*$")
_BARE_MAX_WORDS = 5
_NAME_PARTICLES = frozenset(
    {"and", "of", "the", "de", "da", "du", "van", "von", "der", "den", "la", "le", "in", "at", "for"}
)
_LABEL_MAX_WORDS = 25


def _title_case(name: str) -> bool:
    """Every word capitalised but the small words of names ("Agence France-Presse", "Port of Spain")."""
    words = re.findall(r"[^\W\d_][\w'’.-]*", name)
    return bool(words) and all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in words)


def parse_byline(line: str) -> str | None:
    """From "3.5K By Obiaks Blog", "Obiaks Blog"; None when the line is not a byline ("By Tuesday, ...")."""
    m = _BYLINE.match(line.strip())
    if not m or len(m.group("name").split()) > 10:
        return None
    name = m.group("name").strip(" .,|")
    return name if _title_case(name) else None


def _clean(name: str) -> str:
    name = re.split(r"(?<=[a-z])\.\s", name.strip())[0]  # "Futurism. Read the original" ends at the full stop
    name = _DATE_TAIL.sub("", name)
    return name.strip(" .,;:!\"'“”‘’()[]")


def _is_outlet(name: str, registry: Registry) -> bool:
    return registry.by_name(name) is not None or looks_like_outlet(name)


def _link_for(name: str, links: Sequence[Link]) -> str | None:
    key = name_key(name)
    for link in links:
        if key and key in name_key(link.text):
            return link.href
    return links[0].href if links else None


def _standalone(para: str, index: int, count: int, registry: Registry) -> tuple[str, str] | None:
    """A paragraph that is nothing but a credit: (kind, name)."""
    words = para.split()
    m = _LABEL.match(para)
    if m and len(words) <= _LABEL_MAX_WORDS:
        return _LABEL_KINDS.get(m.group("label").lower().split()[0], "source"), _clean(m.group("name"))
    near_end = index >= count - 3
    bare = para.strip(" .–—-")
    short = len(words) <= _BARE_MAX_WORDS and not para.rstrip().endswith((".", "?", "!", '"'))
    heuristic = index == count - 1 and looks_like_outlet(bare) and _title_case(bare)
    if near_end and short and (registry.by_name(bare) or heuristic):
        return "bare-line", bare
    return None


def _inline(para: str, registry: Registry) -> Iterator[tuple[str, str]]:
    """Credits inside a paragraph that stays in the body."""
    if m := _DATELINE.match(para):
        name = m.group("name").strip()
        if registry.by_name(name) or name.isupper():
            yield "dateline", name
    if (m := _TRAILING.search(para)) and (registry.by_name(m.group("name")) or m.group("name").isupper()):
        yield "dateline", m.group("name")
    for m in _ORIGINALLY.finditer(para):
        yield "originally-appeared", _clean(m.group("name"))
    for pattern, kind in ((_REPORTED, "reported"), (_ACCORDING, "according-to")):
        for m in pattern.finditer(para):
            name = _clean(m.group("name"))
            if _is_outlet(name, registry):
                yield kind, name


def find_credits(
    paragraphs: Sequence[str], links: Mapping[int, Sequence[Link]], registry: Registry
) -> tuple[list[int], list[Credit]]:
    """Find every credit; return the indices of the paragraphs that stay in the body.

    `links` maps a paragraph index to the links inside it. A credit's position
    is the index, in the body that stays, of the paragraph it stood in or after.
    """
    body: list[int] = []
    credits: list[Credit] = []
    for index, para in enumerate(paragraphs):
        here = links.get(index, ())
        standalone = _standalone(para, index, len(paragraphs), registry)
        if standalone:
            kind, name = standalone
            after = max(0, len(body) - 1)  # the body paragraph the credit line follows
            credits.append(Credit(name, para.strip(), kind, _link_for(name, here), after))
            continue
        for kind, name in _inline(para, registry):
            credits.append(Credit(name, para.strip(), kind, _link_for(name, here), len(body)))
        for link in here:
            pub = registry.by_url(link.href) or registry.by_name(link.text)
            if pub is not None:
                credits.append(Credit(pub.name, link.text, "link", link.href, len(body)))
        body.append(index)
    return body, _dedupe(credits)


def _dedupe(credits: list[Credit]) -> list[Credit]:
    seen: set[tuple[str, str | None]] = set()
    unique: list[Credit] = []
    for credit in credits:
        key = (name_key(credit.name), credit.link)
        if key not in seen and key[0]:
            seen.add(key)
            unique.append(credit)
    return unique
