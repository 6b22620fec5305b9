"""Page chrome (counters, share buttons, "Related News", comment boxes) and repeated blocks.

Both HTML and plain-text extraction end with a list of candidate paragraphs;
these filters turn it into the body. They are line-level on purpose: a
scraped text file has no markup left to tell chrome from prose.
"""

from __future__ import annotations

import re
from dataclasses import replace

from provenance.extract.bylines import parse_byline
from provenance.extract.dates import find_dates
from provenance.model import RepeatedBlock
from provenance.normalize import normalize_text

# A line that is only a counter or a share widget: "3.5K", "47", "Share", "Tweet 12".
# Possessive: the runs of digits and spaces never give back (three overlapping runs backtracked
# cubically on "1", spaces, "1x").
_COUNTER = re.compile(r"^[\s\d.,]*+[kKmM]?\s*+(shares?|views?|comments?|likes?)?[\s\d.,]*+$")
_WIDGET = re.compile(
    r"^(share( this( article| story| post)?)?( on \w+)?|tweet|pin( it)?|email|print|whatsapp|"
    r"facebook|twitter|linkedin|telegram|reddit|copy link|save|listen|advertisement|"
    r"ad|sponsored|skip to (main )?content|read more|see more|show more|load more|"
    r"click here( to read more)?|subscribe( now)?|sign up|log in|sign in|menu|search|home)$",
    re.IGNORECASE,
)
_WORD_CHAR = re.compile(r"\w")
# "Tweet 12", "Share 3.5K". Tried only where a run of spaces or of digits starts (the lookbehinds):
# a match from inside a run is a match from its start, and trying every position was quadratic.
_TRAILING_COUNT = re.compile(r"(?:(?<!\s)\s+|(?<![\s\d.,]))[\d.,]++\s*+[kKmM]?$")
_FOLLOW = re.compile(r"^(follow us|like us|join us|subscribe to|sign up for|get our|download our)\b", re.I)
_COPYRIGHT = re.compile(r"^(©|\(c\)|copyright\b)|\ball rights reserved\b", re.IGNORECASE)
# "© 2019 The Associated Press. All rights reserved.", "Copyright (c) 2018-2019 Reuters": who holds it.
_COPYRIGHT_HOLDER = re.compile(
    r"^(?:(?:©|\(c\)|copyright\b)\s*)+(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?(?P<holder>[^.,;:|©]{2,60}?)\s*(?:[.,;:|]|$)",
    re.IGNORECASE,
)
# What a page prints between the headline and the body: "19/11/2019 11:28", "Updated: Tue., Nov. 19, 2019",
# "5 min read". Dates in any language are told by their digits: a numeric date, or a year with a clock time.
_NUMERIC_DATE = re.compile(r"\b(\d{1,2}[./-]\d{1,2}[./-](\d{4}|\d{2})|\d{4}[./-]\d{1,2}[./-]\d{1,2})\b")
# A year and a clock time on one line, in either order: two searches (`year.*clock` rescanned the
# line from every year).
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_CLOCK_TIME = re.compile(r"\b\d{1,2}[:h]\d\d\b")
_READING_TIME = re.compile(r"\b\d+\s*(min|mins|minutes?|minutos?|minuti|minuten)\b", re.IGNORECASE)
_HEADER_MAX_WORDS = 12
# Lines after which a scraped page holds no more of the article.
_TAIL = re.compile(
    r"^(related( news| posts| articles| stories| content| topics| coverage)?|"
    r"more( news| stories| from .{1,40}| on this story| in \w+)?|"
    r"recommended( for you| stories| articles)?|trending( now| news| stories)?|"
    r"(most )?popular( now| stories| news)?|latest( news| stories| posts)?|"
    r"you (may|might) also like|(read|see) also|also read|other stories|"
    r"leave a (comment|reply)|post a comment|add a comment|\d+ comments?|comments?( \(\d+\))?|"
    r"what do you think\??|share your thoughts|join the (conversation|discussion)|"
    r"(tags?|filed under|categories)(:.*)?|"
    # the same in the other languages most common on the web
    r"(veja|leia|lea|lee) (também|tambien|también)|(você|voce) (também )?pode gostar|"
    r"(notícias|noticias|artigos|artículos|posts) relacionad[oa]s|(te|le) puede interesar|"
    r"(también|tambien) te puede interesar|más noticias|lo más leído|mais lidas|"
    r"(à )?lire aussi|sur le même sujet|articles (similaires|liés)|vous aimerez (aussi|peut-être)|"
    r"lesen sie auch|mehr zum thema|auch interessant|das könnte sie auch interessieren|"
    r"(ähnliche|verwandte) artikel|leggi anche|articoli correlati|(ti )?potrebbe interessarti|"
    r"(deixe|deja|laisser|lascia) (um|seu|un|tu) (comentário|comentario|commentaire|commento)|"
    r"coment(á|a)rios|commentaires|kommentare|commenti)$",
    re.IGNORECASE,
)
_TAIL_MAX_WORDS = 6
_PROSE_MIN_WORDS = 12
_SENTENCE_ENDS = (".", "!", "?", '"', "”", "’", "'", ")", "»")
_PROSE_LOOKAHEAD = 3
_PROSE_SHARE = 2 / 3
# A repeated run this long, in all and per paragraph, is the text shown again rather than a recurring
# heading or list item (see drop_repeats).
REPEAT_MIN_CHARS = 500
REPEAT_MIN_MEAN_CHARS = 80


