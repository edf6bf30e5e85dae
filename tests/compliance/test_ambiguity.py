"""Packages that different readers could read differently are refused, real ones are not."""

from __future__ import annotations

import io
import random
import struct
import zipfile

import docx
import pytest

from submissions.compliance.ambiguity import check_unambiguous
from submissions.compliance.package import CONTENT_TYPES, UnreadableDocument, parse_part

# Fields of a central directory record, as offsets from its signature.
CD_COMPRESS_SIZE = 20
CD_HEADER_OFFSET = 42


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


def zip_bytes(*entries: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def patch_central(data: bytes, name: str, field: int, value: int) -> bytes:
    """Rewrite one 4-byte field of the central directory record of `name`."""
    position = zipfile.ZipFile(io.BytesIO(data)).start_dir
    while data[position : position + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, position + 28)
        if data[position + 46 : position + 46 + name_length] == name.encode():
            at = position + field
            return data[:at] + struct.pack("<I", value) + data[at + 4 :]
        position += 46 + name_length + extra_length + comment_length
    raise AssertionError(f"{name} not in the central directory")


def data_offset(data: bytes, name: str) -> int:
    """Where the data of `name` starts: after its local header, name and extra field."""
    offset = zipfile.ZipFile(io.BytesIO(data)).getinfo(name).header_offset
    name_length, extra_length = struct.unpack_from("<HH", data, offset + 26)
    return offset + 30 + name_length + extra_length


def check(data: bytes, content_types: bool = True) -> None:
    source = io.BytesIO(data)
    archive = zipfile.ZipFile(source)
    root = None
    if content_types and CONTENT_TYPES in archive.namelist():
        root = parse_part(archive.read(CONTENT_TYPES))
    check_unambiguous(archive, source, root)


def refused_part(data: bytes, content_types: bool = True) -> str:
    with pytest.raises(UnreadableDocument) as caught:
        check(data, content_types)
    assert caught.value.code == "package_ambiguous"
    return caught.value.params["part"]


def test_check_unambiguous_passes_a_python_docx_document():
    check(docx_bytes())


class _Unseekable(io.RawIOBase):
    """A stream zipfile cannot seek back in, so it writes data descriptors (flag bit 3)."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        return self.buffer.write(data)


def test_check_unambiguous_passes_entries_with_data_descriptors():
    source = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    stream = _Unseekable()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info))
    data = stream.buffer.getvalue()
    assert all(info.flag_bits & 0x08 for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    check(data)


@pytest.mark.filterwarnings("ignore:Duplicate name")
@pytest.mark.parametrize("second", ["word/document.xml", "Word/Document.xml", "WORD/DOCUMENT.XML"])
def test_check_unambiguous_refuses_names_equal_ignoring_case(second):
    data = zip_bytes(("word/document.xml", b"<a/>"), (second, b"<b/>"))
    assert len(zipfile.ZipFile(io.BytesIO(data)).infolist()) == 2  # zipfile keeps both
    assert refused_part(data) == second


def test_check_unambiguous_refuses_two_names_for_one_local_header():
    data = zip_bytes(("word/document.xml", b"<a/>"), ("word/other.xml", b"<b/>"))
    data = patch_central(data, "word/other.xml", CD_HEADER_OFFSET, 0)
    assert refused_part(data) == "word/other.xml"


def test_check_unambiguous_refuses_an_entry_hidden_inside_another():
    # The "overlapping files" trick: a whole entry lies inside the data of another.
    inner = zip_bytes(("word/document.xml", b"<b/>"))
    inner_entry = inner[: zipfile.ZipFile(io.BytesIO(inner)).start_dir]
    data = zip_bytes(("word/media/a.bin", b"0" * 16 + inner_entry), ("word/document.xml", b"<b/>"))
    inside = data_offset(data, "word/media/a.bin") + 16
    data = patch_central(data, "word/document.xml", CD_HEADER_OFFSET, inside)
    assert zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml") == b"<b/>"  # zipfile obliges
    assert refused_part(data) == "word/document.xml"


def test_check_unambiguous_refuses_data_that_runs_over_the_next_entry():
    data = zip_bytes(("word/a.xml", b"<a/>"), ("word/b.xml", b"<b/>"))
    data = patch_central(data, "word/a.xml", CD_COMPRESS_SIZE, 5)
    assert refused_part(data) == "word/b.xml"


def test_check_unambiguous_refuses_data_that_runs_into_the_central_directory():
    data = zip_bytes(("word/a.xml", b"<a/>"), ("word/b.xml", b"<b/>"))
    data = patch_central(data, "word/b.xml", CD_COMPRESS_SIZE, 5)
    assert refused_part(data) == "word/b.xml"


@pytest.mark.parametrize("where", ["bad signature", "past the end"])
def test_check_unambiguous_leaves_a_damaged_local_header_to_the_caller(where):
    data = zip_bytes(("word/a.xml", b"<a/>"), ("word/b.xml", b"<b/>"))
    if where == "bad signature":
        offset = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/b.xml").header_offset
        data = data[:offset] + b"XX" + data[offset + 2 :]
    else:
        data = patch_central(data, "word/b.xml", CD_HEADER_OFFSET, 10 * len(data))
    assert check(data) is None


def _with_content_types(extra: str) -> bytes:
    """The python-docx document with `extra` elements added to its content types."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            blob = source.read(info)
            if info.filename == CONTENT_TYPES:
                blob = blob.replace(b"</Types>", extra.encode() + b"</Types>")
            archive.writestr(info, blob)
    return buffer.getvalue()


MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


@pytest.mark.parametrize(
    ("extra", "part"),
    [
        (f'<Override PartName="/WORD/Document.xml" ContentType="{MAIN}"/>', "/WORD/Document.xml"),
        (f'<Override PartName="/word/document.xml" ContentType="{MAIN}"/>', "/word/document.xml"),
        (f'<Override PartName="word/document.xml" ContentType="{MAIN}"/>', "word/document.xml"),
        ('<Default Extension="XML" ContentType="text/plain"/>', "*.XML"),
        ('<Default Extension="rels" ContentType="application/xml"/>', "*.rels"),
    ],
)
def test_check_unambiguous_refuses_content_types_naming_a_part_twice(extra, part):
    data = _with_content_types(extra)
    check(data, content_types=False)  # the zip itself is fine
    assert refused_part(data) == part


def test_check_unambiguous_passes_content_types_with_comments_and_other_parts():
    extra = '<!-- a note --><?pi x?><Override PartName="/word/extra.xml" ContentType="text/xml"/>'
    check(_with_content_types(extra))


def test_check_unambiguous_raises_nothing_else_on_damaged_directories():
    original = docx_bytes()
    start = zipfile.ZipFile(io.BytesIO(original)).start_dir
    rng = random.Random(6)
    for _ in range(300):
        data = bytearray(original)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(start, len(data))] = rng.randrange(256)
        try:
            archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
        except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError):
            continue  # the caller reports a damaged file
        try:
            check_unambiguous(archive, io.BytesIO(bytes(data)), None)
        except UnreadableDocument as refusal:
            assert refusal.code == "package_ambiguous"
