"""Reading one message: raw bytes in, who sent it, what it says and its Word files out."""

from __future__ import annotations

import email as email_package
import hashlib
import random
import time
import zipfile

import pytest

from submissions.mailbox.attachments import ZipLimits
from submissions.mailbox.message import (
    FILE_TOO_LARGE,
    FORWARD_TOO_DEEP,
    MESSAGE_TOO_LARGE,
    NO_SENDER,
    TOO_MANY_FILES,
    UNREADABLE_HEADER,
    UNREADABLE_PART,
    ZIP_REFUSED,
    Incoming,
    parse_message,
)
from tests.mailbox import messages
from tests.mailbox.messages import DOCX_TYPE, ENGLISH, FRENCH, OWN, docx, email, zipped

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504


def parse(raw: bytes, **options: object) -> Incoming:
    return parse_message(raw, own_address=OWN, **options)  # type: ignore[arg-type]


def names(incoming: Incoming) -> list[str]:
    return [attachment.filename for attachment in incoming.word_files]


# Who sent it


def test_plain_message_fields():
    incoming = parse(email(body=ENGLISH + "\n\nBest regards,\nJane Doe\nGlobal Alliance"))
    assert incoming.message_id == "20240501.1234@example.org"
    assert incoming.sender == "Jane.Doe@example.org"
    assert incoming.sender_name == "Jane Doe"
    assert incoming.reply_to == "Jane.Doe@example.org"
    assert incoming.subject == "Submission to the call for inputs"
    assert incoming.body.startswith("Dear members of the Committee")
    assert incoming.automatic == ""
    assert incoming.problems == ()


def test_reply_to_is_used_when_valid():
    raw = email(headers={"Reply-To": "Office <Office@Alliance.example.org>"})
    assert parse(raw).reply_to == "Office@alliance.example.org"


@pytest.mark.parametrize("reply_to", ["not an address", "someone@", "<>", "@@", OWN.upper()])
def test_reply_to_falls_back_to_the_sender(reply_to):
    raw = email().replace(b"Subject:", f"Reply-To: {reply_to}\r\nSubject:".encode())
    assert parse(raw).reply_to == "Jane.Doe@example.org"


def test_message_id_missing_is_empty():
    raw = email().replace(b"Message-ID: <20240501.1234@example.org>\r\n", b"")
    assert parse(raw).message_id == ""


@pytest.mark.parametrize("sender", [None, "", "undisclosed-recipients:;", "Jane Doe", "<@@@>"])
def test_no_usable_from_is_no_sender(sender):
    incoming = parse(email(sender=sender))
    assert (incoming.sender, incoming.reply_to) == ("", "")
    assert NO_SENDER in incoming.problems


def test_encoded_display_name_and_subject_are_decoded():
    raw = email(sender="=?utf-8?b?Sm9zw6kgR2FyY8OtYQ==?= <jose@example.org>")
    raw = raw.replace(b"Subject: Submission", b"Subject: =?iso-8859-1?q?Contribuci=F3n?=")
    incoming = parse(raw)
    assert incoming.sender_name == "José García"
    assert incoming.subject.startswith("Contribución")


# The body


def test_quoted_printable_body_is_decoded():
    text = "Résumé of our position — “quoted” " + ENGLISH
    raw = email(body=text, cte="quoted-printable")
    assert b"=E2=80=94" in raw
    assert parse(raw).body == text


def test_base64_body_is_decoded():
    raw = email(body="Привет, комитет. " + ENGLISH, cte="base64")
    assert "Привет".encode() not in raw
    assert parse(raw).body.startswith("Привет, комитет.")


def test_body_in_windows_1252_declared_as_latin_1_keeps_its_quotes():
    raw = (
        b"From: a@example.org\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=iso-8859-1\r\n\r\nWe \x93agree\x94 \x96 caf\xe9\r\n"
    )
    assert parse(raw).body == "We “agree” – café"


