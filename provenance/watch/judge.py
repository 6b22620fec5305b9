"""From a check of someone's page against our index to a finding: does it copy one of ours, and how?

The check's own verdict decides (docs/relations.md): the page is a copy when its relation is a copy
(`verbatim`, `partial`, `rewrite`) and its origin is a page of ours. An independent report of the
same event, or a page whose text the origin inference finds came first, is no finding. The gaps
are counted by the newsroom's policy (`provenance/ci/policy.py`: rule selection, severities,
max-copied-share), and a licensed partner's copy by its licence: the licensed rules are dropped and
the credit the licence asks for is checked (PRV110).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from provenance.ci.policy import Policy, apply, is_own, partner_for
from provenance.config import Partner
from provenance.model import Report
from provenance.origin.relation import COPY_RELATIONS
from provenance.publishers import Registry, host_of
from provenance.watch.model import Copy, FindingGap


@dataclass(frozen=True)
class Judge:
    """What makes a copy a finding: whose pages are ours, who is licensed, and the policy."""

    policy: Policy
    registry: Registry
    own_domains: tuple[str, ...] = ()  # empty: every article in the index counts as ours
    partners: tuple[Partner, ...] = ()  # outlets licensed to run our stories ([[watch.partners]])

    def is_ours(self, url: str | None) -> bool:
        return bool(self.own_domains) and is_own(url, self.own_domains)

    def copies(self, report: Report, page_url: str, found_by: str) -> Sequence[Copy]:
        """The copy of ours that `report` (a check of the page at `page_url`) shows, if any."""
        origin = report.origin
        if report.relation not in COPY_RELATIONS or origin is None or origin.match is None:
            return ()
        original = origin.match.candidate.article
        original_url = original.canonical_url or original.url or original.source
        if self.own_domains and not self.is_ours(original_url):
            return ()  # the index also holds others' articles (a wire's): copying those is not our business
        if self.is_ours(page_url):
            return ()  # our own page, republishing our own story
        page = report.article
        partner = partner_for(page, self.partners, self.registry)
        placed = apply(report, self.policy, self.registry, licensee=partner)
        gaps = tuple(FindingGap(p.gap.rule, p.gap.name, p.severity, p.gap.message, p.gap.evidence) for p in placed)
        copy = Copy(
            page_url=page_url,
            site=host_of(page_url) or page_url,
            title=page.title,
            original_url=original_url,
            original_title=original.title,
            relation=report.relation.value,
            copied_share=round(origin.match.copied_share, 4),
            reproduced_share=round(origin.match.reproduced_share, 4),
            gaps=gaps,
            found_by=found_by,
            partner=partner.name if partner else None,
        )
        return (copy,)
