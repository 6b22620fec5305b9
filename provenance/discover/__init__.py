"""Discovery: strategies that propose candidate sources for an article."""

from provenance.discover.base import Discoverer, DiscoveryContext
from provenance.discover.given import GivenCandidates

__all__ = ["Discoverer", "DiscoveryContext", "GivenCandidates"]
