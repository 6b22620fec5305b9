"""The steps HTML and text extraction share once they have candidate paragraphs."""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from provenance.errors import EmptyArticle
from provenance.extract.bylines import byline_credits
from provenance.extract.chrome import (
    REPEAT_MIN_CHARS,
    REPEAT_MIN_MEAN_CHARS,
    copyright_holder,
    drop_repeats,
    is_widget,
    strip_chrome,
)
from provenance.extract.credits import find_credits
from provenance.extract.dates import find_dates
from provenance.model import Article, Credit, Link
from provenance.normalize import repair_mojibake
from provenance.publishers import Registry, host_of, same_outlet

_ENGLISH = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "on",
        "with",
        "was",
        "as",
        "by",
        "it",
        "at",
        "from",
        "he",
        "she",
        "said",
        "his",
        "her",
        "be",
        "has",
        "have",
        "are",
        "were",
        "which",
        "this",
        "an",
        "not",
        "but",
        "they",
        "their",
        "will",
        "who",
        "had",
        "been",
        "after",
    ]
)
_WORD = re.compile(r"[a-z]+")


def guess_language(paragraphs: Sequence[str]) -> str | None:
    """English or unknown: enough to say which texts the shingle stoplist suits."""
    words = _WORD.findall(" ".join(paragraphs[:20]).lower())
    if len(words) < 20:
        return None
    return "en" if sum(w in _ENGLISH for w in words) / len(words) > 0.2 else None


CHROME_LINES = 200  # dropped lines an Article keeps to show, each cut at CHROME_LINE_CHARS
CHROME_LINE_CHARS = 300


def _chrome(lines: Sequence[str], dropped: Sequence[int]) -> tuple[str, ...]:
    shown = (lines[i].strip() for i in dropped[:CHROME_LINES])
    return tuple(line[:CHROME_LINE_CHARS] for line in shown if line)


def dropped_links_note(dropped: Sequence[str]) -> list[str]:
    """The note an Article carries for the links of its page left out because they do not parse."""
    if not dropped:
        return []
    return [f"{len(dropped)} link(s) left out that do not parse, such as {dropped[0][:200]!r}"]


def assemble(
    base: Article,
    lines: Sequence[str],
    links: Mapping[int, Sequence[tuple[str, str]]],
    registry: Registry,
    extra_credits: Sequence[str | Credit] = (),
) -> Article:
    """Chrome, repeats and credits out of `lines`; the rest is the body of `base`.

    `links` maps a line index to its (href, text) links.
    """
    lines = [repair_mojibake(line) for line in lines]
    kept = strip_chrome(lines)
    unique, blocks = drop_repeats([lines[i] for i in kept], REPEAT_MIN_CHARS, REPEAT_MIN_MEAN_CHARS)
    order = [kept[i] for i in unique]  # line index of each surviving paragraph
    # a link to the page's own site credits no one ("Al Jazeera" linking to its own topic pages)
    own_host = host_of(base.canonical_url or base.url)
    candidate_links = {
        n: outside
        for n, i in enumerate(order)
        if (outside := [Link(href, text, n) for href, text in links.get(i, ()) if host_of(href) != own_host])
    }
    body_order, credits = find_credits([lines[i] for i in order], candidate_links, registry)
    paragraphs = tuple(lines[order[i]] for i in body_order)
    if not any(p.strip() for p in paragraphs):
        raise EmptyArticle(base.source, "no article text found")

    def body_position(n: int) -> int:
        return bisect.bisect_left(body_order, n)

    publisher = base.publisher or _publisher_of(base, registry)
    dropped = sorted(set(range(len(lines))) - set(kept))
    credits += _copyright_credits(lines, dropped, [order[i] for i in body_order], publisher, base, registry)
    credits += [c if isinstance(c, Credit) else Credit(c, c, "metadata") for c in extra_credits]
    credits += byline_credits(base.byline, credits, publisher, base.canonical_url or base.url, registry)
    shown = list(base.dates_shown) + [d for p in paragraphs for d, _ in find_dates(p)]
    return replace(
        base,
        paragraphs=paragraphs,
        credits=tuple(credits),
        links=tuple(replace(link, position=body_position(n)) for n, found in candidate_links.items() for link in found),
        repeated_blocks=tuple(replace(b, first_paragraph=body_position(b.first_paragraph)) for b in blocks),
        dates_shown=tuple(dict.fromkeys(shown)),
        language=base.language or guess_language(paragraphs),
        publisher=publisher,
        chrome=tuple(
            line.strip()[:CHROME_LINE_CHARS] for line in (lines[i] for i in dropped[:CHROME_LINES]) if line.strip()
        ),
    )


def body_as_is(base: Article, lines: Sequence[str], registry: Registry, credits: Sequence[Credit] = ()) -> Article:
    """`lines` as the body of `base`, nothing taken out: for text that `assemble` would remove whole.

    A page is better read with its chrome in than not read at all.
    """
    paragraphs = tuple(line.strip() for line in (repair_mojibake(line) for line in lines) if line.strip())
    if not paragraphs:
        raise EmptyArticle(base.source, "no article text found")
    shown = list(base.dates_shown) + [d for p in paragraphs for d, _ in find_dates(p)]
    return replace(
        base,
        paragraphs=paragraphs,
        credits=tuple(credits),
        dates_shown=tuple(dict.fromkeys(shown)),
        language=base.language or guess_language(paragraphs),
        publisher=base.publisher or _publisher_of(base, registry),
    )


def _copyright_credits(
    lines: Sequence[str],
    dropped: Sequence[int],
    body_lines: Sequence[int],
    publisher: str | None,
    base: Article,
    registry: Registry,
) -> list[Credit]:
    """Credits from the copyright lines chrome removed that name another outlet ("© 2019 The Associated Press").

    A wire's copyright notice under a story is how many sites say the text is the wire's; the
    page's own notice credits no one. `body_lines` are the line indices of the body paragraphs.
    """
    credits: list[Credit] = []
    for index in dropped:
        holder = copyright_holder(lines[index]) if is_widget(lines[index]) else None
        pub = registry.by_name(holder) if holder else None
        if holder and pub is not None and not same_outlet(holder, publisher, base.canonical_url or base.url, registry):
            after = max(0, bisect.bisect_left(body_lines, index) - 1)  # the body paragraph it follows
            credits.append(Credit(holder, lines[index].strip(), "copyright", None, after))
    return credits


def _publisher_of(article: Article, registry: Registry) -> str | None:
    pub = registry.by_url(article.canonical_url) or registry.by_url(article.url)
    if pub is not None:
        return pub.name
    return article.site_name
