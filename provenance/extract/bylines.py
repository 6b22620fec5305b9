"""Bylines: who a page says wrote it, and the wire a byline names ("By DANA MORROW AP Television
Writer", "Ines Marlow, The Associated Press", "By Reuters"): a credit of kind "byline" (`credits.py`).

A name is looked up in the registry as a credit writes it (`publisher_named`), which the credit
patterns of `credits.py` use too. Every pattern's repeats are bounded: pages are untrusted input.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from provenance.model import Credit
from provenance.publishers import Publisher, Registry, name_key, same_outlet

# Bylines: "By John Smith, Jane Doe, Associated Press", "DANA MORROW AP Television Writer".
# Tried from the start of a run of spaces only (a match inside a run is one from its start).
_BYLINE_PARTS = re.compile(r"(?<!\s)\s*(?:[,;|/()]|\band\b|\s&\s|\s[-–—]\s|\bfor\b)\s*")
_JOBS = frozenset({
    "writer", "writers", "reporter", "reporters", "correspondent", "correspondents", "staff", "editor", "editors",
    "journalist", "journalists", "photographer", "contributor", "producer", "columnist", "bureau", "desk", "team",
})  # fmt: skip
_JOB_MAX_WORDS = 4
_SPAN_MAX_WORDS = 5
_ACRONYM_MAX = 4
_PLAIN_PART_WORDS = 3  # a name or a place beside the publisher in a byline without "By"
_PERSON = r"[A-Z][\w.'’-]{0,30}(?:\s{1,3}[A-Z][\w.'’-]{0,30}){1,3}"
_BYLINE_INSIDE = re.compile(
    rf"(?:^|(?<=\s))By\s{{1,3}}{_PERSON}(?:(?:,|\s{{1,3}}and)\s{{1,3}}{_PERSON}){{0,3}},\s{{1,3}}"
    r"(?P<rest>[A-Z][\w.&'’-]{0,30}(?:\s{1,3}[A-Z][\w.&'’-]{0,30}){0,4})"
)
_BYLINE = re.compile(r"^(?:[\d.,]{1,12}\s{0,3}[kKmM]?\s{1,5})?by[:\s]{1,5}(?P<name>\S.{0,80}?)\s{0,5}$", re.I)
_NAME_PARTICLES = frozenset(
    {"and", "of", "the", "de", "da", "du", "van", "von", "der", "den", "la", "le", "in", "at", "for"}
)
_BYLINE_MAX_WORDS = 12
_BYLINE_MAX_CHARS = 300  # a byline from metadata can be anything; names come first


def title_case(name: str) -> bool:
    """Every word capitalised but the small words of names ("Agence France-Presse", "Port of Spain")."""
    words = re.findall(r"[^\W\d_][\w'’.-]*", name)
    return bool(words) and all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in words)


def parse_byline(line: str) -> str | None:
    """From "3.5K By Obiaks Blog", "Obiaks Blog"; None when the line is not a byline ("By Tuesday, ...")."""
    m = _BYLINE.match(line.strip())
    if not m or len(m.group("name").split()) > 10:
        return None
    name = m.group("name").strip(" .,|")
    return name if title_case(name) else None


def publisher_named(name: str, registry: Registry) -> Publisher | None:
    """The registry's publisher for a name as a credit writes it.

    A short name counts only written as an acronym or as the registry spells it ("AP", "dpa"):
    "Ap" in "By Ap Dhillon" is a person's name, "A A" two initials rather than "AA".
    """
    name = name.strip(" .,;:")
    pub = registry.by_name(name) if name else None
    if pub is None or len(name_key(name)) > _ACRONYM_MAX:
        return pub
    written = name.replace(".", "")  # "A.P."
    spelled = {a.replace(".", "") for a in (pub.name, *pub.aliases)}
    if written in spelled or (written.isupper() and written.lower() in {a.lower() for a in spelled}):
        return pub
    return None


def _job_title(words: Sequence[str]) -> bool:
    """ "Television Writer", "Staff": what follows a publisher's name in a byline."""
    return 0 < len(words) <= _JOB_MAX_WORDS and words[-1].lower().strip(".,") in _JOBS


def _wire(name: str, registry: Registry) -> Publisher | None:
    pub = publisher_named(name, registry)
    return pub if pub is not None and pub.wire else None


def byline_wire(byline: str, registry: Registry, *, after_person: bool = True) -> str | None:
    """The wire a byline names, as written: "AP" from "DANA MORROW AP Television Writer".

    Only wires: a byline naming another outlet is most often the page's own newsroom ("Harbour
    Daily staff"), which an article read from a file cannot tell from a credit. Each part of the
    byline (split at commas, "and", brackets) may end in the wire's name, or in it followed by a
    job title; with `after_person`, a person's name may come before it in the same part, as
    bylines put it. Without, the wire is a whole part ("Ines Marlow, The Associated Press") and
    the other parts are short (names, a place).
    """
    parts = [p.split() for p in _BYLINE_PARTS.split(byline[:_BYLINE_MAX_CHARS])]
    for index, words in enumerate(parts):
        others_short = all(len(w) <= _PLAIN_PART_WORDS for i, w in enumerate(parts) if i != index)
        for start in range(len(words) if after_person else min(1, len(words))):
            for end in range(min(len(words), start + _SPAN_MAX_WORDS), start, -1):
                rest, span = words[end:], " ".join(words[start:end]).strip(" .,;:")
                if (not rest or _job_title(rest)) and (after_person or others_short) and _wire(span, registry):
                    return span
    return None


def byline_credits(
    byline: str | None, known: Sequence[Credit], publisher: str | None, url: str | None, registry: Registry
) -> list[Credit]:
    """A credit for the wire the article's byline names, unless it is the page's own or already credited."""
    name = byline_wire(byline, registry) if byline else None
    if not byline or not name or same_outlet(name, publisher, url, registry):
        return []
    if any(name_key(c.name) == name_key(name) for c in known):
        return []
    return [Credit(name, byline, "byline", None, 0)]


def byline_line(para: str, registry: Registry) -> str | None:
    """The wire a byline line names: "By The Associated Press", "By DANA MORROW AP Television Writer".

    Names but the publisher's are capitalised, as in any byline; the publisher's may not be ("By Ines Marlow, dpa").
    """
    m = _BYLINE.match(para.strip())
    if not m or len(m.group("name").split()) > _BYLINE_MAX_WORDS:
        return None
    name = m.group("name").strip(" .,|")
    found = byline_wire(name, registry)
    rest = name.replace(found, " ").strip(" ,;()") if found else ""
    return found if found and (not rest or title_case(rest)) else None


def plain_byline_line(para: str, registry: Registry) -> str | None:
    """A byline without "By", as the top of a page puts one: "Ines Marlow, The Associated Press", "AFP"."""
    text = para.strip()
    if len(text.split()) > _BYLINE_MAX_WORDS or text.endswith((".", "!", "?", '"', "”")) or not title_case(text):
        return None
    return byline_wire(text, registry, after_person=False)


def inline_bylines(para: str, registry: Registry) -> Iterator[str]:
    """The wires of bylines inside a paragraph: "By Ines Marlow, Associated Press The city ..."."""
    for m in _BYLINE_INSIDE.finditer(para):
        if byline := _leading_wire(m.group("rest"), registry):
            yield byline


def _leading_wire(words: str, registry: Registry) -> str | None:
    """ "Associated Press The city ...": the longest run of leading words that is a wire."""
    split = words.split()
    for end in range(min(len(split), _SPAN_MAX_WORDS), 0, -1):
        if _wire(" ".join(split[:end]), registry):
            return " ".join(split[:end])
    return None
