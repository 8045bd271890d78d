"""Near-duplicate detection for Chinese minutes and reflections, without external services.

Pure Python, no ORM. The pipeline:

1. ``normalize``: NFKC folds full-width letters, digits and punctuation to their half-width
   forms, letters are lower-cased, and everything that is not a letter or digit (whitespace,
   punctuation, symbols) is dropped. "会议，学习《党章》。" and "会议 学习党章" compare equal.
2. Shingles: overlapping character 5-grams of the normalised text (short texts: the whole
   text is one shingle). Each 5-gram is hashed as a tuple of code points; Python's tuple hash
   of ints is deterministic across processes (unlike ``str`` hashes), so the same data always
   gives the same candidates and the same scores.
3. ``similarity(a, b)`` is the exact Jaccard index of the two shingle sets: shared 5-grams over
   all 5-grams of either text. Identical texts score 1.0; an empty text scores 0 against anything.
4. ``near_duplicate_pairs`` scales to 100,000 texts: a MinHash signature per text
   (``PASSES`` one-permutation passes, each splitting the shingles into ``PASS_BINS`` ranges by
   a different bit field of their hash and keeping the smallest hash of each; ``signature``),
   LSH banding chooses candidate pairs, and each candidate is confirmed with the exact Jaccard
   index. The band size adapts to the threshold so a pair
   scoring exactly the threshold becomes a candidate with probability >= 0.99; pairs scoring
   above it more likely still (``lsh_parameters``).
5. ``shared_passages`` finds the passages two texts share (greedy tiling of maximal common runs
   found through the 5-gram index of the second text) and returns them as spans of the ORIGINAL
   texts, so a page can highlight them.

Used by integrity (near-duplicate minutes) and campaigns (near-duplicate reading reflections);
``similarity_threshold`` is the one configured score from which two texts count as alike.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Hashable, Iterable
from functools import lru_cache
from itertools import accumulate, repeat
from operator import and_, rshift

from django.conf import settings

SHINGLE_SIZE = 5
PASS_BINS = 64
PASSES = 4
SIGNATURE_BINS = PASS_BINS * PASSES
TARGET_RECALL = 0.99

_NOT_WORD = re.compile(r"[\W_]+")
# How each pass puts a 64-bit hash into one of PASS_BINS ranges: (operator, operand, range keys).
# Pass 0 uses the top six bits (the hash shifted right, -32..31); the others a six-bit field
# lower down (the hash masked). Within a range the smallest hash is kept, so every pass sees the
# same order but a different partition into ranges: the ranges of a pass hold disjoint shingles.
_PARTITIONS = [(rshift, 64 - 6, range(-(PASS_BINS // 2), PASS_BINS // 2))] + [
    (and_, (PASS_BINS - 1) << (6 * p), range(0, PASS_BINS << (6 * p), 1 << (6 * p))) for p in range(PASSES - 1)
]


def similarity_threshold() -> float:
    """``ZHIBU["SIMILARITY_THRESHOLD"]`` (``ZHIBU_SIMILARITY_PERCENT`` / 100, default 0.8)."""
    return float(settings.ZHIBU.get("SIMILARITY_THRESHOLD", 0.8))


def normalize(text: str) -> str:
    """Fold full-width forms, lower-case, and drop whitespace, punctuation and symbols."""
    if not text:
        return ""
    # Punctuation first (most of it), then NFKC only where needed: CJK text is usually already
    # NFKC once its full-width punctuation is gone, and the check is far cheaper than the fold.
    stripped = _NOT_WORD.sub("", text)
    if not unicodedata.is_normalized("NFKC", stripped):
        stripped = _NOT_WORD.sub("", unicodedata.normalize("NFKC", stripped))
    return stripped.lower()


def _normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalise character by character, keeping for each output character its offset in text."""
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text or ""):
        for folded in unicodedata.normalize("NFKC", char).lower():
            if not _NOT_WORD.match(folded):
                chars.append(folded)
                offsets.append(index)
    return "".join(chars), offsets


def _shingle_hashes(normalized: str) -> set[int]:
    """The set of hashed character 5-grams of a normalised text."""
    if not normalized:
        return set()
    # Code points without a Python-level loop: the UTF-32 bytes read as unsigned ints.
    codes = memoryview(normalized.encode("utf-32-le")).cast("I").tolist()
    if len(codes) < SHINGLE_SIZE:
        return {hash(tuple(codes))}
    columns = [codes[offset:] for offset in range(SHINGLE_SIZE)]
    return set(map(hash, zip(*columns, strict=False)))  # Shorter columns end it.