def is_widget(line: str) -> bool:
    text = line.strip()
    if not _WORD_CHAR.search(text):
        return True  # blank, or the bars of a table row whose cells were emptied ("___" is AP's section rule)
    return bool(
        _COUNTER.match(text)
        or _WIDGET.match(_TRAILING_COUNT.sub("", text).rstrip(":.!…"))
        or (_FOLLOW.match(text) and len(text.split()) <= 12)
        or (_COPYRIGHT.search(text) and len(text.split()) <= 20)
    )


def copyright_holder(line: str) -> str | None:
    """Who a copyright line names: "The Associated Press" from "© 2019 The Associated Press. All rights ..."."""
    m = _COPYRIGHT_HOLDER.match(line.strip())
    return m.group("holder").strip() if m else None


def is_header_line(line: str) -> bool:
    """A dateline, byline or reading time: page furniture when it comes before the body."""
    text = line.strip()
    if len(text.split()) > _HEADER_MAX_WORDS:
        return False
    return bool(
        is_widget(text)
        or parse_byline(text)
        or find_dates(text)
        or _NUMERIC_DATE.search(text)
        or any(_YEAR.search(part) and _CLOCK_TIME.search(part) for part in text.split("\n"))
        or _READING_TIME.search(text)
    )


def is_tail_marker(line: str) -> bool:
    """ "Related News", "Leave a comment...", "12 Comments": the article has ended."""
    text = line.strip().rstrip(".…:!")
    return len(text.split()) <= _TAIL_MAX_WORDS and bool(_TAIL.match(text))


def is_prose(line: str) -> bool:
    """A sentence-like paragraph: what a headline list or a comment box's first lines are not."""
    text = line.strip()
    return len(text.split()) >= _PROSE_MIN_WORDS and text.endswith(_SENTENCE_ENDS)


def _prose_follows(lines: list[str], index: int) -> bool:
    """The article goes on after the marker: two in three of the next few lines are prose.

    A "More:" or "Related" label inside an article often heads a link box the
    extractor already removed, and the story continues below it.
    """
    following = [line for line in lines[index + 1 :] if not is_widget(line)][:_PROSE_LOOKAHEAD]
    return bool(following) and sum(map(is_prose, following)) >= _PROSE_SHARE * len(following)


def strip_chrome(lines: list[str]) -> list[int]:
    """Indices of the lines left after dropping widgets and everything from the first tail marker.

    A marker followed by prose is dropped alone: it labelled a box inside the article.
    """
    kept: list[int] = []
    for index, line in enumerate(lines):
        if is_tail_marker(line) and kept:
            if _prose_follows(lines, index):
                continue
            break
        if not is_widget(line):
            kept.append(index)
    return kept


def drop_repeats(
    paragraphs: list[str], min_chars: int = 0, min_mean_chars: int = 0
) -> tuple[list[int], list[RepeatedBlock]]:
    """Indices of the paragraphs kept; each run of repeats dropped is recorded as one block.

    Scraping blogs often paste the body twice (the seed does); counting it
    twice would double every shingle and halve `reproduced_share`'s meaning.
    A run of repeats is dropped when it holds at least `min_chars` characters
    and `min_mean_chars` per paragraph: below that it is a recurring heading,
    label, list item or table row ("Ingredients", "Pros:"), which is content.
    """
    rank_of: dict[str, int] = {}  # a paragraph's key -> its rank among first showings
    first_index: list[int] = []  # rank -> paragraph index
    runs: list[tuple[int, list[int]]] = []  # (rank of the first showing, repeated paragraph indices)
    in_run = False
    for index, para in enumerate(paragraphs):
        key = normalize_text(para)
        rank = rank_of.get(key) if len(key) >= 2 else None
        if rank is None:
            rank_of.setdefault(key, len(first_index))
            first_index.append(index)
            in_run = False
            continue
        if in_run and rank == runs[-1][0] + len(runs[-1][1]):
            runs[-1][1].append(index)
        else:
            runs.append((rank, [index]))
            in_run = True

    dropped: set[int] = set()
    dropped_runs: list[tuple[int, int, int]] = []  # (first showing's paragraph index, paragraphs, chars)
    for rank, members in runs:
        chars = sum(len(paragraphs[i]) for i in members)
        if chars >= min_chars and chars >= min_mean_chars * len(members):
            dropped.update(members)
            dropped_runs.append((first_index[rank], len(members), chars))
    kept = [i for i in range(len(paragraphs)) if i not in dropped]
    position = {index: n for n, index in enumerate(kept)}
    reason = "the page shows these paragraphs again"
    return kept, [RepeatedBlock(position[first], count, chars, reason) for first, count, chars in dropped_runs]


def repeats_in_page(
    body: tuple[str, ...], page_blocks: list[str], min_chars: int = 0, min_mean_chars: int = 0
) -> list[RepeatedBlock]:
    """Repeats of body paragraphs anywhere in the page, even where the extractor dropped them."""
    position = {normalize_text(p): i for i, p in enumerate(body)}
    shown = [b for b in page_blocks if normalize_text(b) in position]
    kept, blocks = drop_repeats(shown, min_chars, min_mean_chars)
    first_of = [position[normalize_text(shown[i])] for i in kept]
    return [
        replace(b, first_paragraph=first_of[b.first_paragraph]) for b in blocks if b.first_paragraph < len(first_of)
    ]
