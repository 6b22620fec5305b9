"""The one HTTP client: polite (robots.txt, per-host pacing, retries), cached, bounded and guarded.

See docs/fetching.md. Modules: `settings` (FetchSettings and the constants), `client`
(new_client, fetch), `deadline`, `stream`, `guard`, `robots`, `politeness`, `retry`.

The client's names load when first used (PEP 562): the settings and constants cost no httpx import.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from provenance.fetch.settings import (
    HOMEPAGE,
    MAX_BYTES,
    MAX_REDIRECTS,
    USER_AGENT,
    FetchSettings,
)

if TYPE_CHECKING:
    from provenance.fetch.client import ARTICLE, Accept, Response, fetch, new_client

_CLIENT = ("ARTICLE", "Accept", "Response", "fetch", "new_client")

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


def __getattr__(name: str) -> Any:
    if name not in _CLIENT:
        raise AttributeError(f"module 'provenance.fetch' has no attribute {name!r}")
    value = getattr(import_module("provenance.fetch.client"), name)
    globals()[name] = value
    return value
