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
