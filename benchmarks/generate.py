"""Deterministic synthetic news articles for benchmarks.

Words follow a Zipf(-Mandelbrot) law over a fixed vocabulary: about 300 English
function words at the head, then 50,000 synthetic word types (pronounceable,
English-like lengths, shorter ones more frequent, some capitalised as names). Sentences run
10-35 words with commas, quotations and the odd number; paragraphs hold 2-5
sentences; articles run 400-900 words. The same seed gives the same articles on
any machine (numpy's PCG64 and Python's Mersenne Twister are both portable).
"""

from __future__ import annotations

import itertools
import json
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

import numpy as np
import numpy.typing as npt

SYNTHETIC_TYPES = 50_000
ZIPF_EXPONENT = 1.0
ZIPF_SHIFT = 1.0  # Zipf-Mandelbrot offset: "the" gets ~5% of tokens, as in English news
VOCAB_SEED = 20261128  # the "language": fixed, so every article set shares one vocabulary
ARTICLE_WORDS = (400, 900)
SENTENCE_WORDS = (10, 35)
PARAGRAPH_SENTENCES = (2, 5)
COMMA_RATE = 0.06
NUMBER_RATE = 0.015
QUOTE_RATE = 0.08
PROPER_NOUN_SHARE = 0.06

# Roughly in frequency order, so the most common words take the top Zipf ranks.
FUNCTION_WORDS = (
    "the", "of", "and", "to", "a", "in", "that", "is", "for", "it", "on", "was", "with", "he",
    "as", "said", "by", "at", "his", "be", "from", "are", "have", "has", "but", "not", "an",
    "they", "this", "had", "who", "were", "which", "will", "their", "been", "its", "or", "she",
    "after", "more", "one", "her", "also", "would", "about", "we", "up", "than", "when", "out",
    "two", "new", "there", "i", "first", "over", "into", "last", "other", "you", "what", "all",
    "our", "some", "if", "him", "can", "could", "years", "just", "them", "people", "only", "most",
    "time", "no", "so", "year", "may", "because", "those", "three", "before", "while", "against",
    "where", "then", "between", "under", "during", "many", "such", "since", "now", "told", "both",
    "any", "another", "these", "being", "even", "through", "made", "back", "well", "off", "still",
    "four", "down", "around", "should", "us", "again", "did", "do", "very", "much", "each",
    "same", "including", "here", "later", "five", "next", "my", "own", "how", "according",
    "among", "few", "little", "however", "ten", "whether", "already", "although", "until",
    "without", "within", "across", "though", "yet", "either", "nor", "per", "upon", "toward",
    "towards", "whose", "whom", "themselves", "himself", "herself", "itself", "ourselves",
    "yourself", "myself", "something", "nothing", "anything", "everything", "someone", "anyone",
    "everyone", "nobody", "somebody", "every", "several", "less", "least", "enough", "quite",
    "rather", "almost", "always", "never", "often", "sometimes", "usually", "perhaps", "maybe",
    "indeed", "too", "soon", "once", "twice", "ever", "far", "near", "above", "below", "behind",
    "beside", "besides", "beyond", "inside", "outside", "onto", "past", "throughout", "via",
    "amid", "despite", "except", "unlike", "like", "i'm", "it's", "don't", "didn't", "can't",
    "won't", "isn't", "wasn't", "aren't", "weren't", "hasn't", "haven't", "hadn't", "doesn't",
    "shouldn't", "wouldn't", "couldn't", "we're", "they're", "you're", "he's", "she's", "that's",
    "there's", "what's", "let's", "must", "might", "shall", "ought", "am", "got", "get", "gets",
    "getting", "go", "goes", "going", "went", "gone", "say", "says", "saying", "come", "came",
    "make", "makes", "making", "take", "took", "taken", "see", "saw", "seen", "know", "knew",
    "known", "give", "gave", "given", "put", "set", "let", "thus", "hence", "therefore",
    "meanwhile", "moreover", "furthermore", "instead", "otherwise", "nevertheless", "nonetheless",
)  # fmt: skip

