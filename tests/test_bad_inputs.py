"""Every kind of bad upload gets its own clear answer: through the form at once,
through the rules module and `checkdocx`, within bounded time and memory."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from submissions import compliance
from submissions.compliance.package import UnreadableDocument, inspect_package
from submissions.models import Submission
from tests.conftest import SUBMITTER_FORM

ROOT = Path(__file__).parent.parent
MEMORY_LIMIT = 1536 * 1024 * 1024  # address space for checking every file, lingua included
TIME_LIMIT = 5.0  # seconds for any one file

# Checks every file in a process whose address space is capped: a file that made
# the check balloon would kill it. Prints {name: [codes, seconds]}.
CHECK_ALL = """
import json, resource, sys, time
from datetime import datetime, timezone
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
from submissions.compliance import CallRules, evaluate
rules = CallRules(word_limit=5000, deadline=None)
out = {}
for path in sys.argv[1:]:
    data = Path(path).read_bytes()
    start = time.perf_counter()
    report = evaluate(data, rules=rules, stakeholder_name="Global Alliance",
                      received_at=datetime.now(timezone.utc))
    out[Path(path).name] = [report.codes(), time.perf_counter() - start]
print(json.dumps(out))
"""


def test_the_corpus_is_large_enough(bad_inputs):
    assert len(bad_inputs) >= 30
    assert len({code for _path, code in bad_inputs.values()}) >= 20


def test_every_bad_file_gets_its_code_in_bounded_time_and_memory(bad_inputs):
    paths = [str(path) for path, _code in bad_inputs.values()]
    script = CHECK_ALL.replace("MEMORY", str(MEMORY_LIMIT))
    result = subprocess.run([sys.executable, "-c", script, *paths], cwd=ROOT,
                            capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    answers = json.loads(result.stdout)
    for name, (_path, code) in bad_inputs.items():
        codes, seconds = answers[name]
        if code == "ok":
            assert not any(c in codes for c in ("over_word_limit", "empty_document")), name
        else:
            assert codes[:1] == [code] or code in codes, (name, codes)
        assert seconds < TIME_LIMIT, (name, seconds)


def _refusal_params(path: Path) -> dict:
    """What the inspection found, for the messages that name it (the part, the program)."""
    try:
        inspect_package(io.BytesIO(path.read_bytes()), parse_xml=True)
    except UnreadableDocument as refusal:
        return refusal.params
    return {}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_checkdocx_gives_each_its_code_and_message(bad_inputs, capsys, language):
    for name, (path, code) in bad_inputs.items():
        call_command("checkdocx", str(path), "--name", "Global Alliance", "--json",
                     "--no-render", "--lang", language)  # fmt: skip
        report = json.loads(capsys.readouterr().out)
        codes = [f["code"] for f in report["findings"]]
        if code == "ok":
            assert report["ok"], (name, codes)
            continue
        assert code in codes, (name, codes)
        message = next(f["message"] for f in report["findings"] if f["code"] == code)
        assert message and message != code, name


def test_the_form_explains_each_problem_at_once_and_saves_nothing(client, open_call, bad_inputs):
    url = reverse("submissions:submit", args=[open_call.slug])
    for name, (path, code) in bad_inputs.items():
        upload = SimpleUploadedFile(name, path.read_bytes())
        response = client.post(url, {**SUBMITTER_FORM, "file": upload})
        if code in ("ok", "empty_document"):  # readable: the check tells, after upload
            assert response.status_code == 302, name
            continue
        assert response.status_code == 400, name
        expected = (
            "the largest accepted"
            if code == "file_too_large"
            else compliance.render(
                compliance.Finding(code, compliance.Severity.ERROR, _refusal_params(path))
            )
        )
        assert escape(expected) in response.content.decode(), name
        assert "Traceback" not in response.content.decode()
    assert Submission.objects.count() == 3  # the three readable files only
