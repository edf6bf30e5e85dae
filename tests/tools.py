"""Tools the tests need from the machine: a missing one skips locally, fails in CI."""

from __future__ import annotations

import os
import shutil

import pytest


def find_tool(name: str) -> str | None:
    """An executable on PATH, or in the system directories (servers such as clamd and
    dovecot live in /usr/sbin, which a user's PATH may lack)."""
    return shutil.which(name, path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin"]))


def require_tool(name: str) -> str:
    """The path of an executable the test needs: skip without it, but fail in CI."""
    path = find_tool(name)
    if path is None:
        message = f"{name} is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}, and CI must run every test")
        pytest.skip(message)
    return path


def require_path(path, what: str):
    """A file or folder beside the project the test needs (../shared/...): as require_tool."""
    if not path.exists():
        message = f"{what} is not at {path}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}, and CI must run every test")
        pytest.skip(message)
    return path
