"""Which submissions to a call repeat each other: pure, from stored values.

Three kinds of repeat, as regulations.gov groups mass comments: the same file
sent twice (its hash), the same stakeholder sending again instead of a new
version, and near-identical texts from many senders (a campaign). The last is
found with MinHash signatures of word 5-grams and locality-sensitive hashing
(datasketch), so a call with thousands of submissions is not compared pair by pair.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
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


# Keys of the duplicates index (one row each, looked up by call and key): what two
# submissions must share to be compared. The kind is the key's first letter.
FILE, NAME, TEXT = "f", "n", "t"
KEY_LENGTH = 300


def band_keys(signature_: Sequence[int]) -> list[str]:
    """The LSH bands of a signature, one key each (BANDS bands of NUM_PERM // BANDS
    values, the band's position in the key): two texts whose signatures agree on a
    whole band are candidates. [] for a text without a signature."""
    if len(signature_) != NUM_PERM:
        return []
    width = NUM_PERM // BANDS
    return [
        f"{TEXT}{band:02d}:"
        + "".join(f"{v:x}." for v in signature_[band * width : (band + 1) * width])
        for band in range(BANDS)
    ]


def keys(row: Mapping[str, Any]) -> list[str]:
    """Every index key of a row (sha256, stakeholder_name, text_signature): its file,
    its stakeholder's normalized name (if any), its text's bands."""
    out = [f"{FILE}:{row['sha256']}"] if row["sha256"] else []
    name = normalized_name(row["stakeholder_name"])
    if name:
        key = f"{NAME}:{name}"
        # A name longer than the column (rare) is keyed by its hash.
        if len(key) > KEY_LENGTH:
            key = f"{NAME}#{hashlib.sha256(key.encode()).hexdigest()}"
        out.append(key)
    return out + band_keys(row["text_signature"])


class Groups:
    """Union-find over submission ids and the reasons each one is in its group.

    A member has a reason when it has a partner of that kind: another grouped
    submission with its file, its stakeholder, or a near-identical text (a candidate
    of the index that `similarity` confirms). Order never matters, so the groups built
    one submission at a time (services/grouping.py) equal those built all at once.
    """

    def __init__(self, ids: Iterable[int] = ()) -> None:
        self.parent = {i: i for i in ids}
        self.reasons: dict[int, set[str]] = defaultdict(set)

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, members: Sequence[int], reason: str) -> None:
        if len(members) < 2:
            return
        root = self.find(members[0])
        for other in members:
            self.reasons[other].add(reason)
            self.parent[self.find(other)] = root

    def compare(
        self,
        pk: int,
        candidates: Iterable[int],
        alike: Callable[[int], bool],
        *,
        settled: bool = False,
    ) -> None:
        """Join `pk` with the candidates whose texts `alike` confirms. A pair is not
        compared when it could change nothing: both already have a near-identical
        partner and are in one group. `settled`: the candidates all are, in one group
        (a campaign's band), so the first confirmed one is enough."""
        similar = DuplicateReason.SIMILAR_TEXT
        for other in candidates:
            if similar in self.reasons[pk] and self.find(other) == self.find(pk):
                if settled:
                    return
                if similar in self.reasons[other]:
                    continue
            if alike(other):
                self.join([other, pk], similar)


class _Band:
    """The rows of one LSH band: `main`, those in one group with a near-identical
    partner each (a campaign's copies; they only grow), and the `others`."""

    def __init__(self) -> None:
        self.main: list[int] = []
        self.others: list[int] = []

    def settled_for(self, pk: int, groups: Groups) -> bool:
        return bool(self.main) and _settled(pk, self.main[0], groups)

    def add(self, pk: int, groups: Groups) -> None:
        rows = [*self.others, pk]
        if not self.main:
            first = next((m for m in rows if _settled(m, m, groups)), None)
            if first is None:
                self.others = rows
                return
            self.main = [first]
        rep = self.main[0]
        self.main += [m for m in rows if m != rep and _settled(m, rep, groups)]
        self.others = [m for m in rows if not _settled(m, rep, groups)]


def _settled(pk: int, rep: int, groups: Groups) -> bool:
    similar = DuplicateReason.SIMILAR_TEXT in groups.reasons[pk]
    return similar and groups.find(pk) == groups.find(rep)


def _join_similar(rows: Sequence[Mapping[str, Any]], groups: Groups) -> None:
    """Join the rows whose texts are near-identical. Each row asks the bands of the
    earlier rows for candidates, so a pair comes up once; the copies of a campaign
    already grouped cost one comparison per band, not one per copy."""
    signatures = {r["pk"]: r["text_signature"] for r in rows}
    bands: dict[str, _Band] = defaultdict(_Band)
    for r in rows:
        pk, mine = r["pk"], r["text_signature"]

        def alike(other: int, mine: list[int] = mine) -> bool:
            return similarity(mine, signatures[other]) >= THRESHOLD

        keys_ = band_keys(mine)
        for key in keys_:
            band = bands[key]
            groups.compare(pk, band.others, alike)
            if not band.settled_for(pk, groups):
                groups.compare(pk, band.main, alike, settled=True)
        for key in keys_:
            bands[key].add(pk, groups)


def group(rows: Sequence[Mapping[str, Any]]) -> dict[int, tuple[int, list[str]]]:
    """Group rows (pk, number, sha256, stakeholder_name, text_signature).

    Returns, for each submission in a group of two or more, the group's number
    (its first submission's) and the reasons it is there, sorted.
    """
    groups = Groups(r["pk"] for r in rows)
    by_hash: dict[str, list[int]] = defaultdict(list)
    by_name: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        if r["sha256"]:
            by_hash[r["sha256"]].append(r["pk"])
        by_name[normalized_name(r["stakeholder_name"])].append(r["pk"])
    for members in by_hash.values():
        groups.join(members, DuplicateReason.SAME_FILE)
    for name, members in by_name.items():
        if name:
            groups.join(members, DuplicateReason.SAME_STAKEHOLDER)
    _join_similar(rows, groups)
    return components(groups, {r["pk"]: r["number"] for r in rows})


def components(groups: Groups, number: Mapping[int, int]) -> dict[int, tuple[int, list[str]]]:
    """Each member of a group of two or more: (the group's first number, its reasons)."""
    members_of: dict[int, list[int]] = defaultdict(list)
    for pk in number:
        members_of[groups.find(pk)].append(pk)
    result: dict[int, tuple[int, list[str]]] = {}
    for members in members_of.values():
        if len(members) < 2:
            continue
        first = min(number[m] for m in members)
        for m in members:
            result[m] = (first, sorted(str(r) for r in groups.reasons[m]))
    return result
