"""Does the document itself ask not to be published?

The call posts every submission "unless explicitly indicated to the contrary in the
submission". Explicit phrases ("not for publication", "ne pas publier", "no
publicar", ...) count wherever they stand; the single word "confidential" (and its
French and Spanish forms) counts only on the first page, where it marks the whole
document, since in the body it usually qualifies something else ("confidential
data of migrants").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from submissions.compliance.names import normalize

# Patterns run on normalize()d text: lower case, no accents, straight quotes.
_EXPLICIT = [
    # English
    r"not for (?:publication|public (?:release|distribution|disclosure))",
    r"not (?:to be|for being) (?:published|posted|made public|disclosed)",
    r"(?:please |kindly )?do not (?:publish|post|disclose|make public)",
    r"(?:should|must|may) not be (?:published|posted|made public|disclosed)",
    r"(?:we|i) do not (?:wish|want|consent|agree)(?: for)? (?:this|our|my|the) "
    r"(?:submission|document|input|contribution) to be (?:published|posted|made public)",
    r"(?:for internal use only|strictly confidential)",
    # French
    r"(?:merci de |priere de |veuillez )?ne pas (?:publier|diffuser|rendre public)",
    r"ne (?:doit|peut) pas etre (?:publiee?|diffusee?|rendue? publique?)",
    r"non destinee? a (?:la )?(?:publication|diffusion)",
    r"(?:a ne pas diffuser|strictement confidentiel(?:le)?|usage interne)",
    # Spanish
    r"(?:por favor,? )?no (?:publicar|publiquen|difundir|divulgar|hacer public[oa])",
    r"no (?:debe|puede) (?:ser )?(?:publicad[oa]|difundid[oa]|divulgad[oa])",
    r"no (?:esta )?destinad[oa] a (?:la )?(?:publicacion|difusion)",
    r"(?:no para (?:su )?publicacion|estrictamente confidencial|uso interno)",
]
_FIRST_PAGE_ONLY = [r"confidential", r"confidentiel(?:le)?", r"confidencial", r"reservado"]

# Every explicit phrase contains one of these stems: only the text around them is
# normalised and searched, which keeps a 50,000-word document fast.
_STEMS = re.compile(r"publi|post|disclos|diffus|difund|divulg|confiden|intern|uso interno")
_WINDOW = 120  # characters each side of a stem: longer than any phrase

_EXPLICIT_RE = re.compile(r"(?<!\w)(?:" + "|".join(_EXPLICIT) + r")(?!\w)")
_FIRST_PAGE_RE = re.compile(r"(?<!\w)(?:" + "|".join(_FIRST_PAGE_ONLY) + r")(?!\w)")


@dataclass(frozen=True)
class Objection:
    phrase: str  # as found, normalised
    on_first_page: bool


def find_objection(full_text: str, first_page_text: str) -> Objection | None:
    """The first phrase asking not to publish, or None."""
    first = normalize(first_page_text)
    for pattern in (_EXPLICIT_RE, _FIRST_PAGE_RE):
        match = pattern.search(first)
        if match:
            return Objection(match.group(0), on_first_page=True)
    folded = full_text.casefold()
    end = -1
    for stem in _STEMS.finditer(folded):
        if stem.start() < end:
            continue  # inside the window searched already
        start, end = max(stem.start() - _WINDOW, 0), stem.end() + _WINDOW
        match = _EXPLICIT_RE.search(normalize(full_text[start:end]))
        if match:
            return Objection(match.group(0), on_first_page=False)
    return None
