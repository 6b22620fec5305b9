"""Shingles and MinHash signatures: datasketch's scheme, reproducible, and useful for passages."""

from __future__ import annotations

import hashlib
import random

import datasketch
import numpy as np
import pytest

import provenance.fingerprint.batch
import provenance.fingerprint.hashing
import provenance.fingerprint.keys
from provenance.fingerprint import SCHEME_VERSION
from provenance.fingerprint.batch import passage_sizes, passage_spans
from provenance.fingerprint.hashing import shingle_ids, text_shingles, token_hashes
from provenance.fingerprint.keys import LshParams, band_keys, content_key, content_keys, index_keys, passage_band_keys
from provenance.fingerprint.minhash import estimate_jaccard, minhash, permutations, to_datasketch
from provenance.fingerprint.signatures import fingerprint_batch, fingerprint_paragraphs, fingerprint_text
from provenance.model import ShingleParams
from provenance.normalize import tokenize

PARAMS = ShingleParams()  # k=5, 128 permutations, seed 1
MAX32 = 0xFFFFFFFF
KNOWN_TEXT = (
    "North Korea's Kim Jong-un has written to US President Donald Trump asking for a "
    "follow-up to their historic summit, the White House says."
)


def _words(rng: random.Random, n: int) -> str:
    # Made-up words from a space of 16**3 * 5**3 spellings: shingles of
    # different paragraphs practically never coincide.
    return " ".join("".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3)) for _ in range(n))


def _paragraphs(seed: int, count: int, words: int = 50) -> tuple[str, ...]:
    rng = random.Random(seed)
    return tuple(_words(rng, words).capitalize() + "." for _ in range(count))


def _ids(text: str) -> np.ndarray:
    return text_shingles(tokenize(text), PARAMS.size)


def _datasketch_signature(ids: np.ndarray, params: ShingleParams) -> np.ndarray:
    m = datasketch.MinHash(num_perm=params.num_perm, seed=params.seed, hashfunc=lambda x: x)
    m.update_batch([int(v) >> 32 for v in np.unique(ids)])
    values: np.ndarray = m.hashvalues
    return values


@pytest.mark.parametrize(
    "text",
    [
        KNOWN_TEXT,
        "\n\n".join(_paragraphs(7, 5)),
        # repeated shingles: the set, not the multiset, is hashed
        "the cat sat on the mat " * 6,
        "one two",  # shorter than k: a single shingle
    ],
    ids=["sentence", "paragraphs", "repetitive", "short"],
)
def test_minhash_equals_datasketch_fed_high_32_bits(text: str) -> None:
    ids = _ids(text)
    assert np.array_equal(minhash(ids, PARAMS), _datasketch_signature(ids, PARAMS))


def test_minhash_equals_datasketch_with_other_params() -> None:
    params = ShingleParams(size=3, num_perm=64, seed=42)
    ids = text_shingles(tokenize(KNOWN_TEXT), params.size)
    assert np.array_equal(minhash(ids, params), _datasketch_signature(ids, params))


def test_permutations_match_datasketch_and_have_odd_a() -> None:
    a, b = permutations(PARAMS.num_perm, PARAMS.seed)
    # an even `a` would make h -> a*h + b mod 2^32 lose values, not permute them
    assert np.all(a % 2 == 1)
    ds = datasketch.MinHash(num_perm=PARAMS.num_perm, seed=PARAMS.seed).permutations
    assert np.array_equal(a, ds[0])
    assert np.array_equal(b, ds[1])


def test_signature_is_reproducible_across_calls() -> None:
    first = fingerprint_text(KNOWN_TEXT, PARAMS).signature
    second = fingerprint_text(KNOWN_TEXT, PARAMS).signature
    assert first.dtype == np.uint32
    assert np.array_equal(first, second)


def test_known_text_signature_digest_is_stable() -> None:
    # Computed once from this text with SCHEME_VERSION 2. Stored signatures
    # are only comparable if the hash scheme never changes: if this digest
    # changes, every stored signature is invalid, so SCHEME_VERSION must be
    # bumped together with updating the digest here.
    # Version 1 hashed each token with xxh3_64 (digest 7157559b...); version 2
    # hashes its UTF-8 bytes with a polynomial mod 2^64 and fmix64, which numpy
    # computes for many texts at once (see the scheme in fingerprint/__init__.py).
    signature = minhash(_ids(KNOWN_TEXT), PARAMS)
    digest = hashlib.sha256(signature.astype("<u4").tobytes()).hexdigest()
    assert SCHEME_VERSION == 2
    assert digest == "5e8cc1d063c24da918b5f61d8e73e851d0acbced527684c84a483572d1633605"


