from submissions.compliance import Finding, Severity, render
from submissions.compliance.messages import MESSAGES


def test_every_message_renders_with_its_parameters():
    params = {
        "count": 5120,
        "limit": 5000,
        "excess": 120,
        "other": 4900,
        "counted": "main text",
        "received": "2022-09-13 00:01 CEST",
        "deadline": "2022-09-12 23:59 CEST",
        "name": "Global Alliance",
        "found": "global aliance",
        "phrase": "not for publication",
        "where": "on the first page",
        "declared": "en",
        "detected": "pt",
        "until": "2022-09-20 23:59 CEST",
        "part": "word/document.xml",
        "embedded": [["chart", 2, []], ["file", 1, ["report.pdf"]]],
        "assumed": ["page_setup", "styles"],
        "place": "headers",
        "excerpt": "Submitted by Global Alliance",
        "signature": "Eicar-Test-Signature",
    }
    for code in MESSAGES:
        message = render(Finding(code, Severity.ERROR, params))
        assert "%(" not in message
        assert message[0].isupper()


def test_numbers_are_formatted_by_the_callers_locale():
    finding = Finding(
        "over_word_limit",
        Severity.ERROR,
        {
            "count": 5120,
            "limit": 5000,
            "excess": 120,
            "other": 4900,
            "counted": "all",
        },
    )
    message = render(finding, format_number=lambda n: f"{n:,}".replace(",", "\u202f"))
    assert "5\u202f120 words" in message


def test_unknown_code_renders_as_its_code():
    assert render(Finding("something_new", Severity.INFO)) == "something_new"


def test_embedded_content_and_assumed_defaults_read_as_lists():
    embedded = render(
        Finding(
            "embedded_content",
            Severity.INFO,
            {"embedded": [["chart", 2, []], ["file", 1, ["report.pdf"]]]},
        )
    )
    assert "chart (2), file (1, “report.pdf”)" in embedded
    assumed = render(Finding("defaults_assumed", Severity.INFO, {"assumed": ["page_setup"]}))
    assert "its page size and margins" in assumed


def test_the_other_count_is_told_only_when_it_differs():
    from submissions.compliance import Finding, FindingCode, Severity, render

    params = {"count": 5138, "limit": 5000, "excess": 138, "counted": "main text"}
    same = render(Finding(FindingCode.OVER_WORD_LIMIT, Severity.ERROR, {**params, "other": 5138}))
    other = render(Finding(FindingCode.OVER_WORD_LIMIT, Severity.ERROR, {**params, "other": 6206}))
    assert "Shorten it by 138 words" in same and "other way" not in same
    assert "Counted the other way" in other and "6,206 words" in other
