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


# Groups built at once equal the definition, and equal those built one at a time.


def _texts(rng: random.Random) -> list[str]:
    """Texts that repeat each other to every degree: copies, small edits, rewrites."""
    vocabulary = sorted(set(duplicates._words(CAMPAIGN + DOMESTIC_WORK + CLIMATE)))
    bases = [rng.choices(vocabulary, k=120) for _ in range(4)]
    texts = []
    for base in bases:
        for changed in (0, 1, 3, 15, 40):
            words = list(base)
            for _ in range(changed):
                words[rng.randrange(len(words))] = rng.choice(vocabulary)
            texts.append(" ".join(words))
    return [*texts, "Too short to compare.", ""]


def _random_row(rng: random.Random, pk: int, texts: list[str]) -> dict:
    unique = f"{pk}-{rng.random()}"
    shared = rng.random() < 0.25
    return {
        "pk": pk,
        "number": pk,
        "sha256": "a" * 64 if shared else hashlib.sha256(unique.encode()).hexdigest(),
        "stakeholder_name": rng.choice(["Global Alliance", "global alliance.", "", unique, unique]),
        "text_signature": duplicates.signature(rng.choice(texts)),
    }


def _by_definition(rows: list[dict]) -> dict[int, tuple[int, list[str]]]:
    """Every pair compared: a reason is a partner of that kind, a group a connected set."""
    partners: dict[int, set[tuple[int, str]]] = {r["pk"]: set() for r in rows}
    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            kinds = []
            if a["sha256"] == b["sha256"]:
                kinds.append(DuplicateReason.SAME_FILE)
            name = duplicates.normalized_name(a["stakeholder_name"])
            if name and name == duplicates.normalized_name(b["stakeholder_name"]):
                kinds.append(DuplicateReason.SAME_STAKEHOLDER)
            bands = set(duplicates.band_keys(a["text_signature"]))
            if bands & set(duplicates.band_keys(b["text_signature"])) and (
                duplicates.similarity(a["text_signature"], b["text_signature"])
                >= duplicates.THRESHOLD
            ):
                kinds.append(DuplicateReason.SIMILAR_TEXT)
            for kind in kinds:
                partners[a["pk"]].add((b["pk"], kind))
                partners[b["pk"]].add((a["pk"], kind))
    result, seen = {}, set()
    for r in rows:
        if r["pk"] in seen or not partners[r["pk"]]:
            continue
        component, todo = set(), [r["pk"]]
        while todo:
            pk = todo.pop()
            if pk not in component:
                component.add(pk)
                todo += [other for other, _kind in partners[pk]]
        seen |= component
        for pk in component:
            result[pk] = (min(component), sorted({str(k) for _o, k in partners[pk]}))
    return result


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_grouping_a_call_gives_the_groups_of_the_definition(seed):
    rng = random.Random(seed)
    texts = _texts(rng)
    rows = [_random_row(rng, pk, texts) for pk in range(1, 61)]
    assert duplicates.group(rows) == _by_definition(rows)
    rng.shuffle(rows)  # order never matters
    assert duplicates.group(rows) == _by_definition(rows)


def test_a_campaign_of_thousands_costs_about_one_comparison_a_copy(monkeypatch):
    signature = duplicates.signature(CAMPAIGN)
    rows = [
        {
            "pk": pk,
            "number": pk,
            "sha256": f"{pk}",
            "stakeholder_name": f"S{pk}",
            "text_signature": signature,
        }
        for pk in range(1, 3001)
    ]
    calls = []
    real = duplicates.similarity
    monkeypatch.setattr(duplicates, "similarity", lambda a, b: calls.append(1) or real(a, b))
    groups = duplicates.group(rows)
    assert groups == {pk: (1, [DuplicateReason.SIMILAR_TEXT]) for pk in range(1, 3001)}
    assert len(calls) < 2 * len(rows)


