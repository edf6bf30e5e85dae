"""The public's forms: the submission form (who sends what, and the cheap checks on the
file), a new version and a withdrawal. The admin's forms are in `admin/forms.py`."""

from __future__ import annotations

import copy
import os
from collections.abc import MutableMapping
from functools import lru_cache
from typing import Any, BinaryIO, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from crispy_forms.utils import render_crispy_form
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy, override
from django.utils.translation import gettext as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField  # type: ignore[attr-defined]

from submissions import held_uploads
from submissions.compliance import FindingCode
from submissions.compliance.messages import MESSAGES
from submissions.compliance.package import UnreadableDocument, inspect_package
from submissions.config import package_limits
from submissions.enums import Category, Language, Publication
from submissions.findings import error_message
from submissions.models import Call
from submissions.services import SubmitterDetails


def validate_upload(upload: UploadedFile, call: Call) -> UploadedFile:
    """The cheap checks on an uploaded file, with a message that says what to do."""
    return check_word_file(upload, call.extensions())


def check_word_file(upload: UploadedFile, extensions: list[str]) -> UploadedFile:
    """Its size, a safe .docx package, its extension: the checks made before storing it."""
    size = upload.size or 0
    if size > settings.GC6_MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            _("The file is %(size)s; the largest accepted is %(limit)s.")
            % {
                "size": filesizeformat(size),
                "limit": filesizeformat(settings.GC6_MAX_UPLOAD_BYTES),
            }
        )
    try:
        inspect_package(cast(BinaryIO, upload.file), package_limits(), parse_xml=True)
    except UnreadableDocument as problem:
        raise forms.ValidationError(error_message(problem.code, problem.params)) from None
    finally:
        upload.seek(0)
    extension = os.path.splitext(upload.name or "")[1].lower()
    if extension not in extensions:
        raise forms.ValidationError(
            _("The file must be a Word document ending in .docx, not “%(ext)s”.")
            % {"ext": extension or _("no extension")}
        )
    return upload


def _file_field() -> forms.FileField:
    return forms.FileField(
        label=gettext_lazy("Your submission (Word .docx file)"),
        error_messages={"empty": gettext_lazy(MESSAGES[FindingCode.EMPTY_FILE])},
    )


CHOOSE = gettext_lazy("Choose…")


@lru_cache(maxsize=8)
def country_choices(language: str) -> tuple[tuple[str, str], ...]:
    """The country select's choices, named and sorted in `language`: built once per
    language, never copied per form (Form.__init__ deep-copies its fields' choices)."""
    with override(language):
        return (("", "—"), *((str(code), str(name)) for code, name in countries))