def test_body_with_an_unknown_charset_is_read_as_utf8_or_windows_1252():
    raw = b"From: a@example.org\r\nContent-Type: text/plain; charset=x-bogus\r\n\r\ncaf\xc3\xa9"
    assert parse(raw).body == "café"
    raw = raw.replace(b"\xc3\xa9", b"\xe9")
    assert parse(raw).body == "café"


def test_html_only_body_is_converted_to_text():
    html = (
        "<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>"
        "<p>Dear   Committee,</p><div>Our input is attached.<br>Best regards,</div>"
        "<div>Jane Doe</div><div>Global   Alliance</div></body></html>"
    )
    incoming = parse(email(body=None, html=html))
    assert incoming.body == (
        "Dear Committee,\nOur input is attached.\nBest regards,\nJane Doe\nGlobal Alliance"
    )
    assert incoming.signature_name == "Global Alliance"


def test_plain_text_is_preferred_to_html():
    incoming = parse(email(body="The plain text.", html="<p>The HTML text.</p>"))
    assert incoming.body == "The plain text."


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("format=flowed", "A long line that goes on."),
        ("format=flowed; delsp=yes", "A long linethatgoes on."),
    ],
)
def test_format_flowed_lines_are_joined(params, expected):
    raw = (
        b"From: a@example.org\r\nContent-Type: text/plain; charset=utf-8; "
        + params.encode()
        + b"\r\n\r\nA long line \r\nthat \r\ngoes on.\r\n-- \r\nJane\r\n"
    )
    assert parse(raw).body == f"{expected}\n-- \nJane"


@pytest.mark.parametrize(
    "raw",
    [
        b"From: a@example.org\r\nSubject: nothing\r\n",
        email(body=None, attachments=[("a.docx", docx(), DOCX_TYPE)]),
    ],
    ids=["headers only", "only an attachment"],
)
def test_message_without_body(raw):
    incoming = parse(raw)
    assert (incoming.body, incoming.signature_name, incoming.language) == ("", "", "")
    assert incoming.problems == ()


# Mailers' own messages


def test_outlook_message():
    incoming = parse(messages.outlook(docx()))
    assert incoming.sender == "Maria.Lopez@ong-ejemplo.org"
    assert incoming.sender_name == "María López"
    assert incoming.subject == "Contribución para la Observación General nº 6"
    assert "las “mujeres migrantes” – y sus hijos." in incoming.body
    assert names(incoming) == ["Contribución RAM.docx"]
    assert incoming.word_files[0].data == docx()
    assert incoming.signature_name == "Red de Apoyo a Migrantes (RAM)"
    assert incoming.language == "es"


def test_gmail_rfc2231_name_with_accents_and_cjk():
    incoming = parse(messages.gmail(docx()))
    assert names(incoming) == ["Réseau 移民 contribution.docx"]
    assert incoming.message_id == "CAF=abc+123XYZ@mail.gmail.com"
    assert incoming.signature_name == "移民工人网络 Migrant Workers Network"
    assert incoming.language == "en"


def test_thunderbird_forwarded_as_attachment():
    incoming = parse(messages.thunderbird_forward(docx()))
    assert names(incoming) == ["contribution partenaire.docx"]
    assert incoming.word_files[0].via == "forwarded message"
    assert incoming.sender == "pierre@partners.example.net"
    assert incoming.body.startswith(  # its format=flowed lines joined
        "Bonjour, je vous transmets la contribution de notre partenaire, qui n'a pas pu l'envoyer"
    )
    assert "Voici notre contribution" not in incoming.body  # the forwarded text is not ours
    assert incoming.signature_name == "Pierre Martin"


def test_apple_mail_inline_attachment_with_a_decomposed_name():
    incoming = parse(messages.apple_mail_inline(docx()))
    assert names(incoming) == ["Contribution r\u00e9seau.docx"]  # composed (NFC)
    assert incoming.body.startswith("Bonjour,\n\nVoici notre contribution.")
    assert incoming.signature_name == "Association Migrations et Droits"


