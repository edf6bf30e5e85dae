"""The call's mailbox, end to end: messages APPENDed to a real Dovecot, read over
STARTTLS by the reader, made into submissions or replies, once, and moved aside."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP
from email.utils import make_msgid

import pytest
from django.core import mail

from submissions import services
from submissions.enums import Channel, MailOutcome, State
from submissions.mailbox.reader import read_all
from submissions.models import EmailLog, MailMessage, Submission
from submissions.services.mail_intake import mail_receive
from tests.clamd import EICAR, EICAR_SIGNATURE, docx_embedding
from tests.documents import make_docx

pytestmark = [pytest.mark.django_db, pytest.mark.integration, pytest.mark.xdist_group("dovecot")]

OWN = "ohchr-cmw@example.org"
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY = (
    "Dear Secretariat,\n\nPlease find attached our submission for the general comment.\n\n"
    "Best regards,\nAna Pereira\nMigrant Workers' Rights Network\n"
)


def message(
    *,
    body: str = BODY,
    files: tuple[tuple[str, bytes], ...] = (("Our submission.docx", b""),),
    headers: dict[str, str] | None = None,
    sender: str = "Ana Pereira <ana@network.example.org>",
    subject: str = "Submission GC6",
) -> bytes:
    out = EmailMessage()
    out["From"] = sender
    out["To"] = OWN
    out["Subject"] = subject
    out["Message-ID"] = make_msgid(domain="network.example.org")
    for name, value in (headers or {}).items():
        out[name] = value
    out.set_content(body)
    for name, data in files:
        content = data or make_docx("Migrant Workers' Rights Network", "Our input on the draft.")
        out.add_attachment(
            content, maintype="application", subtype=WORD.split("/")[1], filename=name
        )
    return out.as_bytes(policy=SMTP)


@pytest.fixture
def reading(settings, mailbox_settings, open_call):
    """The reader pointed at the test Dovecot's INBOX for `open_call`."""
    settings.GC6_MAIL_CALLS = f"{open_call.slug}:INBOX"
    settings.GC6_MAIL_ADDRESS = OWN
    settings.GC6_IMAP_HOST = mailbox_settings.host
    return lambda: read_all(mailbox_settings)


def test_a_word_file_e_mailed_becomes_a_checked_submission_with_an_automatic_reply(
    reading, dovecot, open_call
):
    raw = message()
    dovecot.append(raw)
    done = reading()
    assert (done.read, done.new, done.moved) == (1, 1, 1)
    submission = Submission.objects.get(call=open_call)
    assert submission.channel == Channel.EMAIL
    assert submission.contact_email == "ana@network.example.org"
    assert submission.stakeholder_name == "Migrant Workers' Rights Network"  # a proposal
    assert set(submission.to_complete) >= {"stakeholder_name", "category", "country"}
    assert submission.original_filename == "Our submission.docx"
    # The receipt is the automatic reply: threaded under the message, marked automatic.
    (reply,) = mail.outbox
    assert reply.to == ["ana@network.example.org"]
    assert submission.tracking_number in reply.body and "/status/" in reply.body
    assert reply.extra_headers["Auto-Submitted"] == "auto-replied"
    row = MailMessage.objects.get()
    assert reply.extra_headers["In-Reply-To"] == f"<{row.message_id}>"
    # Moved, never deleted; the check ran on it like on any upload.
    assert dovecot.messages("INBOX") == [] and len(dovecot.messages("Processed")) == 1
    assert row.moved_at is not None and row.outcome == MailOutcome.SUBMITTED
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.state in State.NEEDS_A_PERSON | {State.ACCEPTED}


def test_the_same_message_read_twice_or_after_a_crash_changes_nothing(reading, dovecot, open_call):
    raw = message()
    # A crash after the record and before the move: the message is still in the folder.
    mail_receive(call=open_call, raw=raw)
    dovecot.append(raw)
    dovecot.append(raw)  # and delivered twice
    done = reading()
    assert (done.read, done.new, done.moved) == (2, 0, 2)
    assert Submission.objects.count() == 1 and len(mail.outbox) == 1
    assert reading().read == 0  # nothing left to read


