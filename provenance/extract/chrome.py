"""Page chrome (counters, share buttons, "Related News", comment boxes) and repeated blocks.

Both HTML and plain-text extraction end with a list of candidate paragraphs;
these filters turn it into the body. They are line-level on purpose: a
scraped text file has no markup left to tell chrome from prose.
"""

from __future__ import annotations

import re
from dataclasses import replace

from provenance.model import RepeatedBlock
from provenance.normalize import normalize_text

# A line that is only a counter or a share widget: "3.5K", "47", "Share", "Tweet 12".
_COUNTER = re.compile(r"^[\s\d.,]*[kKmM]?\s*(shares?|views?|comments?|likes?)?[\s\d.,]*$")
_WIDGET = re.compile(
    r"^(share( this( article| story| post)?)?( on \w+)?|tweet|pin( it)?|email|print|whatsapp|"
    r"facebook|twitter|linkedin|telegram|reddit|copy link|save|listen|advertisement|"
    r"ad|sponsored|skip to (main )?content|read more|see more|show more|load more|"
    r"click here( to read more)?|subscribe( now)?|sign up|log in|sign in|menu|search|home)$",
    re.IGNORECASE,
)
_TRAILING_COUNT = re.compile(r"\s*[\d.,]+\s*[kKmM]?$")  # "Tweet 12", "Share 3.5K"
_FOLLOW = re.compile(r"^(follow us|like us|join us|subscribe to|sign up for|get our|download our)\b", re.I)
_COPYRIGHT = re.compile(r"^(©|\(c\)|copyright\b)|\ball rights reserved\b", re.IGNORECASE)
# Lines after which a scraped page holds no more of the article.
_TAIL = re.compile(
    r"^(related( news| posts| articles| stories| content| topics| coverage)?|"
    r"more( news| stories| from .{1,40}| on this story| in \w+)?|"
    r"recommended( for you| stories| articles)?|trending( now| news| stories)?|"
    r"(most )?popular( now| stories| news)?|latest( news| stories| posts)?|"
    r"you (may|might) also like|(read|see) also|also read|other stories|"
    r"leave a (comment|reply)|post a comment|add a comment|\d+ comments?|comments?( \(\d+\))?|"
    r"what do you think\??|share your thoughts|join the (conversation|discussion)|"
    r"(tags?|filed under|categories)(:.*)?)$",
    re.IGNORECASE,
)
_TAIL_MAX_WORDS = 6


def is_widget(line: str) -> bool:
    text = line.strip()
    if not text:
        return True
    return bool(
        _COUNTER.match(text)
        or _WIDGET.match(_TRAILING_COUNT.sub("", text).rstrip(":.!…"))
        or (_FOLLOW.match(text) and len(text.split()) <= 12)
        or (_COPYRIGHT.search(text) and len(text.split()) <= 20)
    )


def is_tail_marker(line: str) -> bool:
    """ "Related News", "Leave a comment...", "12 Comments": the article has ended."""
    text = line.strip().rstrip(".…:!")
    return len(text.split()) <= _TAIL_MAX_WORDS and bool(_TAIL.match(text))


def strip_chrome(lines: list[str]) -> list[int]:
    """Indices of the lines left after dropping widgets and everything from the first tail marker."""
    kept: list[int] = []
    for index, line in enumerate(lines):
        if is_tail_marker(line) and kept:
            break
        if not is_widget(line):
            kept.append(index)
    return kept


def drop_repeats(paragraphs: list[str]) -> tuple[list[int], list[RepeatedBlock]]:
    """Indices of each paragraph's first showing; each run of repeats recorded as one block.

    Scraping blogs often paste the body twice (the seed does); counting it
    twice would double every shingle and halve `reproduced_share`'s meaning.
    """
    seen: dict[str, int] = {}
    kept: list[int] = []
    blocks: list[RepeatedBlock] = []
    run_first: int | None = None
    run_count = run_chars = 0

    def close_run() -> None:
        nonlocal run_first, run_count, run_chars
        if run_first is not None:
            reason = "the page shows these paragraphs again"
            blocks.append(RepeatedBlock(run_first, run_count, run_chars, reason))
        run_first, run_count, run_chars = None, 0, 0

    for index, para in enumerate(paragraphs):
        key = normalize_text(para)
        first = seen.get(key) if len(key) >= 2 else None
        if first is None:
            close_run()
            seen[key] = len(kept)
            kept.append(index)
            continue
        if run_first is None or first != run_first + run_count:
            close_run()
            run_first = first
        run_count += 1
        run_chars += len(para)
    close_run()
    return kept, blocks


def repeats_in_page(body: tuple[str, ...], page_blocks: list[str]) -> list[RepeatedBlock]:
    """Repeats of body paragraphs anywhere in the page, even where the extractor dropped them."""
    position = {normalize_text(p): i for i, p in enumerate(body)}
    shown = [b for b in page_blocks if normalize_text(b) in position]
    kept, blocks = drop_repeats(shown)
    first_of = [position[normalize_text(shown[i])] for i in kept]
    return [
        replace(b, first_paragraph=first_of[b.first_paragraph]) for b in blocks if b.first_paragraph < len(first_of)
    ]
