"""Attribution rules: each a small check with a stable id, a severity and a documented reason.

The RULES table is data: docs/rules.md is generated from it
(`python -m provenance rules --format markdown`) and a test fails when they drift.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from provenance.extract.dates import find_dates
from provenance.model import Article, Gap, Passage, Relation, Severity
from provenance.normalize import normalize_text
from provenance.origin import Inference
from provenance.origin.direction import credits_naming
from provenance.origin.relation import COPY_RELATIONS
from provenance.publishers import Registry, host_of, name_key, same_outlet


@dataclass(frozen=True, slots=True)
class Context:
    article: Article
    inference: Inference
    registry: Registry


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    name: str
    severity: Severity
    summary: str
    rationale: str
    example: str
    check: Callable[[Context, Rule], Iterator[Gap]]

    def gap(self, message: str, *evidence: str, paragraph: int | None = None) -> Gap:
        return Gap(self.id, self.name, self.severity, message, tuple(evidence), paragraph)


def _copied(ctx: Context) -> bool:
    return ctx.inference.origin is not None and ctx.inference.relation in COPY_RELATIONS


def _origin_page(ctx: Context) -> Article | None:
    """The origin's page, when the origin is one (not a source known only from credits)."""
    return ctx.inference.origin.article if ctx.inference.origin else None


def _origin_label(ctx: Context) -> str:
    origin = ctx.inference.origin
    assert origin is not None
    cand = origin.article
    if cand is None:
        return origin.name or "the credited source"
    return cand.publisher or cand.site_name or host_of(cand.canonical_url or cand.url) or cand.source


def _copied_passages(ctx: Context) -> tuple[Passage, ...]:
    """The article's text found in the origin; for an origin known from credits, in its siblings."""
    origin = ctx.inference.origin
    assert origin is not None
    if origin.match is not None:
        return origin.match.passages
    return tuple(p for m in ctx.inference.siblings for p in m.passages)


def _how_copied(ctx: Context) -> str:
    origin = ctx.inference.origin
    assert origin is not None
    match = origin.match
    if match is None:
        pages = ", ".join(sorted({_page_label(m.candidate.article) for m in ctx.inference.siblings}))
        return f"the text is {_origin_label(ctx)}'s, as {pages} carrying the same text and credit show"
    if ctx.inference.relation is Relation.REWRITE:
        pairs = len(match.alignment.pairs)
        label = _origin_label(ctx)
        return f"the text rewrites {label}'s article ({pairs} of its sentences follow the original's, in order)"
    return f"{match.copied_share:.0%} of the text comes word for word from {_origin_label(ctx)}"


def _page_label(page: Article) -> str:
    return page.publisher or page.site_name or host_of(page.canonical_url or page.url) or page.source


def _first_passage(ctx: Context) -> tuple[str, ...]:
    passages = _copied_passages(ctx)
    return (passages[0].text[:200],) if passages else ()


def paragraph_at(article: Article, offset: int) -> int:
    """The index of the body paragraph holding character `offset` of the compared text."""
    total = 0
    for index, para in enumerate(article.paragraphs):
        total += len(para) + 2
        if offset < total:
            return index
    return max(0, len(article.paragraphs) - 1)


def _no_credit(ctx: Context, rule: Rule) -> Iterator[Gap]:
    if _copied(ctx) and not ctx.article.credits:
        passages = _copied_passages(ctx)
        where = paragraph_at(ctx.article, passages[0].article_start) if passages else None
        yield rule.gap(
            f"{_how_copied(ctx)} and the page credits no one",
            *_first_passage(ctx),
            paragraph=where,
        )


def _wrong_credit(ctx: Context, rule: Rule) -> Iterator[Gap]:
    page = _origin_page(ctx)
    if not _copied(ctx) or not ctx.article.credits or page is None:
        return  # an origin known from credits is the source the page credits
    if not credits_naming(ctx.article.credits, page, ctx.registry):
        names = ", ".join(sorted({c.name for c in ctx.article.credits}))
        yield rule.gap(
            f"the page credits {names} but the text comes from {_origin_label(ctx)}",
            *(c.text for c in ctx.article.credits),
            paragraph=ctx.article.credits[0].position,
        )


