"""Rebuild tests/data/word/: real Word files, their variants, and LibreOffice's answers.

Run from the project's root, on a machine with LibreOffice and python3-uno (see
../shared/oracle/README.md), with ../shared/word-corpus/ beside the project:

    .venv/bin/python -m tests.corpus.word_build

Copies a representative subset of the Word corpus (two of the smallest files for
each feature Word writes, and the files the comparison with LibreOffice taught us
something on), writes the variants of `word_variants.py`, and records in
answers.json what LibreOffice says of each: the corpus's own answer for a real
file, the oracle's for a variant, and for a file with tracked changes also its
count once LibreOffice accepted them (`final_view.py`). Answers are LibreOffice's,
never ours.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from tests.corpus.build import oracle
from tests.corpus.word_variants import VARIANTS
from tests.libreoffice_answers import compact

ROOT = Path(__file__).resolve().parent.parent.parent
OUT = ROOT / "tests" / "data" / "word"
CORPUS = ROOT.parent / "shared" / "word-corpus" / "open-xml-powertools"
FINAL_VIEW = Path(__file__).resolve().parent / "final_view.py"

REAL = [
    # Two of the smallest files for each feature (see the closing note of issue 10).
    "NewDocxDocuments__Chart",
    "NewDocxDocuments__Comment",
    "NewDocxDocuments__EmbeddedWorkbook",
    "NewDocxDocuments__EndNote",
    "NewDocxDocuments__Equation",
    "NewDocxDocuments__Fields",
    "NewDocxDocuments__FootNote",
    "NewDocxDocuments__NumberedList",
    "NewDocxDocuments__Plain",
    "NewDocxDocuments__Section",
    "NewDocxDocuments__TableOfContents",
    "NewDocxDocuments__TextBox",
    "OpenXmlPowerToolsExamples__ChartUpdater01__Chart-Cached-Data-01",
    "OpenXmlPowerToolsExamples__ChartUpdater01__Chart-Cached-Data-02",
    "OpenXmlPowerToolsExamples__DocumentBuilder04__SolarOverview",
    "OpenXmlPowerToolsExamples__DocumentBuilder04__Uranus",
    "OpenXmlPowerToolsExamples__HtmlConverter01__Hebrew-01",
    "OpenXmlPowerToolsExamples__HtmlConverter01__ResumeTemplate",
    "OpenXmlPowerToolsExamples__HtmlConverter01__Test-05",
    "OpenXmlPowerToolsExamples__HtmlConverter01__Test-07",
    "OpenXmlPowerToolsExamples__MetricsGetter01__TrackedRevisions",
    "OpenXmlPowerToolsExamples__TextReplacer02__Test05",
    "TestFiles__CA__CA003-Numbered-List",
    "TestFiles__CA__CA006-ContentControl",
    "TestFiles__CA__CA008-Footnote-Reference",
    "TestFiles__CA__CA009-altChunk",
    "TestFiles__CA__CA010-Delete-Run",
    "TestFiles__CA__CA012-fldSimple",
    "TestFiles__CA__CA013-Lots-of-Stuff",
    "TestFiles__DA259-MultiLineContents",
    "TestFiles__DB002-Landscape-Section",
    "TestFiles__DB003-Only-Default-Header",
    "TestFiles__HC001-5DayTourPlanTemplate",
    "TestFiles__HC019-Hidden-Run",
    "TestFiles__HC021-Symbols",
    "TestFiles__HC022-Table-Of-Contents",
    "TestFiles__HC030-Content-Controls",
    "TestFiles__HC044-Embedded-Workbook",
    "TestFiles__HC047-No-Section",
    "TestFiles__RC__RC007-Endnotes-Before",
    "TestFiles__RP__RP039-Inserted-Paras-at-End-Rejected",
    "TestFiles__WC__WC006-Table",
    "TestFiles__WC__WC012-Math-Before",
    "TestFiles__WC__WC018-Field-Simple-Before",
    "TestFiles__WC__WC032-Para-with-Para-Props",
    "TestFiles__WC__WC037-Textbox-Before",
    # What the comparison taught: a shape in a header (LibreOffice's shapes count
    # it), tracked changes LibreOffice imports as plain text, a no-section file
    # that raised before, tracked changes LibreOffice accepts.
    "TestFiles__DB011-Header-With-Shape",
    "TestFiles__RP__RP018-MoveFrom-MoveTo-CC",
    "TestFiles__RP__RP043-MERGEFORMAT-Field-Code-Accepted",
    "OpenXmlPowerToolsExamples__DocumentBuilder04__Jupiter",
]


def has_tracked_changes(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml")
    return b"<w:del " in xml or b"<w:moveFrom " in xml


def final_view(paths: list[Path]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "final.json"
        subprocess.run(
            ["/usr/bin/python3", str(FINAL_VIEW), str(out), *map(str, paths)],
            timeout=1800,
            check=True,
        )
        return json.loads(out.read_text()) if out.exists() else {}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.docx"):
        old.unlink()
    answers: dict = {}
    for name in REAL:
        shutil.copy(CORPUS / "files" / f"{name}.docx", OUT / f"{name}.docx")
        answer = json.loads((CORPUS / "answers" / f"{name}.oracle.json").read_text())
        answers[name] = {"source": "word-corpus", **compact(answer)}
    for name, variant in VARIANTS.items():
        path = OUT / f"{name}.docx"
        path.write_bytes(variant.make((CORPUS / "files" / f"{variant.base}.docx").read_bytes()))
        answers[name] = {
            "source": f"variant of {variant.base}",
            **compact(oracle(path, variant.needle)),
        }
    tracked = [
        OUT / f"{name}.docx" for name in answers if has_tracked_changes(OUT / f"{name}.docx")
    ]
    for name, answer in final_view(tracked).items():
        answers[name]["final_view"] = compact(answer)
    (OUT / "answers.json").write_text(json.dumps(answers, indent=1, sort_keys=True) + "\n")
    shutil.copy(CORPUS / "LICENSE", OUT / "LICENSE")


if __name__ == "__main__":
    main()
