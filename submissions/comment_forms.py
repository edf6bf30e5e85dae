"""The second round's forms: who comments, what they type on the draft, and the review.

However a stakeholder comments (typing on the page, the portal's Word template, or
their own Word document), the comments end as rows of one review form they confirm.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from submissions.compliance.words import count_words
from submissions.forms import SubmitterForm, validate_upload
from submissions.models import Call
from submissions.services import CommentDetails

# More rows than any real submission has; a hostile form cannot ask for millions.
MAX_COMMENTS = 500


class CommenterForm(SubmitterForm):
    """Who comments: the first round's details (the name is checked where a file has one)."""

    held_file = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, call: Call, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["stakeholder_name"].help_text = _(
            "As it should appear with your comments. If you send a Word file, write it "
            "on its first page too: we check that it is there."
        )


class TypedCommentsForm(forms.Form):
    """A comment and a proposed wording for each numbered paragraph, and general comments."""

    general = forms.CharField(
        label=gettext_lazy("General comments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, paragraphs: Sequence[dict[str, Any]], **kwargs) -> None:
        kwargs.setdefault("prefix", "typed")
        super().__init__(*args, **kwargs)
        self.paragraphs = list(paragraphs)
        self.numbered = [p for p in paragraphs if p.get("number")]
        for index, paragraph in enumerate(self.numbered):
            number = paragraph["number"]
            self.fields[f"c{index}"] = forms.CharField(
                label=_("Your comment on paragraph %(number)s") % {"number": number},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"w{index}"] = forms.CharField(
                label=_("Proposed wording for paragraph %(number)s (optional)")
                % {"number": number},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def rows(self) -> list[tuple[dict[str, Any], forms.BoundField | None, forms.BoundField | None]]:
        """Every paragraph of the draft, the numbered ones with their two fields."""
        fields = {id(p): (self[f"c{i}"], self[f"w{i}"]) for i, p in enumerate(self.numbered)}
        return [(p, *fields.get(id(p), (None, None))) for p in self.paragraphs]

    def comments(self) -> list[CommentDetails]:
        data = self.cleaned_data
        found = []
        if data["general"].strip():
            found.append(CommentDetails(paragraph=None, text=data["general"].strip()))
        for index, paragraph in enumerate(self.numbered):
            text, wording = data[f"c{index}"].strip(), data[f"w{index}"].strip()
            if text or wording:
                found.append(CommentDetails(paragraph["number"], text, wording))
        return found


class CommentFileForm(forms.Form):
    """The portal's template filled in, or the stakeholder's own document of comments."""

    file = forms.FileField(
        label=gettext_lazy("Or send a Word file of comments (.docx)"),
        required=False,
    )

    def __init__(self, *args, call: Call, **kwargs) -> None:
        kwargs.setdefault("prefix", "upload")
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["file"].help_text = _(
            "The template for comments filled in, or your own document in which each "
            "comment says which paragraph it is about (“para. 12”, “párrafo 12”, “§ 12”). "
            "At most %(size)s. You will see what we read before you send it."
        ) % {"size": filesizeformat(settings.GC6_MAX_UPLOAD_BYTES)}
        self.fields["file"].widget.attrs["accept"] = ",".join(call.extensions())

    def clean_file(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("file")
        return validate_upload(upload, self.call) if upload else None


GENERAL = ""


class ReviewRowForm(forms.Form):
    """One comment as it will be sent: its paragraph (or general), text, proposed wording."""

    paragraph = forms.ChoiceField(label=gettext_lazy("Paragraph"), required=False)
    text = forms.CharField(
        label=gettext_lazy("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    proposed_wording = forms.CharField(
        label=gettext_lazy("Proposed wording"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Where the comment was read ("row 4", "para. 12"), shown again after an error.
    source = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args, numbers: Sequence[str], word_limit: int | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.numbers = list(numbers)
        self.word_limit = word_limit
        choices = [(GENERAL, _("General comment")), *((n, n) for n in self.numbers)]
        wanted = str(self["paragraph"].value() or "")
        if wanted and wanted not in self.numbers:
            # A reference to a paragraph the draft lacks: shown, flagged, to be corrected.
            choices.append((wanted, _("%(number)s (not in the draft)") % {"number": wanted}))
        cast(forms.ChoiceField, self.fields["paragraph"]).choices = choices

    @property
    def unknown_paragraph(self) -> str:
        wanted = str(self["paragraph"].value() or "")
        return wanted if wanted and wanted not in self.numbers else ""

    def clean_paragraph(self) -> str:
        number = self.cleaned_data.get("paragraph") or GENERAL
        if number != GENERAL and number not in self.numbers:
            raise forms.ValidationError(
                _(
                    "The draft has no paragraph %(number)s: choose the paragraph you mean, "
                    "or “General comment”, or remove this comment."
                )
                % {"number": number}
            )
        return number

    def _limited(self, field: str) -> str:
        text = self.cleaned_data.get(field, "").strip()
        words = count_words(text)
        if self.word_limit and words > self.word_limit:
            raise forms.ValidationError(
                _("This has %(words)s words; the call takes at most %(limit)s a comment.")
                % {
                    "words": number_format(words, force_grouping=True),
                    "limit": number_format(self.word_limit, force_grouping=True),
                }
            )
        return text

    def clean_text(self) -> str:
        return self._limited("text")

    def clean_proposed_wording(self) -> str:
        return self._limited("proposed_wording")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors or data.get("DELETE"):
            return data
        if not data.get("text") and not data.get("proposed_wording"):
            raise forms.ValidationError(_("Write the comment, or remove it."))
        if data.get("proposed_wording") and not data.get("paragraph"):
            self.add_error(
                "paragraph", _("A proposed wording replaces a paragraph: choose which one.")
            )
        return data

    def comment(self) -> CommentDetails:
        data = self.cleaned_data
        return CommentDetails(
            paragraph=data["paragraph"] or None,
            text=data["text"],
            proposed_wording=data["proposed_wording"],
        )


class BaseReviewFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove this comment")

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        if not self.comments():
            raise forms.ValidationError(_("There is no comment left to send."))

    def comments(self) -> list[CommentDetails]:
        """The confirmed comments, general ones first, then in the draft's order."""
        kept = [form.comment() for form in self.forms if not form.cleaned_data.get("DELETE")]
        order = {n: i for i, n in enumerate(self.forms[0].numbers)} if self.forms else {}
        return sorted(kept, key=lambda c: -1 if c.paragraph is None else order[c.paragraph])


ReviewFormSet = forms.formset_factory(
    ReviewRowForm,
    formset=BaseReviewFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_COMMENTS,
    validate_max=True,
    absolute_max=MAX_COMMENTS,
)


def review_formset(
    data: Any = None, *, call: Call, numbers: Sequence[str], rows: Sequence[dict] = ()
) -> BaseReviewFormSet:
    return cast(
        BaseReviewFormSet,
        ReviewFormSet(
            data,
            initial=list(rows) or None,
            prefix="review",
            form_kwargs={"numbers": numbers, "word_limit": call.comment_word_limit},
        ),
    )