def test_keys_name_the_file_the_stakeholder_and_every_band():
    row = _row(1, CAMPAIGN, name="  The Migrants' Forum ")
    keys = duplicates.keys(row)
    assert keys[:2] == [f"f:{row['sha256']}", "n:the migrants forum"]
    assert len(keys) == 2 + duplicates.BANDS
    assert all(len(key) <= duplicates.KEY_LENGTH for key in keys)
    long_name = duplicates.keys({**row, "stakeholder_name": "x " * 400})[1]
    assert long_name.startswith("n#") and len(long_name) <= duplicates.KEY_LENGTH


# The database side: one submission at a time, as the checks and withdrawals do.


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [7, 8])
def test_incremental_groups_equal_the_full_rebuild(open_call, seed):
    from submissions.enums import State
    from submissions.models import Submission
    from submissions.models.duplicate_keys import DuplicateKey
    from submissions.services import grouping
    from tests.factories import SubmissionFactory

    rng = random.Random(seed)
    texts = _texts(rng)
    template = SubmissionFactory(call=open_call)
    grouping.submission_regroup(submission=template)
    live: list[Submission] = []  # (the template stays: copies are made of it)

    def snapshot() -> tuple[dict, set]:
        groups = Submission.objects.filter(call=open_call).values_list(
            "pk", "duplicate_group", "duplicate_reasons"
        )
        keys = set(DuplicateKey.objects.values_list("submission_id", "key"))
        return {pk: (group, reasons) for pk, group, reasons in groups}, keys

    reasons: set[str] = set()
    for step in range(70):
        action = rng.random()
        if action < 0.55 or len(live) < 3:
            row = _random_row(rng, 0, texts)
            submission = Submission.objects.get(pk=template.pk)
            submission.pk, submission.state = None, State.RECEIVED
            submission.number = 1000 + step
            submission.status_token_hash = f"{seed}-{step}"
            submission.duplicate_group, submission.duplicate_reasons = None, []
            for field in ("sha256", "stakeholder_name", "text_signature"):
                setattr(submission, field, row[field])
            submission.save()
            live.append(submission)
        elif action < 0.75:
            submission = live.pop(rng.randrange(len(live)))
            Submission.objects.filter(pk=submission.pk).update(state=State.WITHDRAWN)
        else:  # a new version: another file, text or name
            submission = rng.choice(live)
            row = _random_row(rng, 0, texts)
            field = rng.choice(["sha256", "stakeholder_name", "text_signature"])
            Submission.objects.filter(pk=submission.pk).update(**{field: row[field]})
        grouping.submission_regroup(submission=submission)
        if step % 10 == 9:
            incremental = snapshot()
            grouping.submission_group_duplicates(call=open_call)
            assert snapshot() == incremental, step
            reasons |= {r for _group, rs in incremental[0].values() for r in rs}
    assert reasons == set(DuplicateReason)  # every kind of repeat came up


@pytest.mark.django_db
def test_the_repair_command_rebuilds_groups_and_index(open_call, django_assert_max_num_queries):
    from django.core.management import CommandError, call_command

    from submissions.models import Submission
    from submissions.models.duplicate_keys import DuplicateKey
    from submissions.services import grouping
    from tests.factories import SubmissionFactory

    first = SubmissionFactory(call=open_call, stakeholder_name="Global Alliance")
    second = SubmissionFactory(call=open_call, stakeholder_name="global alliance")
    call_command("regroup_duplicates", "--call", open_call.slug, stdout=None)
    assert (
        list(Submission.objects.order_by("pk").values_list("duplicate_group", "duplicate_reasons"))
        == [(first.number, [DuplicateReason.SAME_STAKEHOLDER])] * 2
    )
    assert DuplicateKey.objects.filter(submission=second, key="n:global alliance").exists()
    # Nothing changed (a redelivered check): the lock, its row and its keys read, no write.
    with django_assert_max_num_queries(5):
        grouping.submission_regroup(submission=second)
    with pytest.raises(CommandError):
        call_command("regroup_duplicates", "--call", "no-such-call")