@pytest.mark.parametrize("charset", ["utf-8", "cp1252"])
def test_undeclared_8bit_name(charset):
    name = "Présentation – réseau.docx"
    assert names(parse(messages.undeclared_8bit(name, charset, docx()))) == [name]


# File names


@pytest.mark.parametrize(
    ("disposition", "expected"),
    [
        ("attachment; filename*=iso-8859-1''r%E9sum%E9.docx", "résumé.docx"),
        ("attachment; filename*=windows-1252''%93draft%94.docx", "“draft”.docx"),
        ("attachment; filename*0*=UTF-8''caf%C3%A9; filename*1=\"_long.docx\"", "café_long.docx"),
        ('attachment; filename="=?iso-8859-1?Q?r=E9sum=E9.docx?="', "résumé.docx"),
        ("attachment; filename==?utf-8?B?5paH5Lu2LmRvY3g=?=", "文件.docx"),
        ("attachment; filename=our submission.docx", "our submission.docx"),
        ('attachment; filename="../../etc/passwd.docx"', "passwd.docx"),
        ('attachment; filename="C:\\Users\\jane\\input.docx"', "input.docx"),
        ('attachment; filename="a\x07b\u202ecod.docx"', "abcod.docx"),
    ],
)
def test_attachment_names_are_decoded_and_made_base_names(disposition, expected):
    raw = (
        b"From: a@example.org\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b"
        b"\r\n\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: "
        + disposition.encode()
        + b"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + messages.b64(docx())
        + b"--b--\r\n"
    )
    assert names(parse(raw)) == [expected]


def test_word_type_without_extension_counts_and_gets_one():
    incoming = parse(email(attachments=[("submission", docx(), DOCX_TYPE)]))
    assert names(incoming) == ["submission.docx"]


def test_word_type_that_is_not_a_zip_is_another_file():
    incoming = parse(email(attachments=[("submission", b"plain words", DOCX_TYPE)]))
    assert (incoming.word_files, incoming.other_files) == ((), ("submission",))


def test_extension_is_matched_in_any_case():
    raw = email(attachments=[("INPUT.DOCX", docx(), "application/octet-stream")])
    assert names(parse(raw)) == ["INPUT.DOCX"]


def test_doc_and_pdf_are_other_files():
    raw = email(
        attachments=[
            ("old format.doc", DOC, "application/msword"),
            ("annex.pdf", PDF, "application/pdf"),
            ("input.docx", docx(), DOCX_TYPE),
        ]
    )
    incoming = parse(raw)
    assert incoming.other_files == ("old format.doc", "annex.pdf")
    assert names(incoming) == ["input.docx"]


def test_pictures_in_the_text_and_signatures_are_not_files():
    raw = email(html='<p>Hi</p><img src="cid:logo">')
    message = messages._parse(raw)
    message.get_body(("html",)).add_related(  # type: ignore[union-attr]
        b"\x89PNG\r\n", maintype="image", subtype="png", cid="<logo>", filename="image001.png"
    )
    message.add_attachment(
        b"0\x82", maintype="application", subtype="pkcs7-signature", filename="smime.p7s"
    )
    raw = bytes(message)
    assert b"image001.png" in raw
    assert b"smime.p7s" in raw
    assert parse(raw).other_files == ()


def test_attached_picture_is_another_file():
    raw = email(attachments=[("photo.jpg", b"\xff\xd8\xff\xe0", "image/jpeg")])
    assert parse(raw).other_files == ("photo.jpg",)


# Archives


def test_docx_inside_a_zip():
    archive = zipped(
        {
            "Submission/Input ES.docx": docx("es"),
            "Submission/annex.pdf": PDF,
            "__MACOSX/Submission/._Input ES.docx": b"\0\5\x16\7",
            "Submission/~$put ES.docx": b"lock",
        }
    )
    incoming = parse(email(attachments=[("files.zip", archive, "application/zip")]))
    assert names(incoming) == ["Input ES.docx"]
    assert incoming.word_files[0].via == "zip:files.zip"
    assert incoming.word_files[0].data == docx("es")
    assert incoming.other_files == ("annex.pdf",)


