"""A web search engine as discovery sees it: a query in, result URLs out.

Another engine is one module with a class that has a `name` and a
`search()`; `provenance.discover.search.SearchCandidates` does the rest
(which queries to ask, which results to fetch).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from provenance.discover.base import DiscoveryContext


@dataclass(frozen=True, slots=True)
class SearchResult:
    url: str
    title: str
    snippet: str


class SearchBackend(Protocol):
    @property
    def name(self) -> str: ...

    def search(self, query: str, context: DiscoveryContext) -> list[SearchResult]:
        """Results for `query` (which may hold "exact phrases" and site:domain), best first.

        Raises DiscoveryError or FetchError when the engine cannot answer.
        """
        ...
