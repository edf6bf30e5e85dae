"""Which submissions to a call repeat each other: pure, from stored values.

Three kinds of repeat, as regulations.gov groups mass comments: the same file
sent twice (its hash), the same stakeholder sending again instead of a new
version, and near-identical texts from many senders (a campaign). The last is
found with MinHash signatures of word 5-grams and locality-sensitive hashing
(datasketch), so a call with thousands of submissions is not compared pair by pair.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from submissions.enums import DuplicateReason

NUM_PERM = 64
SCHEME = "affine32"  # named, so a later datasketch default cannot change stored signatures
SHINGLE = 5
# Texts this much alike (estimated Jaccard similarity of their 5-grams) form a group.
THRESHOLD = 0.8
# 16 bands of 4 values: two signatures at THRESHOLD differ in at most 12 of their 64
# values, so at least 4 bands match whole and every such pair becomes a candidate
# (datasketch's own choice for 0.8, 5 bands of 11, misses many pairs near 0.8).
BANDS = 16
# Shorter texts share 5-grams by chance (greetings, titles): not compared.
MIN_WORDS = 50

_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def signature(text: str) -> list[int]:
    """The MinHash of the text's word 5-grams, or [] for a text too short to compare."""
    from datasketch import MinHash

    words = _words(text)
    if len(words) < MIN_WORDS:
        return []
    shingles = {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}
    minhash = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    minhash.update_batch(list(shingles))
    return [int(v) for v in minhash.hashvalues]


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return sum(x == y for x, y in zip(a, b, strict=True)) / NUM_PERM


def normalized_name(name: str) -> str:
    """'  The  Migrants' Forum. ' and 'the migrants forum' are one stakeholder."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    return " ".join(_WORD.findall("".join(c for c in folded if not unicodedata.combining(c))))


class _Groups:
    """Union-find over submission ids, remembering why each one was joined."""

    def __init__(self, ids: Iterable[int]) -> None:
        self.parent = {i: i for i in ids}
        self.reasons: dict[int, set[str]] = defaultdict(set)

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, members: list[int], reason: str) -> None:
        if len(members) < 2:
            return
        root = self.find(members[0])
        for other in members:
            self.reasons[other].add(reason)
            self.parent[self.find(other)] = root


def _join_similar(rows: Sequence[Mapping[str, Any]], groups: _Groups) -> None:
    """Join the rows whose texts are near-identical.

    Each row asks the index for earlier ones before it is added, so a pair comes up
    once; a pair already in one group is not compared again, which keeps a campaign
    of thousands of copies from costing a comparison per pair.
    """
    from datasketch import LeanMinHash, MinHashLSH

    signed = [(r["pk"], r["text_signature"]) for r in rows if len(r["text_signature"]) == NUM_PERM]
    if len(signed) < 2:
        return
    lsh = MinHashLSH(num_perm=NUM_PERM, params=(BANDS, NUM_PERM // BANDS))
    values = dict(signed)
    for pk, signature_ in signed:
        sketch = LeanMinHash(seed=1, hashvalues=signature_, scheme=SCHEME)
        for other in lsh.query(sketch):
            # The index finds candidates; the signatures decide.
            if groups.find(other) != groups.find(pk) and (
                similarity(signature_, values[other]) >= THRESHOLD
            ):
                groups.join([other, pk], DuplicateReason.SIMILAR_TEXT)
        lsh.insert(pk, sketch)


def group(rows: Sequence[Mapping[str, Any]]) -> dict[int, tuple[int, list[str]]]:
    """Group rows (pk, number, sha256, stakeholder_name, text_signature).

    Returns, for each submission in a group of two or more, the group's number
    (its first submission's) and the reasons it is there, sorted.
    """
    groups = _Groups(r["pk"] for r in rows)
    by_hash: dict[str, list[int]] = defaultdict(list)
    by_name: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        by_hash[r["sha256"]].append(r["pk"])
        by_name[normalized_name(r["stakeholder_name"])].append(r["pk"])
    for members in by_hash.values():
        groups.join(members, DuplicateReason.SAME_FILE)
    for name, members in by_name.items():
        if name:
            groups.join(members, DuplicateReason.SAME_STAKEHOLDER)
    _join_similar(rows, groups)

    number = {r["pk"]: r["number"] for r in rows}
    components: dict[int, list[int]] = defaultdict(list)
    for pk in number:
        components[groups.find(pk)].append(pk)
    result: dict[int, tuple[int, list[str]]] = {}
    for members in components.values():
        if len(members) < 2:
            continue
        first = min(number[m] for m in members)
        for m in members:
            result[m] = (first, sorted(str(r) for r in groups.reasons[m]))
    return result
