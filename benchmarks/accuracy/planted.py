"""Planted reuse: generated news originals and copies of known kind, origin and copied share.

Each case is an article and a pool of candidates built from the synthetic news
of ``benchmarks/generate.py``, with the truth known by construction:

| kind | the article | truth |
|---|---|---|
| verbatim | the origin's whole body, sometimes with a credit line added | verbatim |
| partial | k of the origin's n paragraphs (k <= n/2), plus 1-3 paragraphs of its own | partial |
| patchwork | paragraphs of two sources, more from one (the origin), maybe one of its own | partial |
| light | the whole body with 5-20% word edits (substitutions, deletions, insertions) | partial |
| rewrite | the whole body with 50-60% word edits: few 5-word runs survive, word pairs do | rewrite |
| disguise | a verbatim or partial copy in look-alike letters, fullwidth forms, curly quotes | verbatim/partial |
| repeated | a verbatim or partial copy whose page (a text file, extracted) pastes the body twice | verbatim/partial |
| independent | another report of the event (`_independent`): its facts in own words, its statements | independent* |
| original | the origin itself; the pool holds a later whole copy and a later or undated excerpt | original |

\\* ``original`` when the other report came out after the article (docs/relations.md).

Every word carries a tag: the position of its first token in the text it was
copied from, or none. The true copied share is the share of the article's
distinct 5-token shingles made of 5 consecutive tokens of the origin (for an
independent report, of the other report: its quotations), computed from the tags,
not by the project's compare. Pools hold the origin, 2-3 unrelated originals and,
for a third of the copies, a later copy of the origin (a whole copy, or one with
its own intro and a paragraph dropped), so dates and containment must pick the
first page; some articles and origins have no date or a bare date (never where only
the missing date could tell two pages apart). The same seed gives the same cases.

    python -m benchmarks.accuracy.planted [--cases 300] [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from benchmarks.generate import FUNCTION_WORDS, iter_articles, proper_nouns, vocabulary
from provenance import Article, Relation, Settings, check
from provenance.extract.text import extract_text
from provenance.model import RepeatedBlock
from provenance.publishers import Registry, bundled

Tag = tuple[str, int] | None  # (source name, position of the word's first token there), None for own words
Word = tuple[str, Tag]
Paragraphs = list[list[Word]]

_FUNCTION = frozenset(FUNCTION_WORDS)
K = 5  # shingle size the truth is computed for: the project's default
COPIES = frozenset({Relation.VERBATIM, Relation.PARTIAL, Relation.REWRITE})
KINDS = ("verbatim", "partial", "patchwork", "light", "rewrite", "disguise", "repeated", "independent", "original")
# Cases of each kind per round of 32, in this order; `cases` may end part-way through a round.
MIX = {
    "verbatim": 4,
    "partial": 5,
    "patchwork": 4,
    "light": 5,
    "rewrite": 2,
    "disguise": 3,
    "repeated": 2,
    "independent": 5,
    "original": 2,
}
TARGETS = {"origin_accuracy": 0.98, "relation_accuracy": 0.95, "copied_share_mae": 0.03, "independent_as_copy": 0}
_BASE_TIME = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
_TOKEN = re.compile(r"\w+")
_AFFIX = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)

# Look-alike letters the normaliser folds back (a subset: those that look the same in most fonts).
_CYRILLIC = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і", "s": "ѕ"}
_GREEK = {"o": "ο", "a": "α", "i": "ι", "k": "κ", "v": "ν", "t": "τ", "u": "υ", "p": "ρ"}


@dataclass(frozen=True, slots=True)
class Case:
    kind: str
    article: Article
    candidates: tuple[Article, ...]
    origin: str | None  # source of the true origin among the candidates
    relation: Relation
    copied_share: float | None  # true share of the article's shingles from `share_of`
    share_of: str | None  # the candidate the true share is measured against
    notes: str


# --- tagged text -------------------------------------------------------------------------------


def tagged(name: str, paragraphs: Sequence[str]) -> Paragraphs:
    """A source's own text: each word tagged with the position of its first token in it."""
    out: Paragraphs = []
    pos = 0
    for para in paragraphs:
        words: list[Word] = []
        for w in para.split():
            words.append((w, (name, pos)))
            pos += len(_TOKEN.findall(w))
        out.append(words)
    return out


