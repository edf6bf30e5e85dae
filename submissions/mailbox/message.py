"""One e-mail to the call's address, read: who sent it, what it says, the Word files it carries.

Pure: the message's bytes in, an `Incoming` out; no Django, no database, no network, no
temporary file. A malformed header or part never raises: it is read as missing and its
problem recorded. A message larger than `max_message_bytes` is not parsed beyond its
headers, so its sender can still be told (MESSAGE_TOO_LARGE). `automatic` follows
RFC 3834 and what mailers do: a message that names a reason there must get no automatic
reply, whatever else it says.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from email import policy
from email.message import MIMEPart

import lxml.html
from lxml import etree

from submissions.compliance.language import detect_language
from submissions.mailbox.attachments import (
    FILE_TOO_LARGE,
    FORWARD_TOO_DEEP,
    MESSAGE_TOO_LARGE,
    NO_SENDER,
    PARSE_ERRORS,
    TOO_MANY_FILES,
    UNREADABLE_HEADER,
    UNREADABLE_PART,
    ZIP_REFUSED,
    Attachment,
    Found,
    ZipLimits,
    decode_text,
    is_attachment,
    parse_bytes,
    raw_headers,
    walk,
    word_files,
)

__all__ = [
    "FILE_TOO_LARGE",
    "FORWARD_TOO_DEEP",
    "MESSAGE_TOO_LARGE",
    "NO_SENDER",
    "TOO_MANY_FILES",
    "UNREADABLE_HEADER",
    "UNREADABLE_PART",
    "ZIP_REFUSED",
    "Attachment",
    "Incoming",
    "ZipLimits",
    "parse_message",
]

# Above every mail system's limit once base64 has grown the files by a third.
MAX_MESSAGE_BYTES = 40 * 1024 * 1024
_LOCAL = re.compile(r"^[^\s@<>()\[\],;:\"\\]+$")
_DOMAIN = re.compile(r"^[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)+$")
_AUTO_SUBJECT = re.compile(
    r"^(auto:|automatic reply|auto[- ]?reply|auto[- ]?response|out of (the )?office"
    r"|reponse automatique|absence du bureau|respuesta automatica|fuera de la oficina"
    r"|resposta automatica|abwesenheitsnotiz|automatische antwort|risposta automatica)"
)
_BOUNCE_SUBJECT = re.compile(
    r"^(undeliverable|undelivered mail|delivery status notification|mail delivery fail"
    r"|delivery failure|non remis|non distribuable|no se puede entregar|returned mail)"
)
_BREAK = "\ue000"  # a <br>, kept apart from the line ends of blocks until they are joined
_HTML_BLOCKS = (
    "p", "div", "li", "tr", "table", "blockquote", "pre", "hr", "ul", "ol",
    "h1", "h2", "h3", "h4", "h5", "h6",
)  # fmt: skip


@dataclass(frozen=True)
class Incoming:
    """What a message says, as far as the call's intake needs it."""

    message_id: str  # the Message-ID without <>; "" when missing
    sender: str  # the From address, its domain lower-cased; "" if none or unparseable
    sender_name: str  # the From display name, decoded
    reply_to: str  # Reply-To if valid (and not our own address), else the From address
    subject: str
    body: str  # text/plain preferred, else text/html as text; "" if none
    signature_name: str  # a proposal for the stakeholder's name; "" if none
    language: str  # ISO 639-1 guessed from subject and the sender's own text; "" if unsure
    word_files: tuple[Attachment, ...]
    other_files: tuple[str, ...]  # names of the files that are not Word files
    automatic: str  # "" for a person's message, else why it gets no automatic reply
    problems: tuple[str, ...]
    # Word files and archives found but not taken, with the problem code that says why.
    refused: tuple[tuple[str, str], ...] = ()


def _one_line(text: str) -> str:
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cs"))
    return " ".join(text.split())


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()


