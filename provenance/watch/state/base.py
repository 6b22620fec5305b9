"""The State protocol: what `provenance watch` remembers between passes, and how it is written down.

Two implementations behave the same (tests/test_watch_state.py runs one suite against both):
SQLite, a file beside the index, and Redis, in the Redis index's database. Every write that a
pass makes for one page (the page marked seen, its findings added) is one transaction, so a
pass killed at any moment leaves each page either wholly recorded or not at all: the next pass
checks the pages that are not, and a finding is never lost nor recorded twice.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from provenance.model import Article, Credit, Link, RepeatedBlock, Severity
from provenance.watch.model import Copy, Filters, Finding, FindingGap, Status

MAX_TRIES = 3  # passes that try a page that cannot be fetched before it is given up
Listing = tuple[str, datetime | None]  # a page a source lists, and its date there


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """A source's validators and how its last pass went."""

    url: str
    role: str
    etag: str | None = None
    last_modified: str | None = None
    last_read: datetime | None = None  # the last pass it answered (200 or 304)
    status: str = ""  # "read", "unchanged", "failed"
    error: str = ""
    failures: int = 0  # passes in a row it failed


@dataclass(frozen=True, slots=True)
class ItemRecord:
    """A page a pass dealt with: checked (a copy or not), one of ours indexed, or one that failed."""

    url: str
    found_by: str
    outcome: str  # "copy", "clean", "indexed" (ours), "unreadable", "failed"
    first_seen: datetime
    published: datetime | None = None
    phrases: tuple[str, ...] = ()  # ours: the distinctive phrases the search strategy asks for
    tries: int = 1


class State(Protocol):
    location: str

    def source(self, url: str) -> SourceRecord | None: ...

    def update_source(self, record: SourceRecord, listing: Sequence[Listing] | None, when: datetime) -> None:
        """Save `record`. `listing` (the pages the source lists now, with their dates) replaces the
        one kept; None keeps it. When the source answered, findings on the pages it lists are seen
        again at `when`."""
        ...

    def listing(self, source: str) -> list[Listing]:
        """What the source listed when last read (a 304 says it still does)."""
        ...

    def pending(self, urls: Sequence[str]) -> list[str]:
        """Those of `urls` no pass has dealt with yet (or that failed fewer than MAX_TRIES times), in order."""
        ...

    def record(self, item: ItemRecord, copies: Sequence[tuple[Copy, Article]], when: datetime) -> None:
        """One page, atomically: marked dealt with, and each copy of ours it is added as a new
        finding (or, when that page and original were recorded before, seen again)."""
        ...

    def ours(self, since: datetime | None) -> list[ItemRecord]:
        """Our articles that watch indexed, published (or first seen, undated) on or after `since`."""
        ...

    def findings(self, filters: Filters | None = None) -> list[Finding]:
        """Findings in the order they were found."""
        ...

    def get(self, finding_id: int) -> Finding | None: ...

    def page(self, finding_id: int) -> Article | None:
        """The copying page as it was extracted, for its evidence (checked again against the index)."""
        ...

    def set_status(self, ids: Sequence[int], status: Status, note: str | None) -> list[int]:
        """Set the status (and the note, unless None) of these findings; the ids that exist."""
        ...

    def unreported(self) -> list[Finding]:
        """Findings recorded that no pass has shown yet (a pass killed before its output left them)."""
        ...

    def mark_reported(self, ids: Sequence[int]) -> None: ...

    def unnotified(self) -> list[Finding]:
        """Findings the webhook has not taken yet (it failed, or none was configured)."""
        ...

    def mark_notified(self, ids: Sequence[int]) -> None: ...

    def last_pass(self) -> datetime | None: ...

    def pass_done(self, finished: datetime) -> None: ...

    def close(self) -> None: ...


# --- how records are written down: JSON with ISO 8601 dates, the same in both stores --------------


def when_text(value: datetime) -> str:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


