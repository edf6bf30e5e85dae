import pytest

from submissions.compliance.language import detect_language

TEXTS = {
    "en": "States parties shall ensure that migrant workers and members of their families "
    "have access to justice and effective remedies, whatever their migration status.",
    "fr": "Les États parties veillent à ce que les travailleurs migrants et les membres de "
    "leur famille aient accès à la justice et à des recours effectifs, quel que soit leur statut.",
    "es": "Los Estados partes velarán por que los trabajadores migratorios y sus familiares "
    "tengan acceso a la justicia y a recursos efectivos, cualquiera que sea su situación.",
    "pt": "Os Estados partes devem garantir que os trabalhadores migrantes e os membros das "
    "suas famílias tenham acesso à justiça e a recursos efetivos, qualquer que seja o estatuto.",
    "ar": "تكفل الدول الأطراف حصول العمال المهاجرين وأفراد أسرهم على العدالة وسبل الانتصاف "
    "الفعالة بغض النظر عن وضعهم من حيث الهجرة وذلك في جميع الأحوال والظروف المعنية.",
    "zh": "缔约国应确保所有移徙工人及其家庭成员无论其移民身份如何均能诉诸司法并获得有效补救。",
}


@pytest.mark.parametrize("code", sorted(TEXTS))
def test_detects_the_language_of_a_paragraph(code):
    assert detect_language(TEXTS[code] * 2) == code


def test_too_short_a_text_has_no_language():
    assert detect_language("Global Alliance") is None
