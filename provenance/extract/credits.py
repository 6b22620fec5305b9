"""Credit lines and bylines: every way a page names where its text came from.

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

from provenance.extract.dates import find_dates
from provenance.model import Credit, Link
from provenance.publishers import Publisher, Registry, looks_like_outlet, name_key, same_outlet

_WORD_REST = r"[\w&.'’-]{0,40}"  # the rest of a capitalised word
_NAME = rf"[A-Z]{_WORD_REST}(?:\s{{1,4}}(?:of|de|du|the|and|&|[A-Z]{_WORD_REST})){{0,5}}"
_BYLINE = re.compile(r"^(?:[\d.,]{1,12}\s{0,3}[kKmM]?\s{1,5})?by[:\s]{1,5}(?P<name>\S.{0,80}?)\s{0,5}$", re.I)
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
_NAME_PARTICLES = frozenset(
    {"and", "of", "the", "de", "da", "du", "van", "von", "der", "den", "la", "le", "in", "at", "for"}
)
_LABEL_MAX_WORDS = 25
_BYLINE_MAX_WORDS = 12
_BYLINE_MAX_CHARS = 300  # a byline from metadata can be anything; names come first


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


def _publisher(name: str, registry: Registry) -> Publisher | None:
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
    pub = _publisher(name, registry)
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
    return ("dateline", rest) if _publisher(rest, registry) else None


def _byline_line(para: str, registry: Registry) -> str | None:
    """The wire a byline line names: "By The Associated Press", "By DANA MORROW AP Television Writer".

    Names but the publisher's are capitalised, as in any byline; the publisher's may not be ("By Ines Marlow, dpa").
    """
    m = _BYLINE.match(para.strip())
    if not m or len(m.group("name").split()) > _BYLINE_MAX_WORDS:
        return None
    name = m.group("name").strip(" .,|")
    found = byline_wire(name, registry)
    rest = name.replace(found, " ").strip(" ,;()") if found else ""
    return found if found and (not rest or _title_case(rest)) else None


def _plain_byline_line(para: str, registry: Registry) -> str | None:
    """A byline without "By", as the top of a page puts one: "Ines Marlow, The Associated Press", "AFP"."""
    text = para.strip()
    if len(text.split()) > _BYLINE_MAX_WORDS or text.endswith((".", "!", "?", '"', "”")) or not _title_case(text):
        return None
    return byline_wire(text, registry, after_person=False)


def opens_with_credit(line: str, registry: Registry) -> bool:
    """A line a story opens with, not a headline: a wire dateline, or a byline naming a wire."""
    found = _opening(line, registry) or _byline_line(line, registry) or _plain_byline_line(line, registry)
    return found is not None


def _standalone(paragraphs: Sequence[str], index: int, registry: Registry) -> tuple[str, str] | None:
    """A paragraph that is nothing but a credit: (kind, name)."""
    para, count = paragraphs[index], len(paragraphs)
    words = para.split()
    m = _LABEL.match(para)
    if m and len(words) <= _LABEL_MAX_WORDS:
        return _LABEL_KINDS.get(m.group("label").lower().split()[0], "source"), _clean(m.group("name"))
    if name := _byline_line(para, registry):
        return "byline", name
    if stamped := stamped_credit(para, registry):
        return stamped
    near_end = index >= count - 3
    bare = para.strip(" .–—-")
    short = len(words) <= _BARE_MAX_WORDS and not para.rstrip().endswith((".", "?", "!", '"'))
    heuristic = index == count - 1 and looks_like_outlet(bare) and _title_case(bare)
    if near_end and short and (registry.by_name(bare) or heuristic):
        return "bare-line", bare
    # a wire's name under a caption ("... (March 3)" then "AP") credits the picture
    after_caption = index > 0 and _CAPTION_END.search(paragraphs[index - 1])
    if index < _TOP_LINES and not after_caption and (name := _plain_byline_line(para, registry)):
        return "byline", name
    return None


def _opening(para: str, registry: Registry) -> str | None:
    """The wire of a dateline the paragraph opens with: "PARIS (AFP) —", "TORONTO (AP) Raptors", "(CNN)"."""
    m = _OPENING.match(para)
    if not m:
        return None
    name = m.group("name").strip()
    known = _publisher(name, registry) is not None
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
        if _publisher(m.group("name"), registry):
            yield m.group("name").strip()
    for m in _SLASHED.finditer(para):
        # a service's suffix after the publisher: "/PRNewswire-FirstCall/" is PR Newswire's
        name = next(
            (n for n in (m.group("name").strip(), m.group("name").split("-")[0]) if _publisher(n, registry)), None
        )
        if name:
            yield name
    yield from _closing(para, registry)


def _closing(para: str, registry: Registry) -> Iterator[str]:
    """A wire named after the story's last words: "— AP", "(Reuters)", "PTI HV LKT"."""
    if (m := _TRAILING.search(para)) and not _CAPTION_END.search(para[: m.start()]):
        name = m.group("name")
        if _publisher(name, registry) or _ACRONYM.fullmatch(name):  # "— TNS", not a signature "-- WORRIED MOM"
            yield name
    m = _CLOSING.search(para)
    if m and not _CAPTION_END.search(para[: m.start()]) and _publisher(m.group("name"), registry):
        yield m.group("name").strip()
    m = _SIGNOFF.search(para)
    if m and not _CAPTION_END.search(para[: m.start()]) and (pub := _publisher(m.group("name"), registry)) and pub.wire:
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
    for m in _BYLINE_INSIDE.finditer(para):
        if byline := _leading_wire(m.group("rest"), registry):
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


def _leading_wire(words: str, registry: Registry) -> str | None:
    """ "Associated Press The city ...": the longest run of leading words that is a wire."""
    split = words.split()
    for end in range(min(len(split), _SPAN_MAX_WORDS), 0, -1):
        if _wire(" ".join(split[:end]), registry):
            return " ".join(split[:end])
    return None


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