def shingles(text: str) -> frozenset[int]:
    """Hashed character 5-grams of text after normalisation (for callers that cache them)."""
    return frozenset(_shingle_hashes(normalize(text)))


def jaccard(first: set[int] | frozenset[int], second: set[int] | frozenset[int]) -> float:
    if not first or not second:
        return 0.0
    shared = len(first & second)
    return shared / (len(first) + len(second) - shared)


def similarity(a: str, b: str) -> float:
    """Jaccard index (0..1) of the two texts' 5-gram sets after normalisation."""
    return jaccard(_shingle_hashes(normalize(a)), _shingle_hashes(normalize(b)))


def find_similar(
    text: str, candidates: Iterable[tuple[Hashable, str]], *, threshold: float
) -> list[tuple[Hashable, float]]:
    """Candidates whose similarity to text is at least threshold, best first (exact scores)."""
    own = _shingle_hashes(normalize(text))
    if not own:
        return []
    size = len(own)
    found = []
    for key, candidate_text in candidates:
        other = _shingle_hashes(normalize(candidate_text))
        if not other or min(size, len(other)) < threshold * max(size, len(other)):
            continue  # The size ratio bounds the Jaccard index from above.
        score = jaccard(own, other)
        if score >= threshold:
            found.append((key, score))
    found.sort(key=lambda pair: -pair[1])
    return found


# --- batch detection -------------------------------------------------------------------------


def lsh_parameters(threshold: float, *, bins: int = SIGNATURE_BINS) -> tuple[int, int]:
    """(rows per band, bands) with the most rows whose recall at the threshold is >= 0.99.

    A pair with Jaccard index J agrees on one signature bin with probability J, on a whole band
    of r bins with J**r, and becomes a candidate in at least one of b bands with
    1 - (1 - J**r)**b. More rows per band mean fewer unrelated candidates to check.
    """
    threshold = min(max(threshold, 0.01), 1.0)
    for rows in range(bins, 0, -1):
        bands = bins // rows
        if 1 - (1 - threshold**rows) ** bands >= TARGET_RECALL:
            return rows, bands
    return 1, bins


def _smallest_per_range(descending: list[int], operator, operand: int, keys: range) -> list[int]:
    # Largest first, so that the last (kept) entry of each range in the dict is its smallest.
    smallest = dict(zip(map(operator, descending, repeat(operand)), descending, strict=True))
    values = list(map(smallest.get, keys))
    if None not in values:
        return values  # type: ignore[return-value]
    # Each empty range takes the nearest non-empty range's value to its right (around the ring).
    first = next(value for value in values if value is not None)
    filled = list(accumulate(reversed(values), _keep_carried, initial=first))
    return filled[:0:-1]


def signature(hashes: set[int]) -> list[int]:
    """MinHash signature of SIGNATURE_BINS values: PASSES one-permutation passes of PASS_BINS.

    The shingle hashes are sorted once. Each pass splits them into PASS_BINS ranges by a
    different six-bit field of the hash (``_PARTITIONS``) and keeps the smallest hash of each
    range, picked through a dict (no Python-level loop over the shingles). An empty range (short
    texts) takes the value of the next non-empty range to its right ("rotation" densification).
    Two texts agree on any bin with probability equal to their Jaccard index; the bins of one
    pass come from disjoint shingles. Several passes of few ranges rather than one pass of many
    keep empty ranges rare: copied values would make the bins of a band agree together and let
    unrelated texts through as candidates.
    """
    descending = sorted(hashes, reverse=True)
    values: list[int] = []
    for operator, operand, keys in _PARTITIONS:
        values += _smallest_per_range(descending, operator, operand, keys)
    return values


def _keep_carried(carried, value):
    return carried if value is None else value


