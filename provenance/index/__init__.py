"""The index of known articles, the one home of everything about it.

- `locations`: where an index lives, `open_index()` (a `Store`, which is a context manager);
- `keys`: the band keys and content key an article is filed under;
- `ingest`: batch ingest on worker processes, removal by URL;
- `find`: indexed articles sharing passages with a query article;
- `readers/`: what the index ingests (files, directories, URLs, JSONL, feeds, sitemaps);
- `store/`: the `Store` protocol (`base`) and its two implementations, `sqlite` and `redis/`.

Only where an index lives is exported here (it costs no numpy import); the rest is imported
from its module (`from provenance.index.ingest import ingest`).
"""

from provenance.index.locations import INDEX_ENV, default_location, exists, is_redis, open_index

__all__ = ["INDEX_ENV", "default_location", "exists", "is_redis", "open_index"]
