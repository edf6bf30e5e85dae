"""What a .docx embeds: real Word files, built OLE objects, and hostile bytes."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import olefile
import pytest
from lxml import etree

from submissions.compliance.embedded import EmbeddedItem, inventory
from submissions.compliance.safexml import UnreadableDocument
from tests.ole_files import comp_obj, compound_file, ole10native, package_object

WORD = Path(__file__).resolve().parent.parent / "data" / "word"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
MAIN_TYPES = {
    "document": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "workbook": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "presentation": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
    ),
}
MAIN_PARTS = {
    "document": "word/document.xml",
    "workbook": "xl/workbook.xml",
    "presentation": "ppt/presentation.xml",
}
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 200


def package_arguments(blob: bytes):
    """inventory's arguments for a zip: names, content types (Default, Override), read."""
    archive = zipfile.ZipFile(io.BytesIO(blob))
    names = archive.namelist()
    types: dict[str, str] = {}
    if "[Content_Types].xml" in names:
        root = etree.fromstring(archive.read("[Content_Types].xml"))
        defaults = {
            e.get("Extension").lower(): e.get("ContentType") for e in root.iter(f"{{{CT}}}Default")
        }
        for name in names:
            types[name] = defaults.get(name.rsplit(".", 1)[-1].lower(), "")
        for e in root.iter(f"{{{CT}}}Override"):
            types[e.get("PartName").lstrip("/")] = e.get("ContentType")
    return names, types, archive.read


def word_file(name: str) -> tuple[EmbeddedItem, ...]:
    return inventory(*package_arguments((WORD / name).read_bytes()))


def office_zip(kind: str = "document", parts: dict[str, bytes] | None = None) -> bytes:
    """A minimal OOXML package of `kind`, with extra `parts` (their type from the extension)."""
    parts = parts or {}
    main = MAIN_PARTS[kind]
    types = (
        f'<Types xmlns="{CT}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.'
        'oleObject"/>'
        f'<Override PartName="/{main}" ContentType="{MAIN_TYPES[kind]}"/></Types>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}officeDocument" Target="{main}"/>'
            "</Relationships>",
        )
        archive.writestr(main, "<root/>")
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx_with(embeddings: dict[str, bytes]) -> tuple[EmbeddedItem, ...]:
    """The inventory of a .docx whose word/embeddings/ holds `embeddings`."""
    parts = {f"word/embeddings/{name}": data for name, data in embeddings.items()}
    return inventory(*package_arguments(office_zip("document", parts)))


def one(blob: bytes, name: str = "word/embeddings/oleObject1.bin") -> EmbeddedItem:
    """The single item of a package holding `blob` as `name` (dict-backed read)."""
    (item,) = inventory([name], {name: ""}, {name: blob}.__getitem__)
    return item


def refused(blob: bytes, name: str = "word/embeddings/oleObject1.bin") -> dict[str, str]:
    with pytest.raises(UnreadableDocument) as caught:
        inventory([name], {}, {name: blob}.__getitem__)
    assert caught.value.code == "embedded_program"
    return caught.value.params


# Real files saved by Word


def test_chart_counted_once_its_workbook_not_listed():
    assert word_file("NewDocxDocuments__Chart.docx") == (
        EmbeddedItem("chart", "word/charts/chart1.xml"),
    )


def test_chart_without_embedded_workbook_is_a_chart():
    items = word_file("OpenXmlPowerToolsExamples__ChartUpdater01__Chart-Cached-Data-02.docx")
    assert items == (EmbeddedItem("chart", "word/charts/chart1.xml"),)


def test_chart_with_older_workbook_name_is_one_chart():
    items = word_file("OpenXmlPowerToolsExamples__DocumentBuilder04__SolarOverview.docx")
    assert [item.kind for item in items] == ["chart"]


def test_embedded_workbook_is_a_workbook():
    assert word_file("NewDocxDocuments__EmbeddedWorkbook.docx") == (
        EmbeddedItem("workbook", "word/embeddings/Microsoft_Excel_Worksheet1.xlsx"),
    )


def test_chart_workbook_is_listed_when_chart_rels_are_damaged():
    names, types, read = package_arguments((WORD / "NewDocxDocuments__Chart.docx").read_bytes())
    parts = {name: read(name) for name in names}
    parts["word/charts/_rels/chart1.xml.rels"] = b"<Relationships"
    items = inventory(names, types, parts.__getitem__)
    assert [item.kind for item in items] == ["chart", "workbook"]


