"""A newsroom's policy: which gaps of a Report count, how severe they are, and what its licences allow.

The rules (rules.py) say what a page fails to say; the policy says what this newsroom accepts:
rule selection and severity overrides, licensed partners whose copy may run with the credit the
licence requires (PRV110 when it does not), a ceiling on copied text without a licence (PRV111),
and the newsroom's own domains, which are never an origin. Reference: docs/ci-policy.md.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace

from provenance.config import CiPolicy, Partner
from provenance.errors import ConfigError
from provenance.model import Article, Credit, Gap, Report, Severity
from provenance.origin import infer
from provenance.origin.direction import credits_naming
from provenance.origin.relation import COPY_RELATIONS, DEFAULT_THRESHOLDS, Thresholds
from provenance.publishers import Registry, host_of, same_outlet
from provenance.rules import Context, apply_rules, paragraph_at, rule_by_id

# What a licence covers: gaps about taking the origin's text, which the partner allowed.
# PRV106 (a second, unlicensed source) and PRV109 (the page repeats itself) stay.
LICENSED_RULES = frozenset({"PRV101", "PRV102", "PRV103", "PRV104", "PRV105", "PRV107", "PRV108"})
CREDIT_RULES = frozenset({"PRV102", "PRV103"})  # findings that point at a credit line
BYLINE_RULE = "PRV104"
PARTNER_CREDIT = rule_by_id("PRV110")
COPIED_SHARE = rule_by_id("PRV111")
TOP_PARAGRAPHS = 2  # a credit "at the top" sits in the first two paragraphs (or the page header)
BOTTOM_PARAGRAPHS = 2


@dataclass(frozen=True, slots=True)
class Anchor:
    """What a finding points at in the file: a body paragraph, or a credit's text outside the body."""

    paragraph: int | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Placed:
    """A gap the policy keeps, with its severity after overrides and the text it points at."""

    gap: Gap
    severity: Severity
    anchor: Anchor


@dataclass(frozen=True)
class Policy:
    fail_on: Severity | None = Severity.ERROR  # None: "never"
    select: frozenset[str] | None = None  # rule ids; None: all
    ignore: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    partners: tuple[Partner, ...] = ()
    max_copied_share: float | None = None
    own_domains: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def digest(self) -> str:
        """Changes whenever a finding could: part of the incremental cache's key."""
        data = asdict(self)
        data["select"] = sorted(self.select) if self.select is not None else None
        data["ignore"] = sorted(self.ignore)
        data["severity"] = sorted((k, v.value) for k, v in self.severity.items())
        data["fail_on"] = self.fail_on.value if self.fail_on else None
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:20]

    def counts(self, rule: str) -> bool:
        return (self.select is None or rule in self.select) and rule not in self.ignore


def rule_ids(names: Iterable[str], where: str) -> frozenset[str]:
    """Rule ids from ids or names ("PRV101", "copied-without-credit"); an unknown one is a ConfigError."""
    ids = set()
    for name in names:
        rule = rule_by_id(name)
        if rule is None:
            raise ConfigError(f"{where}: unknown rule {name!r} (see `provenance rules`)")
        ids.add(rule.id)
    return frozenset(ids)


def build(
    conf: CiPolicy,
    fail_on: str | None = None,
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    where: str = "config",
) -> Policy:
    """The policy of a config's ci keys, with the command line's choices on top (flags win)."""
    severity = {}
    for rule, level in conf.severity:
        (rule_id,) = rule_ids([rule], f"{where}: severity")
        severity[rule_id] = Severity(level)
    chosen = select if select else conf.select
    fail = fail_on or "error"
    return Policy(
        fail_on=None if fail == "never" else Severity(fail),
        select=rule_ids(chosen, f"{where}: select") if chosen is not None else None,
        ignore=rule_ids([*conf.ignore, *ignore], f"{where}: ignore"),
        severity=severity,
        partners=conf.partners,
        max_copied_share=conf.max_copied_share,
        own_domains=conf.own_domains,
        exclude=conf.exclude,
    )


