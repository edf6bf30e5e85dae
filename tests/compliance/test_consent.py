import pytest

from submissions.compliance.consent import find_objection


@pytest.mark.parametrize(
    "text",
    [
        "NOT FOR PUBLICATION",
        "Please do not post this submission on the website.",
        "This document should not be made public.",
        "We do not wish our submission to be published.",
        "Merci de ne pas publier cette contribution.",
        "Ce document ne doit pas être publié.",
        "Non destinée à la publication",
        "Por favor, no publicar este documento.",
        "Este documento no debe ser publicado.",
        "No destinado a la publicación",
    ],
)
def test_explicit_requests_count_anywhere(text):
    objection = find_objection(f"Our input.\n{text}\nMore input.", "Our input.")
    assert objection is not None
    assert objection.on_first_page is False


@pytest.mark.parametrize("word", ["CONFIDENTIAL", "Confidentiel", "Confidencial"])
def test_a_lone_confidential_counts_on_the_first_page(word):
    objection = find_objection(f"{word}\nOur input.", f"{word}\nOur input.")
    assert objection.on_first_page


def test_confidential_in_the_body_is_not_a_request():
    body = "States must keep the confidential data of migrants away from immigration control."
    assert find_objection(f"Our input.\n{body}", "Our input.") is None


@pytest.mark.parametrize(
    "text",
    [
        "The report was published in 2020 and posted online.",
        "Confidentiality of health records is a right.",
        "Les États doivent publier les données.",
        "Se debe publicar la información.",
    ],
)
def test_ordinary_sentences_are_not_requests(text):
    assert find_objection(text, text) is None