def test_a_message_without_a_word_file_gets_a_polite_reply_and_is_kept(reading, dovecot, open_call):
    dovecot.append(message(files=(), body="Hello, where do I send my PDF?\n"))
    reading()
    assert not Submission.objects.exists()
    (reply,) = mail.outbox
    assert (
        "Word file (.docx)" in reply.body
        and reply.extra_headers["Auto-Submitted"] == "auto-replied"
    )
    assert MailMessage.objects.get().outcome == MailOutcome.NO_WORD_FILE
    assert len(dovecot.messages("Processed")) == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"List-Id": "<migration.lists.example.org>"},
        {"X-Loop": OWN},
    ],
)
def test_lists_autoresponders_and_loops_get_no_reply(reading, dovecot, headers):
    dovecot.append(message(files=(), headers=headers))
    reading()
    assert mail.outbox == []
    row = MailMessage.objects.get()
    assert row.outcome == MailOutcome.AUTOMATIC and row.automatic
    assert len(dovecot.messages("Processed")) == 1


def test_a_robot_that_answers_every_reply_gets_a_few_only(reading, dovecot, settings):
    settings.GC6_MAIL_REPLIES_PER_DAY = 2
    for _ in range(4):
        dovecot.append(message(files=(), body="Out of office: I am away.\n", subject="Away"))
    reading()
    assert len(mail.outbox) == 2
    assert EmailLog.objects.filter(to="ana@network.example.org").count() == 2


def test_a_message_too_large_to_read_is_answered_from_its_headers(reading, dovecot, settings):
    settings.GC6_MAIL_MAX_BYTES = 20_000
    dovecot.append(message(files=(("big.docx", b"x" * 40_000),)))
    reading()
    assert not Submission.objects.exists()
    (reply,) = mail.outbox
    assert reply.to == ["ana@network.example.org"] and "larger than we can read" in reply.body
    assert MailMessage.objects.get().outcome == MailOutcome.TOO_LARGE
    assert reading().read == 0 and len(dovecot.messages("Processed")) == 1


def test_the_eicar_test_file_by_e_mail_is_quarantined_and_never_posted(reading, dovecot, open_call):
    infected = docx_embedding("notes.txt", EICAR, "Migrant Workers' Rights Network", "Input.")
    dovecot.append(message(files=(("input.docx", infected),)))
    reading()
    submission = Submission.objects.get()
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.state == State.QUARANTINED
    assert submission.finding_objects()[0].params["signature"] == EICAR_SIGNATURE


def test_thirty_word_files_make_no_submission_and_the_sender_is_asked_to_split_them(
    settings, open_call
):
    settings.GC6_MAIL_ADDRESS = OWN
    files = tuple((f"part {n}.docx", make_docx(f"Part {n} of our input.")) for n in range(30))
    mail_receive(call=open_call, raw=message(files=files))
    assert not Submission.objects.exists()
    (reply,) = mail.outbox
    assert "at most 5" in reply.body
    assert MailMessage.objects.get().outcome == MailOutcome.TOO_MANY_FILES


def test_a_word_file_zipped_or_forwarded_becomes_a_submission_and_a_bodiless_one_too(
    settings, open_call
):
    from tests.mailbox.messages import forwarded, zipped

    settings.GC6_MAIL_ADDRESS = OWN
    word = make_docx("Migrant Workers' Rights Network", "Zipped.")
    archive = message(files=())
    out = EmailMessage()
    out["From"], out["To"], out["Subject"] = "ana@network.example.org", OWN, "zip"
    out["Message-ID"] = make_msgid()
    out.add_attachment(
        zipped({"input.docx": word}), maintype="application", subtype="zip", filename="input.zip"
    )
    mail_receive(call=open_call, raw=out.as_bytes(policy=SMTP))  # no body at all
    mail_receive(call=open_call, raw=forwarded(message()))
    mail_receive(call=open_call, raw=archive)  # and one without the file: a reply
    assert Submission.objects.count() == 2
    assert sorted(Submission.objects.values_list("original_filename", flat=True)) == [
        "Our submission.docx",
        "input.docx",
    ]
    assert MailMessage.objects.count() == 3


def test_comments_e_mailed_on_a_call_for_comments_are_read_from_the_file(settings):
    from tests.second_round import comments_call

    settings.GC6_MAIL_ADDRESS = OWN
    call = comments_call(languages=("en",))
    own = make_docx(
        "Comments of the Migrant Workers' Rights Network",
        "Paragraph 3: the scope should name domestic workers.",
        "Para. 5: firewalls must cover health care.",
    )
    mail_receive(call=call, raw=message(files=(("comments.docx", own),)))
    submission = Submission.objects.get(call=call)
    # The first line only names the sender (the message's signature): no comment.
    assert submission.stakeholder_name == "Migrant Workers' Rights Network"
    assert list(submission.comments.values_list("paragraph", "language")) == [
        ("3", "en"),
        ("5", "en"),
    ]
