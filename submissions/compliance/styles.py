"""Font size and spacing of each paragraph, resolved from the document's styles.

The page-1 estimate needs how tall each paragraph is. That depends on the font size
and spacing, which come from the document defaults, then the paragraph style and the
styles it is based on, then the paragraph's own formatting, then its runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass(frozen=True)
class Metrics:
    font_pt: float = 11.0
    before_pt: float = 0.0
    after_pt: float = 0.0
    line: float = 1.0  # a multiple of single spacing, or points when `exact`
    exact: bool = False
    page_break_before: bool = False


def _number(element: etree._Element | None, attr: str) -> float | None:
    if element is None:
        return None
    value = element.get(_w(attr))
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    return number if number is None or math.isfinite(number) else None


def _apply(metrics: Metrics, ppr: etree._Element | None, rpr: etree._Element | None) -> Metrics:
    """`metrics` with the properties set in `ppr` and `rpr` applied over it."""
    changes: dict[str, float | bool] = {}
    size = _number(rpr.find(_w("sz")) if rpr is not None else None, "val")
    if size:
        changes["font_pt"] = size / 2
    if ppr is not None and (flag := ppr.find(_w("pageBreakBefore"))) is not None:
        changes["page_break_before"] = flag.get(_w("val"), "true") not in ("0", "false", "off")
    spacing = ppr.find(_w("spacing")) if ppr is not None else None
    if spacing is not None:
        for attr, key in (("before", "before_pt"), ("after", "after_pt")):
            value = _number(spacing, attr)
            if value is not None:
                changes[key] = value / 20
        line = _number(spacing, "line")
        if line:
            rule = spacing.get(_w("lineRule"), "auto")
            changes["exact"] = rule != "auto"
            changes["line"] = line / 240 if rule == "auto" else line / 20
    return replace(metrics, **changes) if changes else metrics  # type: ignore[arg-type]


class StyleSheet:
    """The paragraph styles of one document, resolved once each."""

    def __init__(self, styles: etree._Element | None) -> None:
        self._styles: dict[str, etree._Element] = {}
        self._resolved: dict[str | None, Metrics] = {}
        self._default_style: str | None = None
        # Word's own defaults where the document sets none: 10 pt, single, no spacing.
        self._base = Metrics(font_pt=10.0)
        if styles is None:
            return
        defaults = styles.find(_w("docDefaults"))
        if defaults is not None:
            self._base = _apply(
                self._base,
                defaults.find(f"{_w('pPrDefault')}/{_w('pPr')}"),
                defaults.find(f"{_w('rPrDefault')}/{_w('rPr')}"),
            )
        for style in styles.iterfind(_w("style")):
            if style.get(_w("type")) != "paragraph":
                continue
            style_id = style.get(_w("styleId"))
            self._styles[style_id] = style
            if style.get(_w("default")) in ("1", "true"):
                self._default_style = style_id

    def style(self, style_id: str | None, _depth: int = 0) -> Metrics:
        """The metrics a paragraph of style `style_id` gets from the styles alone."""
        style_id = style_id if style_id in self._styles else self._default_style
        if style_id in self._resolved:
            return self._resolved[style_id]
        style = self._styles.get(style_id) if style_id else None
        if style is None or _depth > 20:
            return self._base
        based_on = style.find(_w("basedOn"))
        parent = self._base
        if based_on is not None and based_on.get(_w("val")) != style_id:
            parent = self.style(based_on.get(_w("val")), _depth + 1)
        metrics = _apply(parent, style.find(_w("pPr")), style.find(_w("rPr")))
        self._resolved[style_id] = metrics
        return metrics

    def paragraph(self, p: etree._Element) -> Metrics:
        """The metrics of paragraph `p`: its style, its own formatting, its largest run."""
        ppr = p.find(_w("pPr"))
        style = ppr.find(_w("pStyle")) if ppr is not None else None
        metrics = self.style(style.get(_w("val")) if style is not None else None)
        metrics = _apply(metrics, ppr, None)
        sizes = [_number(sz, "val") for sz in p.iterfind(f"{_w('r')}/{_w('rPr')}/{_w('sz')}")]
        given = [size for size in sizes if size]
        if given:
            metrics = replace(metrics, font_pt=max(given) / 2)
        return metrics


_OFF = frozenset({"0", "false", "off", "none"})


def on(element: etree._Element | None) -> bool | None:
    """An on/off property: None when absent, True unless its value says off."""
    if element is None:
        return None
    return element.get(_w("val"), "true").lower() not in _OFF


class Hiding:
    """Which runs Word hides: `w:vanish` set on the run, or through its styles.

    Set on the run itself, the property is absolute. Set in styles it is a toggle
    (ECMA-376 17.7.3): within one chain of `basedOn` styles the nearest setting
    counts, and the paragraph style's and the character style's settings
    combine by exclusive or, over the document defaults.
    """

    def __init__(self, styles: etree._Element | None) -> None:
        self._styles: dict[tuple[str, str], etree._Element] = {}
        self._default_paragraph: str | None = None
        self._default = False
        self._by_styles: dict[tuple[str | None, str | None], bool] = {}
        self.any_hidden_style = False
        if styles is None:
            return
        defaults = styles.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")
        self._default = bool(_vanish(defaults))
        self.any_hidden_style = self._default
        for style in styles.iterfind(_w("style")):
            kind, style_id = style.get(_w("type")), style.get(_w("styleId"))
            if kind in ("paragraph", "character") and style_id:
                self._styles[kind, style_id] = style
                if kind == "paragraph" and style.get(_w("default")) in ("1", "true", "on"):
                    self._default_paragraph = style_id
        self.any_hidden_style = self._default or any(
            _vanish(style.find(_w("rPr"))) for style in self._styles.values()
        )

    def _chain(self, kind: str, style_id: str | None) -> bool:
        seen: set[str] = set()
        while style_id and style_id not in seen and (kind, style_id) in self._styles:
            seen.add(style_id)
            style = self._styles[kind, style_id]
            value = _vanish(style.find(_w("rPr")))
            if value is not None:
                return value
            based_on = style.find(_w("basedOn"))
            style_id = based_on.get(_w("val")) if based_on is not None else None
        return False

    def by_styles(self, paragraph_style: str | None, character_style: str | None) -> bool:
        key = (paragraph_style, character_style)
        if key not in self._by_styles:
            style = paragraph_style
            if style is None or ("paragraph", style) not in self._styles:
                style = self._default_paragraph
            self._by_styles[key] = (
                self._default ^ self._chain("paragraph", style) ^ self._chain("character", key[1])
            )
        return self._by_styles[key]

    def run(self, rpr: etree._Element | None, paragraph_style: str | None) -> bool:
        """Is a run with run properties `rpr`, in a paragraph of that style, hidden?"""
        character_style = None
        if rpr is not None:
            direct = _vanish(rpr)
            if direct is not None:
                return direct
            rstyle = rpr.find(_w("rStyle"))
            character_style = rstyle.get(_w("val")) if rstyle is not None else None
        if not self.any_hidden_style:
            return False  # the common case: no style hides anything
        return self.by_styles(paragraph_style, character_style)


def _vanish(rpr: etree._Element | None) -> bool | None:
    if rpr is None:
        return None
    value = on(rpr.find(_w("vanish")))
    return value if value is not None else on(rpr.find(_w("specVanish")))
