"""The one URL parser for what strangers write: never an exception, a reason instead."""

from __future__ import annotations

import pytest

from provenance import urls

BROKEN = [
    "http://[::1/x",  # ValueError: Invalid IPv6 URL, from urlsplit itself
    "http://[::1",
    "http://h:99999/",  # .port: out of range
    "http://h:abc/",
]


@pytest.mark.parametrize("url", BROKEN)
def test_what_urllib_raises_on_is_none_here(url):
    assert urls.split(url) is None
    assert urls.host(url) is None
    assert urls.join("https://example.com/a/", url) is None
    assert urls.problem(url)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://0177.0.0.1/", "bad IPv4 address"),  # octal: httpx raises InvalidURL
        ("http://0x7f.1/", "bad IPv4 address"),
        ("http://127.1/", "bad IPv4 address"),
        ("http://[v1.x]/", "bad IPv6 address"),  # IPvFuture: urllib takes it, httpx does not
        ("http://exa mple.com/", "spaces or control"),
        ("http://ex\x00ample.com/", "spaces or control"),
        ("http://ex\nample.com/", "spaces or control"),
        ("http:///path", "no host"),
        ("ftp://example.com/", "not an http(s) URL"),
        ("javascript:alert(1)", "not an http(s) URL"),
        ("http://" + "a" * 70 + ".com/", "bad host name"),  # a label longer than 63
        ("http://a/" + "x" * 9000, "longer than 8192"),
    ],
)
def test_problem_names_what_is_wrong(url, why):
    assert why in (urls.problem(url) or "")
    assert not urls.is_web_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.example.com/news/a?b=c#d",
        "http://127.0.0.1:8080/page",
        "http://[::1]:8000/",
        "https://bücher.de/",
        "https://example.com./",
        "HTTP://EXAMPLE.COM/",
        "http://user:pw@host.example/",
    ],
)
def test_good_urls_pass(url):
    assert urls.problem(url) is None


def test_host_is_lower_case_without_the_trailing_dot():
    assert urls.host("https://WWW.Example.COM./x") == "www.example.com"
    assert urls.host("http://[::1]:80/") == "::1"
    assert urls.host("/relative/path") is None and urls.host(None) is None and urls.host("") is None


def test_join_resolves_relative_links_and_keeps_other_schemes():
    assert urls.join("https://example.com/a/b.html", "../c.html") == "https://example.com/c.html"
    assert urls.join(None, "mailto:x@example.com") == "mailto:x@example.com"
    assert urls.join("http://[::1/x", "c.html") is None  # a broken base breaks the link too
