"""HTML -> Article: trafilatura finds the main text; the page's own structure corrects it.

trafilatura is the best-measured main-text extractor, but it keeps neither
the links inside paragraphs nor blocks it judged duplicate, and both matter
here: links carry credits, and a page that pastes its body twice should say
so. So the page is also parsed once with BeautifulSoup, and its blocks are
matched to trafilatura's paragraphs by their normalised text. Where a
paragraph sits in the page then settles what text alone cannot: the
headline and what the page shows above it, cards and "Related:" links,
the other parts of a body split between ads, and the heading of the
teasers below the article.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from bs4 import BeautifulSoup, Tag

from provenance import safejson, urls
from provenance.errors import EmptyArticle, UnsupportedFormat
from provenance.extract.assemble import assemble, body_as_is, dropped_links_note
from provenance.extract.chrome import (
    REPEAT_MIN_CHARS,
    REPEAT_MIN_MEAN_CHARS,
    is_header_line,
    is_prose,
    is_tail_marker,
    repeats_in_page,
)
from provenance.extract.credits import find_credits, parse_byline
from provenance.extract.dates import find_dates, parse_datetime
from provenance.model import Article, Credit
from provenance.normalize import normalize_text
from provenance.publishers import Registry, host_of, looks_like_outlet

_BLOCKS = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "td", "figcaption", "pre"]
_BLOCK_NAMES = frozenset(_BLOCKS)
_ARTICLE_TYPES = {"newsarticle", "article", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
                  "opinionnewsarticle", "webpage", "report", "scholarlyarticle", "liveblogposting"}  # fmt: skip
_BYLINE_CLASS = re.compile(r"\b(byline|author|writer|reporter)\b", re.IGNORECASE)
_TAG = re.compile(r"<\s*(html|head|body|p|div|article|title|meta|span|a|br|h[1-6])\b", re.IGNORECASE)
# An XML declaration and the processing instructions after it; then the root element's name, past
# the doctype (with any internal subset) and comments.
_XML_PROLOG = re.compile(r"\A\ufeff?\s*<\?xml\b[^>]*\?>(?:\s*<\?[^>]*\?>)*")
_XML_ROOT = re.compile(r"(?:\s|<!--.*?-->|<!doctype[^\[>]*(?:\[.*?\])?\s*>)*<([\w.:-]+)", re.IGNORECASE | re.DOTALL)
_TITLE_SUFFIX = re.compile(r"(?<!\s)\s+[-|–—:]\s+[^-|–—:]{2,60}$")  # from a run of spaces' start: linear
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
_Metas = dict[tuple[str, str], Tag]  # ("property" or "name", its value) -> the first <meta> with it
# A text block's normalised text -> where the page shows it: (block number in page order, block).
_Where = dict[str, list[tuple[int, Tag]]]
# Below this many words from trafilatura's precision mode, its default mode wins when it finds this
# many times more.
_PRECISION_ENOUGH_WORDS = 150
_PRECISION_SHORTFALL = 4
# Above it, the default mode wins when it finds this many times more and holds this share of
# precision mode's words.
_PRECISION_CUT_SHORT = 3
_PRECISION_HELD = 0.5
_JSONLD_MAX_OBJECTS = 1000  # objects looked at in a page's JSON-LD: an article's metadata is a handful


def looks_like_html(text: str) -> bool:
    return bool(_TAG.search(text[:100_000]))


def _jsonld_objects(soup: BeautifulSoup) -> Iterator[dict[str, Any]]:
    """The page's JSON-LD objects, top level and in `@graph`s; callers check each field's type."""
    looked_at = 0
    for script in soup.find_all("script", type=re.compile(r"ld\+json", re.I)):
        try:
            data = safejson.loads(script.get_text())  # nested past its limit: TooDeep, a ValueError
        except ValueError:
            continue  # broken JSON-LD is common and is only metadata
        queue = deque(data if isinstance(data, list) else [data])
        while queue and looked_at < _JSONLD_MAX_OBJECTS:
            item = queue.popleft()
            looked_at += 1
            if isinstance(item, dict):
                graph = item.get("@graph")
                queue.extend(g for g in (graph if isinstance(graph, list) else [graph]) if isinstance(g, dict))
                yield item


def _types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type", [])
    return {str(k).lower() for k in (kind if isinstance(kind, list) else [kind])}


def _names(value: Any) -> list[str]:
    """schema.org author/publisher: a string, an object with a name, or a list of either."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _meta_index(soup: BeautifulSoup) -> _Metas:
    index: _Metas = {}
    for tag in soup.find_all("meta"):
        for attribute in ("property", "name"):
            if isinstance(value := tag.get(attribute), str):
                index.setdefault((attribute, value), tag)
    return index