def test_zip_entry_names_in_utf8_without_the_flag_are_read():
    archive = bytearray(zipped({"réseau.docx": docx()}))
    # Clear the UTF-8 flag (bit 11) that zipfile set, as Windows' and old zippers leave it.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = archive.find(signature)
        archive[at + offset + 1] &= ~0x08
    incoming = parse(email(attachments=[("a.zip", bytes(archive), "application/zip")]))
    assert names(incoming) == ["réseau.docx"]


def _encrypted_zip() -> bytes:
    archive = bytearray(zipped({"secret.docx": docx()}))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = archive.find(signature)
        archive[at + offset] |= 0x01
    return bytes(archive)


@pytest.mark.parametrize(
    "archive",
    [
        zipped({f"file{index}.docx": b"x" for index in range(51)}),
        zipped({"input.docx": docx(), "inner.zip": zipped({"a.docx": docx()})}),
        zipped({"input.docx": docx(), "bomb.txt": b"\0" * (3 * 1024 * 1024)}),
        _encrypted_zip(),
        b"PK\x03\x04 not really a zip",
    ],
    ids=["51 entries", "nested zip", "compression ratio", "encrypted", "damaged"],
)
def test_zip_refused(archive):
    incoming = parse(email(attachments=[("files.zip", archive, "application/zip")]))
    assert incoming.word_files == ()
    assert incoming.problems == (ZIP_REFUSED,)
    assert incoming.refused == (("files.zip", ZIP_REFUSED),)


def test_zip_declaring_too_much_in_total_is_refused():
    archive = zipped({"a.docx": docx(), "b.docx": docx("b")}, compression=zipfile.ZIP_STORED)
    limits = ZipLimits(max_total_bytes=len(docx()) + 10)
    incoming = parse(email(attachments=[("f.zip", archive, "application/zip")]), zip_limits=limits)
    assert incoming.problems == (ZIP_REFUSED,)


def test_zip_entry_over_the_limit_is_not_decompressed():
    archive = zipped({"small.docx": docx(), "large.docx": docx() + b"\0" * 5000})
    incoming = parse(
        email(attachments=[("f.zip", archive, "application/zip")]),
        max_file_bytes=len(docx()) + 100,
    )
    assert names(incoming) == ["small.docx"]
    assert incoming.refused == (("large.docx", FILE_TOO_LARGE),)


# Forwarded messages


def test_forwarded_three_levels_deep_is_read():
    inner = email(attachments=[("deep.docx", docx(), DOCX_TYPE)])
    incoming = parse(messages.forwarded(inner, depth=3))
    assert names(incoming) == ["deep.docx"]
    assert incoming.word_files[0].via == "forwarded message"
    assert incoming.sender == "fwd2@example.org"


def test_forwarded_four_levels_deep_is_not_read():
    inner = email(attachments=[("deep.docx", docx(), DOCX_TYPE)])
    incoming = parse(messages.forwarded(inner, depth=4))
    assert incoming.word_files == ()
    assert incoming.problems == (FORWARD_TOO_DEEP,)


def test_attached_eml_file_is_read_as_a_forwarded_message():
    inner = email(attachments=[("in eml.docx", docx(), DOCX_TYPE)])
    raw = email(attachments=[("message.eml", inner, "application/octet-stream")])
    incoming = parse(raw)
    assert names(incoming) == ["in eml.docx"]
    assert incoming.word_files[0].via == "forwarded message"


def test_base64_encoded_forwarded_message_is_read():
    inner = email(attachments=[("b64.docx", docx(), DOCX_TYPE)])
    raw = (
        b"From: a@example.org\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b"
        b"\r\n\r\n--b\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64"
        b"\r\n\r\n" + messages.b64(inner) + b"--b--\r\n"
    )
    assert names(parse(raw)) == ["b64.docx"]


