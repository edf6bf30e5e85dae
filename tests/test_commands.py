import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from submissions import held_uploads
from tests.documents import make_docx

ROOT = Path(__file__).parent.parent
ORACLE = Path(__file__).parent / "data" / "oracle"


def test_checkdocx_prints_the_json_report():
    # A real process, as a user (or a hook) runs it: no database needed.
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "checkdocx",
            str(ORACLE / "lo_cap_depends_on_notes.docx"),
            "--name",
            "Global Alliance for Migrant Workers' Rights",
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    report = json.loads(result.stdout)
    assert report["word_count"] == 5389
    assert report["word_count_main"] == 4919
    assert report["word_count_with_notes"] == 5389
    assert report["word_limit"] == 5000
    assert report["name_on_first_page"] is True
    assert report["ok"] is False
    (finding,) = report["findings"]
    assert finding["code"] == "over_word_limit"
    assert finding["severity"] == "error"
    assert "5,389" in finding["message"]


def test_checkdocx_uses_a_calls_deadline(tmp_path, capsys, gc6_call):
    path = tmp_path / "late.docx"
    path.write_bytes(make_docx("Global Alliance"))
    call_command(
        "checkdocx",
        str(path),
        "--name",
        "Global Alliance",
        "--call",
        "gc6",
        "--received",
        "2022-09-13T00:00:01+02:00",
        "--json",
        "--lang",
        "fr",
    )
    report = json.loads(capsys.readouterr().out)
    assert [f["code"] for f in report["findings"]] == ["received_after_deadline"]
    assert report["received_on_time"] is False


def test_checkdocx_reports_a_missing_file_plainly(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "checkdocx", str(tmp_path / "missing.docx")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "Cannot read" in result.stderr
    assert "Traceback" not in result.stderr


def test_load_demo_is_idempotent(db, capsys):
    from submissions.enums import State
    from submissions.models import Call, Comment, DraftText, Submission

    call_command("load_demo")
    call_command("load_demo")
    assert Call.objects.filter(slug="gc6-draft").count() == 1
    demo = Submission.objects.filter(call__slug="gc6")
    assert demo.count() == 13
    draft = Submission.objects.filter(call__slug="gc6-draft")
    assert draft.count() == 4
    # The second round: the draft published once per language, comments posted on it.
    published = DraftText.objects.filter(call__slug="gc6-draft", published_at__isnull=False)
    assert sorted(published.values_list("language", flat=True)) == ["en", "es", "fr"]
    assert DraftText.objects.count() == 3
    assert draft.filter(state=State.POSTED).count() == 3
    assert (
        Comment.objects.filter(submission__state=State.POSTED).exclude(public_text="").count() == 5
    )
    assert demo.filter(state=State.POSTED).count() == 5
    # The rest: decided (taken down, rejected, withdrawn) or waiting for a person.
    assert set(demo.exclude(state=State.POSTED).values_list("state", flat=True)) == {
        State.ACCEPTED,
        State.NEEDS_ATTENTION,
        State.READY_TO_POST,
        State.UNPOSTED,
        State.REJECTED,
        State.WITHDRAWN,
    }
    assert demo.filter(finding_codes__contains=" over_word_limit ").count() == 1
    assert demo.filter(duplicate_reasons__icontains="similar_text").count() == 3
    assert Call.objects.get(slug="gc6-draft").is_open()


def test_publiccopy_writes_what_posting_would_redacted_when_anonymous(tmp_path):
    source = tmp_path / "in.docx"
    source.write_bytes(make_docx("Submitted by Secret NGO", "Write to ngo@example.org."))
    out = tmp_path / "out.docx"
    call_command(
        "publiccopy", str(source), str(out), "--name", "Secret NGO", "--anonymous",
        "--contact-email", "ngo@example.org", "--title", "GC6-0042",
    )  # fmt: skip
    from submissions.compliance import public_text
    from submissions.compliance.public_copy import public_copy

    assert (
        public_text(out.read_bytes()) == "Submitted by [name withheld]\n\nWrite to [name withheld]."
    )
    assert out.read_bytes() == public_copy(
        source.read_bytes(), stakeholder="Secret NGO", number="GC6-0042", withheld=True,
        contact=("", "ngo@example.org"),
    )  # fmt: skip


def test_checkdocx_reports_where_an_anonymous_document_names_its_submitter(tmp_path, capsys):
    source = tmp_path / "in.docx"
    source.write_bytes(make_docx("Submitted by Secret NGO", "Our input."))
    call_command(
        "checkdocx", str(source), "--name", "Secret NGO", "--publication", "anonymous",
        "--json", "--no-render",
    )  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    (found,) = [f for f in report["findings"] if f["code"] == "name_in_anonymous_document"]
    assert found["params"] == {"place": "text", "count": 1, "excerpt": "Submitted by Secret NGO"}
    assert "names you in its text" in found["message"]


def test_the_sweeper_deletes_held_files_older_than_their_reference(db, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path)}},
    }
    old = held_uploads.hold(SimpleUploadedFile("old.docx", make_docx("Old")))
    fresh = held_uploads.hold(SimpleUploadedFile("fresh.docx", make_docx("Fresh")))
    old_path = tmp_path / signing.loads(old.reference, salt=held_uploads.SALT)["path"]
    past = time.time() - held_uploads.MAX_AGE.total_seconds() - 60
    os.utime(old_path, (past, past))
    out = io.StringIO()
    call_command("requeue_stuck", stdout=out)
    assert out.getvalue().splitlines()[-1] == "deleted 1 held file(s)"
    assert not old_path.exists()
    assert held_uploads.take(fresh.reference).name == "fresh.docx"
    with pytest.raises(held_uploads.HeldUploadError):
        held_uploads.take(old.reference)
