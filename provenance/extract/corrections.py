"""trafilatura's lines corrected by where the page shows them (html.py matches each line to the page's
text blocks by its normalised text first): the headline and what sits above the body, teasers and
cards made of links, words trafilatura cut off a line, the other parts of a body split between
ads, and the teasers below the article, which begin at a heading."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from bs4 import Tag

from provenance.extract.chrome import is_header_line, is_prose, is_tail_marker
from provenance.extract.credits import find_credits
from provenance.normalize import normalize_text
from provenance.publishers import Registry

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HEAD_LINES = 5  # how far into the extracted text the headline is looked for
_TEASER_MIN_WORDS = 3
_TEASER_LINK_SHARE = 0.8
_CARD_MAX_GROWTH = 2
_SPLIT_SHARE = 0.8  # of the extracted paragraphs in one container, for its siblings to be looked for
_SPLIT_LEVELS = 3  # how far up the tree the siblings are looked for
_SPLIT_BLOCKS = frozenset({"p", "h2", "h3", "h4", "h5", "h6"})
_RESTORE_MIN_WORDS = 8
_RESTORE_END_WORDS = 4
_RESTORE_MAX_GROWTH = 1.5
# A text block's normalised text -> where the page shows it: (block number in page order, block).
Where = dict[str, list[tuple[int, Tag]]]


def body_lines(
    lines: list[str], blocks: list[Tag], where: Where, titles: set[str], decks: set[str], registry: Registry
) -> list[str]:
    """trafilatura's lines, corrected by where the page shows them; chrome.py and credits.py see them next."""
    lines = _drop_link_teasers(_trim_head(lines, titles, decks, where), where, registry)
    lines = _restore_words(lines, where)
    lines = _add_split_body(lines, where, blocks, registry)
    return _end_at_tail_markers(lines, where, blocks)


def _first_shown(line: str, where: Where) -> int | None:
    """The number of the page's first block showing this line, if any does.

    A line without words (the cells of an empty table row) would match every empty block.
    """
    key = normalize_text(line)
    return min((n for n, _ in where.get(key, ())), default=None) if key else None


def _only_shown(line: str, where: Where) -> int | None:
    """The number of the one block showing this line, if exactly one does.

    A line the page shows in several places ("Working with Contractors" in the menu, over the
    headline and under a teaser) does not say which of them the extractor took it from.
    """
    shown = where.get(normalize_text(line), []) if normalize_text(line) else []
    return shown[0][0] if len(shown) == 1 else None


def _trim_head(lines: list[str], titles: set[str], decks: set[str], where: Where) -> list[str]:
    """The lines from where the body starts: after the headline and what sits between it and the body.

    Short lines the extractor took from above the headline in the page (a kicker, a teaser's
    headline) are not the article; prose, or what it moved above the headline from below (a
    lede), is. After the headline may come a standfirst (a heading that the page's description
    repeats; as a paragraph it is often the body's first), a byline, dates.
    """
    keys = [normalize_text(line) for line in lines]
    headline = max((i for i, key in enumerate(keys[:_HEAD_LINES]) if key in titles), default=-1)
    if headline >= 0:
        top = min((n for n, _ in where.get(keys[headline], ())), default=-1)
        moved = [i for i in range(headline) if is_prose(lines[i]) or any(n > top for n, _ in where.get(keys[i], ()))]
        lines, keys = [lines[i] for i in moved] + lines[headline + 1 :], [keys[i] for i in moved] + keys[headline + 1 :]
    start = 0
    while start < len(lines) - 1:
        key = keys[start]
        deck = key in decks and any(b.name in _HEADINGS for _, b in where.get(key, ()))
        if not (deck or key in titles or is_header_line(lines[start])):
            break
        start += 1
    return lines[start:]


def _in_card(block: Tag) -> bool:
    """Inside a link that holds little more than this block: a card pointing to another page.

    (Broken markup can leave a link open around a whole page; that is no card.)
    """
    link = block.find_parent("a")
    size = len(block.get_text(" ", strip=True))
    return link is not None and len(link.get_text(" ", strip=True)) <= _CARD_MAX_GROWTH * size


def _link_share(block: Tag) -> float:
    """How much of a block's text is the text of links."""
    text = len(block.get_text(" ", strip=True))
    return sum(len(a.get_text(" ", strip=True)) for a in block.find_all("a")) / text if text else 0.0