def own(paragraphs: Sequence[str]) -> Paragraphs:
    return [[(w, None) for w in p.split()] for p in paragraphs]


def plain(paragraphs: Paragraphs) -> tuple[str, ...]:
    return tuple(" ".join(w for w, _ in p) for p in paragraphs)


def true_share(paragraphs: Paragraphs, source: str) -> float:
    """Share of distinct k-token shingles that are k consecutive tokens of `source`."""
    tokens: list[tuple[str, int | None]] = []
    for para in paragraphs:
        for word, tag in para:
            for j, tok in enumerate(_TOKEN.findall(word)):
                tokens.append((tok.lower(), tag[1] + j if tag is not None and tag[0] == source else None))
    shingles: set[tuple[str, ...]] = set()
    copied: set[tuple[str, ...]] = set()
    for i in range(len(tokens) - K + 1):
        window = tokens[i : i + K]
        key = tuple(t for t, _ in window)
        shingles.add(key)
        first = window[0][1]
        if first is not None and all(p == first + j for j, (_, p) in enumerate(window)):
            copied.add(key)
    return len(copied) / len(shingles) if shingles else 0.0


def _draw_word(rng: random.Random) -> str:
    words, cdf = vocabulary()
    lo, hi, x = 0, len(cdf) - 1, rng.random()
    while lo < hi:  # first index with cdf > x
        mid = (lo + hi) // 2
        if cdf[mid] > x:
            hi = mid
        else:
            lo = mid + 1
    return words[lo]


def _edit(words: list[Word], rng: random.Random) -> None:
    """One substitution (60%), insertion (20%) or deletion (20%), keeping punctuation, as generate._edit."""
    i = rng.randrange(len(words))
    m = _AFFIX.match(words[i][0])
    assert m is not None  # the pattern matches any string
    prefix, core, suffix = m.groups()
    op = rng.random()
    if op < 0.2 and len(words) > 1 and not prefix and not suffix and not core[:1].isupper():
        del words[i]
        return
    new = _draw_word(rng)
    if op < 0.4:
        words[i] = (prefix + core, words[i][1])
        words.insert(i + 1, (new + suffix, None))
        return
    while new.lower() == core.lower():
        new = _draw_word(rng)
    if core[:1].isupper():
        new = new[:1].upper() + new[1:]
    words[i] = (prefix + new + suffix, None)


def edited(paragraphs: Paragraphs, rate: float, rng: random.Random) -> Paragraphs:
    """round(rate * words) edits spread over the paragraphs in proportion to their length."""
    out = [list(p) for p in paragraphs]
    sizes = [len(p) for p in out]
    for p in rng.choices(range(len(out)), weights=sizes, k=round(rate * sum(sizes))):
        _edit(out[p], rng)
    return out


def disguised(text: str, rng: random.Random) -> str:
    """Look-alike letters in every third word, a few fullwidth words, curly quotes and apostrophes."""
    words = text.split(" ")
    for i, word in enumerate(words):
        if i % 3 == 0:
            table = _CYRILLIC if rng.random() < 0.7 else _GREEK
            words[i] = "".join(table.get(ch, ch) if rng.random() < 0.6 else ch for ch in word)
        elif rng.random() < 0.03:
            words[i] = "".join(chr(ord(ch) + 0xFEE0) if ch.isalnum() and ch.isascii() else ch for ch in word)
    out = " ".join(words).replace("'", "’")
    quote = iter(["“", "”"] * out.count('"'))
    return re.sub('"', lambda _: next(quote), out)


# --- building blocks ---------------------------------------------------------------------------


