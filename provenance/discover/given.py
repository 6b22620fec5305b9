"""Candidates the user named: files, directories of files, URLs."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from provenance.discover.base import DiscoveryContext
from provenance.inputs import expand, load
from provenance.model import Article, Candidate


@dataclass(frozen=True)
class GivenCandidates:
    specs: Sequence[str | Article]
    name: str = "given"

    def discover(self, article: Article, context: DiscoveryContext) -> Iterator[Candidate]:
        for spec in self.specs:
            if isinstance(spec, Article):
                yield Candidate(spec, self.name, "given by the caller")
                continue
            for item in expand(spec):
                yield Candidate(load(item, context.registry, context.client), self.name, f"--candidate {item}")
