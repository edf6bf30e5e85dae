"""Repeated submissions, the pure module: signatures, names, groups of rows.

The database side (the check groups, a withdrawal ungroups) is in
tests/services/test_grouping.py; the admin's filter and links in tests/admin/.
"""

from __future__ import annotations

import hashlib
import random

import pytest

from submissions import duplicates
from submissions.enums import DuplicateReason
from tests.campaign_letters import CAMPAIGN, CLIMATE, DOMESTIC_WORK, SENDERS, letter, with_edits


def _row(pk: int, text: str, name: str | None = None) -> dict:
    """What `submission_group_duplicates` reads of a submission, built in memory."""
    return {
        "pk": pk,
        "number": pk,
        "sha256": hashlib.sha256(text.encode()).hexdigest(),
        "stakeholder_name": name or f"Sender {pk}",
        "text_signature": duplicates.signature(text),
    }


def test_a_short_text_gets_no_signature():
    assert duplicates.signature("Dear Committee, please see our input attached. Regards.") == []


def test_the_same_text_gives_the_same_signature():
    first = duplicates.signature(CAMPAIGN)
    assert len(first) == duplicates.NUM_PERM
    assert duplicates.signature(CAMPAIGN) == first
    assert duplicates.similarity(first, duplicates.signature(CAMPAIGN)) == 1.0


def test_the_signature_ignores_case_and_punctuation():
    shouted = CAMPAIGN.upper().replace(",", " ").replace(".", " ;")
    assert duplicates.signature(shouted) == duplicates.signature(CAMPAIGN)


def test_a_campaign_letter_with_a_few_words_changed_scores_above_the_threshold():
    original = "\n".join(letter(*SENDERS[0]))
    edited = "\n".join(letter(*SENDERS[2]))
    score = duplicates.similarity(duplicates.signature(original), duplicates.signature(edited))
    assert score >= duplicates.THRESHOLD


def test_two_different_texts_score_far_below_the_threshold():
    assert len(duplicates._words(DOMESTIC_WORK)) > 280
    assert len(duplicates._words(CLIMATE)) > 280
    score = duplicates.similarity(
        duplicates.signature(DOMESTIC_WORK), duplicates.signature(CLIMATE)
    )
    assert score < 0.2
    campaign = duplicates.signature(CAMPAIGN)
    assert duplicates.similarity(campaign, duplicates.signature(CLIMATE)) < 0.2


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("  The  Migrants' Forum. ", "the migrants forum"),
        ("GLOBAL ALLIANCE", "Global Alliance"),
        (
            "Fédération Internationale des Ligues des Droits de l'Homme",
            "federation internationale des ligues des droits de l homme",
        ),
        ("Red Jesuita con Migrantes – Perú", "red jesuita con migrantes peru"),
        ("移民工人联盟", " 移民工人联盟 "),
    ],
)
def test_names_normalize_across_case_punctuation_and_accents(one, other):
    assert duplicates.normalized_name(one) == duplicates.normalized_name(other) != ""


def test_different_names_stay_different():
    assert duplicates.normalized_name("Migrant Forum Asia") != duplicates.normalized_name(
        "Migrant Forum Africa"
    )


def test_group_reads_rows_and_names_the_first_number_and_the_reasons():
    rows = [
        _row(1, DOMESTIC_WORK, name="Domestic Workers Network"),
        _row(2, CAMPAIGN, name="Amina Yusuf"),
        _row(3, "\n".join(letter(*SENDERS[1])), name="Rogelio Santos"),
        _row(4, CLIMATE, name="domestic  workers network."),
    ]
    assert duplicates.group(rows) == {
        1: (1, [DuplicateReason.SAME_STAKEHOLDER]),
        4: (1, [DuplicateReason.SAME_STAKEHOLDER]),
        2: (2, [DuplicateReason.SIMILAR_TEXT]),
        3: (2, [DuplicateReason.SIMILAR_TEXT]),
    }


def test_thirty_campaigns_of_ten_copies_make_thirty_groups():
    rng = random.Random(2024)
    vocabulary = sorted(set(duplicates._words(CAMPAIGN + DOMESTIC_WORK + CLIMATE)))
    rows, campaign_of = [], {}
    for campaign in range(30):
        base = rng.choices(vocabulary, k=300)
        for copy in range(10):
            words = list(base)
            words[rng.randrange(len(words))] = rng.choice(vocabulary)  # one word changed
            pk = len(rows) + 1
            rows.append(_row(pk, " ".join(words) + f"\nSigned, sender {campaign} {copy}"))
            campaign_of[pk] = campaign

    groups = duplicates.group(rows)

    numbers_by_campaign: dict[int, set] = {}
    for pk, campaign in campaign_of.items():
        numbers_by_campaign.setdefault(campaign, set()).add(groups.get(pk, (None,))[0])
    first_of = {c: min(pk for pk, k in campaign_of.items() if k == c) for c in range(30)}
    # Each campaign is one group, numbered by its first copy: so no two were merged.
    assert numbers_by_campaign == {c: {first_of[c]} for c in range(30)}
    assert {tuple(reasons) for _number, reasons in groups.values()} == {
        (DuplicateReason.SIMILAR_TEXT,)
    }


# Three small edits leave the signatures at about 0.9: whatever values differ, the
# index must make the pair a candidate (a band layout for 0.8 once missed such pairs).
def test_two_letters_the_signatures_call_similar_are_grouped():
    original = duplicates.signature(CAMPAIGN)
    edits = {"Many of us": "Most of us", "far away": "very far", "came late": "arrived late"}
    edited = duplicates.signature(with_edits(CAMPAIGN, edits))
    assert duplicates.similarity(original, edited) >= duplicates.THRESHOLD
    rows = [
        {"pk": 1, "number": 1, "sha256": "a", "stakeholder_name": "A", "text_signature": original},
        {"pk": 2, "number": 2, "sha256": "b", "stakeholder_name": "B", "text_signature": edited},
    ]
    assert duplicates.group(rows) == {
        1: (1, [DuplicateReason.SIMILAR_TEXT]),
        2: (1, [DuplicateReason.SIMILAR_TEXT]),
    }
