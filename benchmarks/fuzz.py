"""Hostile input through the real command line: `python -m benchmarks.fuzz [--cases N] [--timeout S] [--workers N]`.

Generates cases of every class of issue 11 (bad URLs, impossible dates, deep or odd JSON-LD,
bad charsets, NULs and surrogates, regular-expression worst cases, huge pages, control
characters in every field, JSONL records, hostile repositories), runs each through
`provenance check`, `index import` or `ci` in a folder of its own, with a time limit per case,
and prints per class and command how many ended:

- ok: exit 0 or 1 (findings), no traceback;
- clean error: exit 2, one `error:` line on stderr (`ci`: one per article it could not check), no traceback;
- internal error: `internal error` or a traceback on stderr, or any other exit;
- hang: still running at the time limit (killed with its process group);
- raw control: a control character, direction override or lone surrogate on stdout or stderr.

By default each worker imports provenance once and forks per case, then calls the console
script's entry point (`provenance.cli:main`) in the child with the case's argv, stdin, stdout,
stderr, environment and working directory: the CLI as a user runs it, without paying Python's
start-up ten thousand times. `--subprocess` runs `python -m provenance` instead (slower, the same
verdicts). Cases are reproducible from `--seed`; `--keep DIR` keeps the folders of failed ones.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

OUTCOMES = ("ok", "clean error", "internal error", "hang", "raw control")
CHECK_FORMATS = ("full", "concise", "json", "html")
CI_FORMATS = ("full", "concise", "json", "sarif", "junit", "markdown", "github", "html")


@dataclass
class Case:
    kind: str  # the class of hostile input
    command: str  # check | import | ci
    steps: list[list[str]]  # argv after `provenance`, run in order; the worst outcome counts
    files: dict[str, bytes | tuple[str, str]] = field(
        default_factory=dict
    )  # path -> bytes, ("symlink", to), ("fifo", "")
    stdin: bytes = b""


# -- what the cases are made of ----------------------------------------------------------------

WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "on",
    "with",
    "was",
    "as",
    "by",
    "at",
    "from",
    "he",
    "she",
    "said",
    "his",
    "her",
    "has",
    "have",
    "are",
    "were",
    "which",
    "this",
    "not",
    "but",
    "they",
    "their",
    "will",
    "who",
    "had",
    "been",
    "after",
    "city",
    "council",
    "river",
    "bridge",
    "ferry",
    "harbour",
    "board",
    "fares",
    "island",
    "crossing",
    "vote",
    "week",
    "minister",
    "police",
    "report",
    "storm",
    "port",
    "workers",
    "strike",
]
BAD_URLS = [
    "http://[::1/x",
    "http://[::1",
    "https://h:99999/",
    "http://0177.0.0.1/",
    "http://host:/",
    "javascript:alert(1)",
    "http://a b/",
    "http://\x00/",
    "//[",
    "http://[fe80::1%25eth0]/",
    "http://" + "a" * 9000 + "/",
    "http://%zz/",
    "https://\u202eevil.example/",
    "mailto:x",
    "http://a..b/",
    "http://[::ffff:169.254.169.254]/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "ftp://x/",
    "http://[::1]:80:80/",
    "http:///x",
    "https://ex\tample.com/",
    "\ud800",
    "http://[",
    "http://]/",
    "http://x:-1/",
    "https://é.example/",
]
BAD_DATES = [
    "2020-01-01T00:00:00+99:99",
    "0000-01-01",
    "10000-01-01",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31",
    "0001-01-01T00:00:00+14:00",
    "2020-13-45",
    "2020-02-30",
    "Sep 99, 2018",
    "31 February 2019",
    "2019-01-01T25:61:61",
    "-2020-01-01",
    "2020-01-01T00:00:00+14:01",
    "1000-01-01T00:00:00+00:01",
    "2999-12-31T23:59:59-14:00",
    "1e400",
    "99999999999-01-01",
    "2020-01-01T00:00:00.9999999999+00:00",
    "Tue Sep 11, 2018 99:99:am",
    "11 September 2018 24:61",
]
CONTROLS = [
    "\x1b]52;c;cHduZWQ=\x07",
    "\x1b[2J",
    "\x1b]0;pwned\x07",
    "\x9b31m",
    "\u202e",
    "\u2066",
    "\x00",
    "\x07",
    "\r",
    "\x0b",
    "\x7f",
    "\n::error::x",
    "\ud800",
    "\udfff",
    "\u2028",
]
CHARSETS = [
    "undefined",
    "unicode_escape",
    "raw_unicode_escape",
    "rot13",
    "base64",
    "hex",
    "zlib",
    "utf-7",
    "idna",
    "punycode",
    "x-user-defined",
    "utf-16",
    "utf-32",
    "charmap",
    "mbcs",
    "\x00",
    "a" * 200,
    "utf-8-sig",
    "latin1",
    "ascii",
    "cp1252",
    "big5",
    "shift_jis",
    "",
    "utf8;",
    "iso-2022-jp",
]
REGEX_UNITS = [
    " ",
    "\t",
    "1 ",
    "<!--",
    "[",
    "](",
    "[a](",
    "!",
    ".",
    "(",
    "<",
    "-- ",
    ", ",
    "A ",
    "A. ",
    "'a ",
    "1:00 ",
    "2019 ",
    "said: ",
    "By A, ",
    "©",
    "/a",
    "A-",
    '\\"',
    "{",
    "<meta",
]


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18))).capitalize() + "."


def story(rng: random.Random, paragraphs: int | None = None) -> list[str]:
    return [" ".join(sentence(rng) for _ in range(rng.randint(1, 3))) for _ in range(paragraphs or rng.randint(3, 8))]


def html_page(title: str, paragraphs: list[str], head: str = "", charset: str = "utf-8") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="en"><head><meta charset="{charset}"><title>{title}</title>{head}</head>'
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )


def markdown(title: str, paragraphs: list[str], front: dict[str, str] | None = None) -> str:
    lines = ["---", *(f"{k}: {v}" for k, v in (front or {}).items()), "---"] if front else []
    return "\n".join([*lines, f"# {title}", "", *(p + "\n" for p in paragraphs)])


def enc(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def jsonl(records: Sequence[Mapping[str, object]]) -> bytes:
    return b"".join(enc(json.dumps(r)) + b"\n" for r in records)


def check_case(kind: str, name: str, data: bytes, rng: random.Random, *extra: str) -> Case:
    fmt = rng.choice(CHECK_FORMATS)
    return Case(kind, "check", [["check", name, "--no-index", "-f", fmt, *extra]], {name: data})


def ci_case(kind: str, files: dict[str, bytes | tuple[str, str]], rng: random.Random, *extra: str) -> Case:
    steps = [["ci", "--no-index", "--no-cache", "--workers", "1", "-f", rng.choice(CI_FORMATS), *extra]]
    return Case(kind, "ci", steps, files)


def import_case(kind: str, data: bytes, rng: random.Random, then_check: bool = True) -> Case:
    steps = [
        [
            "index",
            "import",
            "records.jsonl",
            "--index",
            "idx.sqlite",
            "--workers",
            "1",
            "--on-error",
            rng.choice(["skip", "stop"]),
        ]
    ]
    files: dict[str, bytes | tuple[str, str]] = {"records.jsonl": data}
    if then_check:  # what was imported must not poison later commands
        files["story.txt"] = enc("\n".join(story(rng)))
        steps += [
            ["index", "stats", "--index", "idx.sqlite"],
            ["check", "story.txt", "--index", "idx.sqlite", "-f", rng.choice(CHECK_FORMATS)],
        ]
    return Case(kind, "import", steps, files)


# -- the classes -------------------------------------------------------------------------------


def bad_url(rng: random.Random, command: str) -> Case:
    url, paragraphs = rng.choice(BAD_URLS), story(rng)
    spot = rng.randrange(len(paragraphs))
    paragraphs[spot] += f' <a href="{url}">the board</a>'
    head = rng.choice(
        [
            f'<link rel="canonical" href="{url}">',
            f'<meta property="og:url" content="{url}">',
            f'<script type="application/ld+json">{{"@type": "NewsArticle", "url": {json.dumps(url)}}}</script>',
            f'<base href="{url}">',
            "",
        ]
    )
    page = html_page("Ferry fares rise", paragraphs, head)
    if command == "check":
        return check_case("bad URL", "page.html", enc(page), rng)
    if command == "import":
        record = rng.choice(
            [
                {"url": url, "text": "\n".join(paragraphs)},
                {"url": "https://harbour.example/a", "html": page},
                {"url": url, "html": page},
            ]
        )
        return import_case(
            "bad URL", jsonl([{"url": "https://ok.example/1", "text": "\n".join(story(rng))}, record]), rng
        )
    text = markdown(
        "Ferry fares",
        [p.replace(f'<a href="{url}">the board</a>', f"[the board]({url})") for p in paragraphs],
        {"canonical": url, "title": "Ferry fares"},
    )
    return ci_case("bad URL", {"story.md": enc(text), "page.html": enc(page)}, rng)


def bad_date(rng: random.Random, command: str) -> Case:
    date, paragraphs = rng.choice(BAD_DATES), story(rng)
    where = rng.randrange(4)
    header = [f"{date}", f"By Ines Marlow {date}", f"HARBOURTON, {date} (Reuters) -", f"Published {date}"][where]
    if command == "check":
        if rng.random() < 0.5:
            return check_case("impossible date", "story.txt", enc("\n".join(["Ferry fares", header, *paragraphs])), rng)
        head = (
            f'<meta property="article:published_time" content="{date}"><script type="application/ld+json">'
            f'{{"@type": "NewsArticle", "datePublished": {json.dumps(date)}, '
            f'"dateModified": {json.dumps(date)}}}</script>'
        )
        page, copy = enc(html_page("Ferry fares", paragraphs, head)), enc(html_page("Ferry", paragraphs, head))
        case = check_case("impossible date", "page.html", page, rng, "--candidate", "copy.html")
        case.files["copy.html"] = copy
        return case
    if command == "import":
        records = [
            {"url": f"https://harbour.example/{n}", "text": "\n".join(paragraphs), "published": d}
            for n, d in enumerate([date, rng.choice(BAD_DATES)])
        ]
        records.append({"url": "https://harbour.example/f", "text": "\n".join(paragraphs), "first_seen": date})
        return import_case("impossible date", jsonl(records), rng)
    return ci_case("impossible date", {"a.md": enc(markdown("Fares", [header, *paragraphs], {"date": date}))}, rng)


def deep_jsonld(rng: random.Random) -> str:
    depth = rng.choice([65, 500, 5000, 20000])
    odd = rng.choice(
        [
            '{"@graph": 5}',
            '{"@type": "NewsArticle", "author": 5, "publisher": true, "isBasedOn": 3.5}',
            '{"@type": ["NewsArticle"], "author": [5, {"name": 7}], "isBasedOn": [{"url": 5}, null]}',
            '{"@graph": [{"@graph": {"@graph": 1}}], "headline": {"a": 1}}',
            '"\\ud800"',
            "nul\x00l",
            "[" * depth + "]" * depth,
            '{"a":' * depth + "1" + "}" * depth,
            "[" * depth,
            '{"@type": "NewsArticle", "datePublished": 20200101, "headline": ["x", 5]}',
        ]
    )
    return f'<script type="application/ld+json">{odd}</script>'


def jsonld(rng: random.Random, command: str) -> Case:
    paragraphs = story(rng)
    page = html_page("Ferry fares", paragraphs, deep_jsonld(rng) + deep_jsonld(rng))
    if command == "check":
        return check_case("JSON-LD", "page.html", enc(page), rng)
    if command == "import":
        depth = rng.choice([5, 64, 3000])
        records = [{"url": "https://harbour.example/a", "html": page}]
        lines = (
            jsonl(records)
            + enc("[" * depth + "]" * depth)
            + b"\n"
            + enc('{"text": ' * depth + "1" + "}" * depth)
            + b"\n"
        )
        return import_case("JSON-LD", lines, rng)
    return ci_case("JSON-LD", {"page.html": enc(page)}, rng)


def charset(rng: random.Random, command: str) -> Case:
    label, paragraphs = rng.choice(CHARSETS), [p + " Café, señor, façade." for p in story(rng)]
    page = html_page("Café fares", paragraphs, charset=label)
    data = page.encode(rng.choice(["utf-8", "cp1252", "utf-16", "latin-1"]), "replace")
    if rng.random() < 0.3:
        data = bytes(b ^ rng.choice([0, 0, 0x80]) for b in data)
    if command == "check":
        return check_case("charset", rng.choice(["page.html", "page.txt"]), data, rng)
    if command == "import":
        return import_case(
            "charset", jsonl([{"url": "https://harbour.example/c", "html": data.decode("latin-1")}]), rng
        )
    return ci_case("charset", {"page.html": data}, rng)


def surrogates(rng: random.Random, command: str) -> Case:
    bad = rng.choice(["\x00", "\ud800", "\udfff", "\ud800\udc00", "\x00" * 100, "\ufffe", "\U0010ffff"])
    paragraphs = story(rng)
    spot = rng.randrange(len(paragraphs))
    paragraphs[spot] = paragraphs[spot][:20] + bad + paragraphs[spot][20:]
    if command == "import":
        field_name = rng.choice(["text", "title", "byline", "publisher", "url", "html"])
        value = (
            html_page(bad, paragraphs)
            if field_name == "html"
            else "\n".join(paragraphs)
            if field_name == "text"
            else bad
        )
        record = {"text": "\n".join(story(rng)), field_name: value}
        line = json.dumps(record)  # "\ud800" escaped as JSON allows
        return import_case("NUL/surrogate", line.encode() + b"\n" + enc(json.dumps({"text": bad})) + b"\n", rng)
    prefix = b"" if rng.random() < 0.5 else b"x" * 9000 + b"\n"  # past the binary sniff
    data = prefix + enc("\n".join(["Ferry fares", *paragraphs]))
    if command == "check":
        return check_case("NUL/surrogate", rng.choice(["a.txt", "a.md", "a.html"]), data, rng)
    return ci_case("NUL/surrogate", {"a.md": data}, rng)


def regex(rng: random.Random, command: str) -> Case:
    unit = rng.choice(REGEX_UNITS)
    run = (unit * (rng.randint(2_000, 50_000) // len(unit) + 1))[: rng.randint(2_000, 50_000)]
    shaped = rng.choice(
        [
            run,
            "1" + run + "1x",
            f"By {run}",
            f"Source: {run}",
            f"© {run}",
            f"HARBOURTON ({run}) -",
            f"{run}\n{run}",
            f'"{run}',
            f"[{run}](http://x.example/{run})",
        ]
    )
    text = "\n".join(["Ferry fares", *story(rng), shaped, *story(rng, 2)])
    if command == "check":
        name = rng.choice(["a.txt", "a.md", "a.html"])
        data = html_page("Ferry fares", text.split("\n")) if name.endswith("html") else text
        return check_case("regex worst case", name, enc(data), rng)
    if command == "import":
        return import_case(
            "regex worst case", jsonl([{"url": "https://harbour.example/r", "text": text, "title": shaped}]), rng
        )
    return ci_case("regex worst case", {"a.md": enc(text)}, rng)


def huge(rng: random.Random, command: str) -> Case:
    shape = rng.choice(["paragraphs", "line", "elements", "document", "single-line page"])
    if shape == "paragraphs":
        text = "Ferry fares\n" + "\n".join(sentence(rng) for _ in range(rng.choice([4_900, 5_001, 20_000, 50_000])))
    elif shape == "line":
        text = "Ferry fares\n\n" + " ".join(sentence(rng) for _ in range(rng.choice([1_000, 1_300, 5_000])))
    elif shape == "elements":
        count = rng.choice([15_000, 20_001, 60_000])
        text = (
            "<html><body><article><p>" + sentence(rng) + "</p>" + "<span>a</span>" * count + "</article></body></html>"
        )
    elif shape == "document":
        text = (
            "Ferry fares\n\n"
            + "\n".join(sentence(rng) for _ in range(rng.choice([3_000, 4_900])))
            + "\n"
            + " " * rng.choice([10, 4_000_000])
        )
    else:  # one line of 19 MB, as the issue's
        text = "<html><body><article><p>" + "The board met. " * (19_000_000 // 15) + "</p></article></body></html>"
    name = "a.html" if text.startswith("<html") else rng.choice(["a.txt", "a.md"])
    if command == "check":
        return check_case("huge page", name, enc(text), rng)
    if command == "import":
        body = text if len(text) < 15_000_000 else text[:15_000_000]
        return import_case(
            "huge page", jsonl([{"url": "https://harbour.example/h", "text": body}]), rng, then_check=False
        )
    return ci_case("huge page", {name: enc(text)}, rng)


def controls(rng: random.Random, command: str) -> Case:
    def hostile() -> str:
        return rng.choice(CONTROLS) + rng.choice(WORDS) + rng.choice(CONTROLS)

    # Controls in a few paragraphs of a long story: more than 5% of a page's first 8 KB is binary data.
    paragraphs = [p + (hostile() if rng.random() < 0.3 else "") for p in story(rng, 12)]
    head = (
        f'<meta property="og:site_name" content="{hostile()}"><meta name="author" content="{hostile()}">'
        f'<meta property="og:url" content="https://x.example/{hostile()}">'
    )
    credit = rng.choice(
        [f"Source: {hostile()} Reuters", f"(Reporting by {hostile()}; Editing by x)", f"— AP{hostile()}"]
    )
    page = html_page(hostile(), [*paragraphs, credit], head)
    if command == "check":
        case = check_case("control characters", "page.html", enc(page), rng, "--candidate", "copy.html")
        case.files["copy.html"] = enc(html_page(hostile(), paragraphs))
        return case
    if command == "import":
        record = {
            "url": f"https://x.example/{hostile()}",
            "title": hostile(),
            "byline": hostile(),
            "publisher": hostile(),
            "text": "\n".join(paragraphs),
        }
        return import_case("control characters", jsonl([record]), rng)
    name = rng.choice(["story.md", f"{hostile()}.md", "dir\x1b[2J/x.md", "a\nb.md", "\u202eevil.md"]).replace(
        "\x00", ""
    )
    return ci_case("control characters", {name: enc(markdown(hostile(), paragraphs, {"title": hostile()}))}, rng)


def jsonl_records(rng: random.Random, command: str) -> Case:
    good = {"url": "https://harbour.example/g", "text": "\n".join(story(rng))}
    bad = rng.choice(
        [
            b"{",
            b"[]",
            b"5",
            b'"x"',
            b"null",
            b'{"url": 5, "text": "x"}',
            b'{"text": ""}',
            b'{"zz": 1}',
            b'{"text": "x", "published": "yesterday"}',
            b"\xff\xfe\x00",
            b'{"text": "' + b"a" * 21_000_000 + b'"}',
            b'{"text": "x", "text": 5}',
            b'{"html": "<html><p>x</p>"}',
            b'{"html": "no tags"}',
            b'{"text": "a\\u0000b", "url": "http://h/\\u0000"}',
            b"\x00" * 50,
            b"{" * 100_000,
            b'{"text": "x", "first_seen": "9999-12-31T23:59:59-14:00"}',
        ]
    )
    order = [jsonl([good]), bad + b"\n", jsonl([{**good, "url": "https://harbour.example/h"}])]
    if rng.random() < 0.3:
        order.reverse()
    return import_case("JSONL record", b"".join(order), rng)


def repository(rng: random.Random, command: str) -> Case:
    files: dict[str, bytes | tuple[str, str]] = {"articles/story.md": enc(markdown("Fares", story(rng)))}
    for _ in range(rng.randint(1, 4)):
        trick = rng.choice(["leak", "zero", "fifo", "self", "loop", "odd name", "deep", "dangling", "dir as md"])
        if trick == "leak":
            files[f"leak{rng.randint(0, 9)}.md"] = ("symlink", "/etc/passwd")
        elif trick == "zero":
            files["zero.md"] = ("symlink", "/dev/zero")
        elif trick == "fifo":
            files[f"x{rng.randint(0, 9)}.md"] = ("fifo", "")
        elif trick == "self":
            files["articles/self"] = ("symlink", ".")
        elif trick == "loop":
            files["a/b"] = ("symlink", "../a")
        elif trick == "odd name":
            name = rng.choice(
                ["-rf.md", "--help.md", " .md", "a\tb.md", "ü\u0301.md", "\u202e.md", "a\x1b[2J.md", "*.md"]
            )
            files[name] = enc(markdown("Odd", story(rng)))
        elif trick == "deep":
            files["/".join(["d"] * 26) + "/deep.md"] = enc(markdown("Deep", story(rng)))
        elif trick == "dangling":
            files["gone.md"] = ("symlink", "/nonexistent/x.md")
        else:
            files["folder.md/inner.md"] = enc(markdown("Inner", story(rng)))
    config = rng.choice(
        [
            "",
            'exclude = ["' + "**/" * 18 + 'zz"]\n',
            "[tool]\nprovenance = 5\n",
            '[[partners]]\nname = "Reuters"\n[partners.credit]\ntext = "(a+)+$"\n',
            "[" * 5000,
            "fail-on = \x00\n",
            "exclude = " + "[" * 5000 + "]" * 5000 + "\n",
        ]
    )
    if config:
        files["provenance.toml"] = enc(config)
    extra = rng.choice([[], ["articles/**/*.md"], ["**/*.md"], ["zero.md"], ["/etc/passwd"]])
    return ci_case("hostile repository", files, rng, *extra)


CLASSES: dict[str, tuple[Callable[[random.Random, str], Case], tuple[str, ...]]] = {
    "bad URL": (bad_url, ("check", "import", "ci")),
    "impossible date": (bad_date, ("check", "import", "ci")),
    "JSON-LD": (jsonld, ("check", "import", "ci")),
    "charset": (charset, ("check", "import", "ci")),
    "NUL/surrogate": (surrogates, ("check", "import", "ci")),
    "regex worst case": (regex, ("check", "import", "ci")),
    "huge page": (huge, ("check", "import", "ci")),
    "control characters": (controls, ("check", "import", "ci")),
    "JSONL record": (jsonl_records, ("import",)),
    "hostile repository": (repository, ("ci",)),
}


PLAN = [(fn, command) for fn, commands in CLASSES.values() for command in commands]


def make_case(number: int, seed: int) -> Case:
    """Case `number`: the classes and their commands taken in turn; the same case for the same seed."""
    fn, command = PLAN[number % len(PLAN)]
    return fn(random.Random(seed * 1_000_003 + number), command)


# -- running a case ------------------------------------------------------------------------------

FORBIDDEN = frozenset(
    [
        *(chr(c) for c in range(0x20) if c not in (9, 10, 13)),
        "\x7f",
        *(chr(c) for c in range(0x80, 0xA0)),
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
    ]
)


def lay_out(folder: Path, case: Case) -> None:
    for name, content in case.files.items():
        path = folder / name.encode("utf-8", "replace").decode()  # a file name cannot hold a lone surrogate
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, tuple):
            if content[0] == "symlink":
                path.symlink_to(content[1])
            else:
                os.mkfifo(path)
        else:
            path.write_bytes(content)


def environment(folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PROVENANCE_INDEX": str(folder / "default.sqlite"),
        "PROVENANCE_CACHE": str(folder / "cache"),
        "PROVENANCE_DISCOVER": "none",
        "NO_COLOR": "1",
        "CI": "true",
        "PYTHONHASHSEED": "0",
    }


def verdict(command: str, code: int | None, out: bytes, err: bytes) -> str:
    """The outcome of one step, from its exit code (None: killed at the time limit) and its output."""
    if code is None:
        return "hang"
    stderr = err.decode("utf-8", "replace")
    if "Traceback (most recent call last)" in stderr or "internal error" in stderr or code not in (0, 1, 2):
        return "internal error"
    if code == 2:
        # One `error:` line; `ci` gives one per article it could not check, and warnings may come first.
        lines = [line for line in stderr.splitlines() if line.strip()]
        errors = [line for line in lines if line.startswith("error:")]
        per_article = command == "ci" and all(line.startswith(("error:", "warning:")) for line in lines)
        return "clean error" if len(errors) == 1 or (errors and per_article) else "internal error"
    text = out.decode("utf-8", "surrogatepass") + stderr
    if any(c in FORBIDDEN or 0xD800 <= ord(c) < 0xE000 for c in text):
        return "raw control"
    return "ok"


def run_forked(argv: list[str], folder: Path, stdin: bytes, timeout: float) -> tuple[int | None, bytes, bytes]:
    """argv through `provenance.cli:main` in a forked child of this (pre-imported) process."""
    (folder / ".stdin").write_bytes(stdin)
    out_path, err_path = folder / ".stdout", folder / ".stderr"
    pid = os.fork()
    if pid == 0:  # the child: a fresh session (so it and anything it starts can be killed), the case's files
        try:
            os.setsid()
            os.chdir(folder)
            for fd, path, mode in (
                (0, ".stdin", os.O_RDONLY),
                (1, ".stdout", os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
                (2, ".stderr", os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
            ):
                os.dup2(os.open(path, mode, 0o600), fd)
            sys.stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)))
            sys.stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False)), line_buffering=False)
            sys.stderr = io.TextIOWrapper(io.BufferedWriter(io.FileIO(2, "w", closefd=False)), line_buffering=True)
            env = environment(folder)
            os.environ.clear()
            os.environ.update(env)
            from provenance.cli import main

            code = 0
            try:
                main.main(argv, prog_name="provenance", standalone_mode=True)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except BaseException:
                import traceback

                traceback.print_exc()
                code = 1
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:
            code = 1
        os._exit(code)
    deadline = time.monotonic() + timeout
    status = None
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.005)
    else:
        _kill(pid)
        os.waitpid(pid, 0)
        return None, b"", b""
    code = os.waitstatus_to_exitcode(status) if status is not None else None
    return code, out_path.read_bytes(), err_path.read_bytes()


def run_subprocess(argv: list[str], folder: Path, stdin: bytes, timeout: float) -> tuple[int | None, bytes, bytes]:
    with subprocess.Popen(
        [sys.executable, "-m", "provenance", *argv],
        cwd=folder,
        env=environment(folder),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    ) as process:
        try:
            out, err = process.communicate(stdin, timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(process.pid)
            process.communicate()
            return None, b"", b""
        return process.returncode, out, err


def _kill(pid: int) -> None:
    """The case's whole process group: the command and anything it started."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