def test_message_returned_in_a_delivery_report_is_not_read():
    report = messages._parse(
        b"From: MAILER-DAEMON@mx.example.org\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=r\r\n\r\n"
        b"--r\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n--r--\r\n"
    )
    report.attach(messages._parse(email(attachments=[("a.docx", docx(), DOCX_TYPE)])))
    incoming = parse(bytes(report))
    assert incoming.automatic == "bounce"
    assert incoming.word_files == ()


def test_zip_inside_a_forwarded_message():
    inner = email(attachments=[("f.zip", zipped({"z.docx": docx()}), "application/zip")])
    incoming = parse(messages.forwarded(inner))
    assert [(a.filename, a.via) for a in incoming.word_files] == [("z.docx", "zip:f.zip")]


# Limits


def test_thirty_word_files_keep_none():
    copies = messages.docx_copies(30)
    raw = email(attachments=[(f"input {i}.docx", data, DOCX_TYPE) for i, data in enumerate(copies)])
    incoming = parse(raw)
    assert incoming.word_files == ()
    assert incoming.problems == (TOO_MANY_FILES,)
    assert len(incoming.refused) == 30


def test_as_many_word_files_as_allowed_are_all_kept():
    copies = messages.docx_copies(3)
    raw = email(attachments=[(f"in{i}.docx", data, DOCX_TYPE) for i, data in enumerate(copies)])
    incoming = parse(raw, max_files=3)
    assert names(incoming) == ["in0.docx", "in1.docx", "in2.docx"]
    assert incoming.problems == ()


def test_identical_word_files_are_kept_once_and_counted_once():
    same = docx()
    archive = zipped({"copy in zip.docx": same})
    raw = email(
        attachments=[
            ("first.docx", same, DOCX_TYPE),
            ("again.docx", same, DOCX_TYPE),
            ("copies.zip", archive, "application/zip"),
            ("other.docx", docx("other"), DOCX_TYPE),
        ]
    )
    incoming = parse(raw, max_files=2)
    assert names(incoming) == ["first.docx", "other.docx"]
    assert incoming.word_files[0].sha256 == hashlib.sha256(same).hexdigest()


def test_word_file_over_the_limit_is_not_kept():
    raw = email(
        attachments=[("big.docx", docx() + b"\0" * 2000, DOCX_TYPE), ("ok.docx", docx(), DOCX_TYPE)]
    )
    incoming = parse(raw, max_file_bytes=len(docx()) + 1000)
    assert names(incoming) == ["ok.docx"]
    assert incoming.problems == (FILE_TOO_LARGE,)
    assert incoming.refused == (("big.docx", FILE_TOO_LARGE),)


def test_fifty_megabyte_message_is_refused_at_once_with_its_headers_read():
    raw = messages.big_attachment(50 * 1024 * 1024)
    started = time.perf_counter()
    incoming = parse(raw)
    assert time.perf_counter() - started < 0.5
    assert incoming.problems == (MESSAGE_TOO_LARGE,)
    assert (incoming.sender, incoming.message_id) == ("jane@example.org", "big@example.org")
    assert incoming.word_files == ()


def test_large_attachment_is_refused_before_it_is_decoded(monkeypatch):
    decoded = []
    original = email_package.message.Message.get_payload

    def spy(self, i=None, decode=False):
        if decode and self.get_filename():
            decoded.append(self.get_filename())
        return original(self, i, decode)

    monkeypatch.setattr("email.message.Message.get_payload", spy)
    incoming = parse(messages.big_attachment(3 * 1024 * 1024), max_file_bytes=1024 * 1024)
    assert incoming.refused == (("big.docx", FILE_TOO_LARGE),)
    assert decoded == []


