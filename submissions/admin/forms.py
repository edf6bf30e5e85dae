"""The admin's own forms: a decision's reason, a note, a call's e-mail wording."""

from __future__ import annotations

import uuid
from string import Template

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy, ngettext

from submissions.models import EmailTemplate, InternalNote
from submissions.notifications import PLACEHOLDERS, unknown_placeholders


class DecisionForm(forms.Form):
    """What a decision in the admin asks for: a reason, required or not, or nothing."""

    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    # One per form shown: sent twice, the decision is taken once (see DecisionToken).
    once = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    confirmed = forms.BooleanField(required=False)

    def __init__(self, *args, decision, confirm: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["once"].initial = uuid.uuid4().hex
        if confirm:  # this submission needs the person to confirm what they have seen
            self.fields["confirmed"].label = decision.confirm_label
            self.fields["confirmed"].required = True
        else:
            self.fields["confirmed"].widget = forms.HiddenInput()
        field = self.fields["reason"]
        field.label = decision.reason_label or ""
        field.required = decision.reason_label is not None and not decision.reason_optional
        if decision.reason_label is None:
            field.widget = forms.HiddenInput()


class NoteForm(forms.ModelForm):
    """A new internal note: a table cell has no label of its own, so the box names itself."""

    class Meta:
        model = InternalNote
        fields = ("text",)
        widgets = {
            "text": forms.Textarea(
                attrs={"rows": 2, "cols": 80, "aria-label": gettext_lazy("New internal note")}
            )
        }


class EmailTemplateForm(forms.ModelForm):
    """A call's e-mail wording; a placeholder nothing fills is refused, not sent as is."""

    class Meta:
        model = EmailTemplate
        fields = ("call", "kind", "language", "subject", "body")
        widgets = {"body": forms.Textarea(attrs={"rows": 16, "cols": 90})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = format_html(
            "{}<ul>{}</ul>",
            gettext_lazy("Placeholders, filled in when the e-mail is sent:"),
            format_html_join("", "<li><code>${}</code>: {}</li>", PLACEHOLDERS.items()),
        )

    def clean(self) -> dict:
        data = super().clean() or {}
        for name in ("subject", "body"):
            unknown = unknown_placeholders(data.get(name) or "")
            if unknown:
                self.add_error(
                    name,
                    ngettext(
                        "Unknown placeholder: %(names)s",
                        "Unknown placeholders: %(names)s",
                        len(unknown),
                    )
                    % {"names": ", ".join(f"${n}" for n in unknown)},
                )
        # Every e-mail tells the submitter where their private link is: their only way
        # back to their submission (a new one is made for each e-mail).
        body = data.get("body") or ""
        if body and "status_url" not in Template(body).get_identifiers():
            self.add_error(
                "body",
                gettext_lazy(
                    "Keep $status_url in the text: it is the submitter's private link, "
                    "their only way back to their submission."
                ),
            )
        return data