def is_own(url: str | None, own_domains: Sequence[str]) -> bool:
    host = host_of(url)
    return host is not None and any(host == d or host.endswith("." + d) for d in own_domains)


def without_own_origins(
    report: Report, policy: Policy, registry: Registry, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> Report:
    """The report with the newsroom's own pages removed as candidates, origin and gaps inferred again.

    Republishing our own story is no finding, and the next best candidate may still be a real origin.
    Archive first captures are not kept: a re-inferred origin leans on dates and containment only.
    """
    if not policy.own_domains:
        return report
    own = [m for m in report.matches if is_own(_url_of(m.candidate.article), policy.own_domains)]
    if not own:
        return report
    kept = tuple(m for m in report.matches if m not in own)
    inference = infer(report.article, list(kept), registry, thresholds, {})
    gaps = apply_rules(Context(report.article, inference, registry))
    return replace(
        report,
        matches=kept,
        origin=inference.origin,
        relation=inference.relation,
        gaps=gaps,
        siblings=inference.siblings,
    )


def _url_of(article: Article) -> str | None:
    return article.canonical_url or article.url


def apply(report: Report, policy: Policy, registry: Registry, *, licensee: Partner | None = None) -> list[Placed]:
    """The gaps of `report` as this policy counts them, with the policy's own findings added.

    The licence in force is, by default, a partner's whose text the article runs (`provenance ci`:
    the origin is the partner's). `licensee` is the other way round (`provenance watch`): the
    article's own outlet is licensed to run the origin's text, and its credit must name and link
    the origin itself.
    """
    placed = [
        Placed(gap, gap.severity, _anchor_of(gap, report))
        for gap in report.gaps
        if gap.rule not in ("PRV110", "PRV111")
    ]
    partner = licensee if licensee is not None and _copied(report) else _partner_of(report, policy.partners, registry)
    if partner is not None:
        placed = [p for p in placed if p.gap.rule not in LICENSED_RULES]
        placed.extend(_partner_credit(report, partner, registry, partner_links=licensee is None))
    elif policy.max_copied_share is not None:
        placed.extend(_over_limit(report, policy.max_copied_share))
    return [
        replace(p, severity=policy.severity.get(p.gap.rule, p.severity)) for p in placed if policy.counts(p.gap.rule)
    ]


def _anchor_of(gap: Gap, report: Report) -> Anchor:
    credits = report.article.credits
    if gap.rule in CREDIT_RULES and credits:
        # by its text: a credit's position counts paragraphs before header and date lines were taken out
        credit = next((c for c in credits if c.position == gap.paragraph), credits[0])
        return Anchor(text=credit.text)
    if gap.rule == BYLINE_RULE and report.article.byline:
        return Anchor(text=report.article.byline)  # the author line, in front matter or the page
    if gap.paragraph is not None:
        return Anchor(paragraph=gap.paragraph)
    if gap.rule == "PRV108":
        return Anchor(text=report.article.title)
    return Anchor()


def _copied(report: Report) -> bool:
    return report.origin is not None and report.relation in COPY_RELATIONS


def _origin_page(report: Report) -> Article:
    """The origin's page; for an origin known only from credits, a page standing for the credited source."""
    assert report.origin is not None
    origin = report.origin
    if origin.article is not None:
        return origin.article
    return Article(source=origin.name or "", paragraphs=(), publisher=origin.name)


def partner_for(page: Article, partners: Sequence[Partner], registry: Registry) -> Partner | None:
    """The partner whose outlet published `page` (by the registry's names, aliases and domains)."""
    for partner in partners:
        if same_outlet(partner.name, page.publisher or page.site_name, _url_of(page), registry):
            return partner
    return None


def _partner_of(report: Report, partners: Sequence[Partner], registry: Registry) -> Partner | None:
    if not _copied(report) or report.origin is None:
        return None
    return partner_for(_origin_page(report), partners, registry)


def _partner_credit(report: Report, partner: Partner, registry: Registry, *, partner_links: bool) -> list[Placed]:
    """PRV110 when the credit misses what the licence asks for: the text, the link, the place."""
    assert report.origin is not None and PARTNER_CREDIT is not None
    article, origin = report.article, _origin_page(report)
    wording = _words(partner.credit_text)
    worded = [c for c in article.credits if wording in _words(c.text) or wording in _words(c.name)]
    naming = credits_naming(article.credits, origin, registry)
    candidates = worded or naming
    domains = _partner_domains(partner, registry) if partner_links else ()
    credit = next((c for c in worded if not _missing(c, partner, article, origin, domains)), None)
    if credit is not None:
        return []
    best = candidates[0] if candidates else None
    missing = _missing(best, partner, article, origin, domains) if best else ["no credit at all"]
    if best is not None and not worded:
        missing.insert(0, f"the wording {partner.credit_text!r}")
    message = f"licensed copy from {partner.name}: the credit misses " + ", ".join(missing)
    evidence = (best.text,) if best else ()
    anchor = Anchor(text=best.text) if best else Anchor(paragraph=0)
    gap = PARTNER_CREDIT.gap(message, *evidence, paragraph=best.position if best else None)
    return [Placed(gap, gap.severity, anchor)]


def _words(text: str) -> str:
    """Text as a credit's wording is compared: case and runs of spaces do not count. The licence's
    wording is literal text, never a pattern: a config value must not cost time (`(a+)+$`)."""
    return " ".join(text.casefold().split())


def _partner_domains(partner: Partner, registry: Registry) -> tuple[str, ...]:
    publisher = registry.by_name(partner.name)
    return publisher.domains if publisher else ()


def _missing(credit: Credit, partner: Partner, article: Article, origin: Article, domains: Sequence[str]) -> list[str]:
    missing = []
    if partner.link and not _linked(credit, article, origin, domains):
        host = host_of(_url_of(origin))
        missing.append(f"a link to the original{f' ({host})' if host else ''}")
    if not _placed(credit, partner.position, len(article.paragraphs)):
        missing.append(f"the place ({partner.position} of the article)")
    return missing


def _linked(credit: Credit, article: Article, origin: Article, domains: Sequence[str]) -> bool:
    """The credit links to the original or to one of `domains`, the partner's when the partner is the
    origin's outlet (a link in the credit's paragraph counts)."""
    hosts = {h for h in (host_of(_url_of(origin)),) if h}
    links = [credit.link] if credit.link else []
    links += [link.href for link in article.links if credit.position is not None and link.position == credit.position]
    for href in links:
        host = host_of(href)
        if host and (host in hosts or any(host == d or host.endswith("." + d) for d in domains)):
            return True
    return False


def _placed(credit: Credit, position: str, paragraphs: int) -> bool:
    if position == "any":
        return True
    where = credit.position
    if where is None:  # front matter or page header: the top of the article
        return position == "top"
    if position == "top":
        return where < TOP_PARAGRAPHS
    return where >= paragraphs - BOTTOM_PARAGRAPHS


def _over_limit(report: Report, limit: float) -> list[Placed]:
    """PRV111: more of the text copied than the policy allows without a licence, credited or not."""
    assert COPIED_SHARE is not None
    if not _copied(report) or report.origin is None:
        return []
    # From credits alone, the pages carrying the same text show at least how much was copied.
    match = report.origin.match or max(report.siblings, key=lambda m: m.copied_share, default=None)
    if match is None or match.copied_share <= limit:
        return []
    origin = _origin_page(report)
    label = origin.publisher or host_of(_url_of(origin)) or "the origin"
    paragraph = paragraph_at(report.article, match.passages[0].article_start) if match.passages else None
    gap = COPIED_SHARE.gap(
        f"{match.copied_share:.0%} of the text comes from {label}, above the {limit:.0%} the policy allows "
        "without a licence",
        *((match.passages[0].text[:200],) if match.passages else ()),
        paragraph=paragraph,
    )
    return [Placed(gap, gap.severity, Anchor(paragraph=paragraph))]
