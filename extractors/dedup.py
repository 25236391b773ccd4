"""Near-duplicate fingerprints of story bodies: word shingles, MinHash signatures, LSH band keys, Jaccard.

Pure functions (no I/O). The warehouse stores only the LSH band keys of each item (`lsh_buckets`), so a
later run looks candidates up instead of rebuilding an index; every candidate is then verified with the
real Jaccard similarity of the two bodies' word 3-shingle sets, so the MinHash estimate only has to find
candidates, never to decide.

Words are runs of `\\w` characters of the NFKC-normalised, case-folded body (punctuation and spacing do
not count), the same folding as `ids.normalise_body`. A body with fewer than `k` words has no shingles and
is only ever an exact duplicate.

The MinHash is implemented with numpy rather than `datasketch`: one vectorised multiply-add-shift over
(shingles x permutations) per body, seeded deterministically so band keys stored by one process match
the keys computed by another (Python's `hash()` is salted per process and cannot be used).
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
import unicodedata
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

__all__ = [
    "LshParams",
    "MinHasher",
    "changed_words",
    "extraction_may_change",
    "jaccard",
    "lsh_params",
    "shingle_hashes",
    "shingles",
    "words",
]

U64 = npt.NDArray[np.uint64]
_WORD = re.compile(r"\w+")
_MASK64 = (1 << 64) - 1
# odd 64-bit multipliers for combining word hashes into shingle hashes and band slices into bucket keys
_MIX = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93)


def words(text: str) -> list[str]:
    """Case-, width- and punctuation-insensitive words of a text."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(text: str, k: int = 3) -> set[tuple[str, ...]]:
    """The set of word k-shingles (runs of k consecutive words) of a text."""
    w = words(text)
    return {tuple(w[i : i + k]) for i in range(len(w) - k + 1)}


def jaccard(a: AbstractSet[tuple[str, ...]], b: AbstractSet[tuple[str, ...]]) -> float:
    """|a & b| / |a | b|; 0.0 when either set is empty (nothing to compare)."""
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


@lru_cache(maxsize=200_000)
def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def _fmix(x: U64) -> U64:
    """64-bit finaliser (MurmurHash3 fmix64) so that combined hashes are well spread."""
    x = x ^ (x >> np.uint64(33))
    x = x * np.uint64(0xFF51AFD7ED558CCD)
    x = x ^ (x >> np.uint64(33))
    x = x * np.uint64(0xC4CEB9FE1A85EC53)
    return x ^ (x >> np.uint64(33))


def shingle_hashes(text: str, k: int = 3) -> U64:
    """Sorted unique 64-bit hashes of the word k-shingles of a text (stable across processes)."""
    w = words(text)
    n = len(w) - k + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    wh = np.fromiter((_word_hash(x) for x in w), dtype=np.uint64, count=len(w))
    acc = np.zeros(n, dtype=np.uint64)
    for j in range(k):
        acc = acc * np.uint64(_MIX[j % len(_MIX)]) + wh[j : j + n]
    return np.unique(_fmix(acc))


@dataclass(frozen=True)
class LshParams:
    bands: int
    rows: int
    min_bands: int = 1  # buckets a stored body must share with a new one to be a candidate

    @property
    def used_perm(self) -> int:
        return self.bands * self.rows

    def candidate_probability(self, similarity: float) -> float:
        """Chance that two bodies of this Jaccard similarity share at least `min_bands` buckets."""
        p = similarity**self.rows
        below = sum(math.comb(self.bands, k) * p**k * (1.0 - p) ** (self.bands - k) for k in range(self.min_bands))
        return max(0.0, 1.0 - below)