_ONSETS = (
    *("b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z"),
    *("br", "bl", "ch", "cl", "cr", "dr", "fl", "fr", "gl", "gr", "pl", "pr", "sc", "sh", "sk"),
    *("sl", "sm", "sn", "sp", "st", "str", "sw", "th", "tr", "wh"),
)
_VOWELS = ("a", "e", "i", "o", "u") * 2 + ("ea", "ee", "ai", "ou", "io", "ia", "oa", "ie")
_CODAS = ("", "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ng", "rt", "ck", "ll", "nt", "x")
# Share of dictionary word types by letter count (content words run longer than function words).
_LENGTH_WEIGHTS = {3: 4, 4: 9, 5: 13, 6: 15, 7: 15, 8: 13, 9: 10, 10: 8, 11: 5, 12: 4, 13: 2, 14: 1}
_TOKEN = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)


def _synthetic_word(rng: random.Random, length: int) -> str:
    """Whole syllables up to about `length` letters (cut only when it overshoots by 3+)."""
    word = ""
    while len(word) < length:
        word += rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
    return word if len(word) < length + 3 else word[:length]


@lru_cache(maxsize=1)
def vocabulary() -> tuple[list[str], npt.NDArray[np.float64]]:
    """Word forms in rank order and the cumulative Zipf distribution over them."""
    rng = random.Random(VOCAB_SEED)
    head = list(FUNCTION_WORDS)
    seen = set(head)
    lengths, weights = list(_LENGTH_WEIGHTS), list(_LENGTH_WEIGHTS.values())
    tail: list[tuple[float, str]] = []
    while len(tail) < SYNTHETIC_TYPES:
        word = _synthetic_word(rng, rng.choices(lengths, weights)[0])
        if word not in seen:
            seen.add(word)
            # Shorter words take the more frequent ranks (Zipf's law of abbreviation).
            tail.append((len(word) + rng.gauss(0.0, 2.5), word))
    tail.sort()
    words = head + [w.capitalize() if rng.random() < PROPER_NOUN_SHARE else w for _, w in tail]
    ranks = np.arange(1, len(words) + 1, dtype=np.float64)
    cdf = np.cumsum((ranks + ZIPF_SHIFT) ** -ZIPF_EXPONENT)
    return words, cdf / cdf[-1]


@lru_cache(maxsize=1)
def proper_nouns() -> list[str]:
    return [w for w in vocabulary()[0] if w[0].isupper()]


def _draw_words(np_rng: np.random.Generator, count: int) -> list[str]:
    words, cdf = vocabulary()
    idx = np.searchsorted(cdf, np_rng.random(count), side="right")
    return [words[i] for i in np.minimum(idx, len(words) - 1).tolist()]


def _split_lengths(rng: random.Random, total: int, low: int, high: int) -> list[int]:
    """Random lengths in [low, high] summing to `total` (which must be >= low)."""
    lengths: list[int] = []
    while total > high:
        n = rng.randint(low, high)
        if total - n < low:
            n = total - low
        lengths.append(n)
        total -= n
    lengths.append(total)
    return lengths


def _sentence(words: list[str], rng: random.Random) -> str:
    words[0] = words[0][:1].upper() + words[0][1:]
    if len(words) >= 12 and rng.random() < QUOTE_RATE:
        # The last two drawn words become the attribution, keeping the word count.
        speaker = rng.choice(proper_nouns())
        return f'"{" ".join(words[:-2]).rstrip(",")}," said {speaker}.'
    return " ".join(words) + ("?" if rng.random() < 0.02 else ".")


def _article(rng: random.Random, np_rng: np.random.Generator) -> list[str]:
    total = rng.randint(*ARTICLE_WORDS)
    words = _draw_words(np_rng, total)
    for i in np.flatnonzero(np_rng.random(total) < NUMBER_RATE).tolist():
        low, high = rng.choice(((2, 99), (100, 9999), (1990, 2026)))  # counts, amounts, years
        words[i] = str(rng.randint(low, high))
    for i in np.flatnonzero(np_rng.random(total) < COMMA_RATE).tolist():
        words[i] += ","
    sentences: list[str] = []
    start = 0
    for n in _split_lengths(rng, total, *SENTENCE_WORDS):
        chunk = words[start : start + n]
        chunk[-1] = chunk[-1].rstrip(",")
        sentences.append(_sentence(chunk, rng))
        start += n
    paragraphs: list[str] = []
    start = 0
    for n in _split_lengths(rng, len(sentences), *PARAGRAPH_SENTENCES):
        paragraphs.append(" ".join(sentences[start : start + n]))
        start += n
    return paragraphs


