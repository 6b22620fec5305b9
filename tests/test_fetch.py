"""The fetcher against a misbehaving server on 127.0.0.1: real sockets, no mocks of httpx.

Every fault ends in a one-line FetchError or in success, fast; the server's own records (requests,
their times, bytes sent) show what the client really did.
"""

from __future__ import annotations

import dataclasses
import itertools
import threading
import time
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path

import pytest
from click.testing import CliRunner

from provenance import __version__
from provenance.cli import main
from provenance.config import Flags, parse
from provenance.config.resolve import fetch_settings
from provenance.errors import ConfigError, FetchError
from provenance.fetch import ARTICLE, HOMEPAGE, FetchSettings, fetch, new_client
from provenance.fetch.guard import refusal
from provenance.fetch.retry import retry_after
from provenance.inputs import load
from provenance.publishers import bundled
from tests.support.fault_server import BIG, BOMB, WESTERN, FaultServer, _bomb


@pytest.fixture
def faults() -> Iterator[FaultServer]:
    server = FaultServer().start()
    yield server
    server.stop()


def server_with(robots: str) -> FaultServer:
    return FaultServer(robots).start()


@pytest.fixture
def fast(tmp_path: Path) -> FetchSettings:
    """Loopback allowed (the server is on 127.0.0.1), tiny timeouts and backoff, a private cache."""
    return FetchSettings(
        allow_private=True, delay=0, backoff=0.01, timeout=0.5, connect_timeout=0.5, cache_dir=tmp_path / "cache"
    )


def get(url: str, settings: FetchSettings, **kwargs: object) -> bytes:
    with new_client(settings) as client:
        return fetch(url, client, **kwargs).content  # type: ignore[arg-type]


def refused(url: str, settings: FetchSettings, **kwargs: object) -> str:
    with pytest.raises(FetchError) as caught:
        get(url, settings, **kwargs)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"cannot fetch {url}")
    return message


# -- identity ---------------------------------------------------------------------------------


def test_user_agent_names_the_tool_its_version_and_homepage(faults, fast):
    get(f"{faults.url}/page", fast)
    assert faults.agents and all(a == f"provenance/{__version__} (+{HOMEPAGE})" for a in faults.agents)


# -- retries ----------------------------------------------------------------------------------


def test_500s_are_retried_until_success(faults, fast):
    assert b"Harbour wall" in get(f"{faults.url}/flaky?fail=2", fast)
    assert len(faults.hits("/flaky")) == 3


def test_persistent_503_gives_up_after_the_attempts_and_says_so(faults, fast):
    message = refused(f"{faults.url}/down", fast)
    assert "HTTP 503" in message and "after 3 tries" in message
    assert len(faults.hits("/down")) == 3


def test_other_4xx_are_not_retried(faults, fast):
    assert "HTTP 404" in refused(f"{faults.url}/nothing", fast)
    assert len(faults.hits("/nothing")) == 1


def test_429_waits_for_retry_after_seconds(faults, fast):
    assert b"Harbour wall" in get(f"{faults.url}/busy?after=1", fast)
    first, second = faults.hits("/busy")
    assert second - first >= 0.9


def test_a_retry_after_beyond_the_cap_is_not_waited_for(faults, fast):
    start = time.monotonic()
    message = refused(f"{faults.url}/busy?after=3600", fast)
    assert "HTTP 429" in message and "Retry-After: 3600" in message
    assert time.monotonic() - start < 2 and len(faults.hits("/busy")) == 1


def test_no_retry_waits_past_the_deadline(faults, fast):
    start = time.monotonic()
    message = refused(f"{faults.url}/busy?after=1", fast, deadline=time.monotonic() + 0.3)
    assert "HTTP 429" in message and len(faults.hits("/busy")) == 1
    assert time.monotonic() - start < 1


def test_a_dripping_body_stops_at_the_deadline(faults, fast):
    start = time.monotonic()
    assert "out of time" in refused(f"{faults.url}/drip", fast, deadline=time.monotonic() + 0.5)
    assert time.monotonic() - start < 2


