"""`provenance watch`: which sites republish our stories, how much of them, and do they credit and link us?

`check` asks where a page came from; watch asks it the other way round for a publisher, every
pass: our new articles go into the index, other sites' feeds, sitemaps and URL lists (and, with
`search`, pages a search engine finds for our distinctive phrases) are read with conditional GET,
and each page not seen before is checked against our index only. Pages that copy one of ours are
kept as findings, with their relation, shares and gaps, for the newsroom to work through
(`provenance findings`). docs/watch.md is the how-to.

    model.py    Copy, Finding, Pass, Digest: what is kept and reported
    sources.py  a source read with its validators -> the pages it lists
    judge.py    a check Report -> the copy of ours it shows (ci's policy and partners)
    run.py      one pass: refresh our index, read, check (threads and worker processes), record
    state/      what a pass remembers: SQLite beside the index, or the Redis index's database
    webhook.py  the webhook (Slack-compatible)
    formats/    table, json, jsonl, csv, markdown, html
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

    from provenance.config import Config
    from provenance.fetch import FetchSettings
    from provenance.watch.run import Job
    from provenance.watch.state.base import State


def job(
    config: Config,
    index: str,
    *,
    fetching: FetchSettings | None = None,
    fail_on: str | None = None,
    workers: int = 1,
    searxng: str | None = None,
    webhook: str | None = None,
) -> Job:
    """A pass's job from the settings: the [watch] table, the policy's rule choices and severities
    (as `ci` counts them), the publisher registry, and fetching without the HTTP cache (a source
    must be read as it is now; conditional GET saves the bytes instead). The search engine and the
    webhook are the user's own endpoints: reachable on private addresses, as `check` trusts its."""
    from provenance.ci.policy import build
    from provenance.config import watch_fail_on
    from provenance.config.resolve import DEFAULT_SHINGLE_SIZE
    from provenance.fetch import FetchSettings
    from provenance.model import ShingleParams
    from provenance.pipeline import Settings
    from provenance.publishers import bundled
    from provenance.watch.judge import Judge
    from provenance.watch.run import Job

    conf = config.watch
    where = str(config.path or "flags")
    chosen = watch_fail_on(config, fail_on)
    policy = replace(build(config.ci, chosen, where=where), partners=())  # ours are [[watch.partners]]
    registry = bundled().extended(config.publishers)
    fetching = replace(fetching or FetchSettings(), cache=False).trusting(searxng, webhook)
    size = config.shingle_size or DEFAULT_SHINGLE_SIZE
    settings = Settings(params=ShingleParams(size=size), registry=registry, fetch=fetching)
    judge = Judge(policy, registry, conf.own_domains, conf.partners)
    return Job(conf, judge, settings, index, searxng if conf.search else None, workers)


def notify(state: State, client: httpx.Client, webhook: str | None) -> str | None:
    """Send the webhook every finding it has not taken yet; what went wrong, in one line, or None.

    Without a webhook, findings count as taken: one configured later starts with the new ones.
    """
    from provenance.errors import FetchError
    from provenance.watch.webhook import post

    pending = state.unnotified()
    if not pending:
        return None
    if webhook:
        try:
            post(webhook, pending, client)
        except FetchError as exc:
            return f"webhook: {exc}; {len(pending)} finding(s) kept for the next pass"
    state.mark_notified([f.id for f in pending])
    return None
