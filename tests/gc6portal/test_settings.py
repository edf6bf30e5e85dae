"""Production settings: `check --deploy` must be clean, and must catch a missing key."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from gc6portal.env import env_bool, env_int

ROOT = Path(__file__).resolve().parents[2]  # the project, above tests/gc6portal/


def _deploy_check(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GC6_"))}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = _deploy_check(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50), DJANGO_ALLOWED_HOSTS="gc6.example.org"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_refuses_the_fallback_secret_key():
    result = _deploy_check(DJANGO_ALLOWED_HOSTS="gc6.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_env_bool_refuses_anything_but_true_or_false(monkeypatch):
    monkeypatch.setenv("GC6_FLAG", "yes")
    with pytest.raises(ImproperlyConfigured):
        env_bool("GC6_FLAG")
    monkeypatch.setenv("GC6_FLAG", "False")
    assert env_bool("GC6_FLAG", True) is False


def test_env_int_refuses_words(monkeypatch):
    monkeypatch.setenv("GC6_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured):
        env_int("GC6_NUMBER", 1)
