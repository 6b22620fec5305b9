"""Inline suppression: `<!-- provenance: ignore PRV101 PRV103 -->` (or `ignore all`) in an article.

A comment applies to the whole file wherever it stands: paragraphs are found again only
approximately (locate.py), so scoping a comment to the next paragraph would silently miss.
Rule names work as well as ids. Suppressed findings stay in the run, marked "inline".
"""

from __future__ import annotations

import re

from provenance.rules import rule_by_id

# The rules hold no "<" or ">": a comment left open ends where the next one starts, so a file of
# unclosed comments is read in linear time.
_COMMENT = re.compile(r"<!--\s*+provenance\s*+:\s*+ignore\b(?P<rules>[^<>]*?)-->", re.IGNORECASE)
ALL = "all"


def ignored_rules(text: str) -> frozenset[str]:
    """The rule ids the file's comments ignore; {"all"} for every rule. Unknown names are kept as written."""
    ids: set[str] = set()
    for comment in _COMMENT.finditer(text):
        words = comment["rules"].replace(",", " ").split() or [ALL]
        for word in words:
            if word.lower() == ALL:
                ids.add(ALL)
            else:
                rule = rule_by_id(word)
                ids.add(rule.id if rule else word.upper())
    return frozenset(ids)


def is_ignored(rule: str, ignored: frozenset[str]) -> bool:
    return ALL in ignored or rule in ignored