def test_retry_after_reads_seconds_and_http_dates():
    now = time.time()
    assert retry_after("7") == 7.0
    assert retry_after(formatdate(now + 60, usegmt=True), now=now) == pytest.approx(60, abs=1)
    assert retry_after(formatdate(now - 60, usegmt=True), now=now) == 0.0
    assert retry_after("soon") is None and retry_after(None) is None


def test_connection_reset_is_retried_then_one_line(faults, fast):
    message = refused(f"{faults.url}/reset", fast)
    assert "after 3 tries" in message
    assert len(faults.hits("/reset")) == 3


def test_a_response_slower_than_the_timeout_times_out(faults, fast):
    start = time.monotonic()
    message = refused(f"{faults.url}/slow?s=3", dataclasses.replace(fast, timeout=0.3, attempts=2))
    assert "timed out after 2 tries" in message
    assert time.monotonic() - start < 2.5


# -- limits -----------------------------------------------------------------------------------


def test_redirect_loops_stop(faults, fast):
    assert "more than 5 redirects" in refused(f"{faults.url}/loop", fast)
    assert len(faults.hits("/loop")) == 6


def test_a_50_mb_body_is_not_read_past_the_cap(faults, fast):
    start = time.monotonic()
    assert "larger than 1 MB" in refused(f"{faults.url}/big", fast, max_bytes=1024 * 1024)
    time.sleep(0.2)  # let the server notice the hang-up
    assert faults.sent["/big"] < BIG // 4, "the client kept reading"
    assert time.monotonic() - start < 3


def test_a_declared_50_mb_body_is_refused_before_reading(faults, fast):
    assert "larger than 20 MB" in refused(f"{faults.url}/big-declared", fast)
    time.sleep(0.2)
    assert faults.sent.get("/big-declared", 0) < BIG // 4


def test_a_gzip_bomb_stops_at_the_decompressed_cap(faults, fast):
    assert len(_bomb()) < 1024 * 1024 < BOMB  # small on the wire, 64 MB unpacked
    assert "larger than 20 MB" in refused(f"{faults.url}/bomb", fast)


def test_a_gzip_bomb_never_inflates_far_past_the_cap(faults, fast):
    import tracemalloc

    _bomb()  # made once, before counting: the server runs in this process
    tracemalloc.start()
    try:
        refused(f"{faults.url}/bomb", dataclasses.replace(fast, cache=False), max_bytes=4 * 1024 * 1024)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024  # inflating each 64 KiB network chunk whole would reach about 64 MB


@pytest.mark.parametrize("how", ["gzip", "zlib", "raw"])
def test_compressed_pages_are_decoded(faults, fast, how):
    assert b"Harbour wall" in get(f"{faults.url}/encoded?as={how}", fast)
    assert "gzip, deflate" in faults.encodings  # only what the reader can inflate is asked for


def test_an_unknown_content_encoding_is_one_line(faults, fast):
    assert "unsupported content encoding 'zz'" in refused(f"{faults.url}/encoded?coding=zz", fast)


def test_an_article_must_be_html(faults, fast):
    for path, kind in (("/image", "image/png"), ("/pdf", "application/pdf")):
        message = refused(f"{faults.url}{path}", fast, accept=ARTICLE)
        assert f"content type {kind} is not HTML" in message
    assert get(f"{faults.url}/image", fast).startswith(b"\x89PNG")  # without accept, any type


@pytest.mark.parametrize("path", ["/lying-utf8", "/lying-latin1"])
def test_a_lying_charset_is_decoded_right(faults, fast, path):
    with new_client(fast) as client:
        article = load(f"{faults.url}{path}", bundled(), client)
    assert WESTERN in article.paragraphs


# -- robots.txt -------------------------------------------------------------------------------


