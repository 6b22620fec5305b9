"""What a ci run checks: files, directories, globs, URLs, files listing URLs, sitemaps -> Inputs.

Paths are reported relative to the run's root (the config file's directory, else the working
directory) with "/" separators. `exclude` patterns (the policy's) apply to every file, even one
named on the command line: a pre-commit hook passes every changed file, drafts included.

A repository may be hostile (a pull request from a stranger), so inputs are regular files inside
the tree named: the root, or for a path named outside it, that path's own directory. A symlink is
followed only when it leads inside that tree (`follow_symlinks` lifts this); a directory met
twice (a symlink loop) is walked once; FIFOs, devices and sockets are skipped. Each skipped path
is reported through `on_skipped(path, why)`. Reading is capped (`read_input`), and patterns are
matched by `ci.globs`, in time proportional to the pattern and the path.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from provenance import urls
from provenance.ci.globs import GLOB_CHARS, literal_base, matches
from provenance.errors import InputError
from provenance.fetch import MAX_BYTES
from provenance.files import Unreadable, kind_of, read_regular
from provenance.urls import is_url

if TYPE_CHECKING:
    import httpx

SUFFIXES = frozenset({".md", ".markdown", ".html", ".htm"})
MAX_URL_LIST_BYTES = 16 * 1024 * 1024
Skipped = Callable[[str, str], None]


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


def excluded(path: str, patterns: Sequence[str]) -> bool:
    """Whether a root-relative path matches an exclude pattern, or lies in a directory one matches;
    a pattern without "/" matches at any depth."""
    for raw in patterns:
        pattern = raw.strip("/")
        if pattern and matches(pattern if "/" in pattern else f"**/{pattern}", path, or_inside=True):
            return True
    return False


def read_input(path: str) -> bytes:
    """An input file's bytes: a regular file, never blocking, at most MAX_BYTES; InputError else."""
    try:
        return read_regular(path, MAX_BYTES)
    except Unreadable as exc:
        raise InputError(path, str(exc)) from None


def _inside(path: str, tree: str) -> bool:
    return path == tree or path.startswith(tree.rstrip(os.sep) + os.sep)


@dataclass(frozen=True)
class _Tree:
    """Where the inputs of one named path may lead."""

    top: str  # its real path
    follow_symlinks: bool

    def refusal(self, path: str) -> str | None:
        """Why the file at `path` is not an input (None: it is one)."""
        try:
            if os.path.islink(path) or os.path.realpath(path) != os.path.abspath(path):
                target = os.path.realpath(path)
                if not self.follow_symlinks and not _inside(target, self.top):
                    return f"a symlink to {target}, outside the tree checked (--follow-symlinks reads it)"
            kind = kind_of(os.stat(path).st_mode)
        except OSError as exc:
            return f"cannot be read ({exc.strerror or exc})"
        return f"{kind}, not a regular file" if kind else None


def _walk(directory: str, tree: _Tree, skipped: Skipped, wanted: Callable[[str], bool]) -> Iterator[str]:
    """Files under `directory` (sorted, top-down) that `wanted` (a path relative to it) accepts, skipping
    hidden directories, node_modules, symlinks leading out of the tree and directories met before."""
    seen: set[tuple[int, int]] = set()
    stack = [(directory, "")]
    while stack:
        current, relative = stack.pop()
        try:
            info = os.stat(current)
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            skipped(current, f"cannot be read ({exc.strerror or exc})")
            continue
        if (info.st_dev, info.st_ino) in seen:
            skipped(current, "a directory already walked (a symlink to it, or a loop)")
            continue
        seen.add((info.st_dev, info.st_ino))
        subdirectories = []
        for entry in entries:
            name, rel = entry.name, f"{relative}{entry.name}"
            if name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if name == "node_modules":
                    continue
                if entry.is_symlink() and (why := tree.refusal(entry.path)):
                    skipped(entry.path, why)
                    continue
                subdirectories.append((entry.path, f"{rel}/"))
            elif Path(name).suffix.lower() in SUFFIXES and wanted(rel):
                if why := tree.refusal(entry.path):
                    skipped(entry.path, why)
                else:
                    yield entry.path
        stack.extend(reversed(subdirectories))


