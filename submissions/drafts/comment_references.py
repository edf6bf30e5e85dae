"""Paragraph references in a stakeholder's own words ("para. 12", "párrafos 12 a 14"),
and the passages of a document they mark: lines of text in, passages out.

The grammar, on text folded to lower case without accents:

- a keyword: "paragraph(s)", "paragraphe(s)", "párrafo(s)", "para.", "paras.", "par.",
  "párr.", "párrs.", "§", "§§", "¶", "¶¶"; a bare "para"/"paras" only where a line starts
  (mid-sentence it is Spanish for "for": "para 12 meses");
- then a number of one to three digits (a year is four; "1.5" is a decimal), perhaps
  with sub-paragraph labels ("12 (a)"), which are read as the paragraph;
- then more: a range ("12-14", "12 to 14", "12 à 14", "12 a 14", "12 al 14"), capped at
  `RANGE_CAP` paragraphs, or a list ("12 and 14", "12 et 14", "12 y 14", "12 or 14";
  "12, 14" only after a plural keyword, or when the keyword is repeated:
  "paragraph 12, paragraph 14").

"article 12" has no keyword, so it is never a reference; nor is a paragraph of another
text: "article 5, paragraph 2", "CMW/C/GC/1, para. 3", "general comment No. 1, para. 3",
"paragraph 2 of article 12 / of the Convention / de l'article / del Pacto...".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

RANGE_CAP = 50
_LEAD_WORDS = 6  # "With regard to paragraph 12, ..." still opens a passage on 12

_KEY = re.compile(
    r"(?<![\w§¶-])(?:(?P<plural>paragraphe?s|paras\.|pars\.|parrs\.|parrafos|§§|¶¶)"
    r"|(?P<single>paragraphe?|para\.|par\.|parr\.|parrafo|§|¶)|(?P<bare>paras?))(?=[\s0-9])"
)
_NUMBER = re.compile(r"\s*([0-9]{1,3})(?![0-9]|\.[0-9])(?:\s?\((?:[a-z]{1,2}|[ivx]{1,5})\))*")
_RANGE = re.compile(r"\s*[-–—‐‑]\s*|\s+(?:to|through|a|al|au)\s+")
_AND = re.compile(r"\s*,?\s*(?:&|\b(?:and|et|y|or|ou|o)\b)\s*")
_COMMA = re.compile(r"\s*[,;]\s*")
_NUMBER_LABEL = re.compile(r"\s*(?:no\.?|n°|nº|n\.º|num\.?|numero)\s*(?=[0-9])")
_LINE_BREAK = re.compile(r"\s*\n\s*")
_OTHER_TEXT_BEFORE = re.compile(
    r"(?:\bart(?:icle|iculo|\.)?\s*[0-9]+[a-z]?(?:\s*\([0-9a-z]+\))*"
    r"|\b[a-z]{1,8}/[a-z0-9./-]*[a-z0-9])\s*,?\s*$"
)
_OTHER_TEXT_AFTER = re.compile(
    r"\s*,?\s*(?:of|in|de|du|del|des)\s+(?:(?:the|its|their|la|le|el|su|sa)\s+|l['’]\s*)?"
    r"(?:art(?:icle|iculo|\.)|conventions?|convencion|covenants?|pacte|pacto|declarations?"
    r"|declaracion|resolutions?|resolucion|general (?:comment|recommendation)s? no"
    r"|observation generale n|observacion general n|recommandation generale"
    r"|recomendacion general|annexe?|anexo|reports?|rapport|informe|[a-z]{1,8}/)"
)
_CROSS_REFERENCE_LEAD = re.compile(
    r"\b(?:see|also|cf\.?|voir|aussi|egalement|vease|ver|tambien|compare|comparer)\s*$"
)
_SENTENCE_END = re.compile(r"[.!?;]")
_ABBREVIATION = re.compile(r"\b(?:no|nos|art|cf|e\.g|i\.e|vol|doc|p|pp)\.")
_ENUMERATION = re.compile(
    r"^(?:(?:[0-9]{1,3}|[a-z]|[ivxlc]{1,6})[.)]\s+|\([a-z0-9]{1,6}\)\s+|[•·▪‣◦*\-–—]\s*)"
)
_AFTER_HEADING = re.compile(r"\s*(?:[:.\-–—)]+\s*|$)")
_WORDING = re.compile(
    r"[\"“”'‘’«»]?\s*(?:proposed (?:wording|text|amendment)|suggested (?:wording|text)"
    r"|libelle propose|texte propose|formulation proposee|redaction proposee"
    r"|redaccion propuesta|texto propuesto|formulacion propuesta)\s*[\"“”'‘’«»]?\s*(?::\s*|$)"
)
_GENERAL_HEADINGS = {
    "general", "general comments", "general comment", "general remarks",
    "general observations", "commentaires generaux", "remarques generales",
    "observations generales", "generalites", "comentarios generales",
    "observaciones generales", "generalidades", "generales",
}  # fmt: skip
_NEUTRAL_HEADINGS = {
    "specific comments", "comments on specific paragraphs", "commentaires specifiques",
    "observations specifiques", "comentarios especificos", "observaciones especificas",
}  # fmt: skip


@functools.lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    if char.isascii():
        return char.lower()
    base = unicodedata.normalize("NFD", char)[0].casefold()
    return base[0] if base else char


def fold(text: str) -> str:
    """`text` in lower case without accents, one character for one: indexes still match."""
    return "".join(map(_fold_char, text))


def plain(text: str) -> str:
    """For comparing labels: folded, punctuation and spacing out ("N.º" -> "nº")."""
    return re.sub(r"[\s.:,;()\[\]'\"“”‘’«»*_/\\-]+", "", fold(text))


@dataclass(frozen=True)
class Reference:
    numbers: tuple[str, ...]  # "12", "13", "14": a range spelled out, capped
    source: str  # as written: "paras. 12-14"
    start: int
    end: int
    capped: bool = False  # the range was longer than RANGE_CAP


def _numbers(folded: str, at: int, plural: bool, cell: bool) -> tuple[list[int], int, bool]:
    """The numbers of a reference whose first number is at `at`: (numbers, end, capped)."""
    first = _NUMBER.match(folded, at)
    if first is None:
        return [], at, False
    found, end, capped = [int(first.group(1))], first.end(), False
    while True:
        dash = _RANGE.match(folded, end)
        upto = _NUMBER.match(folded, dash.end()) if dash else None
        if dash and upto:
            low, high = sorted((found[-1], int(upto.group(1))))
            span = list(range(low, high + 1))
            capped = capped or len(span) > RANGE_CAP
            found[-1:] = span[:RANGE_CAP]
            end = upto.end()
            continue
        separators = [_AND] + ([_COMMA] if plural or cell else []) + ([_LINE_BREAK] if cell else [])
        separator = next((m for s in separators if (m := s.match(folded, end))), None)
        if separator is None:
            separator = _COMMA.match(folded, end)  # only when the keyword is repeated
            key = _KEY.match(folded, separator.end()) if separator else None
            after = _NUMBER.match(folded, key.end()) if key else None
        else:
            key = _KEY.match(folded, separator.end())
            after = _NUMBER.match(folded, key.end() if key else separator.end())
        if after is None:
            return found, end, capped
        found.append(int(after.group(1)))
        end = after.end()


def _distinct(numbers: list[int]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(n) for n in numbers))


def _of_another_text(folded: str, start: int, end: int) -> bool:
    return bool(
        _OTHER_TEXT_BEFORE.search(folded[max(0, start - 60) : start])
        or _OTHER_TEXT_AFTER.match(folded, end)
    )


def opening_reference(text: str) -> Reference | None:
    """The reference that opens `text` (within its first few words, before a sentence
    ends, not "see paragraph 14"), or None; a bare "para" only at the very start."""
    folded = fold(text)
    for key in _KEY.finditer(folded):
        lead = _ABBREVIATION.sub("", folded[: key.start()])
        if len(lead.split()) > _LEAD_WORDS or _SENTENCE_END.search(lead):
            return None
        if (key.group("bare") and key.start() > 0) or _CROSS_REFERENCE_LEAD.search(lead):
            continue
        numbers, end, capped = _numbers(folded, key.end(), bool(key.group("plural")), False)
        if numbers and not _of_another_text(folded, key.start(), end):
            return Reference(
                _distinct(numbers), text[key.start() : end].strip(), key.start(), end, capped
            )
    return None


def number_cell(text: str) -> tuple[tuple[str, ...], bool] | None:
    """The paragraph numbers a template's number cell holds ("12", "12.", "para 12",
    "§12", "12, 14", "12-14") and whether a range was capped; None if it holds other text."""
    folded = fold(text).strip().lstrip("(#").rstrip(".:")
    key = _KEY.match(folded)
    label = _NUMBER_LABEL.match(folded, key.end() if key else 0)
    at = label.end() if label else (key.end() if key else 0)
    numbers, end, capped = _numbers(folded, at, True, True)
    if not numbers or folded[end:].strip(" .:)"):
        return None
    return _distinct(numbers), capped


def is_general(text: str) -> bool:
    """A "General" label or heading: "General", "Général", "Comentarios generales"..."""
    stripped = text.strip()
    if stripped in ("-", "–", "—", "―"):
        return True
    folded = _ENUMERATION.sub("", fold(stripped)).strip().rstrip(":").strip()
    return re.sub(r"\s+", " ", folded) in _GENERAL_HEADINGS


def wording_label(text: str) -> int | None:
    """Where the proposed wording starts if `text` opens with "Proposed wording:"..."""
    found = _WORDING.match(fold(text))
    return found.end() if found else None


def unquoted(text: str) -> str:
    """The wording without the quotes wrapping it whole (“...”, "...", «...»)."""
    for left, right in (("“", "”"), ('"', '"'), ("«", "»"), ("‘", "’")):
        inner = text[1:-1]
        wrapped = len(text) > 1 and text.startswith(left) and text.endswith(right)
        if wrapped and left not in inner and right not in inner:
            return inner.strip()
    return text


# What a line that only says who sends the comments may hold beside the name: "Submitted
# by X", "Présenté par le X", "Presentado por la X", "Comments of X", "X", a date. The
# call asks for the name on page 1, so nearly every document has such a line; it is no
# comment. Any other word keeps the line a comment: a line wrongly kept is removed at
# the review, while one wrongly dropped would never be seen there.
_IDENTIFYING = {
    "submitted", "submission", "presented", "prepared", "sent", "by", "from", "of", "on",
    "behalf", "the", "a", "an", "comments", "comment", "contribution", "input", "inputs",
    "author", "authors", "stakeholder", "name", "organisation", "organization",
    "presente", "presentee", "presentes", "soumis", "soumise", "prepare", "preparee",
    "envoye", "envoyee", "par", "de", "du", "des", "le", "la", "les", "l", "au", "nom",
    "commentaires", "commentaire", "observations", "auteur", "auteurs", "partie",
    "prenante", "presentado", "presentada", "preparado", "preparada", "enviado",
    "enviada", "por", "del", "el", "los", "las", "en", "nombre", "comentarios",
    "comentario", "observaciones", "contribucion", "autor", "autora", "autores", "parte",
    "interesada", "and", "et", "y",
    # the date beside it
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "janvier", "fevrier", "mars",
    "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre",
    "decembre", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
    "septiembre", "setiembre", "octubre", "noviembre", "diciembre",
}  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+")


def identifies(line: str, stakeholder: str) -> bool:
    """Whether `line` only names `stakeholder` as the sender ("Presentado por la Red
    Andina"), with no word of a comment beside the name (dates and numbers aside)."""
    name = " ".join(_WORD.findall(fold(stakeholder)))
    words = " ".join(_WORD.findall(fold(line)))
    if len(name) < 3 or f" {name} " not in f" {words} ":
        return False
    rest = f" {words} ".replace(f" {name} ", " ", 1).split()
    return all(word in _IDENTIFYING for word in rest)


@dataclass
class Passage:
    numbers: tuple[str, ...] | None  # None: a general comment
    source: str = ""
    capped: bool = False
    text: list[str] = field(default_factory=list)
    wording: list[str] = field(default_factory=list)
    in_wording: bool = False

    def add(self, line: str) -> None:
        at = wording_label(line)
        if at is not None:
            self.in_wording = True
            line = line[at:].strip()
        if line:
            (self.wording if self.in_wording else self.text).append(line)

    @property
    def empty(self) -> bool:
        return not self.text and not self.wording


def passages(lines: list[str]) -> list[Passage]:
    """The passages `lines` (a document's paragraphs, in order) make: text before the
    first reference, or after a "General comments" heading, is general; a line opening
    with a reference starts a passage on its paragraph(s), which the following lines
    without one continue; "Proposed wording:" starts the passage's proposed wording."""
    out: list[Passage] = []
    current = Passage(None)
    for line in (raw.strip() for raw in lines):
        if not line:
            continue
        enumeration = _ENUMERATION.match(fold(line))
        body = line[enumeration.end() :] if enumeration else line
        if re.sub(r"\s+", " ", fold(body).strip().rstrip(":").strip()) in _NEUTRAL_HEADINGS:
            continue
        if is_general(line):
            out.append(current)
            current = Passage(None)
            continue
        reference = opening_reference(body)
        if reference is not None:
            out.append(current)
            current = Passage(reference.numbers, reference.source, reference.capped)
            rest = body[reference.end :]
            separator = _AFTER_HEADING.match(rest) if reference.start == 0 else None
            line = rest[separator.end() :] if separator else line
        current.add(line)
    out.append(current)
    return [p for p in out if not p.empty]
