"""Messages as mailers write them, and a builder for the others, for the mailbox tests."""

from __future__ import annotations

import base64
import io
import struct
import zipfile
from collections.abc import Iterable
from email.message import EmailMessage
from email.policy import SMTP
from functools import cache

from tests.documents import make_docx

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OWN = "gc6-submissions@un.example.org"
SPANISH = (
    "Estimados miembros del Comité: adjuntamos la contribución de nuestra red a la "
    "observación general número seis sobre los derechos de los trabajadores migratorios "
    "y de sus familiares, con especial atención a las mujeres migrantes."
)
ENGLISH = (
    "Dear members of the Committee, please find attached the contribution of our "
    "network to the general comment on the rights of migrant workers and members of "
    "their families, which we prepared with our partners in the region."
)
FRENCH = (
    "Mesdames et Messieurs les membres du Comité, veuillez trouver ci-joint la "
    "contribution de notre association à l'observation générale sur les droits des "
    "travailleurs migrants et des membres de leur famille."
)


@cache
def docx(label: str = "Our submission") -> bytes:
    """A small real .docx (python-docx)."""
    return make_docx(label, "The rights of migrant workers.")


def docx_copies(count: int) -> list[bytes]:
    """`count` different valid .docx files, cheaply: one document, each with its own
    zip comment (the end-of-directory record's last field)."""
    base = docx()
    return [base[:-2] + struct.pack("<H", 6) + b"c%05d" % index for index in range(count)]


