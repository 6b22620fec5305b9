"""The publisher registry: names and hosts to outlets, user overrides, config checks."""

from __future__ import annotations

import pytest

from provenance.errors import ConfigError
from provenance.publishers import (
    Publisher,
    bundled,
    host_of,
    looks_like_outlet,
    name_key,
    parse_publisher,
    same_outlet,
)

REGISTRY = bundled()
GAZETTE = {"name": "Northshore Gazette", "domains": ["northshore-gazette.example"]}


@pytest.mark.parametrize(
    ("name", "publisher"),
    [
        ("BBC", "BBC News"),
        ("bbc news", "BBC News"),
        ("B.B.C.", "BBC News"),
        ("The BBC", "BBC News"),
        ("The Associated Press", "Associated Press"),
        ("Associated Press", "Associated Press"),
        ("AP", "Associated Press"),
        ("REUTERS", "Reuters"),
        ("New York Times", "The New York Times"),
    ],
)
def test_bundled_registry_resolves_names_and_aliases(name: str, publisher: str) -> None:
    found = REGISTRY.by_name(name)
    assert found is not None
    assert found.name == publisher


@pytest.mark.parametrize("name", ["Obiaks Blog", "Northshore Gazette", "", "BBC Newsroom Blog"])
def test_unknown_names_resolve_to_nothing(name: str) -> None:
    assert REGISTRY.by_name(name) is None


def test_wire_services_are_marked_as_wires() -> None:
    ap, bbc = REGISTRY.by_name("AP"), REGISTRY.by_name("BBC")
    assert ap is not None
    assert bbc is not None
    assert ap.wire
    assert not bbc.wire


@pytest.mark.parametrize(
    ("url", "publisher"),
    [
        ("https://www.bbc.co.uk/news/x", "BBC News"),
        ("https://news.bbc.co.uk/x", "BBC News"),
        ("https://www.bbc.com/news/world-123", "BBC News"),
        ("HTTP://BBC.CO.UK/x", "BBC News"),
        ("https://apnews.com/article/1", "Associated Press"),
    ],
)
def test_bundled_registry_resolves_urls_including_subdomains(url: str, publisher: str) -> None:
    found = REGISTRY.by_url(url)
    assert found is not None
    assert found.name == publisher


@pytest.mark.parametrize(
    "url",
    [
        "https://notbbc.co.uk/x",  # same suffix, different domain
        "https://bbc.co.uk.evil.example/x",  # the domain as a subdomain of another host
        "https://sky.com/x",  # Sky News publishes on news.sky.com only
        "not a url",
        "",
        None,
    ],
)
def test_lookalike_hosts_do_not_resolve(url: str | None) -> None:
    assert REGISTRY.by_url(url) is None


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://www.bbc.co.uk/news/x", "bbc.co.uk"),
        ("https://news.bbc.co.uk/x", "news.bbc.co.uk"),
        ("http://Example.COM:8080/a", "example.com"),
        (None, None),
        ("", None),
        ("relative/path", None),
    ],
)
def test_host_of_drops_www_and_port(url: str | None, host: str | None) -> None:
    assert host_of(url) == host


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("The Associated Press", "associatedpress"),
        ("the associated  press.", "associatedpress"),
        ("B.B.C.", "bbc"),
        ("Тhе Guаrdiаn", "guardian"),  # Cyrillic look-alikes
        ("The", "the"),  # a lone "the" is the name, not an article
    ],
)
def test_name_key_ignores_case_punctuation_and_leading_the(name: str, key: str) -> None:
    assert name_key(name) == key


def test_same_outlet_matches_credit_to_host_label() -> None:
    assert same_outlet("Northshore Gazette", None, "https://www.northshore-gazette.example/x", REGISTRY)


@pytest.mark.parametrize(
    ("credit", "publisher", "url"),
    [
        ("BBC", "BBC News", None),  # aliases of one registry entry
        ("BBC", None, "https://www.bbc.com/news/1"),  # alias and the entry's domain
        ("The Northshore Gazette", "Northshore Gazette", None),  # same name key
    ],
)
def test_same_outlet_true_for_same_outlet(credit: str, publisher: str | None, url: str | None) -> None:
    assert same_outlet(credit, publisher, url, REGISTRY)


