"""The incremental cache: a file's result is kept under a key of everything that could change it.

Key: the file's bytes, its reported path, the policy, the check settings (shingles, thresholds,
publishers, discovery), provenance's version and the index's identity (its path, size and
modification time, so adding to it invalidates every entry). A Redis index has no cheap
identity, so runs against one are not cached. Entries live in `ci/` under the fetch cache's
directory ($PROVENANCE_CACHE, else the user cache dir). A corrupt or unreadable entry is a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from provenance._version import __version__
from provenance.ci.model import ArticleResult

SUBDIR = "ci"


def index_identity(location: str | None) -> str | None:
    """What changes when the index does; None when that cannot be told (Redis), "" for no index."""
    if location is None:
        return ""
    if "://" in location:
        return None
    parts = [location]
    # opening a SQLite file creates an empty -wal: only a -wal holding pages says the index changed
    for path, always in ((Path(location), True), (Path(location + "-wal"), False)):
        with contextlib.suppress(OSError):
            stat = path.stat()
            if always or stat.st_size:
                parts.append(f"{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(parts)


def run_key(policy_digest: str, settings_digest: str, index: str) -> str:
    """The part of every entry's key shared by a run."""
    data = f"{__version__}\0{policy_digest}\0{settings_digest}\0{index}".encode()
    return hashlib.sha256(data).hexdigest()


def entry_key(run: str, path: str, content: bytes) -> str:
    digest = hashlib.sha256(content).hexdigest()
    return hashlib.sha256(f"{run}\0{path}\0{digest}".encode()).hexdigest()


class ResultCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory / SUBDIR

    def _file(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> ArticleResult | None:
        # Entries are pickles written by this user's own runs, in this user's cache directory.
        try:
            value = pickle.loads(self._file(key).read_bytes())
        except FileNotFoundError:
            return None
        except Exception:  # truncated, from another version, unreadable: check again
            return None
        return value if isinstance(value, ArticleResult) else None

    def put(self, key: str, result: ArticleResult) -> None:
        """Written atomically (a temporary file renamed) so parallel workers never see half an entry."""
        target = self._file(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, target)
        except OSError:
            return  # a read-only or full cache slows the next run down; it does not fail this one
