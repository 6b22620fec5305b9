"""One exception hierarchy; the CLI turns each into a one-line message and exit code 2.

ProvenanceError
├── InputError          the article or a candidate cannot be read or understood
│   ├── UnsupportedFormat
│   └── EmptyArticle
├── FetchError          a URL could not be fetched (carries .url)
├── StoreError          the index cannot be opened or used (carries .location)
├── StateError          `provenance watch`'s state cannot be opened or used (carries .location)
└── ConfigError         a setting or option is wrong
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


class ConfigError(ProvenanceError):
    pass
