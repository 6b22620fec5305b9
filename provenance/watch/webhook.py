"""The webhook: new findings POSTed as a Slack-compatible JSON payload (`text`, and `blocks` for Slack).

The POST goes through the one polite client (the address guard, retries with backoff on
connection errors, 429 and 5xx) without robots.txt (an API, not crawling), within a deadline.
Findings are marked taken only after a 2xx answer, so a webhook that fails loses nothing: the
next pass sends them again with its own.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

import httpx

from provenance import urls
from provenance.errors import FetchError
from provenance.fetch.deadline import OutOfTime, within
from provenance.fetch.robots import SKIP_ROBOTS
from provenance.inert import inert_data
from provenance.watch.model import Finding

TIMEOUT = 20.0  # seconds for the POST in all, retries included
MAX_BLOCKS = 20  # findings shown one by one; Slack takes at most 50 blocks
_MRKDWN = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def _escaped(text: str) -> str:
    """Text for Slack's mrkdwn: its three control characters escaped, on one line."""
    return " ".join(text.split()).translate(_MRKDWN)


def _link(url: str, label: str) -> str:
    """<url|label> when the URL is safe inside Slack's link syntax; else the label and the URL as text."""
    if urls.is_web_url(url) and not any(c in url for c in "|<> "):
        return f"<{url}|{_escaped(label)}>"
    return f"{_escaped(label)} ({_escaped(url)})"


def headline(findings: Sequence[Finding]) -> str:
    counts: dict[str, int] = {}
    for finding in findings:
        key = finding.severity.value if finding.severity else "credited"
        counts[key] = counts.get(key, 0) + 1
    parts = ", ".join(f"{counts[k]} {k}" for k in ("error", "warning", "info", "credited") if k in counts)
    noun = "copy" if len(findings) == 1 else "copies"
    return f"provenance watch: {len(findings)} new {noun} of our stories ({parts})"


def line(finding: Finding) -> str:
    copy = finding.copy
    rules = ", ".join(f"{g.rule} {g.name}" for g in copy.gaps) or "credited and linked as the policy asks"
    severity = finding.severity.value if finding.severity else "ok"
    return (
        f"*#{finding.id}* [{severity}] {_link(copy.page_url, copy.title or copy.page_url)} on {_escaped(copy.site)}"
        f" {copy.relation} copy of {_link(copy.original_url, copy.original_title or copy.original_url)}"
        f" ({copy.copied_share:.0%} of the page, {copy.reproduced_share:.0%} of ours): {_escaped(rules)}"
    )


def payload(findings: Sequence[Finding]) -> dict[str, Any]:
    """Slack's incoming-webhook JSON; `text` alone is what Mattermost, Teams' Slack endpoint and
    most chat bridges read."""
    findings = inert_data(list(findings))  # titles and URLs come from pages
    shown = [line(f) for f in findings[:MAX_BLOCKS]]
    more = len(findings) - len(shown)
    text = "\n".join([headline(findings), *shown, *([f"... and {more} more"] if more else [])])
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": headline(findings)}}]
    blocks += [{"type": "section", "text": {"type": "mrkdwn", "text": item[:2900]}} for item in shown]
    if more:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"... and {more} more"}]})
    return {"text": text, "blocks": blocks}


def redacted(url: str) -> str:
    """A webhook URL carries its secret in the path (Slack's do): messages show only where it goes."""
    parts = urls.split(url)
    if parts is None or not parts.hostname:
        return "the webhook"
    return f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}/..."


def post(url: str, findings: Sequence[Finding], client: httpx.Client, timeout: float = TIMEOUT) -> None:
    """POST the findings to the webhook at `url`; FetchError (naming it without its path) when it does
    not take them."""
    body = json.dumps(payload(findings), ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json"}
    shown = redacted(url)
    try:
        with within(time.monotonic() + timeout, f"took longer than {timeout:g} s, the webhook's limit"):
            response = client.post(url, content=body, headers=headers, extensions={SKIP_ROBOTS: True})
    except OutOfTime as exc:
        raise FetchError(shown, f"{exc.why} ({exc})") from None
    except FetchError as exc:
        raise FetchError(shown, exc.reason.replace(url, shown)) from None
    except httpx.HTTPError as exc:
        raise FetchError(shown, (str(exc) or type(exc).__name__).replace(url, shown)) from None
    if response.status_code >= 300:
        raise FetchError(shown, f"the webhook answered HTTP {response.status_code} {response.reason_phrase}")