@pytest.mark.parametrize(
    ("credit", "publisher", "url"),
    [
        ("Reuters", "BBC News", "https://www.bbc.co.uk/x"),
        ("Northshore Gazette", None, "https://www.example.com/x"),
        ("Northshore Gazette", "Daily Roundup", "https://dailyroundup.example/x"),
        ("", "BBC News", "https://www.bbc.co.uk/x"),
        # a credit key shorter than 3 characters is not matched against host labels
        ("ex", None, "https://ex.example/x"),
    ],
)
def test_same_outlet_false_for_other_outlets(credit: str, publisher: str | None, url: str | None) -> None:
    assert not same_outlet(credit, publisher, url, REGISTRY)


def test_extended_replaces_entry_by_name() -> None:
    registry = REGISTRY.extended([{"name": "bbc news", "aliases": ["Beeb"], "domains": ["bbc.example"]}])
    beeb = registry.by_name("Beeb")
    assert beeb is not None
    assert beeb.name == "bbc news"
    assert registry.by_url("https://www.bbc.example/x") is beeb
    # the bundled entry is gone, with its aliases and domains
    assert registry.by_name("BBC") is None
    assert registry.by_url("https://www.bbc.co.uk/x") is None
    assert len(registry.publishers) == len(REGISTRY.publishers)


def test_extended_adds_new_entries_and_keeps_the_rest() -> None:
    registry = REGISTRY.extended([GAZETTE])
    gazette = registry.by_name("Northshore Gazette")
    assert gazette is not None
    assert registry.by_url("https://www.northshore-gazette.example/x") is gazette
    assert len(registry.publishers) == len(REGISTRY.publishers) + 1
    reuters = registry.by_name("Reuters")
    assert reuters is not None
    assert reuters == REGISTRY.by_name("Reuters")


def test_extended_leaves_the_original_registry_unchanged() -> None:
    before = REGISTRY.publishers
    REGISTRY.extended([GAZETTE, {"name": "BBC News"}])
    assert REGISTRY.publishers == before
    assert REGISTRY.by_name("Northshore Gazette") is None
    assert REGISTRY.by_name("BBC") is not None


def test_user_entry_alias_wins_over_bundled_alias() -> None:
    # a user entry claiming the alias "AP" is found first: user entries come first
    registry = REGISTRY.extended([{"name": "Agence Presse Locale", "aliases": ["AP"]}])
    found = registry.by_name("AP")
    assert found is not None
    assert found.name == "Agence Presse Locale"


def test_parse_publisher_reads_all_fields() -> None:
    entry = {
        "name": "Harbour Wire Service",
        "aliases": ["HWS"],
        "domains": ["harbourwire.example"],
        "wire": True,
        "feeds": ["https://harbourwire.example/rss"],
        "sitemaps": ["https://harbourwire.example/sitemap.xml"],
    }
    assert parse_publisher(entry) == Publisher(
        name="Harbour Wire Service",
        aliases=("HWS",),
        domains=("harbourwire.example",),
        wire=True,
        feeds=("https://harbourwire.example/rss",),
        sitemaps=("https://harbourwire.example/sitemap.xml",),
    )


@pytest.mark.parametrize("key", ["domain", "alias", "url"])
def test_parse_publisher_rejects_unknown_key_by_name(key: str) -> None:
    with pytest.raises(ConfigError, match=rf"\b{key}\b"):
        parse_publisher({"name": "Harbour Wire Service", key: ["x"]})


@pytest.mark.parametrize("entry", [{}, {"aliases": ["HWS"]}, {"name": 3}])
def test_parse_publisher_requires_a_name(entry: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match="name"):
        parse_publisher(entry)


def test_parse_publisher_does_not_split_a_string_into_letters() -> None:
    try:
        publisher = parse_publisher({"name": "BBC News", "aliases": "Beeb"})
    except ConfigError:
        return  # rejecting the entry is a fine answer too
    assert publisher.aliases == ("Beeb",)


def test_registry_extended_rejects_bad_entry() -> None:
    with pytest.raises(ConfigError, match="domian"):
        REGISTRY.extended([{"name": "X", "domian": ["x.example"]}])


@pytest.mark.parametrize(
    ("name", "outlet"),
    [
        ("Harbour Wire Service", True),
        ("The Callow Observer", True),
        ("Daily Roundup", True),
        ("Maria Keane", False),
        ("Obiaks Blog", False),
    ],
)
def test_looks_like_outlet_needs_a_newsroom_word(name: str, outlet: bool) -> None:
    assert looks_like_outlet(name) is outlet


