"""The one exception tree: every error the library raises on purpose, all of it exported by `provenance`.

ProvenanceError
├── InputError          the article or a candidate cannot be read or understood (.source, .reason)
│   ├── UnsupportedFormat   not HTML, text or Markdown
│   ├── EmptyArticle        no article text in it
│   └── TooLarge            past one of the limits of one article (docs/limits.md)
├── FetchError          a URL could not be fetched (.url, .reason)
├── StoreError          the index cannot be opened or used (.location, .reason)
├── StateError          `provenance watch`'s state cannot be opened or used (.location, .reason)
├── DiscoveryError      a discovery strategy could not work at all: reported as failed, the check goes on
├── LimitReached        the discovery budget is spent (.timed_out): a strategy stops and keeps what it found
└── ConfigError         a setting or option is wrong

The CLI prints any of them as one line and exits 2. The message says what to do about it.
"""

from __future__ import annotations


class ProvenanceError(Exception):
    """Base of every error the library raises on purpose."""


class InputError(ProvenanceError):
    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"cannot read {source}: {reason}")
        self.source = source
        self.reason = reason


class UnsupportedFormat(InputError):
    pass


class EmptyArticle(InputError):
    pass


class TooLarge(InputError):
    """An input past one of the limits: "too large: 50,000 paragraphs; an article may have 5,000"."""

    def __init__(self, source: str, what: str) -> None:
        super().__init__(source, f"too large: {what} (docs/limits.md)")


class FetchError(ProvenanceError):
    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"cannot fetch {url}: {reason}")
        self.url = url
        self.reason = reason


class StoreError(ProvenanceError):
    def __init__(self, location: str, reason: str) -> None:
        super().__init__(f"index {location}: {reason}")
        self.location = location
        self.reason = reason


class StateError(ProvenanceError):
    def __init__(self, location: str, reason: str) -> None:
        super().__init__(f"watch state {location}: {reason}")
        self.location = location
        self.reason = reason


class DiscoveryError(ProvenanceError):
    """A strategy could not work at all (its search engine or every feed is down): it is reported as failed."""


class LimitReached(ProvenanceError):
    """The discovery budget is spent: a strategy stops here and keeps what it found.

    Deliberately not a FetchError, which strategies catch per page and go on.
    """

    def __init__(self, reason: str, *, timed_out: bool) -> None:
        super().__init__(reason)
        self.timed_out = timed_out


class ConfigError(ProvenanceError):
    pass