def lsh_params(threshold: float, num_perm: int, *, recall: float = 0.999) -> LshParams:
    """Bands x rows (and buckets to share) for a threshold: the most rows per band, and two shared buckets
    rather than one, that still make a pair at the threshold a candidate with probability >= `recall`.
    Fewer false candidates means fewer stored bodies to read for verification; a missed pair is the costly
    error, so recall comes first."""
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"near-duplicate threshold must be in (0, 1], got {threshold}")
    if num_perm < 1:
        raise ValueError(f"minhash_perm must be positive, got {num_perm}")
    for min_bands in (2, 1):
        best: LshParams | None = None
        for rows in range(1, num_perm + 1):
            p = LshParams(num_perm // rows, rows, min_bands)
            if p.bands < min_bands:
                break
            if p.candidate_probability(threshold) >= recall:
                best = p
        if best is not None:
            return best
    return LshParams(num_perm, 1)


class MinHasher:
    """MinHash signatures and LSH band keys for one (num_perm, threshold, seed) configuration.

    Permutation i is h_i(x) = ((a_i * x + b_i) mod 2^64) >> 32 over the 64-bit shingle hashes (a_i odd);
    the signature is the per-permutation minimum, as uint32. Band keys fold each band's rows into one
    signed 64-bit integer (DuckDB BIGINT).
    """

    def __init__(self, num_perm: int = 128, threshold: float = 0.8, seed: int = 1) -> None:
        self.num_perm = num_perm
        self.threshold = threshold
        self.params = lsh_params(threshold, num_perm)
        rng = np.random.default_rng(seed)
        self._a = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
        self._b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)

    def signature(self, hashes: U64) -> npt.NDArray[np.uint32]:
        """MinHash signature of a set of shingle hashes (all 0xFFFFFFFF for an empty set)."""
        if hashes.size == 0:
            return np.full(self.num_perm, 0xFFFFFFFF, dtype=np.uint32)
        out = np.full(self.num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
        step = 4096  # bound the (perm x shingles) temporary to num_perm * 32 KB
        for start in range(0, hashes.size, step):
            grid = np.multiply.outer(self._a, hashes[start : start + step])  # wraps mod 2^64
            grid += self._b[:, None]
            np.minimum(out, grid.min(axis=1), out=out)
        out >>= np.uint64(32)  # the minimum of the full value has the minimum top 32 bits
        return out.astype(np.uint32)

    def band_keys(self, signature: npt.NDArray[np.uint32]) -> list[int]:
        """One bucket key per band (signed 64-bit ints), band i first."""
        p = self.params
        grid = signature[: p.used_perm].astype(np.uint64).reshape(p.bands, p.rows)
        acc = np.full(p.bands, np.uint64(p.rows), dtype=np.uint64)
        for j in range(p.rows):
            acc = acc * np.uint64(_MIX[j % len(_MIX)]) + grid[:, j]
        return [int(x) for x in _fmix(acc).view(np.int64)]

    def keys_of(self, text: str) -> list[int]:
        """Band keys of a body; empty when the body has too few words to shingle."""
        hashes = shingle_hashes(text)
        if hashes.size == 0:
            return []
        return self.band_keys(self.signature(hashes))

    def estimate(self, sig_a: npt.NDArray[np.uint32], sig_b: npt.NDArray[np.uint32]) -> float:
        """MinHash estimate of the Jaccard similarity of two signatures."""
        return float(np.mean(sig_a == sig_b))


# --- does a near-duplicate need its own NLP run? --------------------------------------------------------

_TOKEN = re.compile(r"\w+(?:['\u2019]\w+)*|[^\w\s]")
_QUOTE_MARKS = frozenset("\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u201a\u2039\u203a")
# words the number extractor reads as figures, and the reporting cues the quote extractor keys on
_NUMBER_WORDS = frozenset({
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty",
    "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "hundreds", "thousand", "thousands", "million",
    "millions", "billion", "billions", "trillion", "dozen", "dozens", "half", "quarter", "third", "percent", "per",
    "cent", "first", "second", "fifth", "tenth",
})
_CUE_WORDS = frozenset({
    "said", "says", "say", "told", "tells", "added", "adds", "according", "quoted", "quoting", "stated", "states",
    "claimed", "claims", "warned", "warns", "insisted", "insists", "argued", "argues", "denied", "denies",
    "admitted", "admits", "explained", "explains", "noted", "notes", "announced", "announces", "confirmed",
    "confirms", "asked", "asks", "replied", "replies", "wrote", "writes",
})


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFKC", text))


def _tokens_and_sentences(text: str) -> tuple[list[str], list[int]]:
    """Tokens and, for each, the number of its sentence (after . ! ? or a line break)."""
    tokens: list[str] = []
    sentence: list[int] = []
    current, last_end = 0, 0
    for m in _TOKEN.finditer(unicodedata.normalize("NFKC", text)):
        if tokens and ("\n" in text[last_end : m.start()] or tokens[-1] in {".", "!", "?"}):
            current += 1
        tokens.append(m.group())
        sentence.append(current)
        last_end = m.end()
    return tokens, sentence


def changed_words(old: str, new: str) -> list[str]:
    """Tokens (words and punctuation, as written) removed from `old` or added in `new`, by a word diff."""
    a, b = _tokens(old), _tokens(new)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out: list[str] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op != "equal":
            out.extend(a[i1:i2])
            out.extend(b[j1:j2])
    return out


_NEAR = 3  # tokens either side of a change that can bind to it (counted noun, title, part of a name)


class _Side:
    def __init__(self, text: str, common: set[str]) -> None:
        self.tokens, self.sentence = _tokens_and_sentences(text)
        self.common = common
        quoted: set[int] = set()
        for tok, sid in zip(self.tokens, self.sentence, strict=True):
            if tok in _QUOTE_MARKS or tok.casefold() in _CUE_WORDS:
                quoted.add(sid)
        self.quoted = quoted  # sentences with quote marks or a reporting cue: their words are quote text

    def anchor(self, tok: str) -> bool:
        """A token the extractors anchor on: a figure, a number word, or a name."""
        low = tok.casefold()
        if any(ch.isdigit() for ch in tok) or low in _NUMBER_WORDS:
            return True
        return tok[:1].isupper() and low not in self.common

    def risky(self, lo: int, hi: int) -> bool:
        """Whether changing tokens [lo, hi) (an insertion point when lo == hi) can change an extraction."""
        n = len(self.tokens)
        for i in range(lo, hi):
            tok = self.tokens[i]
            if tok in _QUOTE_MARKS or tok.casefold() in _CUE_WORDS or self.anchor(tok):
                return True
        if any(self.anchor(self.tokens[i]) for i in range(max(0, lo - _NEAR), min(n, hi + _NEAR))):
            return True
        sentences = {self.sentence[i] for i in range(max(0, lo - 1), min(n, max(hi, lo + 1)))}
        return bool(sentences & self.quoted)


def extraction_may_change(old: str, new: str) -> bool:
    """Whether a near-duplicate body can give different actors, quotes or numbers than the body it copies.

    The bodies are compared by a word diff; a change (words removed from `old` or added in `new`) is
    risky, and NLP runs, when
    - a changed token is a figure (digits, number words), a name (a capitalised word never written in
      lower case in either body, so not a sentence-initial common word), a quote mark or a reporting cue;
    - a figure or name stands within 3 tokens of it (it may be the counted noun, a title, part of a name);
    - its sentence has quote marks or a reporting cue (the words are then part of a quote's text,
      direct or reported).
    Only changes of plain lower-case wording away from names, figures and quotes skip NLP; the skipped
    copy keeps no facts of its own (its group's first item holds them). Measured by
    `python -m eval.bbc_dedup --nlp-rule N`.
    """
    a = _Side(old, set())
    b = _Side(new, set())
    common = {t for side in (a, b) for t in side.tokens if t.islower()}
    a.common = b.common = common
    sm = difflib.SequenceMatcher(None, a.tokens, b.tokens, autojunk=False)
    return any(op != "equal" and (a.risky(i1, i2) or b.risky(j1, j2)) for op, i1, i2, j1, j2 in sm.get_opcodes())
