"""Private storage for uploads: outside every served directory, flushed to disk."""

from __future__ import annotations

import os

from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files here have no URL; views that check a submission's state serve them.

    Each saved file is fsynced, so that a receipt is never shown for a file that
    a power cut could still lose.
    """

    def __init__(self, **kwargs) -> None:
        kwargs["base_url"] = None
        super().__init__(**kwargs)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL.")

    def _save(self, name: str, content) -> str:
        name = super()._save(name, content)  # type: ignore[misc]  # not in the stubs
        fd = os.open(self.path(name), os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        return name