def zipped(files: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def email(
    *,
    sender: str | None = "Jane Doe <Jane.Doe@Example.ORG>",
    subject: str = "Submission to the call for inputs",
    body: str | None = ENGLISH,
    html: str | None = None,
    attachments: Iterable[tuple[str, bytes, str]] = (),
    headers: dict[str, str] | None = None,
    cte: str | None = None,
) -> bytes:
    """A message as the standard library writes it; attachments are (name, data, type)."""
    message = EmailMessage()
    if sender is not None:
        message["From"] = sender
    message["To"] = OWN
    message["Subject"] = subject
    message["Message-ID"] = "<20240501.1234@example.org>"
    for name, value in (headers or {}).items():
        message[name] = value
    if body is not None:
        message.set_content(body, cte=cte) if cte else message.set_content(body)
    if html is not None:
        if body is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    for name, data, ctype in attachments:
        maintype, subtype = ctype.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes(policy=SMTP)


def forwarded(inner: bytes, *, depth: int = 1, note: str = "Forwarding it.") -> bytes:
    """`inner`, forwarded as an attachment (message/rfc822) `depth` times."""
    for level in range(depth):
        message = EmailMessage()
        message["From"] = f"Forwarder {level} <fwd{level}@example.org>"
        message["To"] = OWN
        message["Subject"] = "Fwd: submission"
        message.set_content(note)
        message.add_attachment(_parse(inner), filename="forwarded.eml")
        inner = message.as_bytes(policy=SMTP)
    return inner


def _parse(raw: bytes) -> EmailMessage:
    from email import policy
    from email.parser import BytesParser

    return BytesParser(policy=policy.default).parsebytes(raw)  # type: ignore[return-value]


def b64(data: bytes) -> bytes:
    """Base64 in 76-character lines, as mailers wrap it."""
    return base64.encodebytes(data).replace(b"\n", b"\r\n")


def crlf(text: str, charset: str = "ascii") -> bytes:
    return text.replace("\n", "\r\n").encode(charset)


def outlook(data: bytes) -> bytes:
    """Outlook/Exchange: windows-1252 quoted-printable text and HTML, the file's name
    in RFC 2047 encoded words inside quotes (which RFC 2047 does not allow)."""
    head = crlf(
        """Received: from DB9PR01MB1234.eurprd01.prod.outlook.com ([fe80::1]) by
 DB9PR01MB1234.eurprd01.prod.outlook.com; Wed, 1 May 2024 10:12:01 +0000
From: =?iso-8859-1?Q?Mar=EDa_L=F3pez?= <Maria.Lopez@ONG-Ejemplo.org>
To: GC6 Submissions <gc6-submissions@un.example.org>
Subject: =?iso-8859-1?Q?Contribuci=F3n_para_la_Observaci=F3n_General_n=BA_6?=
Thread-Topic: =?iso-8859-1?Q?Contribuci=F3n_para_la_Observaci=F3n_General_n=BA_6?=
Date: Wed, 1 May 2024 10:12:00 +0000
Message-ID:
 <DB9PR01MB1234ABCD5678@DB9PR01MB1234.eurprd01.prod.outlook.com>
Accept-Language: es-ES, en-US
Content-Language: es-ES
X-MS-Has-Attach: yes
X-MS-TNEF-Correlator:
Content-Type: multipart/mixed;
\tboundary="_004_DB9PR01MB1234ABCD5678_"
MIME-Version: 1.0

--_004_DB9PR01MB1234ABCD5678_
Content-Type: multipart/alternative;
\tboundary="_000_DB9PR01MB1234ABCD5678_"

--_000_DB9PR01MB1234ABCD5678_
Content-Type: text/plain; charset="windows-1252"
Content-Transfer-Encoding: quoted-printable

Estimados miembros del Comit=E9:

Adjuntamos la contribuci=F3n de nuestra red a la observaci=F3n general n=FA=
mero seis sobre los derechos de los trabajadores migratorios y de sus famil=
iares, con especial atenci=F3n a las =93mujeres migrantes=94 =96 y sus hij=
os.

Atentamente,

Mar=EDa L=F3pez
Coordinadora
Red de Apoyo a Migrantes (RAM)
Tel: +34 91 123 45 67
www.ong-ejemplo.org

--_000_DB9PR01MB1234ABCD5678_
Content-Type: text/html; charset="windows-1252"
Content-Transfer-Encoding: quoted-printable

<html><head><meta http-equiv=3D"Content-Type" content=3D"text/html; charset=
=3Dwindows-1252"><style>p.MsoNormal {margin:0cm;}</style></head><body>
<p class=3D"MsoNormal">Estimados miembros del Comit=E9:</p></body></html>

--_000_DB9PR01MB1234ABCD5678_--

--_004_DB9PR01MB1234ABCD5678_
Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;
\tname="=?iso-8859-1?Q?Contribuci=F3n_RAM.docx?="
Content-Description: =?iso-8859-1?Q?Contribuci=F3n_RAM.docx?=
Content-Disposition: attachment;
\tfilename="=?iso-8859-1?Q?Contribuci=F3n_RAM.docx?="; size=12345;
\tcreation-date="Wed, 01 May 2024 10:11:00 GMT";
\tmodification-date="Wed, 01 May 2024 10:11:00 GMT"
Content-Transfer-Encoding: base64

"""
    )
    return head + b64(data) + b"\r\n--_004_DB9PR01MB1234ABCD5678_--\r\n"


def gmail(data: bytes) -> bytes:
    """Gmail-style: the name in RFC 2231 (UTF-8, percent-encoded), accents and CJK."""
    head = crlf(
        """MIME-Version: 1.0
Date: Thu, 2 May 2024 09:00:00 +0800
Message-ID: <CAF=abc+123XYZ@mail.gmail.com>
Subject: Submission: migrant workers' network
From: Zhang Wei <zhang.wei@gmail.com>
To: gc6-submissions@un.example.org
Content-Type: multipart/mixed; boundary="000000000000a1b2c3"

--000000000000a1b2c3
Content-Type: multipart/alternative; boundary="000000000000d4e5f6"

--000000000000d4e5f6
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: base64

"""
    )
    text = ENGLISH + "\n\nBest regards,\nZhang Wei\n移民工人网络 Migrant Workers Network\n"
    html = f'<div dir="ltr">{ENGLISH}<br><br>Best regards,<br>Zhang Wei</div>'
    middle = crlf(
        """
--000000000000d4e5f6
Content-Type: text/html; charset="UTF-8"

"""
    )
    tail = crlf(
        """
--000000000000d4e5f6--
--000000000000a1b2c3
Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;
\tname="=?UTF-8?B?UsOpc2VhdSDnp7vmsJEgY29udHJpYnV0aW9uLmRvY3g=?="
Content-Disposition: attachment;
\tfilename*=UTF-8''R%C3%A9seau%20%E7%A7%BB%E6%B0%91%20contribution.docx
Content-Transfer-Encoding: base64
X-Attachment-Id: f_lv1abc0
Content-ID: <f_lv1abc0>

"""
    )
    return (
        head
        + b64(text.encode())
        + middle
        + crlf(html, "utf-8")
        + tail
        + b64(data)
        + b"--000000000000a1b2c3--\r\n"
    )


def thunderbird_forward(data: bytes) -> bytes:
    """Thunderbird's "Forward as attachment": a message/rfc822 part holding the file;
    the sender's own text in format=flowed."""
    head = crlf(
        """Message-ID: <5f1e2d3c-aaaa-bbbb-cccc-1234567890ab@partners.example.net>
Date: Fri, 3 May 2024 14:00:00 +0200
MIME-Version: 1.0
User-Agent: Mozilla Thunderbird
Content-Language: fr
To: gc6-submissions@un.example.org
From: Pierre Martin <pierre@partners.example.net>
Subject: Fwd: Contribution de notre partenaire
Content-Type: multipart/mixed; boundary="------------0aBcDeFgHiJkLmNoP"

This is a multi-part message in MIME format.
--------------0aBcDeFgHiJkLmNoP
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: 8bit

Bonjour, je vous transmets la contribution de notre partenaire, qui n'a pas\x20
pu l'envoyer lui-même.

Bien cordialement,
Pierre Martin

--------------0aBcDeFgHiJkLmNoP
Content-Type: message/rfc822; name="Contribution.eml"
Content-Disposition: attachment; filename="Contribution.eml"

From: Partenaire <contact@partenaire.example.org>
To: pierre@partners.example.net
Subject: Contribution
Message-ID: <inner-1@partenaire.example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="inner-boundary"

--inner-boundary
Content-Type: text/plain; charset=UTF-8

Voici notre contribution.
--inner-boundary
Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;
 name="contribution partenaire.docx"
Content-Disposition: attachment; filename="contribution partenaire.docx"
Content-Transfer-Encoding: base64

""",
        "utf-8",
    )
    return head + b64(data) + b"--inner-boundary--\r\n\r\n--------------0aBcDeFgHiJkLmNoP--\r\n"


def apple_mail_inline(data: bytes) -> bytes:
    """Apple Mail: the file inline between two HTML parts, its name decomposed (NFD)."""
    head = crlf(
        """From: =?utf-8?Q?Am=C3=A9lie_Dupont?= <amelie@asso.example.fr>
Content-Type: multipart/alternative; boundary="Apple-Mail=_11111111-2222"
Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3731.500.231\\))
Subject: Contribution
Message-Id: <A1B2C3D4-E5F6@asso.example.fr>
Date: Sat, 4 May 2024 11:00:00 +0200
To: gc6-submissions@un.example.org

--Apple-Mail=_11111111-2222
Content-Transfer-Encoding: quoted-printable
Content-Type: text/plain;
\tcharset=utf-8

Bonjour,

Voici notre contribution.

Cordialement,
Am=C3=A9lie Dupont
Association Migrations et Droits

--Apple-Mail=_11111111-2222
Content-Type: multipart/mixed;
\tboundary="Apple-Mail=_33333333-4444"

--Apple-Mail=_33333333-4444
Content-Transfer-Encoding: 7bit
Content-Type: text/html;
\tcharset=us-ascii

<html><body>Bonjour,<br><br>Voici notre contribution.</body></html>
--Apple-Mail=_33333333-4444
Content-Disposition: inline;
\tfilename*=utf-8''Contribution%20re%CC%81seau.docx
Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;
\tx-unix-mode=0644;
\tname="=?utf-8?Q?Contribution_re=CC=81seau=2Edocx?="
Content-Transfer-Encoding: base64

"""
    )
    tail = crlf(
        """--Apple-Mail=_33333333-4444
Content-Transfer-Encoding: 7bit
Content-Type: text/html;
\tcharset=us-ascii

<html><body><br>Cordialement,</body></html>
--Apple-Mail=_33333333-4444--

--Apple-Mail=_11111111-2222--
"""
    )
    return head + b64(data) + tail


def undeclared_8bit(name: str, charset: str, data: bytes) -> bytes:
    """A name written in 8-bit bytes with no charset declared (old or careless mailers)."""
    return (
        crlf(
            """From: sender@example.org
To: gc6-submissions@un.example.org
Subject: submission
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

See attached.
--b
Content-Type: application/octet-stream
Content-Transfer-Encoding: base64
"""
        )
        + b'Content-Disposition: attachment; filename="'
        + name.encode(charset)
        + b'"\r\n\r\n'
        + b64(data)
        + b"--b--\r\n"
    )


def big_attachment(size: int, *, name: str = "big.docx") -> bytes:
    """A message with one `size`-byte attachment, built without encoding it: a 57-byte
    block of repeated bytes is one base64 line, so the part is that line repeated."""
    line = base64.b64encode(b"\xab" * 57) + b"\r\n"
    return (
        crlf(
            f"""From: Jane Doe <jane@example.org>
To: {OWN}
Subject: a large file
Message-ID: <big@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XX"

--XX
Content-Type: text/plain

Attached.
--XX
Content-Type: application/octet-stream; name="{name}"
Content-Disposition: attachment; filename="{name}"
Content-Transfer-Encoding: base64

"""
        )
        + line * (size // 57)
        + b"--XX--\r\n"
    )
