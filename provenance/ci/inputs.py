"""What a ci run checks: files, directories, globs, URLs, files listing URLs, sitemaps -> Inputs.

Paths are reported relative to the run's root (the config file's directory, else the working
directory) with "/" separators. `exclude` patterns (the policy's) apply to every file, even one
named on the command line: a pre-commit hook passes every changed file, drafts included.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from provenance.errors import InputError
from provenance.sources import is_url

if TYPE_CHECKING:
    import httpx

SUFFIXES = frozenset({".md", ".markdown", ".html", ".htm"})
_GLOB_CHARS = re.compile(r"[*?\[]")


@dataclass(frozen=True, slots=True)
class Input:
    source: str  # what is loaded: a file path (absolute) or a URL
    path: str  # what findings name: relative to the root, "/"-separated; the URL itself for URLs

    @property
    def is_url(self) -> bool:
        return is_url(self.source)


def display_path(path: Path, root: Path) -> str:
    """`path` relative to `root` with "/" separators; absolute (still "/") when outside it."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.as_posix()


@cache
def _pattern(glob_pattern: str) -> re.Pattern[str]:
    """A gitignore-like glob as a regex: `**` crosses directories, `*` and `?` do not."""
    out, i = [], 0
    while i < len(glob_pattern):
        if glob_pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob_pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob_pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob_pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(glob_pattern[i]))
            i += 1
    return re.compile("".join(out) + "(?:/.*)?")  # a directory's pattern excludes what is inside it


def excluded(path: str, patterns: Sequence[str]) -> bool:
    """Whether a root-relative path matches an exclude pattern; a pattern without "/" matches at any depth."""
    for raw in patterns:
        pattern = raw.strip("/")
        if not pattern:
            continue
        if "/" in pattern:
            if _pattern(pattern).fullmatch(path):
                return True
        elif any(_pattern(pattern).fullmatch("/".join(path.split("/")[i:])) for i in range(path.count("/") + 1)):
            return True
    return False


def _walk(directory: Path) -> Iterator[Path]:
    """Supported files under `directory`, sorted, skipping hidden directories (.git, .venv, ...)."""
    for current, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
        for name in sorted(files):
            if Path(name).suffix.lower() in SUFFIXES:
                yield Path(current) / name


def url_list(path: str) -> list[str]:
    """The URLs of a file listing one per line; blank lines and # comments skipped."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(path, exc.strerror or str(exc)) from None
    urls = []
    for number, line in enumerate(lines, start=1):
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        entry = entry.split()[0]  # a trailing "# note" after the URL
        if not is_url(entry):
            raise InputError(f"{path}:{number}", f"not an http(s) URL: {entry!r}")
        urls.append(entry)
    return urls


def collect(
    specs: Sequence[str],
    root: Path,
    *,
    exclude: Sequence[str] = (),
    url_files: Sequence[str] = (),
    sitemap_urls: Callable[[], Iterable[str]] | None = None,
) -> list[Input]:
    """The inputs named by `specs` (the root itself when nothing is named), de-duplicated, in order.

    A path that does not exist and matches no glob is an InputError (exit 2): a typo must not pass
    as a clean run. `sitemap_urls` (the pages of --sitemap, fetched) is called only when given.
    """
    root = Path(os.path.abspath(root))
    found: list[Input] = []
    seen: set[str] = set()

    def add(source: str, path: str) -> None:
        if source not in seen and not (not is_url(source) and excluded(path, exclude)):
            seen.add(source)
            found.append(Input(source, path))

    def add_file(file: Path) -> None:
        add(os.path.abspath(file), display_path(file, root))

    named = list(specs) or ([] if url_files or sitemap_urls else [str(root)])
    for spec in named:
        if is_url(spec):
            add(spec, spec)
        elif Path(spec).is_dir():
            for file in _walk(Path(spec)):
                add_file(file)
        elif Path(spec).is_file():
            add_file(Path(spec))
        elif _GLOB_CHARS.search(spec):
            matches = sorted(glob.glob(spec, recursive=True))
            for match in matches:
                if Path(match).is_dir():
                    continue
                if Path(match).suffix.lower() in SUFFIXES:
                    add_file(Path(match))
        else:
            raise InputError(spec, "no such file or directory")
    for listing in url_files:
        for url in url_list(listing):
            add(url, url)
    if sitemap_urls is not None:
        for url in sitemap_urls():
            add(url, url)
    return found


MAX_SITEMAPS = 50  # sitemap indexes followed at most, as `index add-sitemap` does


def sitemap_pages(urls: Sequence[str], client: httpx.Client) -> list[str]:
    """The page URLs of sitemaps and sitemap indexes; an unreadable sitemap is an error (exit 2)."""
    from provenance.feeds import parse_sitemap
    from provenance.fetch import fetch

    queue, seen, pages = list(urls), set[str](), list[str]()
    while queue and len(seen) < MAX_SITEMAPS:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        sitemap = parse_sitemap(fetch(url, client).content, url)
        queue.extend(sitemap.children)
        pages.extend(page.url for page in sitemap.pages)
    return pages