def _credit_without_link(ctx: Context, rule: Rule) -> Iterator[Gap]:
    origin = _origin_page(ctx)
    if not _copied(ctx) or origin is None:
        return  # no page of the origin is known, so there is none to link to
    named = credits_naming(ctx.article.credits, origin, ctx.registry)
    host = host_of(origin.canonical_url or origin.url)
    linked = any(host_of(c.link) == host for c in named if c.link) or any(
        host_of(link.href) == host for link in ctx.article.links
    )
    if named and not linked:
        yield rule.gap(
            f"the credit {named[0].text!r} names {_origin_label(ctx)} but the page does not link to the original",
            f"original: {origin.canonical_url or origin.url or origin.source}",
            paragraph=named[0].position,
        )


def _byline_claims(ctx: Context, rule: Rule) -> Iterator[Gap]:
    byline = ctx.article.byline
    origin = ctx.inference.origin
    if not _copied(ctx) or not byline or origin is None:
        return
    # The origin's own page, or the pages carrying the same credited text: their bylines and outlets.
    pages = [origin.article] if origin.article else [m.candidate.article for m in ctx.inference.siblings]
    authors = {name_key(p) for page in pages for p in _authors(page.byline or "")}
    outlets = [origin.name] if origin.name else []
    for part in _authors(byline):
        if name_key(part) in authors or any(_names_outlet(part, name, ctx.registry) for name in outlets):
            return
        if origin.article and same_outlet(
            part, origin.article.publisher or origin.article.site_name, _url(origin.article), ctx.registry
        ):
            return
    theirs = [page.byline for page in pages if page.byline]
    yield rule.gap(
        f"the byline {byline!r} claims text that {_origin_label(ctx)} published",
        f"original byline: {theirs[0]}" if theirs else "the original names no author",
        paragraph=0,
    )


def _authors(byline: str) -> list[str]:
    return [p.strip() for p in byline.replace(" and ", ",").replace("|", ",").split(",") if p.strip()]


def _names_outlet(part: str, outlet: str, registry: Registry) -> bool:
    """Whether a byline part names the outlet, alone or beside a person ("Jane Roe AP Television Writer")."""
    pub = registry.by_name(outlet)
    words = normalize_text(part).split()
    for name in (outlet, *(pub.aliases if pub else ())):
        alias = normalize_text(name).split()
        if alias and any(words[i : i + len(alias)] == alias for i in range(len(words) - len(alias) + 1)):
            return True
    return False


def _url(page: Article) -> str | None:
    return page.canonical_url or page.url


def _full_reproduction(ctx: Context, rule: Rule) -> Iterator[Gap]:
    origin = ctx.inference.origin
    match = origin.match if origin else None
    if _copied(ctx) and match is not None and match.reproduced_share >= 0.8:
        yield rule.gap(
            f"the page reproduces {match.reproduced_share:.0%} of the original from {_origin_label(ctx)}; "
            "republishing a whole article needs a licence, not only a credit",
        )


def _second_source(ctx: Context, rule: Rule) -> Iterator[Gap]:
    for match in ctx.inference.second_sources:
        cand = match.candidate.article
        if credits_naming(ctx.article.credits, cand, ctx.registry):
            continue
        label = cand.publisher or cand.site_name or host_of(cand.canonical_url or cand.url) or cand.source
        passage = next((p for p in match.passages if not p.quoted), None)
        yield rule.gap(
            f"passages from a second source, {label}, are not credited",
            *((passage.text[:200],) if passage else ()),
            paragraph=paragraph_at(ctx.article, passage.article_start) if passage else None,
        )


def _date_not_shown(ctx: Context, rule: Rule) -> Iterator[Gap]:
    origin = _origin_page(ctx)
    if not _copied(ctx) or origin is None or origin.published is None:
        return
    day = origin.published.date()
    shown = {when.date() for written in ctx.article.dates_shown for _, when in find_dates(written)}
    if day not in shown:
        yield rule.gap(
            f"the original was published on {day:%d %B %Y}; the page does not show that date",
            *(f"dates shown: {', '.join(ctx.article.dates_shown)}",) if ctx.article.dates_shown else (),
        )


def _headline_copied(ctx: Context, rule: Rule) -> Iterator[Gap]:
    origin = _origin_page(ctx)
    title, theirs = ctx.article.title, origin.title if origin else None
    if _copied(ctx) and title and theirs and normalize_text(title) == normalize_text(theirs):
        yield rule.gap(f"the headline is the original's, word for word: {theirs!r}")


def _body_repeated(ctx: Context, rule: Rule) -> Iterator[Gap]:
    for block in ctx.article.repeated_blocks:
        yield rule.gap(
            f"{block.paragraphs} paragraph(s) of the body appear again later in the page ({block.chars} characters); "
            "counted once",
            paragraph=block.first_paragraph,
        )


