"""The Lua scripts of the Redis index, kept in `.lua` files beside this module (package data).

Every script but `init` is `common.lua` (the multimaps, the record's fields) followed by its own
file. The record's offsets come from `codec.LUA_OFFSETS`: the templates say `${CONTENT_KEY}`,
never a number, so the layout is written in one place.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from string import Template

from provenance.index.store.redis.codec import LUA_OFFSETS


def _text(name: str) -> str:
    return files(__package__).joinpath(f"{name}.lua").read_text(encoding="utf-8")


@cache
def script(name: str) -> str:
    """The Lua source of script `name` (add, lookup, records, remove, init), offsets filled in."""
    source = _text(name) if name == "init" else _text("common") + "\n" + _text(name)
    return Template(source).substitute(LUA_OFFSETS)
