"""The one HTTP client: polite (robots.txt, per-host pacing, retries), cached, bounded and guarded.

See docs/fetching.md. Modules: `settings` (FetchSettings and the constants), `client`
(new_client, fetch), `guard`, `robots`, `politeness`, `retry`.
"""

from provenance.fetch.client import ARTICLE, Accept, Response, fetch, new_client
from provenance.fetch.settings import (
    HOMEPAGE,
    MAX_BYTES,
    MAX_REDIRECTS,
    USER_AGENT,
    FetchSettings,
)

__all__ = [
    "ARTICLE",
    "HOMEPAGE",
    "MAX_BYTES",
    "MAX_REDIRECTS",
    "USER_AGENT",
    "Accept",
    "FetchSettings",
    "Response",
    "fetch",
    "new_client",
]
