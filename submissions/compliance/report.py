"""What a check says about a file: findings with stable codes, and the figures."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from submissions.compliance.embedded import EmbeddedItem


class Severity(StrEnum):
    ERROR = "error"  # the file does not meet the call's rules as it stands
    WARNING = "warning"  # a person at the Secretariat should look
    INFO = "info"  # worth knowing; needs nothing


@dataclass(frozen=True)
class Finding:
    """One observation. `code` is API: tests, the admin and translations rely on it."""

    code: str  # a FindingCode; read back from storage, its plain string (equal to it)
    severity: Severity
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "severity": str(self.severity), "params": self.params}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(
            code=data["code"], severity=Severity(data["severity"]), params=data.get("params", {})
        )


@dataclass(frozen=True)
class Report:
    """The outcome of checking one file against one call's rules."""

    readable: bool
    word_count: int | None
    word_count_main: int | None
    word_count_with_notes: int | None
    word_limit: int
    name_on_first_page: bool | None
    first_page_method: str | None
    received_on_time: bool
    findings: tuple[Finding, ...]
    text: str = ""
    first_page_text: str = ""
    language: str | None = None  # detected, ISO 639-1
    embedded: tuple[EmbeddedItem, ...] = ()  # charts, workbooks, files... (none is public)

    @property
    def ok(self) -> bool:
        """True when nothing needs a person: no error and no warning."""
        return not any(f.severity in (Severity.ERROR, Severity.WARNING) for f in self.findings)

    @property
    def has_errors(self) -> bool:
        return any(f.severity == Severity.ERROR for f in self.findings)

    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["findings"] = [f.to_dict() for f in self.findings]
        data["ok"] = self.ok
        return data