def _is_link_teaser(line: str, where: Where, registry: Registry) -> bool:
    """A line that is all link: a card or "Related: <headline>" pointing to another page, not text.

    A sentence with a link over most of it may still be the article's; a block inside a link is
    a card whatever it says. A credit line that is all link ("Reuters") stays, for the credits.
    """
    shown = where.get(normalize_text(line))
    if not shown or len(line.split()) < _TEASER_MIN_WORDS:
        return False
    sentence = line.rstrip().endswith((".", "!", "?", '"', "”"))
    for _, block in shown:
        if not _in_card(block) and (sentence or _link_share(block) < _TEASER_LINK_SHARE):
            return False
    stays, _ = find_credits([line], {}, registry)
    return bool(stays)


def _drop_link_teasers(lines: list[str], where: Where, registry: Registry) -> list[str]:
    """The lines without link teasers, but for headings over prose of their own.

    A guide's section heading may link to what it is about ("3. <a>Samson Q2U</a>"); a teaser's
    headline is followed by other headlines or by its summary, which is a teaser too.
    """
    teaser = [_is_link_teaser(line, where, registry) for line in lines]
    kept = []
    for index, line in enumerate(lines):
        following = next((k for k in range(index + 1, len(lines)) if lines[k].strip()), None)
        heads_prose = (
            following is not None
            and not teaser[following]
            and is_prose(lines[following])
            and any(block.name in _HEADINGS for _, block in where.get(normalize_text(line), ()))
        )
        if not teaser[index] or heads_prose:
            kept.append(line)
    return kept


def _is_subsequence(part: Sequence[str], whole: Sequence[str]) -> bool:
    words = iter(whole)
    return all(word in words for word in part)


def _restore_words(lines: list[str], where: Where) -> list[str]:
    """Each line that is a block of the page with words missing, replaced by the block's text.

    trafilatura's precision mode drops inline elements it takes for boilerplate (a link in a
    `<span class="link">`), leaving sentences with holes. A block is found by the line's first
    or last words, and must hold every word of the line, in order, and not many more.
    """
    ends: dict[tuple[str, ...], list[str]] = {}
    for key in where:
        words = tuple(key.split())
        if len(words) >= _RESTORE_MIN_WORDS:
            ends.setdefault(words[:_RESTORE_END_WORDS], []).append(key)
            ends.setdefault(words[-_RESTORE_END_WORDS:], []).append(key)
    restored = []
    for line in lines:
        key = normalize_text(line)
        words = tuple(key.split())
        if key not in where and len(words) >= _RESTORE_MIN_WORDS:
            found = ends.get(tuple(words[:_RESTORE_END_WORDS]), []) + ends.get(tuple(words[-_RESTORE_END_WORDS:]), [])
            for candidate in found:
                whole = candidate.split()
                block = where[candidate][0][1]
                if len(whole) <= _RESTORE_MAX_GROWTH * len(words) and _is_subsequence(words, whole):
                    links = Counter(w for a in block.find_all("a") for w in normalize_text(a.get_text(" ")).split())
                    if not Counter(whole) - Counter(words) - links:
                        line = _text_of(block)
                        break
        restored.append(line)
    return restored


def _text_of(block: Tag) -> str:
    """A block's text as a browser lays it out: strings as written, line breaks as spaces."""
    parts = [str(node) if isinstance(node, str) else " " for node in block.descendants if _is_text_or_break(node)]
    return " ".join("".join(parts).split())


def _signature(tag: Tag) -> tuple[str, frozenset[str]]:
    return tag.name, frozenset(tag.get("class") or ())


def _path(tag: Tag, scope: Tag) -> list[tuple[str, frozenset[str]]]:
    """The signatures from `tag` up to, not including, its ancestor `scope`."""
    path = [_signature(tag)]
    for parent in tag.parents:
        if parent is scope:
            return path
        path.append(_signature(parent))
    return []