def test_broken_base64_is_an_unreadable_part():
    raw = (
        b"From: a@example.org\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b"
        b"\r\n\r\n--b\r\nContent-Type: application/octet-stream\r\n"
        b"Content-Disposition: attachment; filename=a.docx\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nUEsDBAoAAAAAA\r\n--b--\r\n"
    )
    incoming = parse(raw)
    assert incoming.word_files == ()
    assert incoming.refused == (("a.docx", UNREADABLE_PART),)


# No automatic reply


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Auto-Submitted": "auto-replied"}, "auto-submitted"),
        ({"Auto-Submitted": "auto-generated (vacation)"}, "auto-submitted"),
        ({"Precedence": "bulk"}, "bulk"),
        ({"Precedence": "list"}, "bulk"),
        ({"Precedence": "junk"}, "bulk"),
        ({"Precedence": "auto_reply"}, "bulk"),
        ({"List-Id": "<migrants.lists.example.org>"}, "list"),
        ({"List-Unsubscribe": "<mailto:leave@lists.example.org>"}, "list"),
        ({"List-Post": "<mailto:all@lists.example.org>"}, "list"),
        ({"Return-Path": "<>"}, "bounce"),
        ({"X-Autoreply": "yes"}, "auto-reply"),
        ({"X-Autorespond": "Vacation"}, "auto-reply"),
        ({"X-Auto-Response-Suppress": "All"}, "auto-reply"),
        ({"X-Auto-Response-Suppress": "DR, RN, NRN, OOF, AutoReply"}, "auto-reply"),
        ({"X-Loop": f"GC6 <{OWN.upper()}>"}, "loop"),
    ],
)
def test_automatic_reason_from_headers(headers, reason):
    assert parse(email(headers=headers)).automatic == reason


@pytest.mark.parametrize(
    ("headers", "sender"),
    [
        ({"Auto-Submitted": "no"}, "Jane <jane@example.org>"),
        ({"X-Auto-Response-Suppress": "DR, RN"}, "Jane <jane@example.org>"),
        ({"Precedence": "first-class"}, "Jane <jane@example.org>"),
        ({"X-Loop": "other@example.org"}, "Jane <jane@example.org>"),
        ({"Return-Path": "<jane@example.org>"}, "Jane <jane@example.org>"),
    ],
)
def test_a_person_message_is_not_automatic(headers, sender):
    assert parse(email(headers=headers, sender=sender)).automatic == ""


@pytest.mark.parametrize(
    "subject",
    [
        "Auto: Submission to the call",
        "Automatic reply: Submission",
        "Réponse automatique : Soumission",
        "Respuesta automática: Contribución",
        "Out of Office: back on Monday",
        "RESPUESTA AUTOMATICA: fuera",
    ],
)
def test_autoreply_subjects(subject):
    assert parse(email(subject=subject)).automatic == "auto-reply"


@pytest.mark.parametrize(
    "sender",
    ["MAILER-DAEMON@mx.example.org", "Mail Delivery System <postmaster@example.org>"],
)
def test_bounce_senders(sender):
    assert parse(email(sender=sender)).automatic == "bounce"


def test_delivery_report_is_a_bounce():
    raw = (
        b"From: Jane <jane@example.org>\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=r\r\n\r\n"
        b"--r\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
        b"--r\r\nContent-Type: message/delivery-status\r\n\r\nStatus: 5.1.1\r\n--r--\r\n"
    )
    incoming = parse(raw)
    assert incoming.automatic == "bounce"
    assert incoming.other_files == ()


def test_message_from_our_own_address_is_a_loop():
    incoming = parse(email(sender=f"GC6 <{OWN}>"))
    assert incoming.automatic == "loop"
    assert incoming.reply_to == ""


# The stakeholder's name and the language


