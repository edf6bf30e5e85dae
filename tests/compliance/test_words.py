import pytest

from submissions.compliance.words import count_words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("one two  three", 3),
        ("tab\tseparated\twords", 3),
        ("state-of-the-art follow-up", 2),
        ("non\u2011breaking hyphen", 2),
        ("migrants\u2014including children\u2014were", 4),
        ("10\u201311 May", 3),
        ("spaced \u2013 dash", 2),
        ("symbols & + = alone", 5),
        ("e-mail cmw@ohchr.org and https://www.ohchr.org/en", 4),
        ("移徙工人", 4),
        ("中文段落：移徙", 7),
        ("《公约》与", 5),
        ("rights--and duties", 3),
        ("a---b", 2),
        ("Article 33(1) of the Convention", 5),
    ],
)
def test_count_words_follows_libreoffice_rules(text, expected):
    assert count_words(text) == expected


def test_count_words_counts_lines_separately():
    assert count_words("first line\nsecond line") == 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Each case was counted by LibreOffice 7.4 (a document with the text, Chinese
        # language set on the run): its Tools > Word Count.
        ("[日期]", 4),
        ("目的地：[您要去哪儿？]", 12),
        ("(GPS)天", 2),
        ("a-b天", 3),
        ("1.2天", 3),
        ("天,a", 2),
        ("天...", 2),
        ("个人履历 ok", 5),
        # A symbol font's character (Word's w:sym): a word of its own, splitting the rest.
        ("Symbol\uf03a", 2),
        ("symbols such as \uf028, \uf021, \uf021, or again \uf028.", 13),
        ("a\uf028b", 3),
    ],
)
def test_count_words_counts_cjk_and_symbols_as_libreoffice(text, expected):
    assert count_words(text) == expected