def test_token_hashes_band_keys_and_content_key_are_pinned() -> None:
    # The other ends of scheme 2: step 1 alone, step 4 (band keys of 8 bands of 3 rows, the index's
    # LshParams since index format 2) and the content key.
    assert token_hashes(["the", "cat"]).tolist() == [15289396328542239638, 1758991488441364167]
    assert passage_band_keys([[KNOWN_TEXT]])[0].tolist() == [
        824148602, 1313981554, 1437458508, 1519962609, 3134766516, 3796152510, 3820999651, 4057896461
    ]  # fmt: skip
    assert content_key([KNOWN_TEXT]) == 8626350092346800122


def test_estimate_jaccard_is_close_to_exact_jaccard() -> None:
    rng = random.Random(3)
    x, y, z = (_words(rng, 200) for _ in range(3))
    # A = x+y and B = y+z share y: exact Jaccard about 1/3
    ids_a, ids_b = _ids(f"{x} {y}"), _ids(f"{y} {z}")
    set_a, set_b = set(ids_a.tolist()), set(ids_b.tolist())
    exact = len(set_a & set_b) / len(set_a | set_b)
    assert 0.3 < exact < 0.36
    estimate = estimate_jaccard(minhash(ids_a, PARAMS), minhash(ids_b, PARAMS))
    # standard error at 128 permutations is sqrt(J(1-J)/128) ~ 0.04
    assert abs(estimate - exact) < 0.1


def test_estimate_jaccard_of_disjoint_texts_is_near_zero() -> None:
    rng = random.Random(4)
    a, b = _words(rng, 300), _words(rng, 300)
    assert estimate_jaccard(minhash(_ids(a), PARAMS), minhash(_ids(b), PARAMS)) < 0.05


@pytest.mark.parametrize("count", [1, 2, 4, 5])
def test_text_no_longer_than_k_is_one_shingle(count: int) -> None:
    hashes = token_hashes([f"w{i}" for i in range(count)])
    assert len(shingle_ids(hashes, 5)) == 1


def test_text_longer_than_k_has_one_shingle_per_window() -> None:
    hashes = token_hashes([f"w{i}" for i in range(12)])
    assert len(shingle_ids(hashes, 5)) == 12 - 5 + 1


def test_shingle_depends_on_word_order() -> None:
    forward = shingle_ids(token_hashes(["a", "b", "c", "d", "e"]), 5)
    backward = shingle_ids(token_hashes(["e", "d", "c", "b", "a"]), 5)
    assert forward[0] != backward[0]


def test_shingles_see_through_disguises() -> None:
    assert np.array_equal(_ids("Тhе cаt sаt оn thе “mаt”"), _ids('The cat sat on the "mat"'))


@pytest.mark.parametrize("text", ["", "   ", "— … “ ”"])
def test_text_without_words_gives_all_max_signature(text: str) -> None:
    fp = fingerprint_text(text, PARAMS)
    assert fp.shingle_count == 0
    assert all(np.all(passage == MAX32) for passage in fp.passages)
    assert fp.signature.shape == (PARAMS.num_perm,)
    assert np.all(fp.signature == MAX32)


def test_empty_text_has_no_passages() -> None:
    assert fingerprint_text("", PARAMS).passages == ()


def test_shingle_count_counts_distinct_shingles() -> None:
    # "a b c d e a b c d e": windows 1..6, of which "a b c d e" repeats
    assert fingerprint_text("a b c d e a b c d e", PARAMS).shingle_count == 5


def test_copied_passages_are_found_by_passage_signatures_not_whole_document() -> None:
    document = _paragraphs(11, 20)
    copy = document[7:10]
    fp_doc = fingerprint_paragraphs(document, PARAMS)
    fp_copy = fingerprint_paragraphs(copy, PARAMS)
    # every 50-word paragraph is long enough to be its own passage
    assert len(fp_doc.passages) == 20
    assert len(fp_copy.passages) == 3
    best = max(estimate_jaccard(p, q) for p in fp_copy.passages for q in fp_doc.passages)
    assert best > 0.8
    # whole document: the copy holds ~3/20 of the document's shingles
    assert estimate_jaccard(fp_copy.signature, fp_doc.signature) < 0.3


