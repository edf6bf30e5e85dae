"""Paragraph numbers: Word's automatic ones, as Word shows them (styles and `numbering.xml`:
levels, starts, overrides, restarts, formats, the suffix after the label, counters shared by
the lists of one abstract numbering), and numbers typed at the start of a paragraph."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from submissions.compliance.styles import on

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"


def qn(tag: str) -> str:
    return f"{{{W}}}{tag}"


_HEADING_ID = re.compile(r"^(heading|titre|t[ií]tulo|ttulo)\s*[1-9]?$|^title$", re.I)
_HEADING_NAME = re.compile(r"^(heading [1-9]|title)$", re.I)


class Styles:
    """What the splitter needs of the styles: numbering, heading-ness and bold, by chain."""

    def __init__(self, root: etree._Element | None) -> None:
        self._styles: dict[tuple[str, str], etree._Element] = {}
        self._default: dict[str, str] = {}
        self._bold_default = False
        if root is None:
            return
        defaults = root.find(f"{qn('docDefaults')}/{qn('rPrDefault')}/{qn('rPr')}")
        self._bold_default = bool(on(defaults.find(qn("b")))) if defaults is not None else False
        for style in root.iterfind(qn("style")):
            kind, style_id = style.get(qn("type")) or "", style.get(qn("styleId")) or ""
            if style_id:
                self._styles[kind, style_id] = style
                if style.get(qn("default")) in ("1", "true", "on"):
                    self._default[kind] = style_id

    def chain(self, kind: str, style_id: str | None) -> Iterator[etree._Element]:
        if kind == "paragraph" and (kind, style_id or "") not in self._styles:
            style_id = self._default.get(kind)
        seen: set[str] = set()
        while style_id and style_id not in seen and (kind, style_id) in self._styles:
            seen.add(style_id)
            style = self._styles[kind, style_id]
            yield style
            based_on = style.find(qn("basedOn"))
            style_id = based_on.get(qn("val")) if based_on is not None else None

    def num_pr(self, style_id: str | None) -> tuple[str | None, int | None]:
        num_id: str | None = None
        ilvl: int | None = None
        for style in self.chain("paragraph", style_id):
            found = style.find(f"{qn('pPr')}/{qn('numPr')}")
            if found is None:
                continue
            if num_id is None:
                num_id = val(found.find(qn("numId")))
            if ilvl is None:
                ilvl = to_int(val(found.find(qn("ilvl"))))
        return num_id, ilvl

    def is_heading(self, style_id: str | None) -> bool:
        for style in self.chain("paragraph", style_id):
            name = val(style.find(qn("name"))) or ""
            if _HEADING_ID.match(style.get(qn("styleId")) or "") or _HEADING_NAME.match(name):
                return True
            outline = to_int(val(style.find(f"{qn('pPr')}/{qn('outlineLvl')}")))
            if outline is not None:
                return 0 <= outline <= 8
        return False

    def _bold(self, kind: str, style_id: str | None) -> bool | None:
        for style in self.chain(kind, style_id):
            value = on(style.find(f"{qn('rPr')}/{qn('b')}"))
            if value is not None:
                return value
        return None

    def bold(self, paragraph_style: str | None, rpr: etree._Element | None) -> bool:
        if rpr is not None:
            direct = on(rpr.find(qn("b")))
            if direct is not None:
                return direct
            rstyle = val(rpr.find(qn("rStyle")))
            if rstyle and (value := self._bold("character", rstyle)) is not None:
                return value
        value = self._bold("paragraph", paragraph_style)
        return self._bold_default if value is None else value


def val(element: etree._Element | None) -> str | None:
    return element.get(qn("val")) if element is not None else None


def to_int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


# -- automatic numbering --------------------------------------------------------------


@dataclass(frozen=True)
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    legal: bool = False  # w:isLgl: every level shown in decimal
    restart: int | None = None  # w:lvlRestart, one-based; 0 is never
    suffix: str = "\t"  # w:suff: what follows the label


_SUFFIXES = {"tab": "\t", "space": " ", "nothing": ""}


def _level(element: etree._Element) -> _Level:
    start = to_int(val(element.find(qn("start"))))
    return _Level(
        start=start if start is not None else 1,
        fmt=val(element.find(qn("numFmt"))) or "decimal",
        text=val(element.find(qn("lvlText"))) or "",
        legal=bool(on(element.find(qn("isLgl")))),
        restart=to_int(val(element.find(qn("lvlRestart")))),
        suffix=_SUFFIXES.get(val(element.find(qn("suff"))) or "tab", "\t"),
    )


def _restarts(level: _Level | None, ilvl: int, used: int) -> bool:
    """Whether level `ilvl`'s counter starts again when a paragraph of level `used` is counted.

    ECMA-376 17.9.10: by default a level restarts after any earlier (higher) level; with
    `w:lvlRestart` N (one-based) only after level N or an earlier one, never with 0. A
    value naming this level or a deeper one is ignored, as Word offers only earlier levels.
    """
    if used >= ilvl:
        return False
    restart = level.restart if level is not None else None
    if restart is None or restart > ilvl:
        return True
    return restart != 0 and used <= restart - 1


def _roman(number: int) -> str:
    out = []
    for value, letters in (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ):  # fmt: skip
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def _format(number: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter") and number > 0:
        letter = chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman") and 0 < number < 4000:
        roman = _roman(number)
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt == "decimalZero":
        return f"{number:02d}"
    if fmt == "none":
        return ""
    return str(number)


_PLACEHOLDER = re.compile(r"%([1-9])")


@dataclass(frozen=True)
class Label:
    text: str  # as shown: "12.", "(a)", "I."
    fmt: str
    own: int | None  # the paragraph's own number, when the label is a decimal of its level only
    suffix: str = "\t"  # what Word shows between the label and the text: a tab, a space or ""

    def before(self, text: str) -> str:
        """The label in front of `text`, as Word shows it (a tab as a space)."""
        return f"{self.text}{' ' if self.suffix else ''}{text}" if text else self.text


class Numbering:
    """Word's list counters, advanced paragraph by paragraph in body order."""

    def __init__(self, root: etree._Element | None, styles: Styles) -> None:
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._links: dict[str, str] = {}  # abstractNum -> the style it takes its levels from
        self._nums: dict[str, tuple[str, dict[int, _Level], dict[int, int]]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._restart: dict[str, dict[int, int]] = {}
        self._seen: set[str] = set()
        self._styles = styles
        if root is None:
            return
        for abstract in root.iterfind(qn("abstractNum")):
            key = abstract.get(qn("abstractNumId")) or ""
            levels = {}
            for lvl in abstract.iterfind(qn("lvl")):
                ilvl = to_int(lvl.get(qn("ilvl")))
                if ilvl is not None:
                    levels[ilvl] = _level(lvl)
            self._abstract[key] = levels
            link = val(abstract.find(qn("numStyleLink")))
            if link:
                self._links[key] = link
        for num in root.iterfind(qn("num")):
            num_id = num.get(qn("numId")) or ""
            abstract_id = val(num.find(qn("abstractNumId"))) or ""
            levels, starts = {}, {}
            for override in num.iterfind(qn("lvlOverride")):
                ilvl = to_int(override.get(qn("ilvl")))
                if ilvl is None:
                    continue
                start = to_int(val(override.find(qn("startOverride"))))
                if start is not None:
                    starts[ilvl] = start
                lvl = override.find(qn("lvl"))
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
            self._nums[num_id] = (abstract_id, levels, starts)

    def _abstract_of(self, num_id: str, depth: int = 0) -> str | None:
        entry = self._nums.get(num_id)
        if entry is None:
            return None
        abstract_id = entry[0]
        link = self._links.get(abstract_id)
        if link and not self._abstract.get(abstract_id) and depth < 5:
            linked, _ilvl = self._styles.num_pr(link)
            if linked and linked != num_id:
                return self._abstract_of(linked, depth + 1)
        return abstract_id

    def advance(self, num_id: str, ilvl: int) -> Label | None:
        """Count one paragraph of list `num_id` at level `ilvl`; its label, if it shows one."""
        abstract_id = self._abstract_of(num_id)
        if abstract_id is None or num_id not in self._nums:
            return None
        _abstract, overrides, starts = self._nums[num_id]
        levels = {**self._abstract.get(abstract_id, {}), **overrides}
        level = levels.get(ilvl)
        if level is None:
            return None
        counters = self._counters.setdefault(abstract_id, {})
        restart = self._restart.setdefault(abstract_id, {})
        if num_id not in self._seen:  # a list that restarts its levels at its first paragraph
            self._seen.add(num_id)
            for at, start in starts.items():
                counters.pop(at, None)
                restart[at] = start
        if ilvl in counters:
            counters[ilvl] += 1
        else:
            counters[ilvl] = restart.get(ilvl, level.start)
        for deeper in [at for at in counters if _restarts(levels.get(at), at, ilvl)]:
            del counters[deeper]

        def shown(match: re.Match[str]) -> str:
            at = int(match.group(1)) - 1
            lvl = levels.get(at, _Level())
            value = counters.get(at, restart.get(at, lvl.start))
            return _format(value, "decimal" if (level.legal and at != ilvl) else lvl.fmt)

        text = level.text if level.fmt == "bullet" else _PLACEHOLDER.sub(shown, level.text)
        referenced = {int(n) - 1 for n in _PLACEHOLDER.findall(level.text)}
        own = None
        if level.fmt in ("decimal", "decimalZero") and referenced == {ilvl}:
            own = counters[ilvl]
        # A label ending in a space ("%1. ") shows one even when nothing follows it.
        suffix = level.suffix or (" " if text != text.rstrip() else "")
        return Label(text.strip(), level.fmt, own, suffix)


# -- typed numbers --------------------------------------------------------------------

_TYPED = re.compile(r"[ \t]*(\d{1,3})(?:([.)])(?!\d)|(\t)| +(?=[^\d\s])|(?=\s*$))[ \t]*")


@dataclass(frozen=True)
class Typed:
    number: int
    rest: str  # the text after the number, tabs kept ("" for a number alone)
    marked: bool  # ".", ")" or a tab after it


def typed_number(text: str, expected: int) -> Typed | None:
    """The paragraph number typed at the start of `text` (tabs kept), if it is one.

    A number of 1 to 3 digits is a paragraph number when "." or ")" or a tab follows it
    ("12. The", "12) The", "12<tab>The", not "12.5 per cent"). Followed by a space, or by
    nothing, it is one only if it is the number `expected` (the previous one + 1) and
    what follows does not start with a lower-case letter: "4 States" after paragraph 3
    is paragraph 4, "100 States", "4 million" and "2022 saw" are text.
    """
    match = _TYPED.match(text)
    if match is None:
        return None
    number, rest = int(match.group(1)), text[match.end() :]
    if match.group(2) or match.group(3):
        return Typed(number, rest, True)
    if number == expected and not rest[:1].islower():
        return Typed(number, rest, False)
    return None
