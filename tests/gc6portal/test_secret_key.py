"""With DEBUG off, no server starts without a secret key of its own; offline commands
still run (they sign nothing)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the project, above tests/gc6portal/
REFUSAL = "DJANGO_SECRET_KEY is not set"


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    """A process of the project with only `env` of the DJANGO_ and GC6_ variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GC6_"))}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, "DJANGO_ALLOWED_HOSTS": "gc6.example.org", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _settings(**env: str) -> subprocess.CompletedProcess:
    """The WSGI application gunicorn and runserver load."""
    return _run("-c", "import gc6portal.wsgi", **env)


def test_debug_off_without_a_key_refuses_to_start():
    result = _settings()
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert REFUSAL in result.stderr


def test_debug_off_with_the_development_key_refuses_to_start():
    result = _settings(DJANGO_SECRET_KEY="django-insecure-local-development-only")
    assert REFUSAL in result.stderr


def test_debug_off_with_an_empty_key_file_refuses_to_start(tmp_path):
    (tmp_path / "key").write_text("\n")
    assert REFUSAL in _settings(DJANGO_SECRET_KEY_FILE=str(tmp_path / "key")).stderr


def test_debug_on_without_a_key_starts_with_the_development_key():
    assert _settings(DJANGO_DEBUG="True").returncode == 0


def test_the_deploy_check_refuses_to_start_without_a_key_and_passes_with_one():
    refused = _run("manage.py", "check", "--deploy")
    assert refused.returncode != 0
    assert REFUSAL in refused.stderr
    passed = _run(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
    )  # fmt: skip
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_the_worker_refuses_to_start_without_a_key():
    result = _run("-m", "celery", "-A", "gc6portal", "worker", "--help")
    assert result.returncode != 0 and REFUSAL in result.stderr


def test_offline_commands_run_without_a_key(tmp_path):
    from tests.documents import make_docx

    draft = tmp_path / "draft.docx"
    draft.write_bytes(make_docx("1. The Committee adopts this."))
    result = _run("manage.py", "split_draft", str(draft), "--json")
    assert result.returncode == 0, result.stderr
    assert "The Committee adopts this." in result.stdout


def test_a_key_from_a_file_is_enough(tmp_path):
    (tmp_path / "key").write_text(secrets.token_urlsafe(50) + "\n")
    assert _settings(DJANGO_SECRET_KEY_FILE=str(tmp_path / "key")).returncode == 0
