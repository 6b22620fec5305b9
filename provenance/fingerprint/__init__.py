"""Word shingles, MinHash signatures and LSH band keys, reproducible across runs and machines.

Hash scheme (changing any step changes every stored signature and key, so bump
SCHEME_VERSION when you do):
  1. each normalised token (as `normalize.tokenize` gives it), as UTF-8 bytes
     c_0 .. c_{L-1} -> fmix64(c_0 + c_1*B + ... + c_{L-1}*B^(L-1) + L  mod 2^64), B odd;
  2. each run of k tokens -> h = h * MIX + t (mod 2^64) over the run, then the
     64-bit MurmurHash3 finaliser fmix64: the exact shingle id used by `compare`
     (a text of fewer than k tokens is one shingle of all of them);
  3. the high 32 bits of that id feed datasketch's "affine32" MinHash scheme
     (fmix32, then a*h + b mod 2^32 with datasketch's seeded parameters);
  4. LSH band j (0-based) of a signature, its values v_1..v_rows at j*rows ..:
     h = j, then h = h * MIX + v_i (mod 2^64) for each, fmix64, high 32 bits.
  A content key is the whole token sequence as one shingle (step 2 with k = its
  length), shifted right by one bit so that it fits a signed 64-bit integer.

Step 1 is a polynomial so that the tokens of many texts are hashed at once: one
prefix sum S of c_i * B^i over all their bytes, and a token spanning bytes
[s, e) is (S[e] - S[s]) * B^-s (odd numbers are invertible mod 2^64).
Step 3 gives the same hash values as ``datasketch.MinHash(num_perm, seed)``
fed the same 32-bit values (tests/test_fingerprint.py checks it), so
signatures can be turned into datasketch objects.

The modules, one step or use each:
  hashing     steps 1 and 2: token hashes and shingle ids
  minhash     step 3: MinHash signatures, their Jaccard estimate, datasketch objects
  batch       many texts tokenised at once over their UTF-8 bytes, and grouped into passages
  keys        step 4 and content keys: what an index files a text under (`LshParams`)
  signatures  `Fingerprint`, a text's signatures whole and per passage, for the tests and
              benchmarks of the scheme

Two ways in, one scheme: `normalize.tokenize` + `hashing.token_hashes` + `hashing.shingle_ids` +
`minhash.minhash` for one text with offsets (what `compare` uses), and the batch functions
(`keys.passage_band_keys`, `keys.content_keys`, `signatures.fingerprint_batch`) that tokenise many
texts at once with numpy. Paragraphs that need Unicode normalisation (`normalize.is_plain` is
false) go through `tokenize` even there, so both ways give the same token hashes for the same text.
"""

from __future__ import annotations

SCHEME_VERSION = 2
