"""SearXNG's JSON API: GET {base}/search?q=...&format=json -> {"results": [{"url", "title", "content"}, ...]}.

An instance answers 403 to format=json unless `json` is listed under
`search.formats` in its settings.yml (docs/discovery.md shows how).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from provenance import safejson
from provenance.discover.base import DiscoveryContext
from provenance.discover.search.base import SearchResult
from provenance.errors import DiscoveryError, FetchError


@dataclass(frozen=True)
class Searxng:
    base_url: str
    name: str = "searxng"

    def search(self, query: str, context: DiscoveryContext) -> list[SearchResult]:
        url = f"{self.base_url.rstrip('/')}/search?{urlencode({'q': query, 'format': 'json'})}"
        try:
            response = context.fetch(url, api=True)
        except FetchError as exc:
            if "403" in exc.reason:
                raise DiscoveryError(f"{exc} (is format json enabled in the instance's settings.yml?)") from None
            raise
        try:
            data = safejson.loads(response.content.decode("utf-8", errors="replace"))
            results = data["results"]
            return [
                SearchResult(str(r["url"]), str(r.get("title") or ""), str(r.get("content") or ""))
                for r in results
                if isinstance(r, dict) and isinstance(r.get("url"), str)
            ]
        except (ValueError, KeyError, TypeError):
            raise DiscoveryError(f"{self.base_url} did not answer with SearXNG JSON results") from None
