"""First captures in a web archive (the Wayback Machine's CDX API): when a page is known to have existed.

Pages hide or rewrite their dates; an archive's first capture is a date the
page cannot change, and an upper bound on when it was published. origin/direction.py
weighs it where published dates are missing (docs/relations.md).

The CDX API: GET {endpoint}?url=U&output=json&limit=1&fl=timestamp,original&filter=statuscode:200
answers a JSON array of arrays, the first row the field names, captures in
time order, timestamps as YYYYMMDDhhmmss in UTC; `[]` when there is none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from provenance import safejson
from provenance.config.resolve import WAYBACK_ENDPOINT
from provenance.discover.base import DiscoveryContext
from provenance.errors import DiscoveryError, FetchError


@dataclass(frozen=True)
class WaybackArchive:
    endpoint: str = WAYBACK_ENDPOINT
    name: str = "wayback"

    def first_capture(self, url: str, context: DiscoveryContext) -> datetime | None:
        query = urlencode(
            {"url": url, "output": "json", "limit": "1", "fl": "timestamp,original", "filter": "statuscode:200"}
        )
        response = context.fetch(f"{self.endpoint}?{query}", api=True)
        try:
            rows = (
                safejson.loads(response.content.decode("utf-8", errors="replace")) if response.content.strip() else []
            )
            if not rows[1:]:
                return None
            stamp = str(rows[1][rows[0].index("timestamp")])
            return datetime.strptime(stamp[:14].ljust(14, "0"), "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        except (ValueError, IndexError, TypeError, AttributeError):
            raise DiscoveryError(f"{self.endpoint} did not answer with CDX JSON for {url}") from None

    def first_captures(
        self, urls: Iterable[tuple[str, str]], context: DiscoveryContext, into: dict[str, datetime] | None = None
    ) -> dict[str, datetime]:
        """{key: first capture} for (key, url) pairs that have one; fails only when no lookup worked.

        Captures land in `into` as they come, so a lookup cut off by the budget keeps the ones before.
        """
        found: dict[str, datetime] = {} if into is None else into
        errors: list[str] = []
        asked = 0
        for key, url in urls:
            asked += 1
            try:
                when = self.first_capture(url, context)
            except (DiscoveryError, FetchError) as exc:
                errors.append(str(exc))
                continue
            if when is not None:
                found[key] = when
            else:
                context.notes.append(f"no capture of {url}")
        if asked and len(errors) == asked:
            raise DiscoveryError(f"no archive lookup worked ({errors[0]})")
        context.notes.extend(errors)
        return found
