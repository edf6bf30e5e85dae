"""Repeated submissions: the pure grouping, the check that groups, and the admin that shows it."""

from __future__ import annotations

import hashlib
import random
import re

import pytest
from django.urls import reverse

from submissions import duplicates, services
from submissions.enums import DuplicateReason, State
from submissions.models import Call, Submission
from tests.documents import make_docx

# A campaign letter of about 340 words, as many senders would copy it.
CAMPAIGN = (
    "We write as members of communities of migrant workers and their families to ask the "
    "Committee to use its sixth General Comment to make the promises of the Global Compact "
    "real for the people who live them. Many of us left home because there was no work that "
    "paid enough to feed a family, and we found work abroad through agencies that charged us "
    "fees we are still paying back. Our passports were kept by employers, our contracts were "
    "changed on arrival, and our wages came late or not at all. When we complained, we were "
    "told that our visas depended on the goodwill of the same employer. We ask the Committee "
    "to say clearly that recruitment fees must never be charged to workers, that identity "
    "documents belong to the person who holds them, and that a worker must be able to change "
    "employer without losing the right to stay. We also ask for firewalls between public "
    "services and immigration enforcement, so that a mother can take a sick child to a clinic, "
    "and a worker can report an injury or a theft of wages, without fear of being detained. "
    "Access to justice means little if the courts are far away, cost money, speak another "
    "language, and close their doors once a visa expires. States should let workers pursue "
    "their claims after they return home and should cooperate with the countries of origin to "
    "enforce judgments. Social protection should follow the worker across borders: "
    "contributions paid in one country must count towards a pension in another. Children "
    "should go to school whatever their status or the status of their parents. Finally, we "
    "ask the Committee to recommend that migrant workers and their organisations take part in "
    "the design and the review of the policies that govern their lives, at home and abroad, "
    "and that States report on the measures they take with numbers that can be checked by "
    "independent bodies. We thank the Committee for this opportunity and we trust that its "
    "General Comment will be read by those who make and apply the law."
)

# Two unrelated inputs of about 300 words each, on the same subject as the campaign.
DOMESTIC_WORK = (
    "Our network of domestic workers' unions in South-East Asia has documented, over the last "
    "five years, more than two thousand cases of women employed in private households who were "
    "excluded from the labour code of the country where they worked. In most of these cases the "
    "exclusion was not an accident of drafting but a deliberate choice: domestic work was "
    "considered a private arrangement between a family and a helper, outside the reach of labour "
    "inspectors. The consequences are well known. Working days of sixteen hours, no weekly day "
    "of rest, confiscated telephones, food that is rationed, and in the worst cases physical and "
    "sexual violence that goes unreported because the worker lives in the house of the person "
    "who abuses her. We therefore recommend that the General Comment state, without ambiguity, "
    "that Article 25 of the Convention applies in full to domestic workers, including the "
    "provisions on hours of work, rest, overtime, safety and health. Labour inspection must be "
    "allowed to reach private households, with safeguards for privacy, and complaints must be "
    "possible through channels that do not depend on the employer, such as hotlines run by "
    "trade unions or consular offices open at weekends. Live-in arrangements should never be a "
    "condition of the visa. Where standard employment contracts exist, they should be "
    "translated into the worker's language, signed before departure, and enforceable in the "
    "country of employment without further formality. We also draw the attention of the "
    "Committee to the ratification record of ILO Convention No. 189, which remains low in "
    "destination countries, and we suggest that States parties be encouraged to report on the "
    "steps they have taken towards ratification and on the number of domestic workers who are "
    "covered by social security. Our annex lists twelve cases, anonymised with the consent of "
    "the workers concerned, which illustrate each of these points in detail."
)
CLIMATE = (
    "This submission is made by a consortium of university research centres that study human "
    "mobility in the context of climate change, disasters and environmental degradation. Our "
    "field surveys in coastal Bangladesh, the Sahel and several Pacific island states show that "
    "people who move after a flood, a drought or the slow loss of farmland rarely cross a "
    "border as refugees; they move as labour migrants, often seasonally, and often through "
    "irregular channels because regular ones are scarce. The Global Compact recognises this in "
    "its second objective, yet most national migration laws do not. Three findings seem "
    "relevant to the Committee. First, remittances sent by these workers are the main source "
    "of recovery funding for affected households, far larger than international adaptation "
    "finance, but transfer costs remain above the target of three per cent. Second, workers "
    "displaced by environmental change are overrepresented in sectors with high exposure to "
    "heat, such as construction and agriculture, where occupational safety rules seldom "
    "address extreme temperatures. Third, data on these movements are fragmented: statistical "
    "offices record nationality and occupation but not the reason for leaving, so policy is "
    "made without evidence. We recommend that the General Comment invite States to create "
    "humanitarian and labour mobility pathways for people affected by disasters, to set heat "
    "stress limits that protect outdoor workers regardless of their status, and to cooperate "
    "on disaggregated data collection that respects the principles of data protection. We "
    "would also welcome guidance on how the Convention's provisions on the transfer of "
    "earnings and savings can be read together with the commitments on remittances in the "
    "Compact. Our full survey results, including the questionnaires and the anonymised "
    "responses, are available to the Committee on request, and our researchers would be glad "
    "to present them at the day of general discussion."
)

# Three senders of the campaign: each writes their own greeting and changes a word or two.
SENDERS = [
    ("Amina Yusuf", "Dear members of the Committee,", {}),
    ("Rogelio Santos", "To the distinguished Committee,", {"sick child": "sick daughter"}),
    (
        "Nguyen Thi Lan",
        "Honourable Committee members,",
        {"far away": "very far", "Finally": "Lastly"},
    ),
]


