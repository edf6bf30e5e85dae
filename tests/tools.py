"""Tools the tests need from the machine: a missing one skips locally, fails in CI."""

from __future__ import annotations

import os
import shutil

import pytest


def require_tool(name: str) -> str:
    """The path of an executable the test needs: skip without it, but fail in CI."""
    path = shutil.which(name)
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