def _policy_only(ctx: Context, rule: Rule) -> Iterator[Gap]:
    return iter(())


RULES: tuple[Rule, ...] = (
    Rule("PRV101", "copied-without-credit", Severity.ERROR,
         "Text copied from another page, and the page credits no source at all.",
         "Readers and search engines take uncredited text as the site's own work; this is the core of plagiarism.",
         "An aggregator post whose three paragraphs match a newspaper's story word for word, with no source line.",
         _no_credit),
    Rule("PRV102", "credit-names-other-source", Severity.ERROR,
         "The page credits a source, but not the one the text was copied from.",
         "A wrong credit sends readers and licence holders to the wrong publisher and hides the real one.",
         "A page crediting \"Reuters\" whose text matches a BBC article and no Reuters story.",
         _wrong_credit),
    Rule("PRV103", "credit-without-link", Severity.WARNING,
         "The credit names the origin but the page never links to the original.",
         "A bare name (\"BBC\") cannot be followed or checked; a link lets readers see the original and its context.",
         "A story ending with the line \"BBC\" and no link to bbc.co.uk.",
         _credit_without_link),
    Rule("PRV104", "byline-claims-copied-work", Severity.ERROR,
         "The byline names someone other than the origin's author or publisher on copied text.",
         "A byline is a claim of authorship; on copied text it misleads readers about who reported the story.",
         "\"By Obiaks Blog\" above a BBC article reproduced word for word.",
         _byline_claims),
    Rule("PRV105", "full-reproduction", Severity.WARNING,
         "The page reproduces all or nearly all (80% or more) of the original.",
         "Quoting is fair; republishing a whole article needs the publisher's licence even when credited.",
         "A blog post holding every paragraph of a wire story.",
         _full_reproduction),
    Rule("PRV106", "uncredited-second-source", Severity.ERROR,
         "Passages come from a second page that no credit names.",
         "A patchwork of sources that credits only one hides the other's work.",
         "Five paragraphs from a newspaper (credited) followed by four from a wire service (not credited).",
         _second_source),
    Rule("PRV107", "original-date-not-shown", Severity.INFO,
         "Copied text without the date the original was published.",
         "Republished news read as fresh can mislead; the original date tells readers how old the report is.",
         "A copy posted a week later, dated only with its own posting time.",
         _date_not_shown),
    Rule("PRV108", "headline-copied", Severity.WARNING,
         "The headline is the origin's headline, word for word.",
         "A copied headline on a copied story presents the republication as the original report.",
         "An aggregator reusing the BBC's headline over the BBC's text.",
         _headline_copied),
    Rule("PRV109", "body-repeated", Severity.WARNING,
         "Blocks of the body appear more than once in the page.",
         "Scraping sites often paste a story twice; the repeat is counted once so the overlap figures stay honest.",
         "A blog post whose whole body is pasted again below the first copy.",
         _body_repeated),
    # The policy rules: `provenance ci` applies them from the newsroom's policy (provenance/ci/policy.py,
    # docs/ci-policy.md); a single `check` has no policy, so they find nothing there.
    Rule("PRV110", "partner-credit-incomplete", Severity.ERROR,
         "Copy from a licensed partner whose credit misses what the licence requires (wording, link, place).",
         "A licence to republish usually comes with the credit it asks for; running the copy without it breaks "
         "the licence even though the copy itself is allowed. Configured by [[partners]] in the policy.",
         "A wire story run under a partner licence that asks for a linked credit at the bottom, "
         "ending with the bare line \"Source: Meridian Wire\".",
         _policy_only),
    Rule("PRV111", "copied-share-over-limit", Severity.ERROR,
         "More of the text comes from another publisher than the policy allows without a licence.",
         "A credit does not make a copy fair: past a share of the article (max-copied-share in the policy), "
         "reuse needs a licence. Licensed partners and the newsroom's own domains are exempt.",
         "A post whose text is 85% a newspaper's story, credited, under a policy allowing 60%.",
         _policy_only),
)  # fmt: skip


def apply_rules(ctx: Context, rules: tuple[Rule, ...] = RULES) -> tuple[Gap, ...]:
    return tuple(gap for rule in rules for gap in rule.check(ctx, rule))


def rule_by_id(rule_id: str) -> Rule | None:
    return next((r for r in RULES if r.id == rule_id.upper() or r.name == rule_id.lower()), None)