def generate_articles(n: int, seed: int = 0) -> list[list[str]]:
    """`n` articles, each a list of paragraphs; the same (n, seed) always gives the same text."""
    rng = random.Random(seed)
    np_rng = np.random.default_rng(rng.getrandbits(64))
    return [_article(rng, np_rng) for _ in range(n)]


def iter_articles(seed: int = 0) -> Iterator[list[str]]:
    """Articles one at a time, as many as asked for: the first n are `generate_articles(n, seed)`."""
    rng = random.Random(seed)
    np_rng = np.random.default_rng(rng.getrandbits(64))
    while True:
        yield _article(rng, np_rng)


def _random_word(rng: random.Random) -> str:
    words, cdf = vocabulary()
    return words[min(int(np.searchsorted(cdf, rng.random(), side="right")), len(words) - 1)]


def _edit(tokens: list[str], rng: random.Random) -> None:
    """One substitution, deletion or insertion at a random place, keeping punctuation."""
    i = rng.randrange(len(tokens))
    m = _TOKEN.match(tokens[i])
    assert m is not None  # the pattern matches any string
    prefix, core, suffix = m.groups()
    op = rng.random()
    if op < 0.2 and len(tokens) > 1 and not prefix and not suffix and not core[:1].isupper():
        del tokens[i]
    elif op < 0.4:
        tokens[i] = prefix + core
        tokens.insert(i + 1, _random_word(rng) + suffix)
    else:
        new = _random_word(rng)
        if core[:1].isupper():
            new = new[:1].upper() + new[1:]
        tokens[i] = prefix + new + suffix


def near_duplicate(paragraphs: Sequence[str], edit_rate: float, rng: random.Random) -> list[str]:
    """A copy with round(edit_rate * words) word edits: ~60% swaps, ~20% deletions, ~20% inserts."""
    if not 0.0 <= edit_rate <= 1.0:
        raise ValueError(f"edit_rate must be in [0, 1], got {edit_rate}")
    split = [p.split() for p in paragraphs]
    sizes = [len(t) for t in split]
    edits = round(edit_rate * sum(sizes))
    nonempty = [i for i, n in enumerate(sizes) if n]
    if nonempty and edits:
        # Spread edits over paragraphs in proportion to their length.
        for p in rng.choices(nonempty, weights=[sizes[i] for i in nonempty], k=edits):
            _edit(split[p], rng)
    return [" ".join(t) for t in split]


def partial_copy(paragraphs: Sequence[str], k: int, rng: random.Random, *, contiguous: bool = False) -> list[str]:
    """`k` of the paragraphs in their original order: a random selection, or one random run."""
    n = len(paragraphs)
    if not 0 <= k <= n:
        raise ValueError(f"k must be in [0, {n}], got {k}")
    if contiguous:
        start = rng.randint(0, n - k)
        return list(paragraphs[start : start + k])
    return [paragraphs[i] for i in sorted(rng.sample(range(n), k))]


# --- Bulk corpora for the index benchmark (benchmarks/bench_index.py) ---------------------------
#
# `generate_articles` builds each article word by word in Python (~0.22 ms each). `fast_articles`
# draws a whole block with numpy (same vocabulary, Zipf law, sentence and paragraph shapes) and
# handles Python strings only to fix sparse tokens and slice the joined text (~0.18 ms each: most
# of what is left is making the token strings); a million take ~2 minutes on two cores in blocks.
# `index_block` turns a block into what an index is filled with: originals, families of
# near-duplicates and partial copies, as JSONL records, plus the originals chosen for planted copies.

_INVERSE_CDF_BITS = 22  # a 4M-entry inverse-CDF table: even the rarest word owns several cells
_SUFFIXES = ("", ",", ".", "?")


@lru_cache(maxsize=1)
def _word_forms() -> tuple[npt.NDArray[np.object_], npt.NDArray[np.int64], npt.NDArray[np.int32], int]:
    """Every word with each suffix, lower and capitalised (variant-major), their lengths, the inverse-CDF
    table, the vocabulary size."""
    words, cdf = vocabulary()
    capitalised = [w[:1].upper() + w[1:] for w in words]
    forms = np.array([w + s for cased in (words, capitalised) for s in _SUFFIXES for w in cased], dtype=object)
    lengths = np.fromiter(map(len, forms), dtype=np.int64, count=len(forms))
    cells = (np.arange(1 << _INVERSE_CDF_BITS, dtype=np.float64) + 0.5) / (1 << _INVERSE_CDF_BITS)
    table = np.minimum(np.searchsorted(cdf, cells, side="right"), len(words) - 1).astype(np.int32)
    return forms, lengths, table, len(words)