@pytest.mark.parametrize(
    ("closing", "expected"),
    [
        (
            "Best regards,\nJane Doe\nProgramme Officer\nGlobal Alliance for Migrants",
            "Global Alliance for Migrants",
        ),
        ("Kind regards,\nJane Doe\n+41 22 917 90 00\njane@alliance.org", "Jane Doe"),
        ("Cordialement,\nPierre Martin | Réseau Migrants France", "Réseau Migrants France"),
        ("Atentamente,\n\nAna Ruiz\nFundación Caminos", "Fundación Caminos"),
        ("Saludos, Ana Ruiz", "Ana Ruiz"),
        (
            "Thanks\n-- \nJohn Smith\nMigrant Rights Watch\nhttps://mrw.example.org",
            "Migrant Rights Watch",
        ),
        ("-- \nKarin Berg\nTel: +46 8 123 456", "Karin Berg"),
        ("We thank you for your attention.", ""),
    ],
)
def test_signature_name(closing, expected):
    incoming = parse(email(body=f"{ENGLISH}\n\n{closing}\n"))
    assert incoming.signature_name == expected


def test_signature_of_the_quoted_message_is_not_taken():
    body = (
        f"{ENGLISH}\n\nOn Mon, 6 May 2024 at 10:00, GC6 Secretariat <{OWN}>\nwrote:\n"
        "> Please send your file.\n>\n> Best regards,\n> OHCHR Secretariat\n"
    )
    assert parse(email(body=body)).signature_name == ""


def test_signature_before_an_outlook_reply_header():
    body = (
        f"{ENGLISH}\n\nRegards,\nMigrant Forum in Asia\n\n"
        "From: Secretariat <gc6@un.example.org>\nSent: Monday, May 6, 2024 10:00\n"
        "To: Jane\nSubject: Call\n\nBest regards,\nOHCHR Secretariat\n"
    )
    assert parse(email(body=body)).signature_name == "Migrant Forum in Asia"


@pytest.mark.parametrize(
    ("subject", "body", "language"),
    [
        ("Submission", ENGLISH, "en"),
        ("Contribution", FRENCH, "fr"),
        ("Input", "Please find attached.", ""),
    ],
)
def test_language(subject, body, language):
    assert parse(email(subject=subject, body=body)).language == language


# Never raises


def test_content_type_the_parser_chokes_on_reads_as_text():
    raw = b"From: Jane <jane@example.org>\r\nContent-Type: ;;;.*\r\n\r\nhello there\r\n"
    incoming = parse(raw)
    assert (incoming.sender, incoming.body) == ("jane@example.org", "hello there")


def test_reply_to_the_parser_chokes_on_is_an_unreadable_header():
    raw = email().replace(b"Subject:", b'Reply-To: "\r\nSubject:')
    incoming = parse(raw)
    assert incoming.reply_to == "Jane.Doe@example.org"
    assert incoming.problems == (UNREADABLE_HEADER,)


def test_undeclared_8bit_subject_and_name():
    raw = email().replace(b"Subject: Submission", "Subject: Contribución".encode("cp1252"))
    raw = raw.replace(b"From: Jane Doe", "From: Jane Doé".encode())
    incoming = parse(raw)
    assert incoming.subject.startswith("Contribución")
    assert incoming.sender_name == "Jane Doé"


def test_multipart_without_its_boundary_is_an_unreadable_part():
    raw = b"From: a@example.org\r\nContent-Type: multipart/mixed\r\n\r\n--x\r\nhello\r\n"
    incoming = parse(raw)
    assert (incoming.other_files, incoming.problems) == ((), (UNREADABLE_PART,))


def test_garbage_never_raises():
    for raw in (b"", b"\0\xff\xfe", b"From: <<<@>>>\r\nContent-Type: ;;;\r\n\r\n\xff", b"\n" * 10):
        assert isinstance(parse(raw), Incoming)


def test_damaged_real_messages_never_raise():
    rng = random.Random(6)
    samples = [
        messages.outlook(docx()),
        messages.gmail(docx()),
        messages.thunderbird_forward(docx()),
    ]
    for raw in samples:
        for cut in range(0, len(raw), max(len(raw) // 40, 1)):
            parse(raw[:cut])
        for _ in range(40):
            damaged = bytearray(raw)
            for _ in range(20):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
            parse(bytes(damaged))