def _add_split_body(lines: list[str], where: Where, blocks: list[Tag], registry: Registry) -> list[str]:
    """The lines with the paragraphs of the body's sibling containers added, in page order.

    Pages split a long body into several containers alike (between ads, or "chunks"), and an
    extractor that scores containers keeps one. The others are found by `_alike_containers`;
    what lies past another headline (the next story of an endless page) is not taken.
    """
    numbers = [_first_shown(line, where) for line in lines]
    shown = {n for n in numbers if n is not None}
    paragraphs = [blocks[n] for n in sorted(shown) if blocks[n].name == "p"]
    parents = Counter(id(p.parent) for p in paragraphs)
    if len(paragraphs) < 2:
        return lines
    parent_id, count = parents.most_common(1)[0]
    container = next(p.parent for p in paragraphs if id(p.parent) == parent_id)
    if container is None or count < _SPLIT_SHARE * len(paragraphs) or not container.get("class"):
        return lines
    alike = {id(t) for t in _alike_containers(container)}
    headlines = [n for n, b in enumerate(blocks) if b.name == "h1"]
    first, last = min(shown), max(shown)
    added = [
        (n, _text_of(b))
        for n, b in enumerate(blocks)
        if n not in shown
        and b.name in _SPLIT_BLOCKS
        and any(id(a) in alike for a in b.parents)
        and not any(n < h < first or last < h < n for h in headlines)
        and not _is_link_teaser(b.get_text(" ", strip=True), where, registry)
    ]
    return _in_page_order(lines, numbers, added) if added else lines


def _alike_containers(container: Tag) -> list[Tag]:
    """Elements near `container` in the tree with its tag and classes, whose parents up to the ancestor
    they share have the same tags and classes too."""
    path = [_signature(container)]
    scope: Tag | None = container
    for _ in range(_SPLIT_LEVELS):
        scope = scope.parent if scope is not None else None
        if scope is None:
            return []
        alike = [t for t in scope.find_all(container.name) if t is not container and _path(t, scope) == path]
        if alike:
            return alike
        path.append(_signature(scope))
    return []


def _in_page_order(lines: list[str], numbers: list[int | None], added: list[tuple[int, str]]) -> list[str]:
    """`lines` (shown at `numbers` in the page, if at all) merged with `added` (number, text) by page order.

    A line the page does not show keeps its place after the line before it.
    """
    merged: list[tuple[float, int, str]] = []
    last = -1.0
    for index, (line, n) in enumerate(zip(lines, numbers, strict=True)):
        last = float(n) if n is not None else last
        merged.append((last, index, line))
    merged += [(float(n), len(lines) + k, text) for k, (n, text) in enumerate(added) if text]
    return [line for _, _, line in sorted(merged)]


def _end_at_tail_markers(lines: list[str], where: Where, blocks: list[Tag]) -> list[str]:
    """The lines up to the heading that ends the article ("Related posts"), judged by the page's structure.

    Extractors drop such headings with the teaser boxes they head, but not always the whole box:
    they are put back where the page has them, between two lines the page shows once each. A
    marker after which the text goes on in the same container, or one alike, at once or past the
    box it heads ("More:" over a box of links inside the story, "More" over a part folded away),
    is dropped alone; one followed by text from elsewhere only ends the article. Markers the page
    does not place are left to `chrome.strip_chrome`.
    """
    placed: list[tuple[str, int | None]] = []
    last: int | None = None
    for line in lines:
        number = _only_shown(line, where)
        if number is not None and last is not None and number > last + 1:
            between = enumerate(blocks[last + 1 : number], last + 1)
            placed += [(_text_of(b), n) for n, b in between if _is_marker_heading(b)]
        last = number if number is not None else last
        placed.append((line, number))
    kept: list[str] = []
    for index, (line, _) in enumerate(placed):
        if not (kept and is_tail_marker(line)):
            kept.append(line)
            continue
        before = next((n for text, n in reversed(placed[:index]) if n is not None and not is_tail_marker(text)), None)
        after = [n for text, n in placed[index + 1 :] if n is not None and not is_tail_marker(text)]
        if before is None or not after:
            kept.append(line)
        elif not any(_alike(blocks[before].parent, blocks[n].parent) for n in after if n > before):
            break
    return kept


def _alike(one: Tag | None, other: Tag | None) -> bool:
    return one is not None and other is not None and _signature(one) == _signature(other)


def _is_marker_heading(block: Tag) -> bool:
    return block.name in _HEADINGS and is_tail_marker(_text_of(block))


def _is_text_or_break(node: Any) -> bool:
    return isinstance(node, str) or getattr(node, "name", None) == "br"