def _ends(np_rng: np.random.Generator, total: int, low: int, high: int) -> npt.NDArray[np.int64]:
    """End offsets of consecutive runs of low..high items covering `total` (the last run may be shorter)."""
    sizes = np_rng.integers(low, high + 1, size=total // low + 1)
    ends = np.cumsum(sizes)
    return np.append(ends[ends < total], total)


def fast_articles(n: int, seed: int = 0) -> list[list[str]]:
    """`n` news-length articles drawn as one block: a different stream from `generate_articles`, same shapes.

    Article lengths are drawn in ARTICLE_WORDS and rounded up to whole sentences (so up to
    SENTENCE_WORDS[1] - 1 words longer); paragraphs hold PARAGRAPH_SENTENCES sentences, except
    an article's last, which may hold fewer.
    """
    if n <= 0:
        return []
    forms, form_lengths, table, vocab = _word_forms()
    rng = random.Random(seed)
    np_rng = np.random.default_rng(rng.getrandbits(64))
    targets = np.cumsum(np_rng.integers(ARTICLE_WORDS[0], ARTICLE_WORDS[1] + 1, size=n))
    sentence_ends = _ends(np_rng, int(targets[-1]) + SENTENCE_WORDS[1], *SENTENCE_WORDS)
    # An article ends at the first sentence end reaching its target length.
    article_ends = np.searchsorted(sentence_ends, targets) + 1  # in sentences
    sentence_ends = sentence_ends[: article_ends[-1]]
    total = int(sentence_ends[-1])
    sentence_starts = np.concatenate(([0], sentence_ends[:-1]))
    ids = table[np_rng.integers(0, 1 << _INVERSE_CDF_BITS, size=total)].astype(np.int64)
    variant = np.where(np_rng.random(total) < COMMA_RATE, 1, 0)
    variant[sentence_ends - 1] = np.where(np_rng.random(len(sentence_ends)) < 0.02, 3, 2)
    variant[sentence_starts] += len(_SUFFIXES)  # capitalised
    codes = ids + vocab * variant
    tokens: list[str] = forms[codes].tolist()
    lengths = form_lengths[codes]

    def put(i: int, token: str) -> None:
        tokens[i] = token
        lengths[i] = len(token)

    for i in np.flatnonzero(np_rng.random(total) < NUMBER_RATE).tolist():
        low, high = rng.choice(((2, 99), (100, 9999), (1990, 2026)))
        put(i, str(rng.randint(low, high)) + _SUFFIXES[variant[i] % len(_SUFFIXES)])
    names = proper_nouns()
    long = (sentence_ends - sentence_starts >= 12) & (np_rng.random(len(sentence_ends)) < QUOTE_RATE)
    for s, e in zip(sentence_starts[long].tolist(), sentence_ends[long].tolist(), strict=True):
        # `"...," said Name.` keeping the word count, as `_sentence` does
        put(s, '"' + tokens[s])
        put(e - 3, tokens[e - 3].rstrip(",.?") + ',"')
        put(e - 2, "said")
        put(e - 1, rng.choice(names) + ".")
    # Paragraph ends (in sentences): a stream of 2-5 sentence runs, also cut at every article end.
    paragraph_ends = np.union1d(_ends(np_rng, len(sentence_ends), *PARAGRAPH_SENTENCES), article_ends)
    text = " ".join(tokens)
    offsets = np.concatenate(([0], np.cumsum(lengths + 1)))  # of each token in `text`
    starts = offsets[sentence_starts[np.concatenate(([0], paragraph_ends[:-1]))]].tolist()
    stops = (offsets[sentence_ends[paragraph_ends - 1]] - 1).tolist()
    paragraphs = [text[a:b] for a, b in zip(starts, stops, strict=True)]
    bounds = np.concatenate(([0], np.searchsorted(paragraph_ends, article_ends) + 1)).tolist()
    return [paragraphs[a:b] for a, b in itertools.pairwise(bounds)]


@dataclass(frozen=True, slots=True)
class BlockShape:
    """What one block of an index corpus holds, per `size` documents."""

    size: int = 5000
    families: float = 0.04  # families (an original and 1-5 near-duplicates) per document
    family_members: tuple[int, int] = (1, 5)
    family_edits: tuple[float, float] = (0.05, 0.20)  # word edit rate of a family member
    partials: float = 0.04  # partial copies (k of n paragraphs plus own text) per document
    plants: int = 20  # originals per block kept for planted copies (half of them head a family)


@dataclass(frozen=True, slots=True)
class Plant:
    """An indexed original that planted copies are made from (not indexed themselves)."""

    position: int  # line of the corpus (0-based)
    url: str
    family: int  # near-duplicates of it in the index
    paragraphs: list[str]


_SITES = tuple(f"{a}{b}" for a in ("daily", "metro", "global", "city", "wire") for b in ("times", "post", "herald"))
_EPOCH_2024 = 1_704_067_200  # 2024-01-01T00:00:00Z


def _record(position: int, paragraphs: Sequence[str], rng: random.Random) -> str:
    site = _SITES[position % len(_SITES)]
    title_words = re.sub(r"[^\w\s']", "", paragraphs[0]).split()[: rng.randint(6, 11)]
    slug = "-".join(w.lower() for w in title_words[:6])
    published = datetime.fromtimestamp(_EPOCH_2024 + position * 30, UTC).isoformat()
    return json.dumps(
        {
            "url": f"https://www.{site}.example/news/{position:07d}/{slug}",
            "title": " ".join(title_words),
            "published": published,
            "publisher": site.capitalize(),
            "text": "\n\n".join(paragraphs),
        },
        ensure_ascii=False,
    )


def index_block(index: int, shape: BlockShape = BlockShape(), seed: int = 0) -> tuple[str, list[Plant]]:
    """Block `index` of an index corpus: `shape.size` JSONL lines (corpus lines index*size ...) and its plants.

    Fresh originals, families of near-duplicates of some of them (each member later than its
    original) and partial copies of others (k of n paragraphs with 1-3 paragraphs of their own),
    in publication order. Identical for the same (index, shape, seed).
    """
    rng = random.Random(f"index-block:{seed}:{index}")
    lo, hi = shape.family_members
    members = [rng.randint(lo, hi) for _ in range(round(shape.families * shape.size))]
    partials = round(shape.partials * shape.size)
    originals = shape.size - sum(members) - partials
    if originals < len(members) + shape.plants:
        raise ValueError(f"block of {shape.size} too small for its families and plants")
    fresh = fast_articles(originals + partials, seed=rng.getrandbits(64))
    docs, own = fresh[:originals], fresh[originals:]
    when = [rng.random() for _ in docs]
    items: list[tuple[float, list[str]]] = list(zip(when, docs, strict=True))
    family_size = [0] * originals
    for head, count in enumerate(members):  # originals 0..len(members)-1 head the families
        family_size[head] = count
        for _ in range(count):
            copy = near_duplicate(docs[head], rng.uniform(*shape.family_edits), rng)
            items.append((when[head] + rng.uniform(0.0, 0.1), copy))
    for extra in own:
        source = rng.randrange(len(members), originals)
        paragraphs = docs[source]
        k = rng.randint(min(2, len(paragraphs)), max(2, len(paragraphs) // 2))
        copy = partial_copy(paragraphs, min(k, len(paragraphs)), rng, contiguous=rng.random() < 0.5)
        mine = extra[: rng.randint(1, 3)]
        copy = [mine[0], *copy, *mine[1:]]
        items.append((when[source] + rng.uniform(0.0, 0.1), copy))
    order = sorted(range(len(items)), key=lambda i: items[i][0])
    first = index * shape.size
    lines = [_record(first + rank, items[i][1], rng) for rank, i in enumerate(order)]
    position_of = {item: rank for rank, item in enumerate(order)}
    heads = rng.sample(range(len(members)), shape.plants // 2)
    loners = rng.sample(range(len(members), originals), shape.plants - len(heads))
    plants = []
    for i in heads + loners:
        position = first + position_of[i]
        url = json.loads(lines[position - first])["url"]
        plants.append(Plant(position, url, family_size[i], docs[i]))
    return "\n".join(lines) + "\n", plants
