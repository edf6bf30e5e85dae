"""The rules' configuration, read from the settings: package limits and the renderer."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.conf import settings

from submissions import rendering
from submissions.compliance.package import PackageLimits


def package_limits() -> PackageLimits:
    """How large and complex an upload may be, from the settings."""
    return PackageLimits(
        max_file_bytes=settings.GC6_MAX_UPLOAD_BYTES,
        max_members=settings.GC6_ZIP_MAX_MEMBERS,
        max_member_bytes=settings.GC6_ZIP_MAX_MEMBER_BYTES,
        max_total_bytes=settings.GC6_ZIP_MAX_TOTAL_BYTES,
        max_xml_bytes=settings.GC6_ZIP_MAX_XML_BYTES,
        max_compression_ratio=settings.GC6_ZIP_MAX_RATIO,
    )


def first_page_renderer() -> Callable[[bytes], str | None] | None:
    """LibreOffice's page 1, if the settings ask for it and LibreOffice is installed."""
    if not settings.GC6_RENDER_FIRST_PAGE or rendering.soffice_path() is None:
        return None
    return partial(rendering.render_first_page, timeout=settings.GC6_RENDER_TIMEOUT)