def url_list(path: str) -> list[str]:
    """The URLs of a file listing one per line; blank lines and # comments skipped."""
    try:
        lines = read_regular(path, MAX_URL_LIST_BYTES).decode("utf-8").splitlines()
    except Unreadable as exc:
        raise InputError(path, str(exc)) from None
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text") from None
    found = []
    for number, line in enumerate(lines, start=1):
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        entry = entry.split()[0]  # a trailing "# note" after the URL
        if why := urls.problem(entry):
            raise InputError(f"{path}:{number}", f"not a valid http(s) URL ({why}): {entry[:200]!r}")
        found.append(entry)
    return found


def collect(
    specs: Sequence[str],
    root: Path,
    *,
    exclude: Sequence[str] = (),
    url_files: Sequence[str] = (),
    sitemap_urls: Callable[[], Iterable[str]] | None = None,
    follow_symlinks: bool = False,
    on_skipped: Skipped | None = None,
) -> list[Input]:
    """The inputs named by `specs` (the root itself when nothing is named), de-duplicated, in order.

    A path that does not exist and matches no glob is an InputError (exit 2): a typo must not pass
    as a clean run. `sitemap_urls` (the pages of --sitemap, fetched) is called only when given.
    What is not a regular file inside the tree is left out and passed to `on_skipped(path, why)`.
    """
    root = Path(os.path.abspath(root))
    real_root = os.path.realpath(root)
    found: list[Input] = []
    seen: set[str] = set()

    def skipped(path: str, why: str) -> None:
        if on_skipped is not None:
            on_skipped(display_path(Path(path), root), why)

    def add(source: str, path: str) -> None:
        if source not in seen and not (not is_url(source) and excluded(path, exclude)):
            seen.add(source)
            found.append(Input(source, path))

    def tree(named: str, own: str) -> _Tree:
        """The root's tree for what is named inside the root, else `own` (a directory's)."""
        inside = _inside(os.path.abspath(named), str(root))
        return _Tree(real_root if inside else os.path.realpath(own), follow_symlinks)

    def add_files(files: Iterator[str]) -> None:
        for file in files:
            add(os.path.abspath(file), display_path(Path(file), root))

    named = list(specs) or ([] if url_files or sitemap_urls else [str(root)])
    for spec in named:
        if is_url(spec):
            if why := urls.problem(spec):  # a typo, as a missing path is: the run could not vouch for it
                raise InputError(spec, f"not a valid URL ({why})")
            add(spec, spec)
        elif os.path.isdir(spec):
            add_files(_walk(spec, tree(spec, spec), skipped, lambda _: True))
        elif os.path.lexists(spec):
            if why := tree(spec, os.path.dirname(os.path.abspath(spec))).refusal(spec):
                skipped(spec, why)
            else:
                add_files(iter([spec]))
        elif GLOB_CHARS & set(spec):
            base, pattern = literal_base(spec)
            base = base or "."
            if os.path.isdir(base):
                add_files(_walk(base, tree(base, base), skipped, partial(matches, pattern)))
        else:
            raise InputError(spec, "no such file or directory")
    for listing in url_files:
        for url in url_list(listing):
            add(url, url)
    if sitemap_urls is not None:
        for url in sitemap_urls():
            if why := urls.problem(url):
                skipped(url[:200], f"not a valid URL ({why})")
            else:
                add(url, url)
    return found


def sitemap_pages(urls: Sequence[str], client: httpx.Client) -> list[str]:
    """The page URLs of sitemaps and sitemap indexes (the index's walk); an unreadable sitemap is an error (exit 2)."""
    from provenance.fetch import fetch
    from provenance.index.readers.sitemaps import Unread, walk

    pages: list[str] = []
    for entry in walk(urls, lambda url: fetch(url, client).content):
        if isinstance(entry, Unread):
            raise entry.error
        pages.append(entry.url)
    return pages
