"""The Discoverer protocol: one strategy for finding pages the article may come from.

Strategies are independent and may fail; the pipeline runs each, keeps what
it found, and records what failed, so one broken strategy never fails a check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import httpx

from provenance.model import Article, Candidate
from provenance.publishers import Registry


@dataclass(frozen=True)
class DiscoveryContext:
    registry: Registry
    client: httpx.Client | None = None  # None: offline


class Discoverer(Protocol):
    @property
    def name(self) -> str: ...

    def discover(self, article: Article, context: DiscoveryContext) -> Iterable[Candidate]: ...