_OPTIONS: dict[str, object] = {}
_PRELOAD = (
    "provenance.cli.check",
    "provenance.cli.ci",
    "provenance.cli.index",
    "provenance.pipeline",
    "provenance.compare",
    "provenance.fetch.client",
    "provenance.report.full",
    "provenance.report.concise",
    "provenance.report.json",
    "provenance.ci.runner",
    "provenance.ci.formats.full",
    "provenance.index.ingest",
    "provenance.index.find",
    "provenance.index.readers.jsonl",
    "provenance.index.store.sqlite",
    "provenance.discover.indexed",
)


def _prepare(options: dict[str, object]) -> None:
    """In each worker: import what the commands will use, once, before any fork."""
    _OPTIONS.update(options)
    if not options["subprocess"]:
        # The CLI loads each command's modules when it runs (lazy imports): load them here, or every
        # forked case would pay for importing numpy, trafilatura and rich again.
        for name in _PRELOAD:
            importlib.import_module(name)
        from provenance.extract.html import _main_text

        _main_text("<html><body><p>warm trafilatura up</p></body></html>", None)


RANK = {"ok": 0, "clean error": 1, "raw control": 2, "internal error": 3, "hang": 4}


def run_case(number: int) -> tuple[int, str, str, str, float, str]:
    """(number, class, command, outcome, seconds, last stderr line) of case `number`, made here in the worker."""
    case = make_case(number, int(str(_OPTIONS["seed"])))
    timeout, keep = float(str(_OPTIONS["timeout"])), _OPTIONS["keep"]
    runner = run_subprocess if _OPTIONS["subprocess"] else run_forked
    folder = Path(tempfile.mkdtemp(prefix=f"fuzz{number}-"))
    start = time.monotonic()
    outcome, detail = "ok", ""
    try:
        lay_out(folder, case)
        for argv in case.steps:
            code, out, err = runner(argv, folder, case.stdin, timeout)
            step = verdict(argv[0], code, out, err)
            if RANK[step] > RANK[outcome]:
                outcome = step
                detail = next((line for line in err.decode("utf-8", "replace").splitlines()[::-1] if line.strip()), "")
            if step in ("hang", "internal error"):
                break
    finally:
        seconds = time.monotonic() - start
        if keep and outcome in ("internal error", "hang", "raw control"):
            shutil.copytree(folder, Path(str(keep)) / f"{number}-{outcome.replace(' ', '-')}", symlinks=True)
        shutil.rmtree(folder, ignore_errors=True)
    return number, case.kind, case.command, outcome, seconds, detail[:300]