def _meta(metas: _Metas, *keys: str) -> str | None:
    for key in keys:
        tag = metas.get(("property", key)) or metas.get(("name", key))
        if tag is not None and isinstance(tag.get("content"), str) and str(tag["content"]).strip():
            return str(tag["content"]).strip()
    return None


def _link_rel(soup: BeautifulSoup, rel: str) -> str | None:
    tag = soup.find("link", rel=rel, href=True)
    return str(tag["href"]).strip() if isinstance(tag, Tag) else None


def _block_texts(soup: BeautifulSoup) -> list[Tag]:
    """Innermost text blocks, in page order (a <li> holding a <p> counts once)."""
    blocks = soup.find_all(_BLOCKS)
    holding: set[int] = set()  # blocks with a block inside
    for block in blocks:
        outer = next((p for p in block.parents if p.name in _BLOCK_NAMES), None)
        if outer is not None:
            holding.add(id(outer))
    return [b for b in blocks if id(b) not in holding]


def _visible_byline(soup: BeautifulSoup) -> str | None:
    for tag in soup.find_all(class_=_BYLINE_CLASS):
        name = parse_byline(tag.get_text(" ", strip=True))
        if name:
            return name
    for tag in soup.find_all(["p", "span", "div"], limit=400):
        text = tag.get_text(" ", strip=True)
        if len(text) < 80 and (name := parse_byline(text)):
            return name
    return None


def _jsonld_credits(article_ld: dict[str, Any], site_name: str | None, registry: Registry) -> list[Credit]:
    credits: list[Credit] = []
    based = article_ld.get("isBasedOn")
    for item in based if isinstance(based, list) else [based]:
        if not item or not isinstance(item, str | dict):
            continue  # empty, a number, true, null: no source named
        url = _web_url(item if isinstance(item, str) else item.get("url"))
        names = _names(item.get("publisher")) or _names(item.get("name")) if isinstance(item, dict) else []
        credits.append(Credit(names[0] if names else host_of(url) or "isBasedOn", "isBasedOn", "isBasedOn", url))
    own = normalize_text(site_name or "")
    for field in ("author", "publisher"):
        for name in _names(article_ld.get(field)):
            if (own and normalize_text(name) == own) or not (registry.by_name(name) or looks_like_outlet(name)):
                continue  # the page naming itself, or a person (the byline), is not a credit
            credits.append(Credit(name, f"schema.org {field}", f"jsonld-{field}"))
    return credits


def _web_url(value: Any) -> str | None:
    """`value` when it is a well-formed http(s) address, else None."""
    return value.strip() if isinstance(value, str) and urls.is_web_url(value.strip()) else None


def _canonical(base: str | None, declared: str | None) -> tuple[str | None, list[str]]:
    """The page's own address as it declares it, resolved; None and a note when it is not a web address."""
    if not declared:
        return None, []
    joined = urls.join(base, declared)
    why = urls.problem(joined) if joined else urls.problem(declared) or "cannot be resolved against the page address"
    return (None, [f"canonical address {declared[:200]!r} left out: {why}"]) if why else (joined, [])


def _links(anchors: list[Tag], base: str | None, dropped: list[str]) -> list[tuple[str, str]]:
    """(address, text) of each link, resolved against `base`; one that does not parse goes to `dropped`."""
    found = []
    for anchor in anchors:
        href = urls.join(base, str(anchor["href"]).strip())
        if href is None:
            dropped.append(str(anchor["href"]))
        else:
            found.append((href, anchor.get_text(" ", strip=True)))
    return found


def _title_keys(soup: BeautifulSoup, metas: _Metas, ld: dict[str, Any], *known: str | None) -> set[str]:
    """Every way the page states its headline, normalised."""
    page_title = soup.title.get_text(strip=True) if soup.title else None
    found = [*known, _first(ld.get("headline")), _meta(metas, "og:title"), _meta(metas, "twitter:title"), page_title]
    found += [_TITLE_SUFFIX.sub("", page_title)] if page_title else []
    found += [h.get_text(" ", strip=True) for h in soup.find_all("h1")]
    return {key for text in found if text and (key := normalize_text(text))}


def _description_keys(metas: _Metas, ld: dict[str, Any]) -> set[str]:
    found = [_meta(metas, "og:description"), _meta(metas, "description"), _meta(metas, "twitter:description")]
    found.append(_first(ld.get("description")))
    return {key for text in found if text and (key := normalize_text(text))}


def _first_shown(line: str, where: _Where) -> int | None:
    """The number of the page's first block showing this line, if any does.

    A line without words (the cells of an empty table row) would match every empty block.
    """
    key = normalize_text(line)
    return min((n for n, _ in where.get(key, ())), default=None) if key else None