def when_of(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def copy_json(copy: Copy) -> str:
    data: dict[str, Any] = {
        "page_url": copy.page_url,
        "site": copy.site,
        "title": copy.title,
        "original_url": copy.original_url,
        "original_title": copy.original_title,
        "relation": copy.relation,
        "copied_share": copy.copied_share,
        "reproduced_share": copy.reproduced_share,
        "gaps": [[g.rule, g.name, g.severity.value, g.message, list(g.evidence)] for g in copy.gaps],
        "found_by": copy.found_by,
        "partner": copy.partner,
    }
    return json.dumps(data, ensure_ascii=False)


def copy_of(text: str) -> Copy:
    data = json.loads(text)
    gaps = tuple(FindingGap(r, n, Severity(s), m, tuple(e)) for r, n, s, m, e in data["gaps"])
    return Copy(
        data["page_url"],
        data["site"],
        data["title"],
        data["original_url"],
        data["original_title"],
        data["relation"],
        data["copied_share"],
        data["reproduced_share"],
        gaps,
        data["found_by"],
        data.get("partner"),
    )


def article_json(article: Article) -> str:
    data = {
        "source": article.source,
        "paragraphs": list(article.paragraphs),
        "url": article.url,
        "canonical_url": article.canonical_url,
        "title": article.title,
        "byline": article.byline,
        "site_name": article.site_name,
        "publisher": article.publisher,
        "published": when_text(article.published) if article.published else None,
        "modified": when_text(article.modified) if article.modified else None,
        "language": article.language,
        "credits": [[c.name, c.text, c.kind, c.link, c.position] for c in article.credits],
        "links": [[k.href, k.text, k.position] for k in article.links],
        "repeated_blocks": [[b.first_paragraph, b.paragraphs, b.chars, b.reason] for b in article.repeated_blocks],
        "dates_shown": list(article.dates_shown),
    }
    return json.dumps(data, ensure_ascii=False)


def article_of(text: str) -> Article:
    data = json.loads(text)
    return Article(
        source=data["source"],
        paragraphs=tuple(data["paragraphs"]),
        url=data["url"],
        canonical_url=data["canonical_url"],
        title=data["title"],
        byline=data["byline"],
        site_name=data["site_name"],
        publisher=data["publisher"],
        published=when_of(data["published"]),
        modified=when_of(data["modified"]),
        language=data["language"],
        credits=tuple(Credit(*c) for c in data["credits"]),
        links=tuple(Link(*k) for k in data["links"]),
        repeated_blocks=tuple(RepeatedBlock(*b) for b in data["repeated_blocks"]),
        dates_shown=tuple(data["dates_shown"]),
    )


def item_json(item: ItemRecord) -> str:
    data = {
        "url": item.url,
        "found_by": item.found_by,
        "outcome": item.outcome,
        "first_seen": when_text(item.first_seen),
        "published": when_text(item.published) if item.published else None,
        "phrases": list(item.phrases),
        "tries": item.tries,
    }
    return json.dumps(data, ensure_ascii=False)


def item_of(text: str) -> ItemRecord:
    data = json.loads(text)
    first_seen = when_of(data["first_seen"])
    assert first_seen is not None
    return ItemRecord(
        data["url"],
        data["found_by"],
        data["outcome"],
        first_seen,
        when_of(data["published"]),
        tuple(data["phrases"]),
        data["tries"],
    )


def is_pending(item: ItemRecord | None) -> bool:
    return item is None or (item.outcome == "failed" and item.tries < MAX_TRIES)


def is_recent(item: ItemRecord, since: datetime | None) -> bool:
    when = item.published or item.first_seen
    return item.outcome == "indexed" and (since is None or when >= since)


def retried(item: ItemRecord, before: ItemRecord | None) -> ItemRecord:
    """A failure counts the tries before it."""
    if item.outcome == "failed" and before is not None and before.outcome == "failed":
        return replace(item, first_seen=before.first_seen, tries=before.tries + 1)
    return item


def keeps(filters: Filters | None, finding: Finding) -> bool:
    return filters is None or filters.keeps(finding)