# -- the table -----------------------------------------------------------------------------------


def table(results: list[tuple[int, str, str, str, float, str]], seconds: float, workers: int) -> str:
    counts: Counter[tuple[str, str, str]] = Counter(
        (kind, command, outcome) for _, kind, command, outcome, _, _ in results
    )
    groups = sorted(
        {(kind, command) for _, kind, command, _, _, _ in results}, key=lambda g: (list(CLASSES).index(g[0]), g[1])
    )
    slowest = max((r[4] for r in results), default=0.0)
    lines = ["| class | command | cases | " + " | ".join(OUTCOMES) + " |", "|---|---|---:|" + "---:|" * len(OUTCOMES)]
    for kind, command in groups:
        row = [counts[(kind, command, o)] for o in OUTCOMES]
        lines.append(f"| {kind} | {command} | {sum(row)} | " + " | ".join(map(str, row)) + " |")
    totals = [sum(counts[(k, c, o)] for k, c in groups) for o in OUTCOMES]
    lines.append(f"| **all** | | **{sum(totals)}** | " + " | ".join(f"**{t}**" for t in totals) + " |")
    lines.append(
        f"\n{len(results)} cases in {seconds:.0f} s on {workers} workers; the slowest case took {slowest:.1f} s."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fuzz", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds a case may take (per command)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--subprocess", action="store_true", help="run `python -m provenance` per command")
    parser.add_argument("--keep", metavar="DIR", help="keep the folders of failed cases here")
    args = parser.parse_args(argv)
    options = {"timeout": args.timeout, "keep": args.keep, "subprocess": args.subprocess, "seed": args.seed}
    start = time.monotonic()
    results: list[tuple[int, str, str, str, float, str]] = []
    with ProcessPoolExecutor(args.workers, initializer=_prepare, initargs=(options,)) as pool:
        for result in pool.map(run_case, range(args.cases), chunksize=4):
            results.append(result)
            if result[3] in ("internal error", "hang", "raw control"):
                print(f"case {result[0]} ({result[1]}, {result[2]}): {result[3]}: {result[5]}", file=sys.stderr)
            if len(results) % 500 == 0:
                print(f"{len(results)} cases, {time.monotonic() - start:.0f} s", file=sys.stderr)
    print(table(results, time.monotonic() - start, args.workers))
    bad = sum(r[3] in ("internal error", "hang", "raw control") for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
