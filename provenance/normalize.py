"""Text normalisation that defeats cheap disguises without moving offsets.

Copiers hide reuse with look-alike letters (Cyrillic "а" for Latin "a"),
fullwidth forms, curly quotes, odd dashes and zero-width characters. Every
mapping here is one character to one character, or is applied to a single
token after its offsets are taken, so a passage found in normalised text can
be shown from the original text at the same offsets.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

# Bump with any change to what `tokenize` gives (an index's keys are made from it: index/keys.py):
NORMALIZE_VERSION = 1  # the normalisation of a word: look-alikes, quotes, dashes, invisibles, NFKC, case
TOKENIZER_VERSION = 1  # what a word is: runs of \w (and invisibles) in the unified text

if TYPE_CHECKING:  # numpy loads when plain text is first tokenised: `provenance rules` never needs it
    import numpy as np
    import numpy.typing as npt

# Letters that render like Latin ones. Mapping both texts the same way means a
# real Greek or Cyrillic text still compares correctly with itself.
_LOOKALIKES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
    "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j",
    "ѕ": "s", "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ɡ": "g",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S",
    # Greek
    "α": "a", "ο": "o", "ν": "v", "ρ": "p", "ι": "i", "κ": "k", "υ": "u", "τ": "t",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}  # fmt: skip
_QUOTES = {c: "'" for c in "‘’‚‛′`´"} | {c: '"' for c in "“”„‟″«»〝〞＂"}
_DASHES = {c: "-" for c in "‐‑‒–—―−﹘﹣－"}
_TABLE = str.maketrans(_LOOKALIKES | _QUOTES | _DASHES)

# Zero-width characters and soft hyphens split a word for a regex but not for
# a reader, so they count as part of the word and are dropped from the token.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_WORD = re.compile(rf"[\w{_INVISIBLE}]+")
_STRIP_INVISIBLE = str.maketrans("", "", _INVISIBLE)
_PLAIN_WORD = re.compile(r"[A-Za-z0-9_]+")
_DOUBLE_QUOTED = re.compile(r'"[^"\n]{2,}?"')
# A non-ASCII word character or an invisible one: what `tokenize` must see to get right.
_NEEDS_UNICODE = re.compile(rf"[^\W\x00-\x7f]|[{_INVISIBLE}]")


def unify(text: str) -> str:
    """Map look-alike letters, quotes and dashes to plain ASCII ones; keeps length."""
    return text.translate(_TABLE)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 text decoded as Latin-1/cp1252 ("â€™"), when it is clearly that."""
    if text.isascii():
        return text
    import ftfy  # only pages with non-ASCII text pay for it

    return str(ftfy.fix_encoding(text))


@dataclass(frozen=True, slots=True)
class Tokens:
    """Normalised words with their offsets in the text given (not the normalised one)."""

    words: list[str]
    starts: list[int]
    ends: list[int]

    def __len__(self) -> int:
        return len(self.words)


def normalize_token(word: str) -> str:
    if word.isascii():
        return word.lower()
    return unicodedata.normalize("NFKC", word.translate(_STRIP_INVISIBLE)).casefold()


def tokenize(text: str) -> Tokens:
    if is_plain(text):
        return _tokenize_plain(text)
    return _tokenize_unicode(text)


def _tokenize_unicode(text: str) -> Tokens:
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for m in _WORD.finditer(unify(text)):
        word = normalize_token(m.group())
        if not word:
            continue  # a run of zero-width characters alone is no word
        words.append(word)
        starts.append(m.start())
        ends.append(m.end())
    return Tokens(words, starts, ends)


def _tokenize_plain(text: str) -> Tokens:
    """`tokenize` of plain text (`is_plain`), with numpy over its UTF-8 bytes instead of a regex."""
    import numpy as np

    data = np.frombuffer(utf8(text), dtype=np.uint8)
    byte_starts, byte_ends = plain_word_bounds(data)
    if text.isascii():
        starts, ends = byte_starts.tolist(), byte_ends.tolist()
        lower = text.lower()
        return Tokens([lower[s:e] for s, e in zip(starts, ends, strict=True)], starts, ends)
    # Character offsets: how many characters (bytes other than UTF-8 continuation bytes) come before.
    chars_before = np.zeros(len(data) + 1, dtype=np.intp)
    np.cumsum((data & 0xC0) != 0x80, out=chars_before[1:])
    starts, ends = chars_before[byte_starts].tolist(), chars_before[byte_ends].tolist()
    return Tokens([text[s:e].lower() for s, e in zip(starts, ends, strict=True)], starts, ends)


def utf8(text: str) -> bytes:
    """UTF-8 bytes of any str: a lone surrogate (from a lenient decoder) is 3 non-word bytes, not an error."""
    return text.encode("utf-8", "surrogatepass")


def is_plain(text: str) -> bool:
    """Whether `tokenize(text).words` are just the runs of ASCII [A-Za-z0-9_] in `text`, lowercased.

    True for ASCII text, and for text whose only non-ASCII characters are not word characters
    (curly quotes, dashes, ellipses, no-break spaces): `unify` maps none of those to a word
    character. Such text can be tokenised over its UTF-8 bytes with `plain_word_bounds`.
    """
    return text.isascii() or _NEEDS_UNICODE.search(text) is None


def plain_word_bounds(data: npt.NDArray[np.uint8]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Byte offsets (starts, ends) of the runs of ASCII word characters [A-Za-z0-9_] in `data`.

    On the UTF-8 bytes of plain text (`is_plain`) these are the tokens of `tokenize`, case aside;
    bytes of multi-byte characters (all >= 0x80) never count as word characters.
    """
    import numpy as np

    folded = data | np.uint8(0x20)
    folded -= np.uint8(ord("a"))
    word = folded < 26
    digits = data - np.uint8(ord("0"))
    word |= digits < 10
    word |= data == ord("_")
    edges = np.zeros(len(data) + 1, dtype=bool)
    np.not_equal(word[1:], word[:-1], out=edges[1:-1])
    if len(data):
        edges[0], edges[-1] = word[0], word[-1]
    change = np.flatnonzero(edges)
    return change[0::2], change[1::2]


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of text inside double quotation marks (straight or curly)."""
    return [(m.start(), m.end()) for m in _DOUBLE_QUOTED.finditer(unify(text))]


def normalize_text(text: str) -> str:
    """A comparison key for short strings such as headlines and publisher names."""
    if is_plain(text):  # the words of `_tokenize_plain`, without numpy's cost per call (extraction makes many)
        return " ".join(_PLAIN_WORD.findall(text)).lower()
    return " ".join(tokenize(text).words)
