"""Watch state in the Redis index's database, beside the index's keys.

Keys live under the index's prefix with `-watch:` in place of its colon (`prov:` -> `prov-watch:`),
so the index never meets them:

- ``meta``: hash, the marker (``format``, ``version``), ``next_id``, ``last_pass``;
- ``src:<url>``: hash, a source's validators and last pass; ``list:<url>``: list of what it listed,
  each page URL followed by its date (or "");
- ``items``: hash, page URL -> its record (state.base.item_json);
- ``f:<id>``: hash, a finding (``copy``, ``page``, dates, ``status``, ``note``); ``fkey``: hash,
  page and original -> id; ``page:<url>``: set, the ids of a page's findings; ``ids``: sorted set
  of every id; ``unreported`` and ``unnotified``: sets of ids.

A page's record and a source's update are each one Lua script, so atomic as SQLite's transactions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from importlib.resources import files
from typing import Any, NoReturn

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from provenance.errors import StateError
from provenance.index.store.redis import redacted, split_prefix
from provenance.model import Article
from provenance.watch.model import Copy, Filters, Finding, Status
from provenance.watch.state.base import (
    ItemRecord,
    Listing,
    SourceRecord,
    article_json,
    article_of,
    copy_json,
    copy_of,
    is_pending,
    is_recent,
    item_json,
    item_of,
    keeps,
    retried,
    when_of,
    when_text,
)

FORMAT = "provenance-watch"
FORMAT_VERSION = 1


def _lua(name: str) -> str:
    """A script of this store, from its `.lua` file beside this module (package data)."""
    return files(__package__).joinpath(f"{name}.lua").read_text(encoding="utf-8")


def _fail(location: str, exc: redis.RedisError) -> NoReturn:
    if isinstance(exc, redis.ConnectionError | redis.TimeoutError):
        raise StateError(location, f"cannot reach the Redis server ({exc})") from None
    raise StateError(location, str(exc)) from None


def _text(value: bytes | None) -> str:
    return value.decode() if value is not None else ""


class RedisState:
    def __init__(self, url: str, *, create: bool = True, timeout: float = 30.0) -> None:
        self.location = redacted(url)
        split = split_prefix(url)
        if split is None:
            raise StateError(self.location, "not a Redis URL")
        target, prefix = split
        self.prefix = prefix.removesuffix(":") + "-watch:"
        try:
            self._db = redis.Redis.from_url(target, socket_connect_timeout=5.0, socket_timeout=timeout,
                                            retry=Retry(NoBackoff(), 0))  # fmt: skip
        except ValueError as exc:
            raise StateError(self.location, f"not a Redis URL ({exc})") from None
        self._record = self._db.register_script(_lua("record"))
        self._source = self._db.register_script(_lua("source"))
        try:
            self._open(create)
        except redis.RedisError as exc:
            self._db.close()
            _fail(self.location, exc)
        except StateError:
            self._db.close()
            raise

    def _open(self, create: bool) -> None:
        meta = self.prefix + "meta"
        kind = self._db.type(meta)
        if kind == b"none":
            if not create:
                raise StateError(self.location, "no watch state here yet (run `provenance watch` first)")
            self._db.hsetnx(meta, "format", FORMAT)
            self._db.hsetnx(meta, "version", FORMAT_VERSION)
            kind = b"hash"
        found, version = self._db.hmget(meta, ["format", "version"]) if kind == b"hash" else (None, None)
        if found != FORMAT.encode() or not version or not version.isdigit():
            raise StateError(self.location, f"not provenance watch state ({meta!r} is not ours)")
        if int(version) > FORMAT_VERSION:
            raise StateError(self.location, f"state format {int(version)} is newer than this provenance understands")

    def _key(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)

    def _run(self, method: Any, *args: Any) -> Any:
        try:
            return method(*args)
        except redis.RedisError as exc:
            _fail(self.location, exc)

    def source(self, url: str) -> SourceRecord | None:
        data = self._run(self._db.hgetall, self._key("src", url))
        if not data:
            return None
        field = {k.decode(): v.decode() for k, v in data.items()}
        return SourceRecord(
            url,
            field["role"],
            field["etag"] or None,
            field["last_modified"] or None,
            when_of(field["last_read"]),
            field["status"],
            field["error"],
            int(field["failures"]),
        )

    def update_source(self, record: SourceRecord, listing: Sequence[Listing] | None, when: datetime) -> None:
        fields = {
            "role": record.role,
            "etag": record.etag or "",
            "last_modified": record.last_modified or "",
            "last_read": when_text(record.last_read) if record.last_read else "",
            "status": record.status,
            "error": record.error,
            "failures": str(record.failures),
        }
        answered = "1" if record.status in ("read", "unchanged") else "0"
        args = [self.prefix, record.url, when_text(when), answered, "0" if listing is None else "1"]
        args += [x for pair in fields.items() for x in pair]
        pages = [x for url, date in listing or () for x in (url, when_text(date) if date else "")]
        self._run(self._source, [], [*args, *pages])

    def listing(self, source: str) -> list[Listing]:
        found = [_text(x) for x in self._run(self._db.lrange, self._key("list", source), 0, -1)]
        return [(found[i], when_of(found[i + 1])) for i in range(0, len(found) - 1, 2)]

    def pending(self, urls: Sequence[str]) -> list[str]:
        unique = list(dict.fromkeys(urls))
        if not unique:
            return []
        found = self._run(self._db.hmget, self._key("items"), unique)
        return [u for u, raw in zip(unique, found, strict=True) if is_pending(item_of(raw.decode()) if raw else None)]

    def record(self, item: ItemRecord, copies: Sequence[tuple[Copy, Article]], when: datetime) -> None:
        before = self._run(self._db.hget, self._key("items"), item.url)
        item = retried(item, item_of(before.decode()) if before else None)
        args: list[Any] = [self.prefix, item.url, item_json(item), when_text(when), len(copies)]
        for copy, page in copies:
            args += [copy.page_url, copy.original_url, copy_json(copy), article_json(page)]
        self._run(self._record, [], args)

    def ours(self, since: datetime | None) -> list[ItemRecord]:
        records = self._run(self._db.hvals, self._key("items"))
        found = [item for item in (item_of(r.decode()) for r in records) if is_recent(item, since)]
        return sorted(found, key=lambda i: (i.first_seen, i.url))

    def _load(self, ids: Sequence[int]) -> list[Finding]:
        pipe = self._db.pipeline(transaction=False)
        for finding_id in ids:
            pipe.hmget(self._key("f", str(finding_id)), ["copy", "first_seen", "last_seen", "status", "note"])
        found = []
        for finding_id, row in zip(ids, self._run(pipe.execute), strict=True):
            if row[0] is None:
                continue
            first, last = when_of(_text(row[1])), when_of(_text(row[2]))
            assert first is not None and last is not None
            found.append(Finding(finding_id, copy_of(_text(row[0])), first, last, Status(_text(row[3])), _text(row[4])))
        return found

    def _ids(self) -> list[int]:
        return [int(i) for i in self._run(self._db.zrange, self._key("ids"), 0, -1)]

    def findings(self, filters: Filters | None = None) -> list[Finding]:
        return [f for f in self._load(self._ids()) if keeps(filters, f)]

    def get(self, finding_id: int) -> Finding | None:
        found = self._load([finding_id])
        return found[0] if found else None

    def page(self, finding_id: int) -> Article | None:
        raw = self._run(self._db.hget, self._key("f", str(finding_id)), "page")
        return article_of(raw.decode()) if raw else None

    def set_status(self, ids: Sequence[int], status: Status, note: str | None) -> list[int]:
        done = []
        for finding_id in ids:
            key = self._key("f", str(finding_id))
            if not self._run(self._db.exists, key):
                continue
            fields = {"status": status.value} | ({"note": note} if note is not None else {})
            self._run(self._db.hset, key, None, None, fields)
            done.append(finding_id)
        return done

    def _flagged(self, name: str) -> list[Finding]:
        return self._load(sorted(int(i) for i in self._run(self._db.smembers, self._key(name))))

    def unreported(self) -> list[Finding]:
        return self._flagged("unreported")

    def mark_reported(self, ids: Sequence[int]) -> None:
        if ids:
            self._run(self._db.srem, self._key("unreported"), *ids)

    def unnotified(self) -> list[Finding]:
        return self._flagged("unnotified")

    def mark_notified(self, ids: Sequence[int]) -> None:
        if ids:
            self._run(self._db.srem, self._key("unnotified"), *ids)

    def last_pass(self) -> datetime | None:
        raw = self._run(self._db.hget, self._key("meta"), "last_pass")
        return when_of(raw.decode()) if raw else None

    def pass_done(self, finished: datetime) -> None:
        self._run(self._db.hset, self._key("meta"), "last_pass", when_text(finished))

    def close(self) -> None:
        self._db.close()
