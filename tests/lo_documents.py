"""Test documents written by a real office suite: HTML sources that LibreOffice
turns into .docx files, all in one `soffice` call.

Each document's expected figures (LibreOffice's own word count, and whether the
name is on its page 1) were read with ../shared/oracle/lo_oracle.py from the
files this module builds, and are recorded in EXPECTED: they come from
LibreOffice, not from the code under test.
"""

from __future__ import annotations

import html
import shutil
import subprocess
from pathlib import Path

NAME = "Global Alliance for Migrant Workers' Rights"
NAME_FR = "Fédération Internationale des Ligues des Droits de l'Homme"

CALL_SENTENCES = [
    "The Convention provides a comprehensive legal framework for the protection of the "
    "human rights of all migrant workers and members of their families.",
    "The Global Compact is a non-binding international agreement with a menu of policy "
    "options from which States may select.",
    "States should ensure fair and ethical recruitment, access to justice and firewalls "
    "between public services and immigration enforcement.",
    "Migrant workers constitute around 169 million of the total global migrant population "
    "of more than 280 million.",
]


def _paragraphs(count: int, offset: int = 0) -> str:
    out = []
    for i in range(count):
        sentences = [CALL_SENTENCES[(i + j + offset) % 4] for j in range(3)]
        out.append(f"<p>{html.escape(' '.join(sentences))}</p>")
    return "\n".join(out)


def _page(body: str) -> str:
    return f'<html><head><meta charset="utf-8"><title>GC6</title></head><body>{body}</body></html>'


def _footnote(n: int, text: str) -> tuple[str, str]:
    anchor = (
        f'<a class="sdfootnoteanc" name="sdfootnote{n}anc" href="#sdfootnote{n}sym">'
        f"<sup>{n}</sup></a>"
    )
    note = (
        f'<div id="sdfootnote{n}"><p><a class="sdfootnotesym" name="sdfootnote{n}sym" '
        f'href="#sdfootnote{n}anc">{n}</a>{html.escape(text)}</p></div>'
    )
    return anchor, note


def _ordinary() -> str:
    anchor, note = _footnote(1, "General Assembly resolution 73/195 of 19 December 2018.")
    return _page(
        f"<h1>Submission to the Committee on Migrant Workers</h1>"
        f"<p>Submitted by: {html.escape(NAME)}</p>"
        f"<p>The Global Compact{anchor} and the Convention converge.</p>"
        f"{_paragraphs(20)}"
        "<table border='1'><tr><td>Objective 6</td><td>articles 66 and 25</td></tr>"
        "<tr><td>Objective 12</td><td>articles 29 and 24</td></tr></table>"
        f"{note}"
    )


def _name_on_page_two() -> str:
    return _page(
        "<h1>Submission to the Committee on Migrant Workers</h1>"
        f"{_paragraphs(3)}"
        f'<p style="page-break-before: always">Submitted by: {html.escape(NAME)}</p>'
        f"{_paragraphs(3, 1)}"
    )


def _over_limit() -> str:
    return _page(f"<p>Submitted by: {html.escape(NAME)}</p>{_paragraphs(120)}")


def _french_accents() -> str:
    return _page(
        "<h1>Contribution au projet d’observation générale n° 6</h1>"
        "<p>Présentée par la FÉDÉRATION INTERNATIONALE DES LIGUES DES DROITS DE L’HOMME "
        "(FIDH)</p>"
        "<p>Les États parties doivent garantir l’accès à la justice des travailleurs "
        "migrants et des membres de leur famille, quel que soit leur statut.</p>"
    )


SOURCES = {
    "ordinary": _ordinary,
    "name_on_page_two": _name_on_page_two,
    "over_limit": _over_limit,
    "french_accents": _french_accents,
}

# What LibreOffice 7.4 says of each built file (lo_oracle.py): its word count
# without headers and footers, and whether the needle is on its page 1.
EXPECTED: dict[str, dict] = {
    "ordinary": {"name": NAME, "lo_word_count": 1197, "main": 1189, "name_on_page1": True},
    "name_on_page_two": {"name": NAME, "lo_word_count": 358, "main": 358, "name_on_page1": False},
    "over_limit": {"name": NAME, "lo_word_count": 6938, "main": 6938, "name_on_page1": True},
    "french_accents": {"name": NAME_FR, "lo_word_count": 42, "main": 42, "name_on_page1": True},
}


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def build_all(out_dir: Path, profile_dir: Path) -> dict[str, Path]:
    """Write every source as HTML, convert all to .docx with LibreOffice, return paths."""
    binary = soffice()
    if binary is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    out_dir.mkdir(parents=True, exist_ok=True)
    sources = []
    for name, build in SOURCES.items():
        path = out_dir / f"{name}.html"
        path.write_text(build(), encoding="utf-8")
        sources.append(str(path))
    subprocess.run(
        [
            binary,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile_dir.as_uri()}",
            "--infilter=HTML (StarWriter)",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out_dir),
            *sources,
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    paths = {name: out_dir / f"{name}.docx" for name in SOURCES}
    missing = [name for name, path in paths.items() if not path.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write {missing}")
    return paths
