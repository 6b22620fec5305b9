"""Where an index lives: a SQLite file (the default, in the user's data directory) or a Redis URL."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from provenance.fingerprint.keys import LshParams
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


def open_index(
    location: str,
    *,
    create: bool = True,
    readonly: bool = False,
    params: LshParams | None = None,
    verified: bool = True,
) -> Store:
    """The store at `location`: a Redis URL or a SQLite path (`readonly` opens a file without writing).

    A store is a context manager: `with open_index(path) as store: ...` closes it. One created here
    records the stamp of `params` (default: `keys.PARAMS`, the keys in force); with `verified`, an
    index whose keys were made otherwise is refused with a one-line StoreError (`keys.verify`):
    `index stats`, `export` and `rebuild` open it without.
    """
    from provenance.index.keys import PARAMS, stamp, verify

    params = params or PARAMS
    store: Store
    if is_redis(location):
        from provenance.index.store.redis import RedisStore

        store = RedisStore(location, stamp=stamp(params))
    else:
        from provenance.index.store.sqlite import SqliteStore

        store = SqliteStore(location, create=create and not readonly, readonly=readonly, stamp=stamp(params))
    if verified:
        try:
            verify(store, params)
        except BaseException:
            store.close()
            raise
    return store


def exists(location: str) -> bool:
    return is_redis(location) or Path(location).is_file()