class _Headers:
    """Headers read one at a time, so that a malformed one spoils only itself."""

    def __init__(self, message: MIMEPart) -> None:
        self.message = message
        self.problems: list[str] = []

    def all(self, name: str) -> list[str]:
        return raw_headers(self.message, name)

    def text(self, name: str) -> str:
        values = self.all(name)
        if not values:
            return ""
        try:
            return _one_line(str(policy.default.header_factory(name, values[0])))
        except PARSE_ERRORS:
            self.problems.append(UNREADABLE_HEADER)
            return _one_line(values[0])

    def address(self, name: str) -> tuple[str, str]:
        """The first address of an address header that mail can be sent to, and its name."""
        for value in self.all(name)[:1]:
            try:
                addresses = policy.default.header_factory(name, value).addresses
            except PARSE_ERRORS:
                self.problems.append(UNREADABLE_HEADER)
                return "", ""
            for address in addresses:
                if _LOCAL.match(address.username) and _DOMAIN.match(address.domain):
                    email = f"{address.username}@{address.domain.lower()}"
                    return email, _one_line(address.display_name)
        return "", ""

    def message_id(self) -> str:
        for value in self.all("message-id")[:1]:
            bracketed = re.search(r"<([^<>\s]+)>", value)
            return bracketed[1] if bracketed else _one_line(value).strip("<>")
        return ""


def _content_type(message: MIMEPart) -> str:
    try:
        return message.get_content_type()
    except PARSE_ERRORS:
        return ""


def _token(value: str) -> str:
    words = re.sub(r"\(.*?\)", " ", value).replace(";", " ").lower().split()
    return words[0] if words else ""


def _automatic(headers: _Headers, sender: str, subject: str, own_address: str) -> str:
    """Why no automatic reply may go to this message, or ""; the first reason found counts."""
    own = own_address.strip().lower()
    if own and (sender.lower() == own or any(own in v.lower() for v in headers.all("x-loop"))):
        return "loop"
    from_text = " ".join(headers.all("from")).lower()
    if (
        any(re.sub(r"\s", "", v) == "<>" for v in headers.all("return-path"))
        or re.search(r"\b(mailer-daemon|postmaster)\b", from_text)
        or _content_type(headers.message) == "multipart/report"
        or _BOUNCE_SUBJECT.match(_fold(subject))
    ):
        return "bounce"
    if any(_token(v) not in ("", "no") for v in headers.all("auto-submitted")):
        return "auto-submitted"
    suppress = {w for v in headers.all("x-auto-response-suppress") for w in re.split(r"[\s,;]+", v)}
    if (
        headers.all("x-autoreply")
        or headers.all("x-autorespond")
        or {"all", "autoreply"} & {w.lower() for w in suppress}
        or _AUTO_SUBJECT.match(_fold(subject))
    ):
        return "auto-reply"
    if any(_token(v) in ("bulk", "list", "junk", "auto_reply") for v in headers.all("precedence")):
        return "bulk"
    if any(headers.all(name) for name in ("list-id", "list-unsubscribe", "list-post")):
        return "list"
    return ""


def html_to_text(html: str) -> str:
    """The text a reader sees: one line per block, scripts and styles left out."""
    html = re.sub(r"^\s*<\?xml[^>]*>", "", html)
    try:
        root = lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(no_network=True))
    except (etree.LxmlError, ValueError):
        return ""
    for element in list(root.iter("script", "style", "head", "title")):
        if element.getparent() is not None:
            element.drop_tree()
    for element in root.iter():
        element.text = re.sub(r"\s+", " ", element.text or "")
        element.tail = re.sub(r"\s+", " ", element.tail or "")
        if element.tag == "br":  # a line break of its own: kept when the lines are joined
            element.tail = _BREAK + element.tail
        elif element.tag in _HTML_BLOCKS:
            element.text = "\n" + element.text
            element.tail = "\n" + element.tail
    return _tidy(re.sub(r"\n+", "\n", root.text_content()).replace(_BREAK, "\n"))


def _tidy(text: str) -> str:
    lines: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.rstrip() if line.strip() == "--" else line.strip()
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip("\n")


def _unflow(text: str, delsp: bool) -> str:
    """RFC 3676 format=flowed: a line ending in a space goes on in the next one."""
    lines: list[str] = []
    carry: tuple[int, str] | None = None
    for line in text.split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:]
        content = content[1:] if content.startswith(" ") else content
        if carry is not None and carry[0] == depth:
            content = carry[1] + content
        elif carry is not None:
            lines.append("> " * carry[0] + carry[1])
        carry = None
        if content.endswith(" ") and content != "-- ":
            carry = (depth, content[:-1] if delsp else content)
        else:
            lines.append("> " * depth + content)
    if carry is not None:
        lines.append("> " * carry[0] + carry[1])
    return "\n".join(lines)


def _text(part: MIMEPart) -> str:
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return ""
    text = decode_text(data, part.get_content_charset()).replace("\r\n", "\n")
    if part.get_content_type() == "text/html":
        return html_to_text(text)
    if str(part.get_param("format", "")).lower() == "flowed":
        text = _unflow(text, str(part.get_param("delsp", "")).lower() == "yes")
    return text.strip("\n")


