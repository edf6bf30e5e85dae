"""The call's rules, applied to a file: bytes and parameters in, a report out.

No database, no clock and no Django here, so the rules can be tested alone and
run anywhere (the worker, the `checkdocx` command, a benchmark).
"""

from submissions.compliance.cleaning import PublicFields, clean_docx, public_text
from submissions.compliance.codes import FindingCode
from submissions.compliance.evaluate import (
    DO_NOT_PUBLISH,
    PUBLISH,
    PUBLISH_ANONYMOUS,
    CallRules,
    evaluate,
)
from submissions.compliance.messages import render
from submissions.compliance.report import Finding, Report, Severity

__all__ = [
    "DO_NOT_PUBLISH",
    "PUBLISH",
    "PUBLISH_ANONYMOUS",
    "CallRules",
    "Finding",
    "FindingCode",
    "PublicFields",
    "Report",
    "Severity",
    "clean_docx",
    "evaluate",
    "public_text",
    "render",
]
