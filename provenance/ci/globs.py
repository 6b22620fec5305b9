"""Path patterns (globs and `exclude`), matched segment by segment, in time proportional to the sizes.

`*` matches any run of characters within one path segment, `?` one character, `[abc]` (`[!abc]`,
ranges `[a-z]`) one of a set, and `**` as a whole segment any number of segments, none included.
A regular expression built from such a pattern (`(?:.*/)?` for each `**/`) backtracks
exponentially on a path that almost matches: `**/` eighteen times then `zz`, over a path 26
directories deep, ran past a minute. Here the path is split into segments and a table over
(pattern segment, path segment) decides, each cell once; within a segment, `*` is matched by
the greedy two-pointer method, which never goes back further than the last `*`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

_STAR, _ANY = "*", "?"
GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True, slots=True)
class _Set:
    """A bracket expression: `[abc]`, `[a-z]`, `[!abc]`."""

    spec: str
    negated: bool

    def matches(self, char: str) -> bool:
        found, i = False, 0
        while i < len(self.spec):
            if i + 2 < len(self.spec) and self.spec[i + 1] == "-":
                found = found or self.spec[i] <= char <= self.spec[i + 2]
                i += 3
            else:
                found = found or self.spec[i] == char
                i += 1
        return found != self.negated


Token = str | _Set  # a literal character, _STAR, _ANY or a set
GLOBSTAR: tuple[Token, ...] = ("**",)  # a whole segment of `**`


def _tokens(segment: str) -> tuple[Token, ...]:
    tokens: list[Token] = []
    i = 0
    while i < len(segment):
        char = segment[i]
        if char == "*":
            if not tokens or tokens[-1] != _STAR:  # `**` within a segment is `*`
                tokens.append(_STAR)
        elif char == "?":
            tokens.append(_ANY)
        elif char == "[" and (end := segment.find("]", i + 2)) != -1:
            body = segment[i + 1 : end]
            negated = body[:1] in ("!", "^")
            tokens.append(_Set(body[1:] if negated else body, negated))
            i = end
        else:
            tokens.append(char)
        i += 1
    return tuple(tokens)


@cache
def compile_pattern(pattern: str) -> tuple[tuple[Token, ...], ...]:
    """A pattern's segments, each as tokens; `**` segments as GLOBSTAR (runs of them as one)."""
    segments: list[tuple[Token, ...]] = []
    for part in pattern.strip("/").split("/"):
        if part == "**":
            if not segments or segments[-1] != GLOBSTAR:
                segments.append(GLOBSTAR)
        elif part:
            segments.append(_tokens(part))
    return tuple(segments)


def _one(token: Token, char: str) -> bool:
    if isinstance(token, _Set):
        return token.matches(char)
    return token in (_ANY, char)


def segment_matches(tokens: Sequence[Token], name: str) -> bool:
    """Whether one segment pattern matches one name: O(len(tokens) * len(name)) at worst."""
    t = n = 0
    star, resume = -1, 0
    while n < len(name):
        if t < len(tokens) and tokens[t] == _STAR:
            star, resume = t, n
            t += 1
        elif t < len(tokens) and _one(tokens[t], name[n]):
            t += 1
            n += 1
        elif star >= 0:  # let the last `*` take one more character, and try again after it
            t, resume = star + 1, resume + 1
            n = resume
        else:
            return False
    return all(token == _STAR for token in tokens[t:])


def matches(pattern: str, path: str, *, or_inside: bool = False) -> bool:
    """Whether "/"-separated `path` matches `pattern`; `or_inside`: or lies inside a directory it matches."""
    segments = compile_pattern(pattern)
    parts = [p for p in path.split("/") if p]
    m, n = len(segments), len(parts)
    # below[i]: segments[j + 1:] match parts[i:], for the row j being filled
    below = [or_inside or i == n for i in range(n + 1)]
    for j in range(m - 1, -1, -1):
        row = [False] * (n + 1)
        for i in range(n, -1, -1):
            if segments[j] == GLOBSTAR:
                row[i] = below[i] or (i < n and row[i + 1])
            else:
                row[i] = i < n and below[i + 1] and segment_matches(segments[j], parts[i])
        below = row
    return below[0]


def literal_base(pattern: str) -> tuple[str, str]:
    """(the leading directories without glob characters, the rest): ("docs/a", "**/*.md")."""
    parts = pattern.split("/")
    for i, part in enumerate(parts):
        if GLOB_CHARS & set(part):
            return "/".join(parts[:i]), "/".join(parts[i:])
    return "/".join(parts[:-1]), parts[-1]