def _body(part: MIMEPart) -> tuple[str, str]:
    """The text of `part` and its kind ("plain" or "html"); forwarded messages are not read."""
    ctype = part.get_content_type()
    if ctype.startswith("message/"):
        return "", ""
    if part.is_multipart():
        children = list(part.iter_parts())
        bodies = [_body(child) for child in children]
        if ctype == "multipart/alternative":
            for kind in ("plain", "html"):
                for text, found in bodies:
                    if found == kind and text.strip():
                        return text, kind
            return "", ""
        if ctype in ("multipart/related", "multipart/signed", "multipart/report"):
            bodies = bodies[:1]  # the root, the signed text, the human-readable report
        texts = [(text, kind) for text, kind in bodies if text.strip()]
        return "\n\n".join(text for text, _ in texts), texts[0][1] if texts else ""
    if is_attachment(part) or ctype not in ("text/plain", "text/html"):
        return "", ""
    return _text(part), "plain" if ctype == "text/plain" else "html"


# Where the sender's own text ends: a quoted reply or a forwarded message begins.
_REPLY_MARK = re.compile(
    r"^-{2,}\s*(original message|forwarded message|message d'origine|message transfere"
    r"|mensaje original|mensaje reenviado|mensagem original|mensagem encaminhada)"
    r"|^_{10,}$|^(on|le|el|em|am)\b.{0,200}\b(wrote|a ecrit|escribio|escreveu|schrieb)\s*:?$"
)
_FROM_LINE = re.compile(r"^(from|de|von|da)\s?:")
_DATE_LINE = re.compile(r"^(sent|date|envoye|enviado|gesendet|to|a|para|an)\s?:")
_CLOSING = re.compile(
    r"(?:(?:best|kind|kindest|warm|warmest|with best|with kind)\s+)?(?:regards|wishes)"
    r"|(?:yours\s+)?(?:sincerely|faithfully|truly)(?:\s+yours)?|best|cheers|respectfully"
    r"|(?:many\s+)?thanks?(?:\s+you)?(?:\s+(?:again|very much|in advance))?"
    r"|(?:bien\s+|tres\s+)?cordialement|bien a vous|(?:sinceres|meilleures|mes)?\s*salutations"
    r"|avec (?:mes|nos) (?:meilleures |sinceres )?salutations(?: distinguees)?"
    r"|merci(?: beaucoup| d'avance)?|atentamente|(?:un\s+)?(?:cordial\s+)?saludos?(?:\s+cordiales)?"
    r"|cordialmente|(?:muchas\s+)?gracias|atenciosamente|mit freundlichen grussen"
    r"|cordiali saluti|distinti saluti"
)
_CONTACT = re.compile(
    r"@|https?:|www\.|\d.*\d.*\d|^(tel|phone|mob|mobile|cell|fax|tlf|email|e-mail|courriel"
    r"|correo|web|skype|address|adresse|direccion)\b\s*[.:]|^[tmepf]\s*:"
    r"|^(sent from|envoye de|enviado desde|get outlook|obtenir outlook|descargar outlook)"
)
MAX_TEXT_LINES = 2000  # the sender's own text is at the top; the rest is quoted or pasted
_ORGANISATION = re.compile(
    r"\b(associations?|asociacion|associacao|foundation|fondation|fundacion|fundacao|network"
    r"|reseau|red|alliance|alianza|coalition|coalicion|organi[sz]ation|organizacion|institute"
    r"|institut|instituto|cent(re|er|ro)|council|conseil|consejo|committee|comite|commission"
    r"|comision|federation|federacion|union|society|societe|sociedad|university|universite"
    r"|universidad|ngo|ong|ministry|ministere|ministerio|mission|forum|foro|group|groupe|grupo"
    r"|project|projet|proyecto|international|internacional|watch|rights|droits|derechos"
    r"|trust|initiative|iniciativa|clinic|clinica|caritas|office|bureau|oficina)\b"
)
_ACRONYM = re.compile(r"\([A-Z][A-Z&.-]+\)")