def test_chart_workbook_that_is_a_program_is_refused():
    names, types, read = package_arguments((WORD / "NewDocxDocuments__Chart.docx").read_bytes())
    parts = {name: read(name) for name in names}
    parts["word/embeddings/Microsoft_Excel_Worksheet1.xlsx"] = EXE
    with pytest.raises(UnreadableDocument) as caught:
        inventory(names, types, parts.__getitem__)
    assert caught.value.params == {"name": "word/embeddings/Microsoft_Excel_Worksheet1.xlsx"}


def test_document_without_embeddings_has_none():
    assert inventory(*package_arguments(office_zip())) == ()


# Built OLE objects


def test_writer_output_opens_with_olefile():
    blob = compound_file({"WordDocument": b"x" * 5000, "Macros/VBA/dir": b"y"})
    with olefile.OleFileIO(io.BytesIO(blob), raise_defects=olefile.DEFECT_INCORRECT) as ole:
        assert ole.listdir(storages=True) == [
            ["Macros"],
            ["Macros", "VBA"],
            ["Macros", "VBA", "dir"],
            ["WordDocument"],
        ]
        assert ole.openstream("WordDocument").read()[:5000] == b"x" * 5000


def test_package_carrying_exe_is_refused():
    params = refused(package_object("setup.exe", b"harmless bytes"))
    assert params == {"name": "setup.exe"}


def test_package_carrying_exe_inside_docx_is_refused():
    with pytest.raises(UnreadableDocument) as caught:
        docx_with({"oleObject1.bin": package_object("setup.exe", EXE)})
    assert caught.value.code == "embedded_program"
    assert caught.value.params == {"name": "setup.exe"}


def test_package_carrying_pdf_is_a_file_with_its_label():
    items = docx_with({"oleObject1.bin": package_object("report.pdf", PDF)})
    assert items == (EmbeddedItem("file", "word/embeddings/oleObject1.bin", "report.pdf"),)
    assert items[0].to_dict() == {
        "kind": "file",
        "part": "word/embeddings/oleObject1.bin",
        "label": "report.pdf",
    }


def test_package_with_harmless_label_but_executable_data_is_refused():
    assert refused(package_object("invoice.pdf", EXE)) == {"name": "invoice.pdf"}


@pytest.mark.parametrize(
    "data", [b"\x7fELF\x02\x01\x01", b"#!/bin/sh\nrm -rf ~\n", b"\xcf\xfa\xed\xfe\x07"]
)
def test_package_with_other_executable_data_is_refused(data):
    assert refused(package_object("notes.txt", data)) == {"name": "notes.txt"}


@pytest.mark.parametrize(
    ("label", "names"),
    [
        ("SETUP.EXE", {}),
        ("run.bat.", {}),
        ("script.ps1 ", {}),
        ("notes.txt", {"original": "C:\\Users\\me\\evil.vbs"}),
        ("notes.txt", {"temporary": "C:\\Temp\\evil.hta"}),
        ("notes.txt", {"unicode_names": ("C:\\Temp\\notes.js", "notes.txt", "C:\\notes.txt")}),
        ("macros.docm", {}),
    ],
)
def test_package_with_program_name_anywhere_is_refused(label, names):
    assert refused(package_object(label, b"plain text", **names)) == {"name": label.strip()}


def test_package_label_prefers_the_utf16_names():
    names = ("C:\\Temp\\?????.pdf", "تقرير.pdf", "C:\\تقرير.pdf")
    item = one(package_object("?????.pdf", PDF, unicode_names=names))
    assert item == EmbeddedItem("file", "word/embeddings/oleObject1.bin", "تقرير.pdf")


def test_package_without_label_is_refused_by_original_name():
    params = refused(package_object("", b"x", original="C:\\x\\tool.exe", temporary=""))
    assert params == {"name": "tool.exe"}


def test_package_carrying_macro_workbook_is_refused():
    xlsm = office_zip("workbook", {"xl/vbaProject.bin": b"\0" * 64})
    assert refused(package_object("budget.xlsx", xlsm)) == {"name": "budget.xlsx"}


def test_ole_with_macros_storage_is_refused():
    blob = compound_file({"WordDocument": b"x", "Macros/VBA/dir": b"y", "Macros/PROJECT": b"z"})
    assert refused(blob) == {"name": "word/embeddings/oleObject1.bin"}


@pytest.mark.parametrize("storage", ["_VBA_PROJECT_CUR/VBA/dir", "VBA/dir"])
def test_ole_with_excel_or_other_vba_storage_is_refused(storage):
    assert refused(compound_file({"Workbook": b"x", storage: b"y"}))


