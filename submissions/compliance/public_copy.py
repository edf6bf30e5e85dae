"""The file the public downloads: cleaned, and redacted when the name is withheld.

One function, so that posting, its preview and `manage.py publiccopy` make the very
same copy.
"""

from __future__ import annotations

from submissions.compliance.anonymity import redact
from submissions.compliance.cleaning import PublicFields, clean_docx


def public_copy(
    data: bytes,
    *,
    stakeholder: str,
    number: str = "",
    withheld: bool = False,
    contact: tuple[str, ...] = (),
) -> bytes:
    """The public copy of `data`; `number` is the tracking number its title carries.

    Withheld: the properties name no one, and every occurrence of the stakeholder's
    name and of the contact's name and address reads "[name withheld]".
    """
    public = PublicFields(
        title=number if withheld else f"{number} {stakeholder}".strip(),
        author="" if withheld else stakeholder,
    )
    clean = clean_docx(data, public)
    return redact(clean, [stakeholder, *contact]) if withheld else clean