def near_duplicate_pairs(
    items: Iterable[tuple[Hashable, Hashable, str]],
    *,
    threshold: float,
    across_groups_only: bool = False,
) -> list[tuple[Hashable, Hashable, float]]:
    """All pairs of items whose texts score at least threshold, best first.

    items are (key, group, text); group is e.g. the branch. A pair is returned as
    (key_a, key_b, score) with key_a the item that came first in items, so a caller that feeds
    records in date order gets the earlier record first. across_groups_only=True skips pairs
    inside one group. Texts that normalise to nothing take no part.
    """
    rows, bands = lsh_parameters(threshold)
    keys: list[Hashable] = []
    groups: list[Hashable] = []
    texts: list[str] = []
    sizes: list[int] = []
    # One array of band hashes per band: 8 bytes a text and band, not the whole signature.
    band_keys: list[array] = [array("q") for _ in range(bands)]
    for key, group, text in items:
        normalized = normalize(text)
        hashes = _shingle_hashes(normalized)
        if not hashes:
            continue
        keys.append(key)
        groups.append(group)
        texts.append(normalized)
        sizes.append(len(hashes))
        values = signature(hashes)
        for band, column in enumerate(band_keys):
            column.append(hash(tuple(values[band * rows : band * rows + rows])))

    count = len(keys)
    candidates: set[int] = set()
    for column in band_keys:
        buckets: dict[int, list[int]] = defaultdict(list)
        for index, band_key in enumerate(column):
            buckets[band_key].append(index)
        for members in buckets.values():
            if len(members) < 2:
                continue
            for position, first in enumerate(members):
                for second in members[position + 1 :]:
                    candidates.add(first * count + second)
    del band_keys

    @lru_cache(maxsize=8192)
    def hashes_of(index: int) -> frozenset[int]:
        return frozenset(_shingle_hashes(texts[index]))

    pairs = []
    for pair in sorted(candidates):
        first, second = divmod(pair, count)
        if across_groups_only and groups[first] == groups[second]:
            continue
        small, large = sorted((sizes[first], sizes[second]))
        if small < threshold * large:
            continue
        score = jaccard(hashes_of(first), hashes_of(second))
        if score >= threshold:
            pairs.append((keys[first], keys[second], score))
    pairs.sort(key=lambda item: -item[2])
    return pairs


# --- shared passages -------------------------------------------------------------------------


def shared_passages(a: str, b: str, *, min_chars: int = 12) -> list[tuple[int, int, int, int]]:
    """Passages both texts contain, as (a_start, a_end, b_start, b_end) spans of the originals.

    Texts are compared after normalisation, so a passage may differ in punctuation, spacing or
    full-/half-width forms; min_chars counts normalised characters (letters and digits). Spans
    are end-exclusive offsets into a and b, do not overlap each other, and are sorted by
    a_start. Longest passages are taken first (greedy string tiling).
    """
    norm_a, offsets_a = _normalize_with_offsets(a)
    norm_b, offsets_b = _normalize_with_offsets(b)
    size = SHINGLE_SIZE
    min_chars = max(min_chars, 1)
    if len(norm_a) < min_chars or len(norm_b) < min_chars:
        return []
    if min_chars < size:
        size = min_chars

    index_b: dict[str, list[int]] = defaultdict(list)
    for position in range(len(norm_b) - size + 1):
        index_b[norm_b[position : position + size]].append(position)

    # Maximal runs: start where the gram matches and the previous characters do not.
    runs: list[tuple[int, int, int]] = []  # (length, start_a, start_b)
    for i in range(len(norm_a) - size + 1):
        for j in index_b.get(norm_a[i : i + size], ()):
            if i > 0 and j > 0 and norm_a[i - 1] == norm_b[j - 1]:
                continue  # Inside a run that started earlier.
            length = size
            while i + length < len(norm_a) and j + length < len(norm_b) and norm_a[i + length] == norm_b[j + length]:
                length += 1
            if length >= min_chars:
                runs.append((length, i, j))
    runs.sort(key=lambda run: (-run[0], run[1], run[2]))

    taken_a = [False] * len(norm_a)
    taken_b = [False] * len(norm_b)
    tiles: list[tuple[int, int, int]] = []  # (start_a, start_b, length) in normalised text
    for length, i, j in runs:
        piece_start = None
        for step in range(length + 1):
            free = step < length and not taken_a[i + step] and not taken_b[j + step]
            if free and piece_start is None:
                piece_start = step
            elif not free and piece_start is not None:
                if step - piece_start >= min_chars:
                    tiles.append((i + piece_start, j + piece_start, step - piece_start))
                    for k in range(piece_start, step):
                        taken_a[i + k] = True
                        taken_b[j + k] = True
                piece_start = None
    tiles.sort()
    return [
        (
            offsets_a[start_a],
            offsets_a[start_a + length - 1] + 1,
            offsets_b[start_b],
            offsets_b[start_b + length - 1] + 1,
        )
        for start_a, start_b, length in tiles
    ]
