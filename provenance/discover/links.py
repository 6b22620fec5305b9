"""Pages the article itself points to: its JSON-LD isBasedOn, a rel=canonical elsewhere, links near credits.

Copies that credit a source mostly link it next to the credit line, or in
the first or last paragraph ("Source: ...", "Read the original at ...");
links in the middle of a story are more often background. The most likely
few are fetched, so a page full of links costs a bounded number of fetches.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from provenance import urls
from provenance.discover.base import DiscoveryContext, page_host
from provenance.model import Article, Candidate
from provenance.publishers import Registry, host_of

# Ranks, best first; a registry publisher's page gets a small bonus over an unknown site's.
_IS_BASED_ON, _CANONICAL, _CREDIT_LINK, _NEAR_CREDIT, _EDGE, _BODY, _KNOWN = 100, 90, 80, 70, 50, 30, 5


def ranked_links(article: Article, registry: Registry) -> list[tuple[str, str]]:
    """Outbound (url, reason) pairs, most likely source first; links to the article's own site are left out."""
    own = page_host(article)
    best: dict[str, tuple[int, int, str]] = {}  # url -> (rank, order of appearance, reason)

    def offer(href: str, rank: int, reason: str) -> None:
        parts = urls.split(href)
        if parts is None:  # a link that does not parse is no lead (extraction notes it)
            return
        url = parts._replace(fragment="").geturl()
        host = host_of(url)
        if not urls.is_web_url(url) or host is None or host == own:
            return
        if (pub := registry.by_url(url)) is not None:
            rank, reason = rank + _KNOWN, f"{reason} ({pub.name})"
        if url not in best or rank > best[url][0]:
            best[url] = (rank, len(best), reason)

    for credit in article.credits:
        if credit.link is None:
            continue
        if credit.kind == "isBasedOn":
            offer(credit.link, _IS_BASED_ON, "JSON-LD isBasedOn")
        elif credit.kind == "canonical":
            offer(credit.link, _CANONICAL, f"rel=canonical points to {host_of(credit.link)}")
        else:
            offer(credit.link, _CREDIT_LINK, f"credit link {credit.name!r}")
    placed = [(c.position, c.name) for c in article.credits if c.position is not None]
    last = len(article.paragraphs) - 1
    for link in article.links:
        if link.position is None:
            continue
        near = next((name for pos, name in placed if abs(pos - link.position) <= 1), None)
        if near is not None:
            offer(link.href, _NEAR_CREDIT, f"link near credit {near!r}")
        elif link.position in (0, last):
            offer(link.href, _EDGE, f"link in the {'first' if link.position == 0 else 'last'} paragraph")
        else:
            offer(link.href, _BODY, f"link in paragraph {link.position + 1}")
    ordered = sorted(best.items(), key=lambda item: (-item[1][0], item[1][1]))
    return [(url, reason) for url, (_, _, reason) in ordered]


@dataclass(frozen=True)
class LinkCandidates:
    max_pages: int = 5
    name: str = "links"

    def discover(self, article: Article, context: DiscoveryContext) -> Iterator[Candidate]:
        ranked = ranked_links(article, context.registry)
        if not ranked:
            context.notes.append("no outbound links in the article")
        yield from context.candidates(ranked[: self.max_pages], self.name)
