"""An e-mailed submission's missing details are completed on its admin page; the rest,
and every web submission's details, stay read-only."""

from __future__ import annotations

import re

import pytest

from submissions.enums import Category, Channel
from submissions.models import MailMessage, Submission
from submissions.services.mail_intake import mail_receive
from tests.mailbox.test_intake import message

pytestmark = pytest.mark.django_db


def _form_data(html: str) -> dict[str, str]:
    """The change form as a browser would send it back unchanged."""
    form = html.split('id="submission_form"', 1)[1].split("</form>", 1)[0]
    data: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if not name or (kind and kind.group(1) in ("submit", "checkbox", "file")):
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = value.group(1) if value else ""
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else ""
    for name, body in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = body.strip()
    return data


def test_the_secretariat_completes_what_an_e_mail_could_not_tell(staff_client, open_call):
    mail_receive(call=open_call, raw=message())
    submission = Submission.objects.get()
    assert submission.channel == Channel.EMAIL and "category" in submission.to_complete
    url = f"/admin/submissions/submission/{submission.pk}/change/"
    page = staff_client.get(url).text
    assert "To complete:" in page and 'name="category"' in page
    assert 'name="contact_email"' not in page  # the sender's address stays as it came
    data = _form_data(page)
    data.update(stakeholder_name="Migrant Workers Rights Network", category=Category.CIVIL_SOCIETY)
    data["country"] = "PT"
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    submission.refresh_from_db()
    assert submission.to_complete == []
    assert (submission.stakeholder_name, submission.category, submission.country.code) == (
        "Migrant Workers Rights Network",
        Category.CIVIL_SOCIETY,
        "PT",
    )
    page = staff_client.get(url).text
    assert 'name="category"' not in page and "To complete:" not in page
    listing = staff_client.get("/admin/submissions/mailmessage/").text
    assert MailMessage.objects.get().subject in listing


def test_a_web_submission_s_details_stay_read_only(staff_client, make_submission, open_call):
    submission = make_submission(open_call)
    page = staff_client.get(f"/admin/submissions/submission/{submission.pk}/change/").text
    assert 'name="stakeholder_name"' not in page and 'name="category"' not in page
