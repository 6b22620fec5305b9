"""Normalisation: disguises collapse to the plain words, offsets stay in the original text."""

from __future__ import annotations

import random

import numpy as np
import pytest

from provenance.normalize import (
    _tokenize_unicode,
    is_plain,
    normalize_text,
    plain_word_bounds,
    quoted_spans,
    repair_mojibake,
    tokenize,
    unify,
)

PLAIN = "The cat sat on the mat"


def _spelled(text: str) -> list[str]:
    """The original text of each token, cut out with the token's offsets."""
    tokens = tokenize(text)
    return [text[s:e] for s, e in zip(tokens.starts, tokens.ends, strict=True)]


@pytest.mark.parametrize(
    ("disguised", "plain"),
    [
        # Cyrillic Т, е, а, о stand in for Latin letters
        ("Тhе cаt sаt оn thе mаt", PLAIN),
        # Greek Τ, α, ο, ι, κ
        ("Τhe cαt sαt οn the mαt", PLAIN),
        ("Κing κept his οath", "King kept his oath"),
        # fullwidth letters fold to ASCII under NFKC
        ("Ｔｈｅ ｃａｔ sat on the ｍａｔ", PLAIN),
    ],
    ids=["cyrillic", "greek", "greek-k", "fullwidth"],
)
def test_lookalike_letters_give_plain_tokens(disguised: str, plain: str) -> None:
    assert tokenize(disguised).words == tokenize(plain).words


@pytest.mark.parametrize(
    ("disguised", "plain"),
    [
        ("“Stop,” she said. ‘Now’", "\"Stop,\" she said. 'Now'"),
        ("„Stop“ «now» ″here″", '"Stop" "now" "here"'),
        ("a well–known man — or not ― really − no", "a well-known man - or not - really - no"),
    ],
    ids=["curly-quotes", "other-double-quotes", "dashes"],
)
def test_quotes_and_dashes_unify_to_ascii(disguised: str, plain: str) -> None:
    assert unify(disguised) == plain
    assert tokenize(disguised).words == tokenize(plain).words


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"])
def test_invisible_character_inside_word_does_not_split_it(invisible: str) -> None:
    disguised = f"The har{invisible}bour wall co{invisible}operates"
    assert tokenize(disguised).words == ["the", "harbour", "wall", "cooperates"]


def test_soft_hyphen_word_matches_plain_word() -> None:
    assert tokenize("co\u00adoper\u00adation").words == tokenize("cooperation").words


def test_tokens_are_lowercased() -> None:
    assert tokenize("BBC News SAID").words == ["bbc", "news", "said"]


@pytest.mark.parametrize(
    "text",
    [
        "Тhе cаt sаt оn thе mаt",
        "Ｔｈｅ ｃａｔ sat",
        "The har\u200bbour co\u00adoperates",
        "“Stop,” she said — twice",
    ],
)
def test_token_offsets_index_the_original_text(text: str) -> None:
    # Each token's offsets cut the word as written (disguise included) out of
    # the text given, not out of the unified or NFKC-folded text.
    spelled = _spelled(text)
    expected = [w.strip("“”,—") for w in text.split() if w.strip("“”,—")]
    assert spelled == expected


def test_unify_keeps_length_so_offsets_survive() -> None:
    text = "Тhе “cаt” sаt — оn thе mаt’s ｍａｔ"
    assert len(unify(text)) == len(text)


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ('He said "we will rebuild" today', ['"we will rebuild"']),
        ("He said “we will rebuild” today", ["“we will rebuild”"]),
        ('“One,” she said, and "two more" then', ["“One,”", '"two more"']),
    ],
    ids=["straight", "curly", "mixed"],
)
def test_quoted_spans_find_double_quoted_text(text: str, quoted: list[str]) -> None:
    assert [text[s:e] for s, e in quoted_spans(text)] == quoted


@pytest.mark.parametrize(
    "text",
    [
        "It's the mayor's plan",  # apostrophes are not double quotes
        'A "x" is too short to be a quotation',
        'A quote "that runs\nover a line break" is not one span',
        "No quotes at all",
    ],
)
def test_quoted_spans_ignore_non_quotations(text: str) -> None:
    assert quoted_spans(text) == []


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("donâ€™t", "don’t"),
        ("cafÃ©", "café"),
        ("â€œWe will rebuildâ€\x9d, she said", "“We will rebuild”, she said"),
    ],
)
def test_repair_mojibake_fixes_utf8_read_as_cp1252(broken: str, fixed: str) -> None:
    assert repair_mojibake(broken) == fixed


@pytest.mark.parametrize(
    "clean",
    ["plain ascii text", "café — naïve façade", "don’t “quote” me", "Москва 北京", "Ｓｔｏｒｍ"],
)
def test_repair_mojibake_leaves_clean_text_alone(clean: str) -> None:
    assert repair_mojibake(clean) == clean


def test_repaired_mojibake_tokenizes_like_the_clean_text() -> None:
    assert tokenize(repair_mojibake("donâ€™t go")).words == tokenize("don't go").words


def test_normalize_text_joins_normalised_words() -> None:
    assert normalize_text("  The  “Northshore”  Gazette! ") == "the northshore gazette"
    assert normalize_text("Тhе Nоrthshоre Gаzette") == normalize_text("The Northshore Gazette")


@pytest.mark.parametrize("sep", ["\u200b", "\ufeff", "\u00ad", "\u200b\u200c"])
def test_invisible_characters_between_words_are_not_words(sep: str) -> None:
    disguised = f"the quick {sep} brown fox {sep}jumps"
    assert tokenize(disguised).words == ["the", "quick", "brown", "fox", "jumps"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Plain ASCII, with digits 2024 and snake_case_words!",
        "“Curly quotes” — em dashes… and\u00a0no-break\u2009spaces",
        "It’s the mayor’s plan – or is it? «Non» ⓐ ©",
        "tabs\tand\nnewlines\r\n[brackets]{braces}`ticks`@at",
    ],
)
def test_plain_text_tokenizes_to_its_ascii_word_runs_over_utf8_bytes(text: str) -> None:
    assert is_plain(text)
    data = text.encode()
    starts, ends = plain_word_bounds(np.frombuffer(data, dtype=np.uint8))
    words = [data[s:e].decode().lower() for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]
    assert words == tokenize(text).words
    # tokenize's numpy path for plain text gives what its regex path does, offsets included
    assert tokenize(text) == _tokenize_unicode(text)


@pytest.mark.parametrize("seed", range(3))
def test_plain_text_fast_path_equals_regex_path_on_random_text(seed: int) -> None:
    alphabet = list("abXY09_ -'`\".,!?\n\t") + list("“”‘’—–…\u00a0\u2009€©→ⓐ中😀é\u200b\ud800")
    rng = random.Random(seed)
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 50))) for _ in range(2000)]
    plain = [t for t in texts if is_plain(t)]
    assert len(plain) > 100
    for text in plain:
        assert tokenize(text) == _tokenize_unicode(text), text


@pytest.mark.parametrize(
    "text",
    [
        "Тhе cаt",  # Cyrillic look-alikes
        "café",  # a non-ASCII letter
        "Ｆｕｌｌｗｉｄｔｈ",
        "½ and ²",  # non-ASCII digits and numbers are word characters
        "har\u200bbour",  # invisible characters join words
        "co\u00adoperate",
        "Straße",
    ],
)
def test_text_needing_unicode_normalisation_is_not_plain(text: str) -> None:
    assert not is_plain(text)