@pytest.mark.parametrize(
    ("streams", "kind"),
    [
        ({"WordDocument": b"x", "1Table": b"y"}, "document"),
        ({"Workbook": b"x"}, "workbook"),
        ({"Book": b"x"}, "workbook"),
        ({"PowerPoint Document": b"x", "Current User": b"y"}, "presentation"),
        ({"Equation Native": b"x", "\x01CompObj": comp_obj("Microsoft Equation 3.0")}, "equation"),
        ({"__substg1.0_0037001F": "Hello".encode("utf-16-le")}, "email"),
        ({"CONTENTS": PDF, "\x01CompObj": comp_obj("Acrobat Document")}, "pdf"),
        (
            {"Data": b"x", "\x01CompObj": comp_obj("Microsoft Excel Worksheet", "Excel.8")},
            "workbook",
        ),
        ({"Data": b"x", "\x01CompObj": comp_obj("Microsoft Word Document")}, "document"),
        ({"Data": b"x"}, "object"),
    ],
)
def test_ole_kind_follows_its_streams(streams, kind):
    assert one(compound_file(streams)) == EmbeddedItem(kind, "word/embeddings/oleObject1.bin")


def test_ole_package_stream_holding_a_workbook_is_a_workbook():
    blob = compound_file({"Package": office_zip("workbook")})
    assert one(blob).kind == "workbook"


def test_ole_package_stream_holding_a_macro_document_is_refused():
    assert refused(
        compound_file({"Package": office_zip("document", {"word/vbaProject.bin": b"x"})})
    )


@pytest.mark.parametrize(
    ("blob", "kind"),
    [
        (office_zip("document"), "document"),
        (office_zip("presentation"), "presentation"),
        (PDF, "pdf"),
        (b"Received: from mail.example.org\r\nFrom: a@example.org\r\n\r\nHi", "email"),
        (compound_file({"__substg1.0_0E04001F": b"x", "__properties_version1.0": b"y"}), "email"),
        (b"\x89PNG\r\n\x1a\n", "object"),
    ],
)
def test_raw_embedded_part_kind_follows_its_bytes(blob, kind):
    assert one(blob, "word/embeddings/thing.dat").kind == kind


def test_kind_is_not_taken_from_the_name():
    assert one(PDF, "word/embeddings/Microsoft_Excel_Worksheet1.xlsx").kind == "pdf"


@pytest.mark.parametrize("blob", [EXE, b"\x7fELF\x02", b"#!/usr/bin/env python\n"])
def test_raw_program_part_is_refused_by_part_name(blob):
    assert refused(blob, "word/embeddings/picture.png") == {"name": "word/embeddings/picture.png"}


def test_embedded_zip_with_vba_project_is_refused():
    assert refused(office_zip("workbook", {"xl/vbaProject.bin": b"x"}), "word/embeddings/a.xlsx")


def test_embedded_zip_with_vba_content_type_is_refused():
    out = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(office_zip("workbook")))
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/code.dat" '
                    b'ContentType="application/vnd.ms-office.vbaProject"/></Types>',
                )
            archive.writestr(info, data)
    assert refused(out.getvalue(), "word/embeddings/a.xlsx")


def test_embedded_docx_carrying_program_is_refused():
    inner = office_zip("document", {"word/embeddings/oleObject1.bin": package_object("a.exe", EXE)})
    with pytest.raises(UnreadableDocument) as caught:
        docx_with({"Microsoft_Word_Document1.docx": inner})
    assert caught.value.params == {"name": "a.exe"}


def test_program_in_embedded_raw_part_reports_the_outer_part():
    inner = office_zip("workbook", {"xl/embeddings/oleObject1.bin": EXE})
    params = refused(inner, "word/embeddings/Microsoft_Excel_Worksheet1.xlsx")
    assert params == {"name": "word/embeddings/Microsoft_Excel_Worksheet1.xlsx"}


def test_embedded_docx_inside_package_stream_is_looked_into():
    inner = office_zip("document", {"word/embeddings/oleObject1.bin": package_object("b.cmd", b"")})
    assert refused(compound_file({"Package": inner})) == {"name": "b.cmd"}


def test_nesting_is_followed_two_levels_only():
    third = office_zip("document", {"word/embeddings/oleObject1.bin": package_object("c.exe", EXE)})
    second = office_zip("document", {"word/embeddings/inner.docx": third})
    assert one(second, "word/embeddings/outer.docx").kind == "document"


