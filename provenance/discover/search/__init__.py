"""Search-engine discovery: ask for the title and a few distinctive sentences as exact phrases.

A copy keeps the original's sentences, so an exact-phrase search finds
pages that hold them; when the article credits a publisher, the queries are
restricted to its domain with site:, which engines honour far better than
they rank an original above its copies.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from provenance.discover.base import DiscoveryContext, page_host
from provenance.discover.publisher import credited_publishers
from provenance.discover.search.base import SearchBackend, SearchResult
from provenance.errors import DiscoveryError, FetchError
from provenance.model import Article, Candidate
from provenance.publishers import host_of

__all__ = ["SearchBackend", "SearchCandidates", "SearchResult", "distinctive_phrases"]

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“‘])")
_PHRASE_WORDS = 12  # long enough to be unique on the web, short enough to survive a copy's edits
_MIN_WORDS = 8
_EXACT, _TITLE = 2, 1  # what a hit on each kind of query is worth when ranking result pages


def distinctive_phrases(article: Article, count: int = 3) -> list[str]:
    """Runs of words from sentences with names and numbers in them, outside quotations."""
    scored: list[tuple[int, int, str]] = []
    for paragraph in article.paragraphs:
        for sentence in _SENTENCE_END.split(paragraph):
            if any(q in sentence for q in '"“”«»'):
                continue  # quotations are repeated by every outlet that covers the story
            words = re.sub(r"[^\w\s'’-]", " ", sentence).split()
            if len(words) < _MIN_WORDS:
                continue
            names = sum(w[0].isupper() for w in words[1:]) + sum(any(c.isdigit() for c in w) for w in words)
            scored.append((-names, len(scored), " ".join(words[:_PHRASE_WORDS])))
    return [phrase for _, _, phrase in sorted(scored)[:count]]


@dataclass(frozen=True)
class SearchCandidates:
    backend: SearchBackend
    max_pages: int = 3
    phrases: int = 3
    name: str = "search"

    def queries(self, article: Article, domains: list[str | None]) -> list[tuple[str, str]]:
        """(query, why) pairs: the title and distinctive phrases, each restricted to each of `domains`."""
        plain = [(article.title, "title")] if article.title else []
        plain += [(f'"{p}"', f'exact phrase "{p}"') for p in distinctive_phrases(article, self.phrases)]
        return [(f"{q} site:{d}" if d else q, f"{why} (site:{d})" if d else why) for d in domains for q, why in plain]

    def discover(self, article: Article, context: DiscoveryContext) -> Iterator[Candidate]:
        own = page_host(article)
        hits: dict[str, tuple[int, int, int, str]] = {}  # url -> (score, first seen, best hit's worth, its reason)
        errors: list[str] = []
        credited = [p.domains[0] for p in credited_publishers(article, context.registry) if p.domains][:2]
        # Unrestricted only when the credited sites hold nothing: the credit may name the wrong outlet.
        rounds: list[list[str | None]] = [[*credited], [None]] if credited else [[None]]
        queries: list[tuple[str, str]] = []
        for domains in rounds:
            if hits:
                break
            asked = self.queries(article, domains)
            queries += asked
            for query, why in asked:
                try:
                    results = self.backend.search(query, context)
                except (DiscoveryError, FetchError) as exc:
                    errors.append(str(exc))
                    continue
                worth = _EXACT if why.startswith("exact") else _TITLE
                for result in results:
                    if host_of(result.url) == own:
                        continue
                    score, order, best, reason = hits.get(result.url, (0, len(hits), 0, ""))
                    if worth > best:
                        best, reason = worth, f"{self.backend.name}: {why}"
                    hits[result.url] = (score + worth, order, best, reason)
        if queries and len(errors) == len(queries):
            raise DiscoveryError(f"every query failed ({errors[0]})")
        context.notes.extend(errors)
        ranked = sorted(hits.items(), key=lambda item: (-item[1][0], item[1][1]))
        yield from context.candidates(((url, reason) for url, (*_, reason) in ranked[: self.max_pages]), self.name)