class _Texts:
    """Generated articles handed out once each, so no two roles share text by accident."""

    def __init__(self, seed: int) -> None:
        self._texts = iter_articles(seed)

    def take(self) -> list[str]:
        return next(self._texts)


def _page(name: str, paragraphs: Sequence[str], published: datetime | None, outlet: str, title: str = "") -> Article:
    slug = name.replace("/", "-")
    return Article(
        source=name,
        paragraphs=tuple(paragraphs),
        url=f"https://{outlet}.example/{slug}",
        canonical_url=f"https://{outlet}.example/{slug}",
        title=title or slug,
        publisher=outlet.replace("-", " ").title(),
        published=published,
    )


def _hours(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(hours=round(rng.uniform(low, high), 2))


def _insert_own(copied: Paragraphs, extra: Paragraphs, rng: random.Random) -> Paragraphs:
    out = list(copied)
    for para in extra:
        out.insert(rng.choice((0, 0, len(out), rng.randint(0, len(out)))), para)
    return out


def _excerpt(origin: Paragraphs, k: int, rng: random.Random) -> Paragraphs:
    n = len(origin)
    if rng.random() < 0.5:
        start = rng.randint(0, n - k)
        return origin[start : start + k]
    return [origin[i] for i in sorted(rng.sample(range(n), k))]


def _quote_sentences(
    origin: Paragraphs, count: int, rng: random.Random, words: tuple[int, int] = (7, 14)
) -> list[list[Word]]:
    """Turn `count` runs of `words` words of the origin into quotations; returns the quoted words.

    The origin's paragraphs are changed in place: the run gets quotation marks
    and an attribution, as a reporter would write it.
    """
    quotes: list[list[Word]] = []
    names = _names(origin) or ["Officials"]
    unquoted = [i for i, para in enumerate(origin) if not any('"' in w for w, _ in para)]
    for p in rng.sample(unquoted, min(count, len(unquoted))):
        para = origin[p]
        length = min(len(para), rng.randint(*words))
        start = rng.randint(0, len(para) - length)
        run = [(_AFFIX.sub(r"\2", w) or w, tag) for w, tag in para[start : start + length]]
        run[0] = ('"' + run[0][0][:1].upper() + run[0][0][1:], run[0][1])
        run[-1] = (run[-1][0] + ',"', run[-1][1])
        speaker = rng.choice(names)
        origin[p] = [*para[:start], *run, ("said", None), (speaker + ".", None), *para[start + length :]]
        quotes.append(run)
    return quotes


def _names(paragraphs: Paragraphs) -> list[str]:
    """The proper nouns of a text, in order of first use."""
    known = set(proper_nouns())
    return list(dict.fromkeys(core for p in paragraphs for w, _ in p if (core := _AFFIX.sub(r"\2", w)) in known))


# --- the kinds -----------------------------------------------------------------------------------


@dataclass
class _Scene:
    """One case under construction: its pool, its dates and its random choices."""

    index: int
    rng: random.Random
    texts: _Texts
    unrelated: list[list[str]]
    pool: list[Article]
    t0: datetime
    via_text: bool = True  # repeated bodies through text extraction, else built as extraction leaves them

    def name(self, role: str) -> str:
        return f"case{self.index:03d}/{role}"

    def add_unrelated(self) -> None:
        for j, paras in enumerate(self.rng.sample(self.unrelated, self.rng.randint(2, 3))):
            when = self.t0 + _hours(self.rng, -72, 72) if self.rng.random() > 0.15 else None
            self.pool.append(_page(self.name(f"unrelated-{j}"), paras, when, f"other-{j}"))


def _article(scene: _Scene, paragraphs: Sequence[str], published: datetime | None) -> Article:
    return _page(scene.name("article"), paragraphs, published, "copier-news")


def _sibling(scene: _Scene, origin: Paragraphs, when: datetime) -> Article:
    """A later copy of the origin: whole, or with its own intro and one paragraph dropped."""
    name = scene.name("later-copy")
    if scene.rng.random() < 0.5:
        return _page(name, plain(origin), when, "mirror-site")
    body = list(origin)
    del body[scene.rng.randrange(len(body))]
    return _page(name, (*plain(own(scene.texts.take()[:1])), *plain(body)), when, "mirror-site")


def _copy_case(scene: _Scene, kind: str, body: Paragraphs, origin_name: str, origin: Paragraphs) -> Case:
    """Dates, the pool and the truth shared by every kind that copies one origin."""
    rng = scene.rng
    article_time: datetime | None = scene.t0 + _hours(rng, 2, 30)
    sibling = rng.random() < 0.35
    origin_time: datetime | None = scene.t0
    if not sibling and rng.random() < 0.12:
        origin_time = None  # no other page holds the text, so nothing needs the date
    if rng.random() < 0.2:
        article_time = None
    elif rng.random() < 0.12:  # a bare date: hours cannot be compared with it
        article_time = (scene.t0 + timedelta(days=rng.randint(1, 2))).replace(hour=0, minute=0, second=0)
    if sibling:
        after = article_time is not None and rng.random() < 0.5
        when = article_time + _hours(rng, 1, 24) if after and article_time else scene.t0 + _hours(rng, 1.5, 2)
        scene.pool.append(_sibling(scene, origin, when))
    scene.pool.insert(rng.randrange(len(scene.pool) + 1), _page(origin_name, plain(origin), origin_time, "origin-news"))
    scene.add_unrelated()
    relation = {"verbatim": Relation.VERBATIM, "rewrite": Relation.REWRITE}.get(kind.split("-")[0], Relation.PARTIAL)
    shown = plain(body)
    notes = kind + (" +later copy" if sibling else "")
    if article_time is None or origin_time is None:
        notes += " (undated " + ("article" if article_time is None else "origin") + ")"
    elif article_time.hour == 0:
        notes += " (bare date)"
    if kind.endswith("disguise"):
        shown = tuple(disguised(p, rng) for p in shown)
    article = _article(scene, shown, article_time)
    if kind.endswith("repeated"):
        article = _extracted_twice(article) if scene.via_text else _repeated(article)
    return Case(
        kind=kind.split("-")[-1] if "-" in kind else kind,
        article=article,
        candidates=tuple(scene.pool),
        origin=origin_name,
        relation=relation,
        copied_share=true_share(body, origin_name),
        share_of=origin_name,
        notes=notes,
    )


def _repeated(article: Article) -> Article:
    """The page pasted its body twice: the Article extraction leaves (one copy, the repeat recorded)."""
    chars = sum(len(p) for p in article.paragraphs)
    block = RepeatedBlock(0, len(article.paragraphs), chars, "the page shows these paragraphs again")
    return replace(article, repeated_blocks=(block,))


def _verbatim(scene: _Scene, kind: str = "verbatim") -> Case:
    name = scene.name("origin")
    origin = tagged(name, scene.texts.take())
    body = list(origin)
    if kind == "verbatim" and scene.rng.random() < 0.4:
        body.append(own([f"Source: {scene.rng.choice(('Origin News', 'wire services', 'agencies'))}."])[0])
    return _copy_case(scene, kind, body, name, origin)


def _partial(scene: _Scene, kind: str = "partial") -> Case:
    name = scene.name("origin")
    origin = tagged(name, scene.texts.take())
    k = scene.rng.randint(2, max(2, len(origin) // 2))
    extra = own(scene.texts.take()[: scene.rng.randint(1, 3)])
    return _copy_case(scene, kind, _insert_own(_excerpt(origin, k, scene.rng), extra, scene.rng), name, origin)


def _light(scene: _Scene) -> Case:
    name = scene.name("origin")
    origin = tagged(name, scene.texts.take())
    rate = scene.rng.uniform(0.05, 0.20)
    case = _copy_case(scene, "light", edited(origin, rate, scene.rng), name, origin)
    return replace(case, notes=f"{case.notes} ({rate:.0%} edits)")


def _rewrite(scene: _Scene) -> Case:
    """A crude rewrite: 50-60% word edits, so few 5-word runs survive but word pairs do."""
    name = scene.name("origin")
    origin = tagged(name, scene.texts.take())
    rate = scene.rng.uniform(0.50, 0.60)
    case = _copy_case(scene, "rewrite", edited(origin, rate, scene.rng), name, origin)
    return replace(case, notes=f"{case.notes} ({rate:.0%} edits)")


def _disguise(scene: _Scene) -> Case:
    return _verbatim(scene, "verbatim-disguise") if scene.rng.random() < 0.6 else _partial(scene, "partial-disguise")


def _extracted_twice(article: Article) -> Article:
    """The page pasted its body twice, as a text file, through the project's text extraction."""
    front = ["---", f"title: {article.title}", f"url: {article.url}"]
    if article.published:
        front.append(f"date: {article.published.isoformat()}")
    text = "\n".join([*front, "---", ""]) + "\n\n".join(article.paragraphs * 2) + "\n"
    extracted = extract_text(article.source, text, _registry(), url=article.url)
    return replace(extracted, publisher=article.publisher)


@lru_cache(maxsize=1)
def _registry() -> Registry:
    return bundled()


def _repeated_case(scene: _Scene) -> Case:
    return _verbatim(scene, "verbatim-repeated") if scene.rng.random() < 0.6 else _partial(scene, "partial-repeated")


def _patchwork(scene: _Scene) -> Case:
    rng = scene.rng
    a_name, b_name = scene.name("origin"), scene.name("second-source")
    a, b = tagged(a_name, scene.texts.take()), tagged(b_name, scene.texts.take())
    while True:
        ka = rng.randint(3, max(3, min(len(a) - 1, 6)))
        kb = rng.randint(2, max(2, ka - 1))
        parts = [_excerpt(a, ka, rng), _excerpt(b, kb, rng)]
        if rng.random() < 0.3:
            parts.reverse()
        body = [p for part in parts for p in part]
        if rng.random() < 0.4:
            body = _insert_own(body, own(scene.texts.take()[:1]), rng)
        share_a, share_b = true_share(body, a_name), true_share(body, b_name)
        if share_a >= 1.3 * share_b:
            break
    article_time = scene.t0 + _hours(rng, 6, 30)
    scene.pool.append(_page(a_name, plain(a), scene.t0 + _hours(rng, -4, 4), "origin-news"))
    scene.pool.append(_page(b_name, plain(b), scene.t0 + _hours(rng, -4, 4), "wire-service"))
    rng.shuffle(scene.pool)
    scene.add_unrelated()
    return Case(
        kind="patchwork",
        article=_article(scene, plain(body), article_time),
        candidates=tuple(scene.pool),
        origin=a_name,
        relation=Relation.PARTIAL,
        copied_share=share_a,
        share_of=a_name,
        notes=f"patchwork {ka}+{kb} paragraphs, true shares {share_a:.2f}/{share_b:.2f}",
    )


def _sentences(paragraphs: Paragraphs) -> list[list[Word]]:
    """The sentences of a tagged text: runs of words up to one ending a sentence."""
    found: list[list[Word]] = []
    for para in paragraphs:
        current: list[Word] = []
        for word in para:
            current.append(word)
            if word[0].rstrip("\"'").endswith((".", "?", "!")):
                found.append(current)
                current = []
        if current:
            found.append(current)
    return found


def _facts(sentence: list[Word], rng: random.Random) -> list[list[str]]:
    """What another report of the event keeps of a sentence: its names, figures and a term or two.

    A term is two or three of the sentence's words in a row ("harbour wall", "the coast guard"):
    the vocabulary every report of the event shares, shorter than a five-word run.
    """
    known = set(proper_nouns())
    cores = [core for w, _ in sentence if (core := _AFFIX.sub(r"\2", w))]
    kept = [[c] for c in cores if c in known or any(ch.isdigit() for ch in c)]
    terms = [
        cores[i : i + n]
        for n in (2, 3)
        for i in range(len(cores) - n + 1)
        if all(c.isalpha() for c in cores[i : i + n]) and not set(cores[i : i + n]) <= _FUNCTION
    ]
    return kept + rng.sample(terms, min(len(terms), rng.randint(1, 2)))


def _tell(para: list[Word], facts: list[list[str]], rng: random.Random) -> None:
    """Put the facts into the article's own sentence, each at its own place, in its own order."""
    rng.shuffle(facts)
    for fact in facts:
        at = rng.randrange(1, len(para) + 1)
        para[at:at] = [(w, None) for w in fact]


def _statement_in(mine: Paragraphs, quote: list[Word], speaker: str, rng: random.Random) -> str:
    """The other report's quotation, reproduced by the article as reporters do: four ways."""
    words = [(_AFFIX.sub(r"\2", w) or w if i in (0, len(quote) - 1) else w, tag) for i, (w, tag) in enumerate(quote)]
    words[-1] = (words[-1][0] + ".", words[-1][1])
    p = rng.randrange(len(mine))
    how = rng.choice(("quoted", "cue", "open", "bare"))
    if how == "quoted":  # "...," the speaker said
        words[0] = ('"' + words[0][0], words[0][1])
        words[-1] = (words[-1][0] + '"', words[-1][1])
        mine[p] = [*mine[p], *own([f"{speaker} told reporters:"])[0], *words]
    elif how == "cue":  # introduced as a statement, no quotation marks
        mine.insert(p, [*own([f"In a statement, {speaker} said:"])[0], *words])
    elif how == "open":  # a paragraph of its own, the quotation left open as it runs on
        words[0] = ("“" + words[0][0], words[0][1])
        mine.insert(p, words)
    else:  # no marks, no cue: only the other report shows it is someone's words
        mine.insert(p, words)
    return how


def _independent(scene: _Scene) -> Case:
    """Two reports of one event, the way real ones look.

    The article tells some of the other report's facts (its names, figures, places and a word or
    two of each sentence) in sentences and an order of its own, and reproduces 1-3 of the
    statements the other report quotes (12-40 words): in quotation marks, after a cue and a colon,
    as a paragraph opened with a quotation mark, or bare, with only the other page marking them as
    someone's words.
    """
    rng = scene.rng
    other_name = scene.name("other-report")
    # Excerpt-length pages, as real coverage is read: a few paragraphs, where shared facts weigh most.
    other = tagged(other_name, scene.texts.take()[: rng.randint(3, 6)])
    quotes = _quote_sentences(other, rng.randint(1, 3), rng, (12, 40))
    names = _names(other)
    mine = own(scene.texts.take()[: rng.randint(3, 6)])
    facts = [sentence for sentence in _sentences(other) if not any('"' in w for w, _ in sentence)]
    for sentence in rng.sample(facts, int(len(facts) * rng.uniform(0.5, 0.9))):
        _tell(rng.choice(mine), _facts(sentence, rng), rng)
    ways = [_statement_in(mine, quote, rng.choice(names or ["Officials"]), rng) for quote in quotes]
    timing = rng.choices(("earlier", "undated", "later"), weights=(6, 2, 2))[0]
    article_time: datetime | None = scene.t0 + _hours(rng, 1, 12)
    other_time: datetime | None = scene.t0
    if timing == "undated":
        if rng.random() < 0.5:
            article_time = None
        else:
            other_time = None
    elif timing == "later":
        other_time = scene.t0 + _hours(rng, 14, 30)
    scene.pool.append(_page(other_name, plain(other), other_time, "rival-daily"))
    if rng.random() < 0.3 and other_time is not None:
        scene.pool.append(_page(scene.name("later-copy"), plain(other), other_time + _hours(rng, 1, 5), "mirror-site"))
    scene.add_unrelated()
    return Case(
        kind="independent",
        article=_article(scene, plain(mine), article_time),
        candidates=tuple(scene.pool),
        origin=None,
        relation=Relation.ORIGINAL if timing == "later" else Relation.INDEPENDENT,
        copied_share=true_share(mine, other_name),
        share_of=other_name,
        notes=f"independent, statements shared {', '.join(ways)}, other report {timing}",
    )


def _original(scene: _Scene) -> Case:
    """The article is the origin: the pool holds a later whole copy and a later or undated excerpt."""
    rng = scene.rng
    name = scene.name("article")
    body = tagged(name, scene.texts.take())
    scene.pool.append(_page(scene.name("whole-copy"), plain(body), scene.t0 + _hours(rng, 1.5, 20), "mirror-site"))
    k = rng.randint(2, max(2, len(body) // 3))
    when = scene.t0 + _hours(rng, 2, 30) if rng.random() < 0.6 else None
    intro = scene.texts.take()[0]
    if when is None:
        # Undated, only containment can tell which page copied: keep the aggregator's own text to a
        # one-sentence intro, so the excerpt lies plainly inside the article (a longer one could be either).
        intro = re.split(r"(?<=[.?!]) ", intro)[0]
    excerpt = [own([intro])[0], *_excerpt(body, k, rng)]
    scene.pool.append(_page(scene.name("excerpt"), plain(excerpt), when, "aggregator"))
    rng.shuffle(scene.pool)
    scene.add_unrelated()
    return Case(
        kind="original",
        article=_page(name, plain(body), scene.t0, "origin-news"),
        candidates=tuple(scene.pool),
        origin=None,
        relation=Relation.ORIGINAL,
        copied_share=None,
        share_of=None,
        notes="original with a later whole copy and an excerpt" + (" (undated)" if when is None else ""),
    )


_BUILDERS = {
    "verbatim": _verbatim,
    "partial": _partial,
    "patchwork": _patchwork,
    "light": _light,
    "rewrite": _rewrite,
    "disguise": _disguise,
    "repeated": _repeated_case,
    "independent": _independent,
    "original": _original,
}


def kinds_for(cases: int) -> list[str]:
    """The kind of each case: MIX repeated, in order, cut at `cases`."""
    cycle = [kind for kind, count in MIX.items() for _ in range(count)]
    return [cycle[i % len(cycle)] for i in range(cases)]


def generate(cases: int = 300, seed: int = 0, *, via_text: bool = True) -> Iterator[Case]:
    """`cases` planted cases; the same (cases, seed) always gives the same ones.

    `via_text`: pages that paste their body twice go through `provenance.extract.text`, which must
    drop the repeat; without it they are built as extraction leaves them.
    """
    rng = random.Random(seed)
    texts = _Texts(seed)
    unrelated = [texts.take() for _ in range(30)]
    for index, kind in enumerate(kinds_for(cases)):
        scene = _Scene(index, random.Random(rng.getrandbits(64)), texts, unrelated, [], _BASE_TIME, via_text)
        scene.t0 = _BASE_TIME + timedelta(days=index)
        yield _BUILDERS[kind](scene)


# --- measuring -----------------------------------------------------------------------------------


def evaluate(case: Case, settings: Settings | None = None) -> dict[str, Any]:
    """The project's verdict on one case next to the truth."""
    report = check(case.article, case.candidates, settings=settings)
    page = report.origin.article if report.origin else None
    origin = page.source if page else (report.origin.name if report.origin else None)
    share: float | None = None
    if case.share_of is not None:
        match = next(m for m in report.matches if m.candidate.article.source == case.share_of)
        share = match.copied_share
    return {
        "kind": case.kind,
        "notes": case.notes,
        "origin": origin,
        "true_origin": case.origin,
        "relation": report.relation.value,
        "true_relation": case.relation.value,
        "copied_share": share,
        "true_copied_share": case.copied_share,
        "confidence": report.origin.confidence if report.origin else None,
        "repeat_kept": case.kind == "repeated" and not case.article.repeated_blocks,
    }


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def stats(mine: list[dict[str, Any]]) -> dict[str, Any]:
        errors = [abs(r["copied_share"] - r["true_copied_share"]) for r in mine if r["copied_share"] is not None]
        return {
            "cases": len(mine),
            "origin_accuracy": sum(r["origin"] == r["true_origin"] for r in mine) / len(mine),
            "relation_accuracy": sum(r["relation"] == r["true_relation"] for r in mine) / len(mine),
            "copied_share_mae": sum(errors) / len(errors) if errors else None,
            "copied_share_max_error": max(errors) if errors else None,
        }

    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_kind[r["kind"]].append(r)
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        confusion[r["true_relation"]][r["relation"]] += 1
    copies = {rel.value for rel in COPIES}
    return {
        **stats(rows),
        "independent_as_copy": sum(r["kind"] == "independent" and r["relation"] in copies for r in rows),
        "repeats_kept": sum(r["repeat_kept"] for r in rows),
        "kinds": {kind: stats(by_kind[kind]) for kind in KINDS if by_kind[kind]},
        "confusion": {
            truth: {rel.value: confusion[truth][rel.value] for rel in Relation}
            for truth in (rel.value for rel in Relation)
            if truth in confusion
        },
        "failures": [r for r in rows if r["origin"] != r["true_origin"] or r["relation"] != r["true_relation"]],
        "rows": rows,
    }


def run(seed: int = 0, cases: int = 300, settings: Settings | None = None, *, via_text: bool = True) -> dict[str, Any]:
    """The figures as a dict; `settings` (default: the shipped ones) lets a calibration try others."""
    start = time.perf_counter()
    rows = [evaluate(case, settings) for case in generate(cases, seed, via_text=via_text)]
    result = summarize(rows)
    result["seed"] = seed
    result["seconds"] = round(time.perf_counter() - start, 2)
    return result


def meets_targets(result: dict[str, Any]) -> dict[str, bool]:
    return {
        "origin_accuracy": result["origin_accuracy"] >= TARGETS["origin_accuracy"],
        "relation_accuracy": result["relation_accuracy"] >= TARGETS["relation_accuracy"],
        "copied_share_mae": result["copied_share_mae"] <= TARGETS["copied_share_mae"],
        "independent_as_copy": result["independent_as_copy"] <= TARGETS["independent_as_copy"],
    }


def render(result: dict[str, Any]) -> str:
    def fmt(x: float | None) -> str:
        return "-" if x is None else f"{x:.3f}"

    out = [f"planted reuse: {result['cases']} cases (seed {result['seed']}) in {result['seconds']} s", ""]
    head = f"{'kind':<12} {'cases':>5} {'origin':>7} {'relation':>9} {'share MAE':>10} {'max err':>8}"
    out += [head, "-" * len(head)]
    for kind, s in [*result["kinds"].items(), ("all", result)]:
        out.append(
            f"{kind:<12} {s['cases']:>5} {s['origin_accuracy']:>7.3f} {s['relation_accuracy']:>9.3f}"
            f" {fmt(s['copied_share_mae']):>10} {fmt(s['copied_share_max_error']):>8}"
        )
    met = meets_targets(result)
    out += [
        "",
        f"independent reports called a copy: {result['independent_as_copy']}",
        f"pasted-twice bodies the extraction left in: {result['repeats_kept']}",
        "targets: " + ", ".join(f"{name} {'met' if ok else 'MISSED'} ({TARGETS[name]})" for name, ok in met.items()),
        "",
        "relation (columns) by planted relation (rows):",
        f"{'':<12}" + "".join(f"{rel.value:>12}" for rel in Relation),
    ]
    for truth, counts in result["confusion"].items():
        out.append(f"{truth:<12}" + "".join(f"{counts[rel.value]:>12}" for rel in Relation))
    if result["failures"]:
        out += ["", f"failures ({len(result['failures'])}, first 15):"]
        for r in result["failures"][:15]:
            out.append(
                f"  {r['notes']}: origin {r['origin']} (truth {r['true_origin']}),"
                f" {r['relation']} (truth {r['true_relation']}), confidence {r['confidence']}"
            )
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    print(render(run(args.seed, args.cases)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
