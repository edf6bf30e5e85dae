"""Pictures lose their metadata blocks and keep what they show."""

import struct
import zlib

from submissions.compliance.pictures import strip_metadata
from tests.bad_inputs import PNG_PIXEL
from tests.planted import _jpeg_with_exif, _png_with_text


def test_a_photos_exif_goes_and_its_picture_stays():
    photo = _jpeg_with_exif()
    clean = strip_metadata(photo)
    assert b"Exif" in photo and b"Exif" not in clean
    assert clean.startswith(b"\xff\xd8\xff\xda")  # straight on to the picture data
    assert clean.endswith(b"\xff\xd9")


def test_a_pngs_text_goes_and_its_pixels_stay():
    assert strip_metadata(_png_with_text()) == PNG_PIXEL


def test_anything_else_or_damaged_is_left_as_it_was():
    truncated = b"\xff\xd8\xff\xe1\x40\x00Exif"  # says 16 KB follow, has 4 bytes
    for data in (b"GIF89a...", truncated, PNG_PIXEL[:20], b""):
        assert strip_metadata(data) == data
    chunk = b"tEXt" + b"k\0v"
    text = struct.pack(">I", 3) + chunk + struct.pack(">I", zlib.crc32(chunk))
    png = PNG_PIXEL[:-12] + text + PNG_PIXEL[-12:]
    assert strip_metadata(png + b"trailing") == PNG_PIXEL  # what follows IEND is not a picture