def test_robots_disallow_is_honoured_and_the_page_never_requested(fast):
    server = server_with("disallow")
    try:
        assert "disallowed by robots.txt" in refused(f"{server.url}/private/page", fast)
        assert server.hits("/private/page") == []
        assert b"Harbour wall" in get(f"{server.url}/page", fast)
        assert b"Harbour wall" in get(f"{server.url}/private/page", dataclasses.replace(fast, ignore_robots=True))
    finally:
        server.stop()


def test_robots_404_allows_everything_and_is_fetched_once(faults, fast):
    with new_client(fast) as client:
        fetch(f"{faults.url}/page", client)
        fetch(f"{faults.url}/private/page", client)
    assert len(faults.hits("/robots.txt")) == 1 and len(faults.hits("/private/page")) == 1


def test_robots_rules_are_remembered_by_the_process_not_only_the_client(faults, fast):
    no_cache = dataclasses.replace(fast, cache=False)  # so only the memory can answer
    get(f"{faults.url}/page", no_cache)
    get(f"{faults.url}/page", no_cache)
    assert len(faults.hits("/robots.txt")) == 1 and len(faults.hits("/page")) == 2


def test_robots_500_is_not_remembered(fast):
    server = server_with("500")
    try:
        refused(f"{server.url}/page", fast)
        refused(f"{server.url}/page", fast)
        assert len(server.hits("/robots.txt")) == 2 * 3  # each client tried again, with its retries
    finally:
        server.stop()


def test_robots_500_disallows_everything(fast):
    server = server_with("500")
    try:
        assert "robots.txt answered HTTP 500" in refused(f"{server.url}/page", fast)
        assert server.hits("/page") == []
    finally:
        server.stop()


def test_robots_crawl_delay_spaces_requests(fast):
    server = server_with("User-agent: *\nCrawl-delay: 0.4\n")
    try:
        # Our own delay is 0 (only Crawl-delay spaces them) and no cache (the second would be a hit).
        with new_client(dataclasses.replace(fast, cache=False)) as client:
            fetch(f"{server.url}/page", client)
            fetch(f"{server.url}/page", client)
        first, second = server.hits("/page")
        assert second - first >= 0.35
    finally:
        server.stop()


# -- politeness -------------------------------------------------------------------------------


def test_requests_to_one_host_are_spaced_by_the_delay(faults, fast):
    with new_client(dataclasses.replace(fast, delay=0.3, cache=False)) as client:
        fetch(f"{faults.url}/page", client)
        fetch(f"{faults.url}/page", client)
    times = sorted(t for _, t in faults.requests)  # robots.txt, then the page twice
    assert len(times) == 3
    assert all(b - a >= 0.2 for a, b in itertools.pairwise(times)), times


def test_no_wait_for_a_host_past_the_deadline(faults, fast):
    with new_client(dataclasses.replace(fast, delay=5, ignore_robots=True, cache=False)) as client:
        fetch(f"{faults.url}/page", client)
        start = time.monotonic()
        with pytest.raises(FetchError, match=r"out of time \(waiting for 127\.0\.0\.1"):
            fetch(f"{faults.url}/page", client, deadline=time.monotonic() + 0.5)
    assert time.monotonic() - start < 1 and len(faults.hits("/page")) == 1


