import pytest

from submissions.compliance.names import find_name, normalize

NAME = "Global Alliance for Migrant Workers' Rights"


@pytest.mark.parametrize(
    "page",
    [
        "Submitted by: Global Alliance for Migrant Workers' Rights",
        "SUBMITTED BY THE GLOBAL ALLIANCE FOR MIGRANT WORKERS\u2019 RIGHTS",
        "Global Alliance for\nMigrant   Workers' Rights, Manila",
    ],
)
def test_find_name_tolerates_case_quotes_and_spacing(page):
    assert find_name(NAME, page).found


def test_find_name_folds_accents():
    assert find_name("Fédération Internationale", "FEDERATION INTERNATIONALE des droits").found


def test_find_name_treats_ampersand_as_and():
    assert find_name("Migrants & Refugees Network", "by the Migrants and Refugees Network").found


def test_find_name_ignores_a_leading_article():
    assert find_name("The Migrant Forum in Asia", "Migrant Forum in Asia (MFA)").found


def test_find_name_without_the_bracketed_acronym():
    assert find_name("Migrant Forum in Asia (MFA)", "Submitted by Migrant Forum in Asia").found


def test_find_name_needs_whole_words():
    assert not find_name("Asia", "Eurasian network").found


def test_find_name_reports_a_near_miss_with_the_closest_text():
    match = find_name(NAME, "Submitted by: Global Aliance for Migrant Worker Rights, 2022")
    assert not match.found
    assert match.ratio >= 0.8
    # Quoted as the document writes it, not as it was compared (case folded).
    assert match.closest == "Global Aliance for Migrant Worker Rights"


def test_a_near_miss_keeps_the_documents_accents_and_case():
    match = find_name(
        "Asociación de Trabajadoras del Hogar", "Por la ASOCIACIÓN de Trabajadora del Hogar."
    )
    assert not match.found
    assert match.closest == "ASOCIACIÓN de Trabajadora del Hogar"


def test_find_name_absent_is_not_a_near_miss():
    match = find_name(NAME, "A submission by the Permanent Mission of Ecuador")
    assert not match.found
    assert match.ratio < 0.8


def test_normalize_folds_everything_it_promises():
    assert normalize("  L\u2019Équipe &  Co.\n") == "l'equipe and co"