class SubmitterForm(forms.Form):
    """Who sends: the details both rounds ask for, and the robots' trap."""

    stakeholder_name = forms.CharField(
        label=gettext_lazy("Name of the organisation, State or person submitting"),
        max_length=300,
        help_text=gettext_lazy(
            "Exactly as it appears on the first page of your document: we check that it does."
        ),
    )
    # No default for the choices: a submitter who does not look is never filed as a State.
    category = forms.ChoiceField(
        label=gettext_lazy("Category"), choices=[("", CHOOSE), *Category.choices]
    )
    # Its ~250 choices are set per form, named in the reader's language (country_choices).
    country = LazyTypedChoiceField(
        label=gettext_lazy("Country"),
        choices=[("", "—")],
        required=False,
        help_text=gettext_lazy("The State, or where your organisation is based."),
    )
    contact_name = forms.CharField(
        label=gettext_lazy("Contact person"),
        max_length=200,
        help_text=gettext_lazy("Never published."),
    )
    contact_email = forms.EmailField(
        label=gettext_lazy("Contact e-mail"),
        help_text=gettext_lazy("Never published. We send the receipt here."),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the submission"),
        choices=[("", CHOOSE), *Language.choices],
    )
    publication = forms.ChoiceField(
        label=gettext_lazy("Publication"),
        choices=Publication.choices,
        widget=forms.RadioSelect,
    )
    late_code = forms.CharField(required=False, widget=forms.HiddenInput, max_length=32)
    # A trap for robots: hidden from people (and screen readers), filled in by bots.
    website = forms.CharField(
        required=False,
        label=gettext_lazy("Leave this field empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country = cast(forms.ChoiceField, self.fields["country"])
        country.choices = country_choices(get_language() or settings.LANGUAGE_CODE)

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Leave this field empty."))
        return ""

    def details(self) -> SubmitterDetails:
        data = self.cleaned_data
        return SubmitterDetails(
            stakeholder_name=" ".join(data["stakeholder_name"].split()),
            category=data["category"],
            country=data["country"] or "",
            contact_name=data["contact_name"].strip(),
            contact_email=data["contact_email"],
            language=data["language"],
            publication=data["publication"],
        )


class SubmissionForm(SubmitterForm):
    file = _file_field()
    # The signed reference to a file kept from an earlier send (see held_uploads).
    held_file = forms.CharField(required=False, widget=forms.HiddenInput)
    field_order = [*list(SubmitterForm.base_fields)[:-2], "file", "held_file", "late_code"]

    def __init__(self, *args, call: Call, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.call = call
        # The file kept from an earlier send, once shown or used (see keep_file).
        self.held: held_uploads.Held | None = None
        self.fields["file"].help_text = _(
            "A Word document (.docx) of at most %(words)s words and %(size)s."
        ) % {
            "words": number_format(call.word_limit, force_grouping=True),
            "size": filesizeformat(settings.GC6_MAX_UPLOAD_BYTES),
        }
        self._file_help = self.fields["file"].help_text
        self.fields["file"].widget.attrs["accept"] = ",".join(call.extensions())
        self.helper = FormHelper()
        # The template writes the <form> tag and its CSRF token, so that the fields of
        # an empty form can be kept rendered (see render_fields).
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            *[name for name in self.fields if name != "website"],
            Div("website", css_class="visually-hidden", aria_hidden="true"),
        )
        self.helper.add_input(Submit("submit", _("Send the submission")))
        if self.is_bound and not self.files.get(self.add_prefix("file")):
            self._use_held_file(self.data.get(self.add_prefix("held_file")) or "")

    def render_fields(self) -> str:
        """The fields and the button as crispy renders them (no <form>, no token)."""
        return render_crispy_form(self, self.helper)

    def _use_held_file(self, reference: str) -> None:
        """Sent again without a file: the one kept from the last send stands in for it."""
        if not reference:
            return
        try:
            upload = held_uploads.take(reference)
        except held_uploads.HeldUploadExpired:
            problem = _(
                "The file you chose earlier was kept for an hour only and is no longer "
                "here. Please choose the file again."
            )
        except held_uploads.HeldUploadError:
            problem = _(
                "We could not use the file you chose earlier. Please choose the file again."
            )
        else:
            self.initial["file"] = upload  # FileField.clean takes it when no file is sent
            self._show_held(held_uploads.describe(reference))
            return
        self.fields["file"].error_messages = {
            **self.fields["file"].error_messages,
            "required": problem,
        }

    def _show_held(self, held: held_uploads.Held) -> None:
        self.held = held
        self.fields["file"].help_text = format_html(
            "<strong>{}</strong> {}",
            _("We kept your file “%(name)s” (%(size)s). Choose another file to replace it.")
            % {"name": held.name, "size": filesizeformat(held.size)},
            self._file_help,
        )
        self._redraw_file()

    def _redraw_file(self) -> None:
        """The file's bound field is made again, with its new help text and initial value."""
        getattr(self, "_bound_fields_cache", {}).pop("file", None)

    def keep_file(self) -> None:
        """After an error elsewhere: hold the file if it passed its checks, for the next send.

        A new file replaces the one held before (valid or not, it is the one chosen
        last); with no new file, the held one stays as it is.
        """
        upload = self.cleaned_data.get("file") if "file" not in self.errors else None
        sent_new = bool(self.files.get(self.add_prefix("file")))
        data = cast(MutableMapping[str, Any], copy.copy(self.data))  # a QueryDict's is mutable
        previous = data.get(self.add_prefix("held_file")) or ""
        if sent_new and previous:
            held_uploads.release(previous)
            data[self.add_prefix("held_file")] = ""
        if sent_new and upload is not None:
            held = held_uploads.hold(upload)
            data[self.add_prefix("held_file")] = held.reference
            self.initial["file"] = upload
            self._show_held(held)
        elif not sent_new and (self.held is None or "file" in self.errors):
            # Refused, or no longer passing the file's checks: not carried any further.
            if self.held is not None:
                held_uploads.release(self.held.reference)
                self.held = None
                self.fields["file"].help_text = self._file_help
                self._redraw_file()
            data[self.add_prefix("held_file")] = ""
        self.data = data

    def release_held_file(self) -> None:
        """The submission is made: the held file (used, or replaced by a new one) goes."""
        reference = self.data.get(self.add_prefix("held_file")) or ""
        if reference:
            held_uploads.release(reference)

    def clean_file(self) -> UploadedFile:
        return validate_upload(self.cleaned_data["file"], self.call)


class NewVersionForm(forms.Form):
    """A new file for a submission, sent through its private link."""

    file = _file_field()

    def __init__(self, *args, call: Call, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["file"].label = gettext_lazy("The new version (Word .docx file)")

    def clean_file(self) -> UploadedFile:
        return validate_upload(self.cleaned_data["file"], self.call)


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("Yes, withdraw my submission. It will not be considered or posted.")
    )
