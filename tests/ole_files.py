"""A minimal OLE2 compound file writer, since olefile only reads them.

Enough for the tests of embedded objects: version 3 files (512-byte sectors), one FAT of
up to 109 sectors, no mini stream (every stream is padded to the 4096-byte cut-off, so
that it lives in ordinary sectors), storages made from the paths of the streams.
"""

from __future__ import annotations

import itertools
import struct

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SECTOR = 512
MINI_CUTOFF = 4096
FREE, END_OF_CHAIN, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
STORAGE, STREAM, ROOT = 1, 2, 5


def _entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
    encoded = name.encode("utf-16-le") + b"\0\0"
    assert len(encoded) <= 64, name
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        encoded,
        len(encoded) if name else 0,
        kind,
        1,  # black: a chain of right siblings is a valid (if unbalanced) tree for readers
        NO_STREAM,
        right,
        child,
        b"\0" * 16,
        0,
        0,
        0,
        start,
        size,
    )


def _chain(fat: list[int], first: int, count: int) -> None:
    for sector in range(first, first + count):
        fat[sector] = sector + 1
    fat[first + count - 1] = END_OF_CHAIN


def compound_file(streams: dict[str, bytes], pad: bool = True) -> bytes:
    """A compound file holding `streams`; "Macros/VBA/dir" makes storages Macros and VBA.

    With `pad`, every stream is padded with NULs to 4096 bytes (readers then see the padded
    size); without it, a shorter stream raises, since this writer has no mini stream.
    """
    tree: dict = {}
    for path, data in streams.items():
        node = tree
        *storages, name = path.split("/")
        for storage in storages:
            node = node.setdefault(storage, {})
        if pad:
            data = data.ljust(MINI_CUTOFF, b"\0")
        if len(data) < MINI_CUTOFF:
            raise ValueError(f"{path}: streams under {MINI_CUTOFF} bytes need a mini stream")
        node[name] = data

    # Directory entries in order: the root, then each storage's children, depth first.
    entries: list[list] = [["Root Entry", ROOT, NO_STREAM, NO_STREAM, b""]]
    blobs: list[bytes] = []

    def add(children: dict, parent: int) -> None:
        ids = []
        for name, value in children.items():
            ids.append(len(entries))
            kind = STORAGE if isinstance(value, dict) else STREAM
            entries.append([name, kind, NO_STREAM, NO_STREAM, value])
            if kind == STORAGE:
                add(value, ids[-1])
        for left, right in itertools.pairwise(ids):
            entries[left][2] = right
        if ids:
            entries[parent][3] = ids[0]

    add(tree, 0)

    data_sectors: list[tuple[int, int]] = []  # (first sector, size) per entry
    next_sector = 0
    for _name, kind, _right, _child, value in entries:
        if kind == STREAM:
            count = -(-len(value) // SECTOR)
            data_sectors.append((next_sector, len(value)))
            blobs.append(value.ljust(count * SECTOR, b"\0"))
            next_sector += count
        else:
            data_sectors.append((END_OF_CHAIN, 0))
    directory = b"".join(
        _entry(name, kind, right, child, *data_sectors[index])
        for index, (name, kind, right, child, _value) in enumerate(entries)
    )
    free_entry = _entry("", 0, NO_STREAM, NO_STREAM, 0, 0)
    while len(directory) % SECTOR:
        directory += free_entry
    dir_first, dir_count = next_sector, len(directory) // SECTOR
    used = next_sector + dir_count
    fat_count = 1
    while fat_count * (SECTOR // 4) < used + fat_count:
        fat_count += 1
    if fat_count > 109:
        raise ValueError("too large for a header-only DIFAT")
    fat = [FREE] * (fat_count * SECTOR // 4)
    for (first, size), (_n, kind, *_rest) in zip(data_sectors, entries, strict=True):
        if kind == STREAM:
            _chain(fat, first, -(-size // SECTOR))
    _chain(fat, dir_first, dir_count)
    fat_first = used
    for sector in range(fat_first, fat_first + fat_count):
        fat[sector] = FAT_SECTOR
    difat = list(range(fat_first, fat_first + fat_count)) + [FREE] * (109 - fat_count)
    header = (
        MAGIC
        + b"\0" * 16
        + struct.pack("<HHHHH6sIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6, 0, fat_count,
                      dir_first, 0, MINI_CUTOFF, END_OF_CHAIN, 0, END_OF_CHAIN, 0)
        + struct.pack("<109I", *difat)
    )  # fmt: skip
    assert len(header) == SECTOR
    return header + b"".join(blobs) + directory + struct.pack(f"<{len(fat)}I", *fat)


def ole10native(
    label: str,
    data: bytes,
    original: str | None = None,
    temporary: str | None = None,
    unicode_names: tuple[str, str, str] | None = None,
) -> bytes:
    """The \\x01Ole10Native stream of an OLE Package (Windows Packager's layout)."""
    original = original if original is not None else "C:\\Users\\me\\Documents\\" + label
    temporary = temporary if temporary is not None else "C:\\Temp\\" + label
    temp = temporary.encode("cp1252") + b"\0"
    body = (
        struct.pack("<H", 2)
        + label.encode("cp1252")
        + b"\0"
        + original.encode("cp1252")
        + b"\0"
        + struct.pack("<HH", 0, 3)
        + struct.pack("<I", len(temp))
        + temp
        + struct.pack("<I", len(data))
        + data
    )
    for name in unicode_names or ():
        body += struct.pack("<I", len(name)) + name.encode("utf-16-le")
    return struct.pack("<I", len(body)) + body


def comp_obj(user_type: str, prog_id: str = "") -> bytes:
    """A \\x01CompObj stream: header, user type, clipboard format (none), ProgID."""

    def ansi(text: str) -> bytes:
        raw = text.encode("cp1252") + b"\0"
        return struct.pack("<I", len(raw)) + raw

    header = struct.pack("<III16s", 0xFFFE0001, 0x00000A03, 0xFFFFFFFF, b"\0" * 16)
    return header + ansi(user_type) + struct.pack("<I", 0) + ansi(prog_id)


def package_object(label: str, data: bytes, **names) -> bytes:
    """An embedded OLE Package (what Word writes as word/embeddings/oleObjectN.bin)."""
    return compound_file(
        {"\x01Ole10Native": ole10native(label, data, **names), "\x01CompObj": comp_obj("Package")}
    )