def _only_shown(line: str, where: _Where) -> int | None:
    """The number of the one block showing this line, if exactly one does.

    A line the page shows in several places ("Working with Contractors" in the menu, over the
    headline and under a teaser) does not say which of them the extractor took it from.
    """
    shown = where.get(normalize_text(line), []) if normalize_text(line) else []
    return shown[0][0] if len(shown) == 1 else None


def _trim_head(lines: list[str], titles: set[str], decks: set[str], where: _Where) -> list[str]:
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


def _is_link_teaser(line: str, where: _Where, registry: Registry) -> bool:
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


def _drop_link_teasers(lines: list[str], where: _Where, registry: Registry) -> list[str]:
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


def _restore_words(lines: list[str], where: _Where) -> list[str]:
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


def _add_split_body(lines: list[str], where: _Where, blocks: list[Tag], registry: Registry) -> list[str]:
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


def _end_at_tail_markers(lines: list[str], where: _Where, blocks: list[Tag]) -> list[str]:
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


def _body_lines(
    lines: list[str], blocks: list[Tag], where: _Where, titles: set[str], decks: set[str], registry: Registry
) -> list[str]:
    """trafilatura's lines, corrected by where the page shows them; chrome.py and credits.py see them next."""
    lines = _drop_link_teasers(_trim_head(lines, titles, decks, where), where, registry)
    lines = _restore_words(lines, where)
    lines = _add_split_body(lines, where, blocks, registry)
    return _end_at_tail_markers(lines, where, blocks)


def _main_text(html: str, url: str | None) -> Any:
    """trafilatura's document, in its precision mode unless that cut the body short.

    Precision mode drops more of what surrounds the body (teasers, promos, link lists) at a
    small cost in recall; but now and then it settles on a small boilerplate block, or on one
    part of the body (a section, the text above a table). The default mode's much longer text
    then shows it: when precision mode found next to nothing, or when the default mode finds
    several times as much and holds most of precision mode's text (it read on from there,
    rather than choosing another block of the page).
    """
    import trafilatura

    options: dict[str, Any] = {"url": url, "include_comments": False, "include_tables": True, "with_metadata": True}
    doc: Any = trafilatura.bare_extraction(html, favor_precision=True, **options)
    lines = doc.text.split("\n") if doc is not None and doc.text else []
    words = sum(len(line.split()) for line in lines)
    fuller: Any = trafilatura.bare_extraction(html, **options)
    fuller_lines = fuller.text.split("\n") if fuller is not None and fuller.text else []
    fuller_words = sum(len(line.split()) for line in fuller_lines)
    if words < _PRECISION_ENOUGH_WORDS:
        return fuller if fuller_words > _PRECISION_SHORTFALL * words else doc
    held = set(fuller_lines)
    held_words = sum(len(line.split()) for line in lines if line in held)
    cut_short = fuller_words >= _PRECISION_CUT_SHORT * words and held_words >= _PRECISION_HELD * words
    return fuller if cut_short else doc


def _without_xml_prolog(source: str, html: str) -> str:
    """An XHTML page without its XML declaration; a document of another XML vocabulary is refused.

    XHTML is written to read the same to an HTML parser (self-closed `<br/>`, `<div/>` and
    `<script/>` included, which libxml2's parser honours), and that is how browsers read it
    when it is served as text/html; its declaration says only what the decoding already used.
    An XML parser would read less of it: no HTML entities without the DTD (`&nbsp;` lost, the
    words on either side run together), no classes as lists, nothing of a page not well formed.
    Left in, the declaration makes BeautifulSoup warn that XML is being parsed as HTML.
    """
    prolog = _XML_PROLOG.match(html)
    if prolog is None:
        return html
    root = _XML_ROOT.match(html, prolog.end())
    name = root.group(1) if root else None
    if name is not None and name.rpartition(":")[2].lower() != "html":
        raise UnsupportedFormat(source, f"this is an XML document (<{name}>), not an HTML page")
    return html[prolog.end() :]