def _edited(text: str, edits: dict[str, str]) -> str:
    for old, new in edits.items():
        assert old in text  # an edit that changes nothing would prove nothing
        text = text.replace(old, new)
    return text


def _letter(name: str, greeting: str, edits: dict[str, str]) -> list[str]:
    """The paragraphs of one sender's copy of the campaign letter."""
    return [greeting, _edited(CAMPAIGN, edits), "With respect,", name]


def _row(pk: int, text: str, name: str | None = None) -> dict:
    """What `submission_group_duplicates` reads of a submission, built in memory."""
    return {
        "pk": pk,
        "number": pk,
        "sha256": hashlib.sha256(text.encode()).hexdigest(),
        "stakeholder_name": name or f"Sender {pk}",
        "text_signature": duplicates.signature(text),
    }


# The pure module.


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
    original = "\n".join(_letter(*SENDERS[0]))
    edited = "\n".join(_letter(*SENDERS[2]))
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
        _row(3, "\n".join(_letter(*SENDERS[1])), name="Rogelio Santos"),
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
    edited = duplicates.signature(_edited(CAMPAIGN, edits))
    assert duplicates.similarity(original, edited) >= duplicates.THRESHOLD
    rows = [
        {"pk": 1, "number": 1, "sha256": "a", "stakeholder_name": "A", "text_signature": original},
        {"pk": 2, "number": 2, "sha256": "b", "stakeholder_name": "B", "text_signature": edited},
    ]
    assert duplicates.group(rows) == {
        1: (1, [DuplicateReason.SIMILAR_TEXT]),
        2: (1, [DuplicateReason.SIMILAR_TEXT]),
    }


# Through the check, on real submissions.


def _checked(make_submission, call: Call, data: bytes, name: str) -> Submission:
    submission = make_submission(call, data, name=name)
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    return submission


def _groups(*submissions: Submission) -> list[tuple[int | None, list[str]]]:
    for submission in submissions:
        submission.refresh_from_db()
    return [(s.duplicate_group, s.duplicate_reasons) for s in submissions]


def test_the_same_file_twice_is_one_group(open_call, make_submission):
    data = make_docx("Submitted by the Global Alliance and the Migrant Forum", "Our joint input.")
    first = _checked(make_submission, open_call, data, "Global Alliance")
    second = _checked(make_submission, open_call, data, "Migrant Forum")
    assert _groups(first, second) == [
        (first.number, [DuplicateReason.SAME_FILE]),
        (first.number, [DuplicateReason.SAME_FILE]),
    ]


def test_the_same_stakeholder_twice_is_one_group(open_call, make_submission):
    first = _checked(
        make_submission,
        open_call,
        make_docx("Global Alliance", "First thoughts."),
        "Global Alliance",
    )
    second = _checked(
        make_submission,
        open_call,
        make_docx("Global Alliance", "Second thoughts, at more length."),
        "  global   ALLIANCE ",
    )
    assert first.sha256 != second.sha256
    assert _groups(first, second) == [
        (first.number, [DuplicateReason.SAME_STAKEHOLDER]),
        (first.number, [DuplicateReason.SAME_STAKEHOLDER]),
    ]


@pytest.fixture
def campaign(open_call, make_submission) -> tuple[list[Submission], Submission]:
    """Three senders of the campaign letter, after one unrelated submission; all checked."""
    unrelated = _checked(
        make_submission,
        open_call,
        make_docx("Domestic Workers Network", DOMESTIC_WORK),
        "Domestic Workers Network",
    )
    letters = [
        _checked(make_submission, open_call, make_docx(*_letter(name, greeting, edits)), name)
        for name, greeting, edits in SENDERS
    ]
    return letters, unrelated


def test_a_campaign_is_one_group_numbered_by_its_first_letter(campaign):
    letters, unrelated = campaign
    first = min(s.number for s in letters)
    assert first != unrelated.number
    assert _groups(*letters) == [(first, [DuplicateReason.SIMILAR_TEXT])] * 3
    assert _groups(unrelated) == [(None, [])]


@pytest.mark.parametrize("regroup", ["a later check", "grouping again"])
def test_a_withdrawn_submission_leaves_its_group(campaign, open_call, make_submission, regroup):
    letters, _unrelated = campaign
    withdrawn, *others = letters
    services.submission_withdraw(submission=withdrawn)
    if regroup == "a later check":
        _checked(make_submission, open_call, make_docx("Late Network", "Short input."), "Late")
    else:
        services.submission_group_duplicates(call=open_call)
    assert _groups(withdrawn) == [(None, [])]
    assert withdrawn.state == State.WITHDRAWN
    # The group is now numbered by the first letter still in it.
    second = min(s.number for s in others)
    assert _groups(*others) == [(second, [DuplicateReason.SIMILAR_TEXT])] * 2


# The admin.


@pytest.fixture
def staff_client(client, staff_user, verified_login):
    return verified_login(client, staff_user)


def test_the_similar_text_filter_lists_exactly_the_campaign(staff_client, campaign):
    letters, _unrelated = campaign
    response = staff_client.get(
        reverse("admin:submissions_submission_changelist"),
        {"queue": "all", "duplicates": DuplicateReason.SIMILAR_TEXT},
    )
    assert response.status_code == 200
    listed = set(re.findall(r"OPEN-\d{4}", response.text))
    assert listed == {s.tracking_number for s in letters}


def test_a_campaign_letters_page_links_to_the_others(staff_client, campaign):
    (shown, *others), unrelated = campaign
    page = staff_client.get(reverse("admin:submissions_submission_change", args=[shown.pk])).text
    for other in others:
        assert reverse("admin:submissions_submission_change", args=[other.pk]) in page
        assert other.tracking_number in page
    assert reverse("admin:submissions_submission_change", args=[unrelated.pk]) not in page