def test_results_sorted_by_part_and_deterministic():
    embeddings = {
        "oleObject2.bin": package_object("b.pdf", PDF),
        "oleObject1.bin": compound_file({"WordDocument": b"x"}),
        "Microsoft_Excel_Worksheet1.xlsx": office_zip("workbook"),
    }
    first = docx_with(embeddings)
    assert [item.part for item in first] == sorted(item.part for item in first)
    assert [item.kind for item in first] == ["workbook", "document", "file"]
    assert docx_with(dict(reversed(embeddings.items()))) == first


def test_upper_case_embeddings_folder_counts():
    (item,) = inventory(["WORD/Embeddings/oleObject1.bin"], {}, lambda _name: PDF)
    assert item == EmbeddedItem("pdf", "WORD/Embeddings/oleObject1.bin")


def test_ole_object_content_type_outside_embeddings_counts():
    name = "word/other/thing.bin"
    ole_object = "application/vnd.openxmlformats-officedocument.oleObject"
    assert inventory([name], {name: ole_object}, lambda _n: PDF) == (EmbeddedItem("pdf", name),)


# Hostile inputs


@pytest.mark.parametrize(
    "blob",
    [
        b"",
        b"\0" * 10,
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 3000,
        compound_file({"WordDocument": b"x"})[:1000],
        compound_file({"WordDocument": b"x"})[:3000],
        b"PK\x03\x04" + b"\0" * 100,
        office_zip("document")[:200],
        random.Random(1).randbytes(5000),
    ],
)
def test_garbage_part_is_an_object(blob):
    assert one(blob).kind == "object"


def test_zip_that_is_not_ooxml_is_an_object():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert one(out.getvalue()).kind == "object"


def test_zip_with_broken_content_types_is_an_object():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<!DOCTYPE x [<!ENTITY a 'b'>]><Types>&a;</Types>")
    assert one(out.getvalue()).kind == "object"


@pytest.mark.parametrize(
    "stream",
    [
        b"",
        b"\x10\x00",
        ole10native("half.pdf", PDF)[:14],  # in the label
        ole10native("half.pdf", PDF)[:60],  # in the paths
        ole10native("big.pdf", PDF)[:-40],  # data shorter than its size
        ole10native("big.pdf", PDF).replace(b"\x00\x03\x00", b"\x00\x03\x00\xff\xff\xff\x7f", 1),
    ],
)
def test_damaged_package_stream_is_a_file(stream):
    item = one(compound_file({"\x01Ole10Native": stream}))
    assert item.kind == "file"
    assert item.label in {"", "half.pdf", "big.pdf"}


def test_truncated_package_keeps_the_label_read():
    assert one(compound_file({"\x01Ole10Native": ole10native("half.pdf", PDF)[:30]})).label == (
        "half.pdf"
    )


def test_truncated_program_label_is_still_refused():
    stream = ole10native("setup.exe", b"")[:15]  # no NUL after the label
    assert refused(compound_file({"\x01Ole10Native": stream})) == {"name": "setup.exe"}


def test_unreadable_member_makes_the_document_damaged():
    def read(_name: str) -> bytes:
        raise zipfile.BadZipFile("Bad CRC-32")

    with pytest.raises(UnreadableDocument) as caught:
        inventory(["word/embeddings/oleObject1.bin"], {}, read)
    assert caught.value.code == "damaged_file"


def test_embedded_zip_bomb_is_not_expanded():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b" " * (50 * 1024 * 1024))
        archive.writestr("word/embeddings/oleObject1.bin", b"\0" * (50 * 1024 * 1024))
    assert len(out.getvalue()) < 200_000
    assert one(out.getvalue(), "word/embeddings/bomb.docx").kind == "object"


def test_embedded_zip_bomb_member_is_not_expanded():
    blob = office_zip("document", {"word/embeddings/oleObject1.bin": b"\0" * (50 * 1024 * 1024)})
    assert len(blob) < 100_000
    assert one(blob, "word/embeddings/bomb.docx").kind == "document"


def test_mutated_objects_raise_nothing_but_refusals():
    rng = random.Random(6)
    seeds = [
        package_object("report.pdf", PDF),
        compound_file({"WordDocument": b"x", "\x01CompObj": comp_obj("Microsoft Word Document")}),
        compound_file({"Package": office_zip("workbook")}),
        office_zip("document", {"word/embeddings/oleObject1.bin": package_object("a.pdf", PDF)}),
    ]
    for seed in seeds:
        for _ in range(150):
            blob = bytearray(seed)
            for _ in range(rng.randint(1, 12)):
                blob[rng.randrange(len(blob))] = rng.randrange(256)
            if rng.random() < 0.3:
                blob = blob[: rng.randrange(len(blob))]
            try:
                one(bytes(blob))
            except UnreadableDocument as error:
                assert error.code == "embedded_program"