def own_text(body: str) -> str:
    """The sender's own words: no quoted lines, nothing from a reply or forward header on."""
    lines = body.split("\n", MAX_TEXT_LINES)[:MAX_TEXT_LINES]
    kept: list[str] = []
    for index, line in enumerate(lines):
        folded = _fold(line)
        following = [_fold(other) for other in lines[index + 1 : index + 4]]
        wrapped = f"{folded} {following[0]}" if following else folded
        if (
            _REPLY_MARK.search(folded)
            or (re.match(r"(on|le|el|em|am)\b", folded) and _REPLY_MARK.search(wrapped))
            or (_FROM_LINE.match(folded) and any(_DATE_LINE.match(f) for f in following))
        ):
            break
        if not line.lstrip().startswith(">"):
            kept.append(line)
    return "\n".join(kept).strip()


def _closing(line: str) -> str | None:
    """None if `line` is no closing; else the name written after it on the line, or ""."""
    folded = _fold(line)
    match = _CLOSING.match(folded)
    rest = folded[match.end() :] if match else ""
    if match and re.fullmatch(r"[\s,.!;:-]*", rest):
        return ""
    if match and re.match(r"\s*,\s*\w", rest) and len(rest.split()) <= 5 and "," in line:
        return line.split(",", 1)[1].strip()
    return None


def signature_name(text: str) -> str:
    """A proposal for the stakeholder's name: in the lines after the last closing (or
    after the last "-- " delimiter), the first that names an organisation, else the first
    that is not a contact detail; "" when there is no signature block."""
    lines = [line.strip() for line in text.split("\n")]
    block: list[str] | None = None
    for index, line in enumerate(lines):
        inline = _closing(line)
        if inline is not None:
            block = [inline, *lines[index + 1 :]]
    if block is None:
        delimiters = [index for index, line in enumerate(lines) if line == "--"]
        block = lines[delimiters[-1] + 1 :] if delimiters else []
    candidates: list[str] = []
    for line in block:
        if len(line) > 80:
            break  # a disclaimer, or the text went on: the block has ended
        for piece in re.split(r"\s+[|•·]\s+", line):
            piece = piece.strip(" ,;")
            short = len(piece.split()) <= 8  # a name, not a sentence
            if piece and piece != "--" and short and not _CONTACT.search(_fold(piece)):
                candidates.append(piece)
    candidates = candidates[:6]
    named = [c for c in candidates if _ORGANISATION.search(_fold(c)) or _ACRONYM.search(c)]
    return (named or candidates or [""])[0]


def _header_block(raw: bytes) -> bytes:
    ends = [i for i in (raw.find(b"\r\n\r\n", 0, 1 << 20), raw.find(b"\n\n", 0, 1 << 20)) if i >= 0]
    return raw[: min(ends)] + b"\r\n\r\n" if ends else raw[: 1024 * 1024]


def parse_message(
    raw: bytes,
    *,
    own_address: str,
    max_files: int = 5,
    max_file_bytes: int = 20 * 1024 * 1024,
    max_message_bytes: int = MAX_MESSAGE_BYTES,
    zip_limits: ZipLimits | None = None,
) -> Incoming:
    """Read one message (see the module's docstring); never raises on what a mailer sent."""
    problems: list[str] = []
    headers_only = len(raw) > max_message_bytes
    if headers_only:
        raw = _header_block(raw)
        problems.append(MESSAGE_TOO_LARGE)
    try:
        message = parse_bytes(raw)
    except PARSE_ERRORS:  # not seen, as the policy reads bad headers as empty; never raise
        message = parse_bytes(b"")
        headers_only = True
        problems.append(UNREADABLE_PART)
    headers = _Headers(message)
    sender, sender_name = headers.address("from")
    reply_to, _ = headers.address("reply-to")
    own = own_address.strip().lower()
    reply_to = next((a for a in (reply_to, sender) if a and a.lower() != own), "")
    subject = headers.text("subject")
    found = Found(max_file_bytes=max_file_bytes, zip_limits=zip_limits or ZipLimits())
    body = ""
    if not headers_only:
        walk(message, 0, "", found)
        try:
            body = _body(message)[0]
        except PARSE_ERRORS:
            problems.append(UNREADABLE_PART)
    files = word_files(found, max_files)
    text = own_text(body)
    if not sender:
        problems.append(NO_SENDER)
    return Incoming(
        message_id=headers.message_id(),
        sender=sender,
        sender_name=sender_name,
        reply_to=reply_to,
        subject=subject,
        body=body,
        signature_name=signature_name(text),
        language=detect_language(f"{subject}\n{text}") or "",
        word_files=files,
        other_files=tuple(found.other_files),
        automatic=_automatic(headers, sender, subject, own_address),
        problems=tuple(dict.fromkeys(problems + headers.problems + found.problems)),
        refused=tuple(found.refused),
    )
