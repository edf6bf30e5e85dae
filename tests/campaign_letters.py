"""Campaign letters and unrelated inputs, as repeated submissions are written.

Shared by the duplicates' tests: the pure module (tests/test_duplicates.py), the check
that groups (tests/services/test_grouping.py) and the admin that shows the groups.
"""

from __future__ import annotations

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


def with_edits(text: str, edits: dict[str, str]) -> str:
    for old, new in edits.items():
        assert old in text  # an edit that changes nothing would prove nothing
        text = text.replace(old, new)
    return text


def letter(name: str, greeting: str, edits: dict[str, str]) -> list[str]:
    """The paragraphs of one sender's copy of the campaign letter."""
    return [greeting, with_edits(CAMPAIGN, edits), "With respect,", name]
