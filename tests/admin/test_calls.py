"""Calls in the admin: the wording of their e-mails, and late access codes."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from submissions.models import EmailTemplate, LateAccessCode


def test_the_wording_form_starts_from_the_default_and_refuses_unknown_placeholders(
    client, staff_user, verified_login, open_call
):
    verified_login(client, staff_user)
    add = reverse("admin:submissions_emailtemplate_add")
    page = client.get(add, {"call": open_call.pk, "kind": "posted", "language": "fr"})
    assert "$tracking_number" in page.text
    assert "est maintenant publiée" in page.text or "publiée" in page.text

    response = client.post(
        add,
        {
            "call": open_call.pk,
            "kind": "posted",
            "language": "fr",
            "subject": "Publiée : $tracking_number",
            "body": "Bonjour $contact, voir $posted_url",
        },
    )
    assert response.status_code == 200
    assert "$contact" in response.text and not EmailTemplate.objects.exists()

    change = client.get(reverse("admin:submissions_call_change", args=[open_call.pk]))
    assert "kind=posted&amp;language=fr" in change.text


def test_codes_are_made_in_the_admin_with_who_made_them(
    client, staff_user, open_call, verified_login
):
    verified_login(client, staff_user)
    valid_until = (timezone.now() + timedelta(days=5)).strftime("%Y-%m-%d")
    response = client.post(
        reverse("admin:submissions_lateaccesscode_add"),
        {
            "call": open_call.pk,
            "stakeholder_name": "Late NGO",
            "valid_until_0": valid_until,
            "valid_until_1": "12:00:00",
        },
    )
    assert response.status_code == 302
    code = LateAccessCode.objects.get()
    assert code.created_by == staff_user
    assert len(code.code) >= 12


def test_the_wording_must_keep_the_private_link(client, staff_user, verified_login, open_call):
    verified_login(client, staff_user)
    add = reverse("admin:submissions_emailtemplate_add")
    form = {
        "call": open_call.pk,
        "kind": "rejected",
        "language": "en",
        "subject": "About $tracking_number",
        "body": "Dear $contact_name, we could not accept it: $reason",
    }
    refused = client.post(add, form)
    assert refused.status_code == 200 and "Keep $status_url in the text" in refused.text
    assert not EmailTemplate.objects.exists()
    kept = client.post(add, {**form, "body": form["body"] + "\nYour page: $status_url"})
    assert kept.status_code == 302
    assert EmailTemplate.objects.get().kind == "rejected"
