"""The worker's own metrics endpoint (gc6portal/worker_metrics.py): its settings. A
real worker serving its checks' counts there: tests/integration/test_topology.py."""

from __future__ import annotations

import os
from pathlib import Path

from gc6portal import worker_metrics

# PROMETHEUS_MULTIPROC_DIR is set empty, never deleted, so that monkeypatch takes back
# what prepare() writes: left in this process's environment, it would send later
# tests' subprocesses to a removed folder.


def test_no_port_no_endpoint_and_nothing_changed(monkeypatch):
    monkeypatch.delenv("GC6_WORKER_METRICS_PORT", raising=False)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", "")
    assert worker_metrics.prepare() is None
    assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == ""


def test_a_port_turns_multiprocess_mode_on_in_an_empty_folder_of_its_own(monkeypatch):
    monkeypatch.setenv("GC6_WORKER_METRICS_PORT", "9101")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", "")
    assert worker_metrics.prepare() == 9101
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    assert folder.is_dir() and list(folder.iterdir()) == []
    folder.rmdir()


def test_the_operators_folder_is_kept(monkeypatch, tmp_path):
    monkeypatch.setenv("GC6_WORKER_METRICS_PORT", "9101")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    assert worker_metrics.prepare() == 9101
    assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(tmp_path)
