"""Where `provenance watch` keeps what it has seen and found: `open_state()` picks SQLite or Redis.

By default the state lives with the index: beside a SQLite index (`index.sqlite` ->
`index.watch.sqlite`), or in a Redis index's database. `[watch] state` names another place.
"""

from __future__ import annotations

from pathlib import Path

from provenance.watch.state.base import MAX_TRIES, ItemRecord, SourceRecord, State

__all__ = ["MAX_TRIES", "ItemRecord", "SourceRecord", "State", "beside", "open_state"]


def beside(index: str) -> str:
    """The state's default location for the index at `index`."""
    from provenance.index import is_redis

    if is_redis(index):
        return index
    path = Path(index)
    return str(path.with_name(f"{path.stem}.watch.sqlite" if path.suffix else f"{path.name}.watch.sqlite"))


def open_state(location: str, *, create: bool = True) -> State:
    from provenance.index import is_redis

    if is_redis(location):
        from provenance.watch.state.redis import RedisState

        return RedisState(location, create=create)
    from provenance.watch.state.sqlite import SqliteState

    return SqliteState(location, create=create)
