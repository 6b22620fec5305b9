"""Fixtures and hooks only: a private index and cache for every test, no web discovery, a settings file for
a local site, and fixtures/ served on 127.0.0.1. Helpers live in tests/support/ (tests/README.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.fixture_site import serving_fixtures

# the `browser` and `page` fixtures (Debian's chromium through Playwright, which loads only when a test asks)
pytest_plugins = ("tests.support.browser",)


@pytest.fixture(autouse=True)
def _private_index(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read or write the user's own index."""
    monkeypatch.setenv("PROVENANCE_INDEX", str(tmp_path_factory.mktemp("index") / "index.sqlite"))


@pytest.fixture(autouse=True)
def _no_web_discovery(monkeypatch: pytest.MonkeyPatch) -> None:
    """Checks of URLs never look for candidates on the real web; tests of discovery name their strategies."""
    monkeypatch.setenv("PROVENANCE_DISCOVER", "none")
    monkeypatch.delenv("PROVENANCE_SEARXNG", raising=False)
    monkeypatch.delenv("PROVENANCE_WAYBACK", raising=False)


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read or write the user's HTTP cache, nor each other's, nor robots.txt rules
    another test's server (maybe on the same port) gave."""
    from provenance.fetch.robots import forget

    monkeypatch.setenv("PROVENANCE_CACHE", str(tmp_path_factory.mktemp("cache")))
    forget()


@pytest.fixture
def site_config(tmp_path: Path) -> str:
    """A settings file, as a user testing against their own local site writes it: loopback
    allowed, no per-host delay, no retries (so a refused port fails at once)."""
    path = tmp_path / "provenance.toml"
    path.write_text("[discovery]\nallow-private = true\ndelay = 0\nattempts = 1\n")
    return str(path)


@pytest.fixture(scope="session")
def fixture_site() -> Iterator[str]:
    """Base URL of a server on loopback serving fixtures/ as a web site (tests/support/fixture_site.py)."""
    with serving_fixtures() as url:
        yield url