def test_one_request_at_a_time_per_host_across_threads(faults, fast):
    with new_client(dataclasses.replace(fast, cache=False, ignore_robots=True)) as client:
        threads = [threading.Thread(target=fetch, args=(f"{faults.url}/slow?s=0.15", client)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
    spans = sorted(faults.spans)
    assert len(spans) == 4
    assert all(later[0] >= earlier[1] - 0.01 for earlier, later in itertools.pairwise(spans))


# -- cache and offline ------------------------------------------------------------------------


def test_a_second_fetch_comes_from_the_disk_cache(faults, fast):
    first = get(f"{faults.url}/page", fast)
    assert get(f"{faults.url}/page", fast) == first  # a new client, as a second run would have
    assert len(faults.hits("/page")) == 1


def test_no_cache_fetches_every_time(faults, fast):
    settings = dataclasses.replace(fast, cache=False)
    get(f"{faults.url}/page", settings)
    get(f"{faults.url}/page", settings)
    assert len(faults.hits("/page")) == 2


def test_an_unusable_cache_directory_turns_the_cache_off_not_the_fetch(faults, fast, tmp_path, caplog):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert b"Harbour wall" in get(f"{faults.url}/page", dataclasses.replace(fast, cache_dir=blocker))
    assert "HTTP cache off" in caplog.text


def test_offline_answers_from_the_cache_only(faults, fast):
    offline = dataclasses.replace(fast, offline=True)
    assert "offline: not in the cache" in refused(f"{faults.url}/page", offline)
    assert faults.requests == []
    online = get(f"{faults.url}/page", fast)
    assert get(f"{faults.url}/page", offline) == online
    assert len(faults.hits("/page")) == 1


# -- the address guard ------------------------------------------------------------------------


def test_loopback_is_refused_unless_allowed(faults, fast):
    guarded = dataclasses.replace(fast, allow_private=False)
    assert "127.0.0.1 is a loopback address" in refused(f"{faults.url}/page", guarded)
    # A name is resolved and its address checked at connect time.
    message = refused(f"http://localhost:{faults.port}/page", guarded)
    assert "loopback" in message and "--allow-private" in message
    assert faults.requests == []


def test_every_redirect_hop_is_guarded(faults, fast):
    # Even with private addresses allowed, cloud metadata is refused, on the hop that goes there.
    message = refused(f"{faults.url}/redirect?to=http://169.254.169.254/latest/meta-data/", fast)
    assert message.endswith(
        "redirected to http://169.254.169.254/latest/meta-data/: refused: 169.254.169.254 is a cloud metadata address"
    )
    assert len(faults.hits("/redirect")) == 1


def test_a_trusted_endpoint_is_reachable_but_nothing_it_redirects_to(faults, fast):
    """A user's own SearXNG on loopback, without opening loopback to links found in pages."""
    other = server_with("404")
    try:
        trusting = dataclasses.replace(fast, allow_private=False).trusting(f"{faults.url}/search", None)
        assert b"Harbour wall" in get(f"{faults.url}/page", trusting)
        assert "loopback" in refused(f"{other.url}/page", trusting)
        assert "loopback" in refused(f"{faults.url}/redirect?to={other.url}/page", trusting)
        assert other.requests == []
    finally:
        other.stop()


@pytest.mark.parametrize(
    ("address", "allowed", "allowed_with_private"),
    [
        ("8.8.8.8", True, True),
        ("2606:4700:4700::1111", True, True),
        ("127.0.0.1", False, True),
        ("::1", False, True),
        ("::ffff:127.0.0.1", False, True),
        ("10.1.2.3", False, True),
        ("172.16.0.1", False, True),
        ("192.168.1.1", False, True),
        ("100.64.0.1", False, True),
        ("169.254.1.1", False, True),
        ("fc00::1", False, True),
        ("fe80::1", False, True),
        ("0.0.0.0", False, False),
        ("224.0.0.1", False, False),
        ("169.254.169.254", False, False),
        ("fd00:ec2::254", False, False),
        # IPv6 forms wrapping an IPv4 address are judged by the IPv4 address
        ("64:ff9b::a9fe:a9fe", False, False),  # NAT64: metadata
        ("2002:a9fe:a9fe::1", False, False),  # 6to4: metadata
        ("::a9fe:a9fe", False, False),  # IPv4-compatible: metadata
        ("::ffff:169.254.169.254", False, False),  # IPv4-mapped: metadata
        ("::ffff:0:a9fe:a9fe", False, False),  # IPv4-translated: metadata
        ("2001:0:4136:e378:8000:63bf:5601:5601", False, False),  # Teredo, client 169.254.169.254 (bits inverted)
        ("64:ff9b::7f00:1", False, True),  # NAT64: loopback
        ("2002:7f00:1::1", False, True),  # 6to4: loopback
        ("::7f00:1", False, True),  # IPv4-compatible: loopback
        ("64:ff9b::a00:1", False, True),  # NAT64: 10.0.0.1
        ("2002:c0a8:101::1", False, True),  # 6to4: 192.168.1.1
        ("::c0a8:101", False, True),  # IPv4-compatible: 192.168.1.1
        ("::ffff:10.0.0.1", False, True),  # IPv4-mapped: 10.0.0.1
        ("64:ff9b::808:808", True, True),  # NAT64 of a public address is that address
        ("2002:808:808::1", True, True),  # 6to4 of a public address
        ("::808:808", True, True),  # IPv4-compatible public address
        ("64:ff9b:1::a9fe:a9fe", False, True),  # local-use NAT64 (RFC 8215): private
    ],
)
def test_address_policy(address, allowed, allowed_with_private):
    import ipaddress

    ip = ipaddress.ip_address(address)
    assert (refusal(ip, allow_private=False) is None) == allowed
    assert (refusal(ip, allow_private=True) is None) == allowed_with_private


def test_a_wrapped_address_is_named_in_the_refusal():
    import ipaddress

    reason = refusal(ipaddress.ip_address("64:ff9b::a9fe:a9fe"), allow_private=True)
    assert reason == "wraps 169.254.169.254 (NAT64), which is a cloud metadata address"


@pytest.mark.parametrize(
    ("host", "why"),
    [
        ("[64:ff9b::a9fe:a9fe]", "cloud metadata"),
        ("[2002:a9fe:a9fe::1]", "cloud metadata"),
        ("[::a9fe:a9fe]", "cloud metadata"),
        ("[::ffff:a9fe:a9fe]", "cloud metadata"),
    ],
)
def test_metadata_wrapped_in_ipv6_is_refused_through_the_cli_even_with_allow_private(host, why):
    result = CliRunner().invoke(main, ["check", f"http://{host}/latest/meta-data/", "--allow-private"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: cannot fetch http://{host}/") and why in line, line


# -- URLs that do not parse: one line, never an internal error --------------------------------


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://0177.0.0.1/", "bad IPv4 address"),
        ("http://[::1/x", "cannot be parsed"),
        ("http://host:99999/", "cannot be parsed"),
        ("http://[v1.x]/", "bad IPv6 address"),
    ],
)
def test_a_bad_article_url_is_one_line(url, why):
    result = CliRunner().invoke(main, ["check", url])
    assert result.exit_code == 2 and "internal error" not in result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: cannot fetch {url}: not a valid URL: {why}"), line


@pytest.mark.parametrize("location", ["http://[::1", "http://127.0.0.1:/", "http://xn--zz/", "http://h:99999/"])
def test_robots_txt_redirecting_to_a_bad_url_blocks_the_site_in_one_line(fast, location):
    server = server_with(f"redirect:{location}")
    try:
        message = refused(f"{server.url}/page", fast)
        assert "robots.txt" in message, message
        assert server.hits("/page") == []
    finally:
        server.stop()


@pytest.mark.parametrize("location", ["http://[::1/x", "http://xn--zz/", "http://0177.0.0.1/"])
def test_a_redirect_to_a_bad_url_is_one_line(faults, fast, location):
    message = refused(f"{faults.url}/redirect?to={location}", fast)
    assert "redirect" in message.lower() or "URL" in message, message


# -- settings: config and flags ---------------------------------------------------------------


def test_discovery_config_is_validated():
    path = Path("provenance.toml")
    config = parse(path, {"discovery": {"allow-private": True, "delay": 0.5, "attempts": 2}})
    settings = fetch_settings(config.discovery, Flags())
    assert settings.allow_private and settings.delay == 0.5 and settings.attempts == 2 and settings.cache
    assert fetch_settings(config.discovery, Flags(no_cache=True, offline=True)).cache is False
    with pytest.raises(ConfigError, match=r"unknown key 'discovery\.dealy'"):
        parse(path, {"discovery": {"dealy": 1}})
    with pytest.raises(ConfigError, match=r"discovery\.allow-private must be true or false"):
        parse(path, {"discovery": {"allow-private": "yes"}})
    with pytest.raises(ConfigError, match=r"discovery\.attempts must be"):
        parse(path, {"discovery": {"attempts": 0}})


def test_cache_dir_comes_from_the_environment_by_default(monkeypatch, tmp_path):
    monkeypatch.setenv("PROVENANCE_CACHE", str(tmp_path / "c"))
    assert FetchSettings().cache_path() == tmp_path / "c"


# -- through the command line: one line, exit 2, no traceback ---------------------------------


@pytest.fixture
def cli_config(tmp_path: Path) -> str:
    path = tmp_path / "provenance.toml"
    path.write_text("[discovery]\nallow-private = true\ndelay = 0\nattempts = 2\ntimeout = 0.3\n")
    return str(path)


CLI_FAULTS = {
    "slow": ("/slow?s=2", "timed out after 2 tries"),
    "500": ("/down", "HTTP 503 Service Unavailable after 2 tries"),
    "redirect loop": ("/loop", "more than 5 redirects"),
    "50 MB": ("/big", "larger than 20 MB"),
    "gzip bomb": ("/bomb", "larger than 20 MB"),
    "wrong type": ("/image", "content type image/png is not HTML"),
    "reset": ("/reset", "after 2 tries"),
    "metadata redirect": ("/redirect?to=http://169.254.169.254/", "cloud metadata address"),
}


@pytest.mark.parametrize("case", sorted(CLI_FAULTS))
def test_faults_through_the_cli_are_one_line_and_exit_2(faults, cli_config, case):
    path, reason = CLI_FAULTS[case]
    result = CliRunner().invoke(main, ["--config", cli_config, "check", f"{faults.url}{path}"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot fetch") and reason in lines[0], lines
    assert "Traceback" not in result.output


def test_index_commands_take_the_flags_too(faults, tmp_path):
    location = str(tmp_path / "i.sqlite")
    url = f"{faults.url}/page"
    refused_run = CliRunner().invoke(main, ["index", "add", url, "--index", location])
    assert "warning: skipped" in refused_run.stderr and "use --allow-private" in refused_run.stderr
    added = CliRunner().invoke(main, ["index", "add", url, "--index", location, "--allow-private", "--no-cache"])
    assert added.exit_code == 0 and "added 1" in added.stdout, added.output
    args = ["index", "add-feed", f"{faults.url}/feed.xml", "--index", location, "--offline", "--allow-private"]
    feed = CliRunner().invoke(main, args)
    assert feed.exit_code == 2 and "offline: not in the cache" in feed.stderr


def test_cli_flags(faults, tmp_path):
    config = tmp_path / "provenance.toml"
    config.write_text("[discovery]\ndelay = 0\n")
    url = f"{faults.url}/page"

    def check(*flags: str):
        return CliRunner().invoke(main, ["--config", str(config), "check", url, "-f", "json", *flags])

    refused_run = check()
    assert refused_run.exit_code == 2 and "use --allow-private" in refused_run.stderr
    assert check("--allow-private", "--offline").stderr.strip().endswith("offline: not in the cache")
    assert check("--allow-private").exit_code == 0
    assert check("--allow-private", "--offline").exit_code == 0  # now cached
    check("--allow-private", "--no-cache")
    assert len(faults.hits("/page")) == 2
    disallowing = server_with("disallow")
    try:
        private = f"{disallowing.url}/private/page"
        blocked = CliRunner().invoke(main, ["--config", str(config), "check", private, "--allow-private"])
        assert blocked.exit_code == 2 and "disallowed by robots.txt" in blocked.stderr
        args = ["--config", str(config), "check", private, "--allow-private", "--ignore-robots"]
        assert CliRunner().invoke(main, args).exit_code == 0
    finally:
        disallowing.stop()
