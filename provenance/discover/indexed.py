"""Candidates from the index of known articles: offline, compared from the stored text."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from provenance.discover.base import DiscoveryContext
from provenance.index.find import DEFAULT_LIMIT, find
from provenance.index.store.base import Store
from provenance.model import Article, Candidate


@dataclass(frozen=True)
class IndexCandidates:
    store: Store
    limit: int = DEFAULT_LIMIT
    name: str = "index"

    def discover(self, article: Article, context: DiscoveryContext) -> Iterator[Candidate]:
        for found, shared in find(self.store, article, self.limit):
            yield Candidate(found, self.name, f"shares {shared} passage key(s) in the index {self.store.location}")