def extract_html(source: str, html: str, registry: Registry, url: str | None = None) -> Article:
    if not looks_like_html(html):
        raise UnsupportedFormat(source, "this is not HTML (no HTML tags found)")
    html = _without_xml_prolog(source, html)
    soup = BeautifulSoup(html, "lxml")
    ld = next((o for o in _jsonld_objects(soup) if _types(o) & _ARTICLE_TYPES), {})
    metas = _meta_index(soup)
    rel_canonical = _link_rel(soup, "canonical")
    declared = rel_canonical or _meta(metas, "og:url") or _first(ld.get("url"))
    canonical, notes = _canonical(url, declared)
    base_url = url or (canonical if rel_canonical else None)
    site_name = _meta(metas, "og:site_name", "application-name") or next(iter(_names(ld.get("publisher"))), None)
    doc = _main_text(html, url)
    title = (
        _first(ld.get("headline"))
        or _meta(metas, "og:title", "twitter:title")
        or (doc.title if doc else None)
        or _TITLE_SUFFIX.sub("", soup.title.get_text(strip=True) if soup.title else "")
        or None
    )
    found_lines = doc.text.split("\n") if doc is not None and doc.text else []
    blocks = _block_texts(soup)
    if not found_lines:
        found_lines = [b.get_text(" ", strip=True) for b in blocks if b.name == "p"]
    where: _Where = {}
    block_texts = [b.get_text(" ", strip=True) for b in blocks]
    block_keys = [normalize_text(text) for text in block_texts]
    for number, (block, key) in enumerate(zip(blocks, block_keys, strict=True)):
        where.setdefault(key, []).append((number, block))
    titles = _title_keys(soup, metas, ld, title, doc.title if doc else None)
    lines = _body_lines(found_lines, blocks, where, titles, _description_keys(metas, ld), registry)

    links_by_key: dict[str, list[tuple[str, str]]] = {}
    dropped: list[str] = []
    for block, key in zip(blocks, block_keys, strict=True):
        anchors = [a for a in block.find_all("a", href=True) if not str(a["href"]).startswith(("#", "javascript:"))]
        found = _links(anchors, base_url, dropped)
        if found:
            links_by_key.setdefault(key, found)

    extra: list[Credit] = _jsonld_credits(ld, site_name, registry)
    page_host = host_of(url)
    if canonical and page_host and host_of(canonical) != page_host:
        extra.append(Credit(host_of(canonical) or canonical, "rel=canonical", "canonical", canonical))
    byline = _meta(metas, "author") or next(iter(_names(ld.get("author"))), None) or _visible_byline(soup)
    html_tag = soup.find("html")
    lang = html_tag.get("lang") if isinstance(html_tag, Tag) else None
    shown = [d for t in soup.find_all("time") for d, _ in find_dates(t.get_text(" ", strip=True))]
    base = Article(
        source=source,
        paragraphs=(),
        url=url,
        canonical_url=canonical,
        title=title,
        byline=byline or (doc.author if doc else None),
        site_name=site_name,
        published=parse_datetime(ld.get("datePublished"))
        or parse_datetime(_meta(metas, "article:published_time", "date", "pubdate", "dc.date"))
        or parse_datetime(doc.date if doc else None),
        modified=parse_datetime(ld.get("dateModified")) or parse_datetime(_meta(metas, "article:modified_time")),
        language=str(lang).split("-")[0].lower() if lang else None,
        dates_shown=tuple(shown),
        notes=(*notes, *dropped_links_note(dropped)),
    )
    article = _assemble_or_loosen(base, lines, found_lines, html, links_by_key, registry, extra)
    body_keys = {normalize_text(p) for p in article.paragraphs}
    page_blocks = [text for text, key in zip(block_texts, block_keys, strict=True) if key in body_keys]
    page_repeats = repeats_in_page(article.paragraphs, page_blocks, REPEAT_MIN_CHARS, REPEAT_MIN_MEAN_CHARS)
    if len(page_repeats) > len(article.repeated_blocks):
        article = replace(article, repeated_blocks=tuple(page_repeats))
    return article


def _assemble_or_loosen(
    base: Article,
    lines: list[str],
    found_lines: list[str],
    html: str,
    links_by_key: dict[str, list[tuple[str, str]]],
    registry: Registry,
    extra: list[Credit],
) -> Article:
    """The article from the corrected lines; if nothing is left of them, from looser readings.

    The corrections are for a body with something around it: on a page whose only text is, say,
    a summary inside a link to the full story (an aggregator's brief), they can remove it all.
    Then trafilatura's lines stand uncorrected; if chrome and credits would take all of those
    too, any text trafilatura finds (comments included) is the body, as it is. Only a page
    where nothing finds text has no article.
    """
    for attempt in (lines, found_lines):
        links = {i: links_by_key[k] for i, line in enumerate(attempt) if (k := normalize_text(line)) in links_by_key}
        try:
            return assemble(base, attempt, links, registry, extra)
        except EmptyArticle:
            continue
    text = "\n".join(found_lines).strip() or _any_text(html)
    if not text:
        raise EmptyArticle(base.source, "no article text found in this HTML (is it a complete page?)")
    return body_as_is(base, text.split("\n"), registry, extra)


def _any_text(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html, include_comments=True, include_tables=True) or ""


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return value.strip() if isinstance(value, str) and value.strip() else None