@pytest.mark.parametrize(
    ("name", "publisher"),
    [
        ("AP", "Associated Press"),
        ("Reuters", "Reuters"),
        ("AFP", "Agence France-Presse"),
        ("PA", "PA Media"),
        ("UPI", "United Press International"),
        ("dpa", "Deutsche Presse-Agentur"),
        ("EFE", "EFE"),
        ("ANSA", "ANSA"),
        ("Kyodo", "Kyodo News"),
        ("Yonhap", "Yonhap News Agency"),
        ("Xinhua", "Xinhua"),
        ("PTI", "Press Trust of India"),
        ("IANS", "Indo-Asian News Service"),
        ("ANI", "Asian News International"),
        ("Bernama", "Bernama"),
        ("AA", "Anadolu Agency"),
        ("Anadolu Agency", "Anadolu Agency"),
        ("BUSINESS WIRE", "Business Wire"),
        ("PRNewswire", "PR Newswire"),
        ("GLOBE NEWSWIRE", "GlobeNewswire"),
    ],
)
def test_wires_and_release_services_resolve_as_credits_write_them(name: str, publisher: str) -> None:
    found = REGISTRY.by_name(name)
    assert found is not None and found.name == publisher
    assert found.wire


@pytest.mark.parametrize(
    ("url", "publisher"),
    [
        ("https://www.businesswire.com/news/home/20080701/en", "Business Wire"),
        ("https://www.prnewswire.com/news-releases/x.html", "PR Newswire"),
        ("https://www.globenewswire.com/news-release/2021/02/02/x.html", "GlobeNewswire"),
        ("https://www.aa.com.tr/en/world/x/123", "Anadolu Agency"),
        ("https://en.yna.co.kr/view/AEN2019", "Yonhap News Agency"),
        ("https://english.kyodonews.net/news/2022/07/x.html", "Kyodo News"),
        ("https://www.ansa.it/english/news/x.html", "ANSA"),
        ("https://www.bernama.com/en/world/news.php?id=1", "Bernama"),
    ],
)
def test_new_wires_resolve_by_their_hosts(url: str, publisher: str) -> None:
    found = REGISTRY.by_url(url)
    assert found is not None and found.name == publisher


@pytest.mark.parametrize(
    "line",
    [
        "(Reporting by Asha Verma in Bengaluru; Editing by Tom Hale)",
        "Reporting by Asha Verma; additional reporting by Lior Katz; editing by Tom Hale",
        "(Writing by Lior Katz; Editing by Tom Hale and Ruth Obi)",
    ],
)
def test_reuters_footer_credits_reuters(line: str) -> None:
    found = REGISTRY.footer_of(line)
    assert found is not None and found.name == "Reuters"


@pytest.mark.parametrize(
    "line",
    [
        "Reporting by Asha Verma.",  # no editor: any outlet may write this
        "The editing by Tom Hale came after reporting by Asha Verma.",  # prose, not a sign-off
        "(Reporting by " + "Asha Verma, " * 2000 + "Editing by Tom Hale)",  # too far apart; must not hang
    ],
)
def test_other_lines_are_no_reuters_footer(line: str) -> None:
    assert REGISTRY.footer_of(line) is None


def test_a_user_wire_brings_its_own_footer_and_an_override_keeps_the_bundled_one() -> None:
    registry = REGISTRY.extended(
        [
            {"name": "Harbour Wire Service", "wire": True, "footers": ["Filed by ... Checked by"]},
            {"name": "Reuters", "domains": ["reuters.com", "reuters.example"]},
        ]
    )
    hws = registry.footer_of("(Filed by Ines Marlow; Checked by the night desk)")
    assert hws is not None and hws.name == "Harbour Wire Service"
    reuters = registry.footer_of("(Reporting by Asha Verma; Editing by Tom Hale)")
    assert reuters is not None and reuters.domains == ("reuters.com", "reuters.example")


@pytest.mark.parametrize("footers", [["... Editing by"], ["  "], "Reporting by"])
def test_a_footer_must_start_with_words(footers: object) -> None:
    with pytest.raises(ConfigError, match="footer"):
        parse_publisher({"name": "Harbour Wire Service", "footers": footers})
