"""Pictures in the public copy, without what cameras and editors write into them.

A photo's EXIF block can carry where it was taken (GPS), the camera's owner and
serial number; XMP and IPTC blocks the author's name; PNG text chunks anything.
The picture stays as it is shown: only those blocks go. A file we cannot parse is
left as it was (the reader shows it as before).
"""

from __future__ import annotations

import struct

_JPEG = b"\xff\xd8"
_PNG = b"\x89PNG\r\n\x1a\n"
# APP1 (EXIF, XMP), APP12 (Ducky, Picture Info), APP13 (Photoshop/IPTC), COM (comments).
_JPEG_DROPPED = {0xE1, 0xEC, 0xED, 0xFE}
_PNG_DROPPED = {b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"tIME"}


def _jpeg(data: bytes) -> bytes:
    out, pos = [data[:2]], 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xDA:  # start of scan: the picture itself, to the end
            out.append(data[pos:])
            return b"".join(out)
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        segment = data[pos : pos + 2 + length]
        if len(segment) < 2 + length:
            return data  # truncated: not ours to mend
        if marker not in _JPEG_DROPPED:
            out.append(segment)
        pos += 2 + length
    return data  # no picture data found: leave it alone


def _png(data: bytes) -> bytes:
    out, pos = [_PNG], len(_PNG)
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        chunk = data[pos : pos + 12 + length]
        if len(chunk) < 12 + length:
            return data
        if kind not in _PNG_DROPPED:
            out.append(chunk)
        pos += 12 + length
        if kind == b"IEND":
            return b"".join(out)
    return data


def strip_metadata(data: bytes) -> bytes:
    """`data` (a picture) without its metadata blocks; anything else as it was."""
    if data.startswith(_JPEG):
        return _jpeg(data)
    if data.startswith(_PNG):
        return _png(data)
    return data
