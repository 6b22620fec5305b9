"""Bytes and strings from strangers made text: charset labels resolved, NULs and lone surrogates replaced.

A page or a server names its charset, and Python's codec registry answers to more than
charsets: `undefined` always raises UnicodeError, `unicode_escape` reads backslashes as escapes,
`rot13` and `base64` are not text encodings at all. `codec_for` resolves a label to a codec a
page could really be written in, or None (the caller falls back: docs/fetching.md, Charsets).

A NUL or a lone surrogate (from a lenient decoder, a JSON `"\\ud800"`, a feed) is no character
a page shows, and each breaks something later (C APIs stop at NUL; UTF-8 cannot write a
surrogate). `as_text` replaces each with U+FFFD, one for one, where text enters the pipeline.
"""

from __future__ import annotations

import codecs
import re

# As browsers do (WHATWG Encoding): pages labelled Latin-1 or ASCII are read as windows-1252.
_LABELS = {"iso-8859-1": "windows-1252", "latin-1": "windows-1252", "latin1": "windows-1252", "ascii": "windows-1252"}
# Python codecs that claim to be text encodings but are not charsets a page is written in.
_NOT_CHARSETS = frozenset({"undefined", "unicode-escape", "raw-unicode-escape", "idna", "punycode", "charmap"})
_LABEL_MAX_CHARS = 40  # the longest charset label registered with IANA is 45 with its prefix; none near it is used
_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")


def codec_for(label: str | None) -> str | None:
    """The Python codec name for a charset label, None when it names no charset a page may use."""
    if not label or len(label) > _LABEL_MAX_CHARS:
        return None
    name = label.strip().strip("\"'").lower()
    name = _LABELS.get(name, name)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    return info.name


def decoded(data: bytes, label: str | None) -> str | None:
    """`data` decoded strictly with the charset `label` names; None when it names none or does not fit."""
    codec = codec_for(label)
    if codec is None:
        return None
    try:
        return data.decode(codec)
    except (UnicodeError, LookupError, ValueError):  # UnicodeError covers more than UnicodeDecodeError
        return None


def as_text(value: str) -> str:
    """`value` with each NUL and lone surrogate replaced by U+FFFD (offsets kept)."""
    return _NOT_TEXT.sub("\ufffd", value) if not value.isascii() or "\x00" in value else value
