"""Which fields are written per language (django-modeltranslation): a call's own texts."""

from modeltranslation.translator import TranslationOptions, register

from submissions.models import Call


@register(Call)
class CallTranslation(TranslationOptions):
    fields = ("title", "summary", "questions")
    # English is required (the call's own text); French and Spanish may wait.
    required_languages = ("en",)