def test_to_datasketch_gives_lean_minhash_equal_to_itself() -> None:
    signature = minhash(_ids(KNOWN_TEXT), PARAMS)
    lean = to_datasketch(signature, PARAMS)
    assert isinstance(lean, datasketch.LeanMinHash)
    assert lean.jaccard(lean) == 1.0
    assert np.array_equal(lean.hashvalues, signature)


def test_to_datasketch_jaccard_agrees_with_estimate_jaccard() -> None:
    rng = random.Random(5)
    x, y, z = (_words(rng, 100) for _ in range(3))
    sa, sb = minhash(_ids(f"{x} {y}"), PARAMS), minhash(_ids(f"{y} {z}"), PARAMS)
    assert to_datasketch(sa, PARAMS).jaccard(to_datasketch(sb, PARAMS)) == pytest.approx(estimate_jaccard(sa, sb))


@pytest.mark.parametrize(
    ("counts", "spans"),
    [
        ([], []),
        ([50], [range(1)]),
        ([45, 60, 40], [range(1), range(1, 2), range(2, 3)]),
        # short paragraphs are merged until the group reaches 40 tokens
        ([10, 10, 10, 10, 50], [range(4), range(4, 5)]),
        ([30, 20, 45], [range(2), range(2, 3)]),
        # a short tail joins the last group instead of standing alone
        ([50, 3], [range(2)]),
        ([10, 10, 10, 10, 5], [range(5)]),
        # nothing long enough: one group of everything
        ([3, 4], [range(2)]),
    ],
)
def test_passage_spans_merge_short_paragraphs(counts: list[int], spans: list[range]) -> None:
    assert passage_spans(counts) == spans


@pytest.mark.parametrize("counts", [[1] * 100, [39, 1, 80, 2, 2, 50], [5, 200, 5]])
def test_passage_spans_cover_every_paragraph_once_in_order(counts: list[int]) -> None:
    spans = passage_spans(counts)
    assert [i for span in spans for i in span] == list(range(len(counts)))


def test_empty_texts_are_not_estimated_identical() -> None:
    params = ShingleParams()
    empty = minhash(shingle_ids(token_hashes([]), params.size), params)
    some = minhash(shingle_ids(token_hashes(["a", "few", "words", "of", "text", "here"]), params.size), params)
    assert estimate_jaccard(empty, empty) == 0.0
    assert estimate_jaccard(empty, some) == 0.0
    assert estimate_jaccard(some, some) == 1.0


# --- one scheme, two ways in: bulk (bytes, many texts at once) and per text (tokenize) ---

LSH = LshParams()  # 8 bands of 4 rows: the first 32 of the 128 permutations
MIXED = (
    "Plain ASCII words, digits 2024 and under_scores.",
    "“Curly quotes” — dashes… and\u00a0no-break spaces stay on the fast path.",
    "Café naïve façade: Ｆｕｌｌｗｉｄｔｈ, ½, ß and Straße need Unicode normalisation.",
    "Тhе cаt sаt оn thе mаt, with a har\u200bbour and co\u00adoperation.",
    "",
    "— … “ ”",
)


def _per_text_band_keys(paragraphs: tuple[str, ...], params: LshParams = LSH) -> np.ndarray:
    """Band keys the slow, obvious way: compare's tokenize/token_hashes/shingle_ids/minhash per passage."""
    hashes = [token_hashes(tokenize(p).words) for p in paragraphs]
    keys = []
    for span in passage_spans([len(h) for h in hashes]):
        tokens = np.concatenate([hashes[i] for i in span])
        if len(tokens):
            signature = minhash(shingle_ids(tokens, params.shingle_size), params.shingles)
            keys.append(band_keys(signature[: params.bands * params.rows], params))
    return np.unique(np.concatenate(keys)) if keys else np.empty(0, dtype=np.uint32)


def test_bulk_token_hashes_equal_per_text_token_hashes() -> None:
    fp = fingerprint_paragraphs(MIXED, PARAMS)
    per_text = np.concatenate([token_hashes(tokenize(p).words) for p in MIXED])
    assert fp.signature.tolist() == minhash(shingle_ids(per_text, PARAMS.size), PARAMS).tolist()
    assert fp.shingle_count == len(np.unique(shingle_ids(per_text, PARAMS.size)))


