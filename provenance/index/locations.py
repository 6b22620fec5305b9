"""Where an index lives: a SQLite file (the default, in the user's data directory) or a Redis URL."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from provenance.index.store.base import Store

INDEX_ENV = "PROVENANCE_INDEX"


def default_location(configured: str | None = None) -> str:
    """$PROVENANCE_INDEX, else the one the config names, else index.sqlite in the user's data directory."""
    if env := os.environ.get(INDEX_ENV):
        return env
    if configured:
        return configured
    from platformdirs import user_data_dir

    return str(Path(user_data_dir("provenance", appauthor=False)) / "index.sqlite")


def is_redis(location: str) -> bool:
    return location.startswith(("redis://", "rediss://", "unix://"))


def open_index(location: str, *, create: bool = True, readonly: bool = False) -> Store:
    """The store at `location`: a Redis URL or a SQLite path (`readonly` opens a file without writing).

    A store is a context manager: `with open_index(path) as store: ...` closes it."""
    if is_redis(location):
        from provenance.index.store.redis import RedisStore

        return RedisStore(location)
    from provenance.index.store.sqlite import SqliteStore

    return SqliteStore(location, create=create and not readonly, readonly=readonly)


def exists(location: str) -> bool:
    return is_redis(location) or Path(location).is_file()
