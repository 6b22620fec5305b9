"""Reading a file someone else may have made (a repository's article, config or baseline).

Only regular files, opened without blocking (a FIFO named `x.md` would wait forever for a
writer; `/dev/zero` never ends), and never more than a cap.
"""

from __future__ import annotations

import os
import stat

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


class Unreadable(Exception):
    """Why a file cannot be read: "a FIFO, not a regular file", "larger than 20 MB", an OS error."""


def kind_of(mode: int) -> str | None:
    """What a file of `mode` is when it is not a regular file ("a FIFO"), None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def size_text(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MB"


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file at `path` (symlinks followed), at most `limit` of them; Unreadable else."""
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise Unreadable(getattr(exc, "strerror", None) or str(exc)) from None
    try:
        info = os.fstat(handle)
        if (kind := kind_of(info.st_mode)) is not None:
            raise Unreadable(f"{kind}, not a regular file")
        if info.st_size > limit:
            raise Unreadable(f"larger than {size_text(limit)}")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(handle, min(1024 * 1024, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # it grew while being read
            raise Unreadable(f"larger than {size_text(limit)}")
        return b"".join(chunks)
    except OSError as exc:
        raise Unreadable(exc.strerror or str(exc)) from None
    finally:
        os.close(handle)