@pytest.mark.parametrize("seed", range(5))
def test_bulk_path_equals_per_text_path_on_character_soup(seed: int) -> None:
    # Strings mixing what the byte-level fast path handles with what it must leave to tokenize,
    # and a lone surrogate, as a lenient decoder may leave one.
    alphabet = list("abcXYZ019_ -'`\".,!?@[]") + list("“”‘’—–…\u00a0éßİΩаеοТ\u200b\u00ad\ufeffＡ１½²ⓐ\u0301ﬁ中😀\ud800")
    rng = random.Random(seed)
    docs = [
        tuple("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(rng.randint(0, 6)))
        for _ in range(40)
    ]
    for doc, keys, fp in zip(docs, passage_band_keys(docs), fingerprint_batch(docs, PARAMS), strict=True):
        assert keys.tolist() == _per_text_band_keys(doc).tolist()
        whole = np.concatenate([token_hashes(tokenize(p).words) for p in doc]) if doc else np.empty(0, np.uint64)
        assert fp.signature.tolist() == minhash(shingle_ids(whole, PARAMS.size), PARAMS).tolist()


def test_passage_band_keys_equal_per_text_path() -> None:
    docs = [_paragraphs(21, 6), MIXED, ("short one",), (), ("",), _paragraphs(22, 9, words=12)]
    for doc, keys in zip(docs, passage_band_keys(docs), strict=True):
        assert keys.dtype == np.uint32
        assert keys.tolist() == _per_text_band_keys(doc).tolist()


def test_passage_band_keys_equal_band_keys_of_stored_passage_signatures() -> None:
    doc = _paragraphs(23, 7)
    stored = fingerprint_paragraphs(doc, PARAMS).passages
    from_stored = np.unique(band_keys(np.stack(stored), LSH))
    assert passage_band_keys([doc])[0].tolist() == from_stored.tolist()


def test_passage_band_keys_are_reproducible_and_do_not_depend_on_the_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = [_paragraphs(seed, 8) for seed in range(30)] + [MIXED, ()]
    first = passage_band_keys(docs)
    assert [k.tolist() for k in first] == [k.tolist() for k in passage_band_keys(docs)]
    alone = [passage_band_keys([doc])[0] for doc in docs]
    assert [k.tolist() for k in first] == [k.tolist() for k in alone]
    monkeypatch.setattr(provenance.fingerprint.batch, "BATCH_CHARS", 1000)  # many small batches
    assert [k.tolist() for k in first] == [k.tolist() for k in passage_band_keys(docs)]
    assert [k.tolist() for k in first] == [k.tolist() for k in passage_band_keys(iter(docs[::-1]))][::-1]


def test_passage_band_keys_see_through_disguises() -> None:
    plain = ('The cat sat on the mat, said the "harbour" master - twice. ' * 5,)
    disguised = ("Тhе cаt sаt оn thе mаt, sаid thе “har\u200bbour” mаster — twice. " * 5,)
    assert passage_band_keys([disguised])[0].tolist() == passage_band_keys([plain])[0].tolist()
    assert content_key(disguised) == content_key(plain)


def test_partial_copy_shares_band_keys_and_unrelated_article_shares_none() -> None:
    original, unrelated = _paragraphs(11, 20), _paragraphs(12, 20)
    copy = original[7:10]
    keys_original, keys_copy, keys_unrelated = passage_band_keys([original, copy, unrelated])
    assert len(keys_original) == 20 * LSH.bands  # 20 passages of 50 words, distinct keys
    assert set(keys_copy.tolist()) <= set(keys_original.tolist())
    assert len(keys_copy) == 3 * LSH.bands
    assert not set(keys_unrelated.tolist()) & set(keys_original.tolist())
    assert not set(keys_unrelated.tolist()) & set(keys_copy.tolist())


def test_lightly_edited_passage_still_shares_a_band() -> None:
    original = _paragraphs(13, 5, words=80)
    words = original[2].split()
    words[40] = "zzzz"  # one substitution: about 5 of 76 shingles change
    edited = (*original[:2], " ".join(words), *original[3:])
    keys_original, keys_edited = passage_band_keys([original, edited])
    assert len(set(keys_original.tolist()) & set(keys_edited.tolist())) >= 4 * LSH.bands + 1


def test_a_doc_given_as_one_str_is_refused() -> None:
    with pytest.raises(TypeError, match="sequence of paragraphs"):
        passage_band_keys(["not a list of paragraphs"])  # a str type-checks as a Sequence[str]


def test_band_keys_depend_on_params() -> None:
    doc = _paragraphs(14, 3)
    default = passage_band_keys([doc])[0]
    assert passage_band_keys([doc], LshParams(seed=2))[0].tolist() != default.tolist()
    assert len(passage_band_keys([doc], LshParams(bands=16, rows=2))[0]) == 3 * 16


@pytest.mark.parametrize(
    "kwargs", [{"bands": 0}, {"rows": 0}, {"shingle_size": 0}, {"bands": 40, "rows": 4}, {"num_perm": 16}]
)
def test_lsh_params_must_fit_the_permutations(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="bands"):
        LshParams(**kwargs)


def test_band_keys_need_enough_values() -> None:
    with pytest.raises(ValueError, match=f"band keys need {LSH.bands * LSH.rows}"):
        band_keys(np.zeros((2, 16), dtype=np.uint32), LSH)
    assert band_keys(np.zeros(128, dtype=np.uint32), LSH).shape == (LSH.bands,)


def test_content_key_is_the_token_sequence_as_one_shingle() -> None:
    hashes = token_hashes(tokenize("\n".join(MIXED)).words)
    assert content_key(MIXED) == int(shingle_ids(hashes, len(hashes))[0]) >> 1
    assert content_key(()) == content_key(("", "— …")) == 0


def test_content_key_ignores_layout_and_case_but_not_words() -> None:
    text = _paragraphs(15, 4)
    key = content_key(text)
    assert 0 <= key < 2**63
    assert content_key((" ".join(text).upper(),)) == key  # paragraph breaks, case
    assert content_key((*text[:3], text[3] + " extra")) != key
    assert content_key((*text[:2], text[3], text[2])) != key  # order matters
    assert content_keys([text, (), MIXED]).tolist() == [key, 0, content_key(MIXED)]
    assert content_keys([text]).dtype == np.int64


def test_index_keys_give_both_from_one_tokenisation() -> None:
    docs = [_paragraphs(16, 5), MIXED, ()]
    bands, contents = index_keys(docs)
    assert [k.tolist() for k in bands] == [k.tolist() for k in passage_band_keys(docs)]
    assert contents.tolist() == content_keys(docs).tolist()
    assert index_keys([])[0] == [] and len(index_keys([])[1]) == 0


def test_fingerprint_batch_equals_fingerprint_paragraphs() -> None:
    docs = [_paragraphs(seed, seed % 7) for seed in range(12)] + [MIXED, ("a b",), ("", "")]
    for doc, fp in zip(docs, fingerprint_batch(docs, PARAMS), strict=True):
        single = fingerprint_paragraphs(doc, PARAMS)
        assert fp.shingle_count == single.shingle_count
        assert np.array_equal(fp.signature, single.signature)
        assert [p.tolist() for p in fp.passages] == [p.tolist() for p in single.passages]


@pytest.mark.parametrize("seed", range(20))
def test_passage_sizes_sum_passage_spans(seed: int) -> None:
    rng = random.Random(seed)
    counts = [rng.choice([0, 0, 3, 10, 25, 39, 40, 41, 90]) for _ in range(rng.randint(0, 12))]
    assert passage_sizes(counts) == [sum(counts[i] for i in span) for span in passage_spans(counts)]


def test_long_texts_are_hashed_in_pieces_with_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = [_paragraphs(17, 3, words=400), MIXED, ("x" * 300 + " tail words here",)]
    words = [w for doc in docs for p in doc for w in tokenize(p).words]
    expected = (
        token_hashes(words).tolist(),
        [k.tolist() for k in passage_band_keys(docs)],
        content_keys(docs).tolist(),
    )
    hashing, keys = provenance.fingerprint.hashing, provenance.fingerprint.keys
    monkeypatch.setattr(hashing, "_SPAN_BYTES", 64)  # a 300-byte word is still one token
    monkeypatch.setattr(hashing, "_KEEP_POWERS", 16)
    for module, name in ((hashing, "_BYTE_POWERS"), (hashing, "_BYTE_INVERSES"), (keys, "_MIX_POWERS")):
        table = getattr(module, name)
        monkeypatch.setattr(module, name, type(table)(table._base))
    pieces = (token_hashes(words).tolist(), [k.tolist() for k in passage_band_keys(docs)], content_keys(docs).tolist())
    assert pieces == expected
