"""Where an index keeps its articles: the `Store` protocol (`base`), SQLite (`sqlite`, the embedded
default) and Redis (`redis/`, shared by many machines). `provenance.index.open_index()` picks one."""
