"""Credit lines: every way a page names where its text came from (the bylines' own parsing is
in `bylines.py`).

Each pattern yields a `Credit` with a `kind`, so rules and reports can tell a
bare "BBC" line from a linked "Source:" label or a wire dateline.

Wire forms are generic shapes with a slot for a name, and the name is looked up
in the registry: a wire a user adds under [[publishers]] gets every form, and a
bracketed word that names no publisher ("(NR)") credits no one. The kinds a wire
is credited by:

- dateline: the wire in the story's own opening or closing words: "PARIS (AFP) —",
  "NEW DELHI, Sept 7 (Reuters) -", "TORONTO (AP) Raptors", "(AP) NEW YORK -", "(CNN)",
  "LAS VEGAS--(Business Wire)--", "NEW YORK, Jan. 5, 2020 /PRNewswire/ --", a release's
  "07/01/2008 20:12:00 Business Wire" line; at the end "— AP", "(Reuters)", "PTI HV LKT".
- byline: a byline naming a wire: "By DANA MORROW AP Television Writer",
  "Ines Marlow, The Associated Press", "By Reuters", "AFP, LAGOS".
- footer: a sign-off the registry lists for its publisher ("(Reporting by ...; Editing by ...)").
- reported, according-to: prose naming an outlet as the source of what it says. A quote given
  to a wire ("she told The Associated Press") or a wire's own count ("according to AFP
  tallies") credits no one.

Every pattern's repeats are bounded: pages are untrusted input.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

from provenance.extract.bylines import byline_line, inline_bylines, plain_byline_line, publisher_named, title_case
from provenance.extract.dates import find_dates
from provenance.model import Credit, Link
from provenance.publishers import Registry, looks_like_outlet, name_key

_WORD_REST = r"[\w&.'’-]{0,40}"  # the rest of a capitalised word
_NAME = rf"[A-Z]{_WORD_REST}(?:\s{{1,4}}(?:of|de|du|the|and|&|[A-Z]{_WORD_REST})){{0,5}}"
_LABEL = re.compile(
    r"^(?P<label>sources?|credits?|culled from|via|h/t|hat tip|courtesy(?: of)?|adapted from|"
    r"republished from|reprinted from|syndicated from|originally (?:published|appeared) (?:on|in|at|by))"
    r"\s{0,5}[:\-–—]?\s{1,5}(?P<name>\S.{0,400}?)\s{0,10}\.?$",
    re.IGNORECASE,
)
_ORIGINALLY = re.compile(
    r"\b(?i:this|the) (?:article|story|post|piece|report|item) (?:was |has been )?(?:originally |first )?"
    r"(?:appeared|published|ran|written)(?: originally| first)? (?:on|in|at|by) (?:the )?"
    rf"(?P<name>{_NAME})",
)
_REPORTED = re.compile(rf"\b(?:[Tt]he )?(?P<name>{_NAME}) (?:reported|reports|has reported)\b")
_ACCORDING = re.compile(rf"\b[Aa]ccording to (?:the |a report (?:by|in) (?:the )?)?(?P<name>{_NAME})")
# "..., Harbour Daily reports with reference to Reuters": a page saying whose report it passes on.
_CITING = re.compile(
    rf"\breport(?:s|ed)?,? (?:with reference to|citing|quoting|referring to) (?:the )?(?P<name>{_NAME})"
)
_TEXT_BY = re.compile(
    rf"\((?i:all )?(?i:text|story|words|report|content)s? (?i:by|from|courtesy of) (?:the )?(?P<name>{_NAME})\)"
)
# The outlet's own people or numbers, not the outlet as a source: "according to AFP tallies".
_NOT_THE_OUTLET = frozenset({
    "tally", "tallies", "count", "counts", "calculation", "calculations", "analysis", "data", "figures",
    "estimate", "estimates", "survey", "poll", "review", "investigation", "interview", "records", "reporter",
    "reporters", "correspondent", "correspondents", "journalist", "journalists", "photographer", "photographers",
    "witness", "witnesses",
})  # fmt: skip

# Datelines. A place at a paragraph's start may be written in any case ("Washington, D.C."); one
# inside a paragraph (a flattened page: a caption, then the story) must be in capitals.
_DASH = r"[-–—]{1,2}"
_BRACKETED = r"\((?P<name>[^()\n]{1,40})\)"
_PLACE = r"[A-Z][\w.'’ -]{0,40}?"
_CAPS_PLACE = r"[A-Z][A-Z.'’-]{1,30}(?:\s{1,3}[A-Z][A-Z.'’-]{0,30}){0,4}"
_DETAIL = r"(?:,[^()/\n]{1,40}?)?"  # ", Sept 7", ", South Korea", ", Jan. 5, 2020"
_OPENING = re.compile(
    rf"^(?:(?P<place>{_PLACE}){_DETAIL}\s{{0,4}}(?:{_DASH}\s{{0,2}})?)?{_BRACKETED}\s{{0,4}}(?P<dash>{_DASH})?\s{{0,4}}(?P<next>.?)"
)
_INSIDE = re.compile(
    rf"(?<![\w,(])(?:{_CAPS_PLACE}){_DETAIL}\s{{0,4}}(?:{_DASH}\s{{0,2}})?{_BRACKETED}\s{{0,4}}{_DASH}"
)
_SLASHED = re.compile(r"(?:^|(?<=[\s\d,]))/(?P<name>[A-Za-z][\w .&-]{0,40}?)/\s{0,4}(?:[-–—]{1,2}|$)")
_ACRONYM = re.compile(r"[A-Z][A-Z&]{1,5}")  # "(TNS) —": an agency the registry may not know
_TRAILING = re.compile(r"(?:^|\s)[-–—]{1,2}\s{0,3}(?P<name>[A-Za-z][\w&.]{0,30}(?: [A-Z][\w&.]{0,30}){0,3})\.?$")
_CLOSING = re.compile(rf"(?:^|(?<=[.!?\"”’…]))\s{{0,3}}{_BRACKETED}\s{{0,2}}$")
# "she said.PTI HV LKT SA": the wire's name and its desk's initials after the last sentence.
_SIGNOFF = re.compile(r"(?<=[.!?\"”’])\s{0,3}(?P<name>[A-Za-z][\w-]{1,30})(?:\s{1,3}[A-Z]{2,4}){0,12}\s{0,3}\.?$")
# A caption ends with the day it was taken: "..., May 9, 2020. -Reuters", "(March 3)" over "AP".
# The wire after it credits the picture, not the text.
_CAPTION_END = re.compile(r"(?:\b(?:19|20)\d\d|\([A-Z][a-z]{2,8}\.? \d{1,2}\))\.?\s*$")
# A release's time stamp over its text: "07/01/2008 20:12:00 Business Wire".
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b")
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\s{0,2}(?:[AaPp]\.?[Mm]\.?)?(?:\s{0,2}(?:[A-Z]{1,4}T|UTC))?")
_STAMP_MAX_WORDS = 12
_TOP_LINES = 3  # a byline without "By" is one of the first lines

# Credit kinds as docs/report.schema.json lists them, by the label's first word.
_LABEL_KINDS = {
    "source": "source", "sources": "source", "credit": "credit", "credits": "credit", "culled": "culled",
    "via": "via", "h/t": "via", "hat": "via", "courtesy": "courtesy", "adapted": "adapted",
    "republished": "republished", "reprinted": "republished", "syndicated": "republished",
    "originally": "originally-appeared",
}  # fmt: skip
# From the start of a run of spaces only, and to the line's end without giving back: linear.
_DATE_TAIL = re.compile(r"(?<!\s)\s+on\s+\w[^\n]*+$|(?<!\s)\s+\([^\n]*+$|,\s[^\n]*+$")
_NAME_MAX_CHARS = 500  # a credit's name as patterns cut it is shorter; more is not a name
_BARE_MAX_WORDS = 5
_LABEL_MAX_WORDS = 25


def _clean(name: str) -> str:
    name = name[:_NAME_MAX_CHARS].split("|")[0]  # "Xinhua| 2019-01-03 12:15:36|": a header's fields
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


def stamped_credit(line: str, registry: Registry) -> tuple[str, str] | None:
    """A dated header line naming a source: (kind, name).

    "07/01/2008 20:12:00 Business Wire" over a press release; "Source: Xinhua| 2019-01-03 12:15:36|".
    """
    if len(line.split()) > _STAMP_MAX_WORDS:
        return None
    dates = [written for written, _ in find_dates(line)] + _NUMERIC_DATE.findall(line)
    if not dates:
        return None
    rest = line
    for written in dates:
        rest = rest.replace(written, " ")
    rest = re.sub(r"\s+", " ", _CLOCK.sub(" ", rest).replace("|", " ")).strip(" -–—,;:")
    if m := _LABEL.match(rest):
        return _LABEL_KINDS.get(m.group("label").lower().split()[0], "source"), _clean(m.group("name"))
    return ("dateline", rest) if publisher_named(rest, registry) else None


def opens_with_credit(line: str, registry: Registry) -> bool:
    """A line a story opens with, not a headline: a wire dateline, or a byline naming a wire."""
    found = _opening(line, registry) or byline_line(line, registry) or plain_byline_line(line, registry)
    return found is not None


def _standalone(paragraphs: Sequence[str], index: int, registry: Registry) -> tuple[str, str] | None:
    """A paragraph that is nothing but a credit: (kind, name)."""
    para, count = paragraphs[index], len(paragraphs)
    words = para.split()
    m = _LABEL.match(para)
    if m and len(words) <= _LABEL_MAX_WORDS:
        return _LABEL_KINDS.get(m.group("label").lower().split()[0], "source"), _clean(m.group("name"))
    if name := byline_line(para, registry):
        return "byline", name
    if stamped := stamped_credit(para, registry):
        return stamped
    near_end = index >= count - 3
    bare = para.strip(" .–—-")
    short = len(words) <= _BARE_MAX_WORDS and not para.rstrip().endswith((".", "?", "!", '"'))
    heuristic = index == count - 1 and looks_like_outlet(bare) and title_case(bare)
    if near_end and short and (registry.by_name(bare) or heuristic):
        return "bare-line", bare
    # a wire's name under a caption ("... (March 3)" then "AP") credits the picture
    after_caption = index > 0 and _CAPTION_END.search(paragraphs[index - 1])
    if index < _TOP_LINES and not after_caption and (name := plain_byline_line(para, registry)):
        return "byline", name
    return None


def _opening(para: str, registry: Registry) -> str | None:
    """The wire of a dateline the paragraph opens with: "PARIS (AFP) —", "TORONTO (AP) Raptors", "(CNN)"."""
    m = _OPENING.match(para)
    if not m:
        return None
    name = m.group("name").strip()
    known = publisher_named(name, registry) is not None
    place, after = m.group("place"), m.group("next")
    capital_place = place is None or place.isupper()
    if m.group("dash"):
        # an acronym the registry lacks counts after a place in capitals: "AUCKLAND (TNS) —",
        # not after a date: "June 3, 2018 (HARBOURTON) -" puts the place in brackets
        return name if known or (capital_place and _ACRONYM.fullmatch(name)) else None
    # Without a dash only a publisher the registry knows, after a place in capitals or none,
    # before a capitalised word: "TORONTO (AP) Raptors", "(AP) NEW YORK -", "(CNN)President".
    capital_next = after.isupper() or after in "\"“‘'"
    return name if known and after and capital_next and capital_place else None


def _datelines(para: str, registry: Registry) -> Iterator[str]:
    if name := _opening(para, registry):
        yield name
    for m in _INSIDE.finditer(para):
        if publisher_named(m.group("name"), registry):
            yield m.group("name").strip()
    for m in _SLASHED.finditer(para):
        # a service's suffix after the publisher: "/PRNewswire-FirstCall/" is PR Newswire's
        name = next(
            (n for n in (m.group("name").strip(), m.group("name").split("-")[0]) if publisher_named(n, registry)), None
        )
        if name:
            yield name
    yield from _closing(para, registry)


def _closing(para: str, registry: Registry) -> Iterator[str]:
    """A wire named after the story's last words: "— AP", "(Reuters)", "PTI HV LKT"."""
    if (m := _TRAILING.search(para)) and not _CAPTION_END.search(para[: m.start()]):
        name = m.group("name")
        if publisher_named(name, registry) or _ACRONYM.fullmatch(name):  # "— TNS", not a signature "-- WORRIED MOM"
            yield name
    m = _CLOSING.search(para)
    if m and not _CAPTION_END.search(para[: m.start()]) and publisher_named(m.group("name"), registry):
        yield m.group("name").strip()
    m = _SIGNOFF.search(para)
    if (
        m
        and not _CAPTION_END.search(para[: m.start()])
        and (pub := publisher_named(m.group("name"), registry))
        and pub.wire
    ):
        yield m.group("name")


def _outlet_named(pattern: re.Pattern[str], para: str, registry: Registry) -> Iterator[str]:
    for m in pattern.finditer(para):
        name = _clean(m.group("name"))
        following = para[m.end("name") :].split(maxsplit=1)
        if following and following[0].lower().strip(".,;:") in _NOT_THE_OUTLET:
            continue
        if _is_outlet(name, registry):
            yield name


def _inline(para: str, registry: Registry) -> Iterator[tuple[str, str]]:
    """Credits inside a paragraph that stays in the body."""
    for name in _datelines(para, registry):
        yield "dateline", name
    for byline in inline_bylines(para, registry):
        yield "byline", byline
    if pub := registry.footer_of(para):
        yield "footer", pub.name
    for m in _ORIGINALLY.finditer(para):
        yield "originally-appeared", _clean(m.group("name"))
    for name in _outlet_named(_TEXT_BY, para, registry):
        yield "credit", name
    for pattern, kind in ((_REPORTED, "reported"), (_ACCORDING, "according-to"), (_CITING, "according-to")):
        for name in _outlet_named(pattern, para, registry):
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
        standalone = _standalone(paragraphs, index, registry)
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
