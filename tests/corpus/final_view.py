#!/usr/bin/python3
"""LibreOffice's count of a document's final view: tracked changes accepted.

LibreOffice counts text as it shows it, tracked deletions included; Word's
reader (and our count) reads the final view. To compare the same text, this
asks LibreOffice itself to accept every tracked change and then counts as
`../shared/oracle/lo_oracle.py` does (its own session and per-part counter,
imported from it). A document whose comments crash LibreOffice's UNO bridge is
counted from a copy without its comments (they are counted by no one).

Run with the system Python that has `uno` (see ../shared/oracle/README.md):

    /usr/bin/python3 tests/corpus/final_view.py OUT.json FILE.docx [FILE.docx ...]

OUT.json maps each file's name (without .docx) to {lo_word_count, parts, method}.
Existing entries are kept, so a long run can be resumed.
"""

import json
import os
import re
import sys
import tempfile
import zipfile
from pathlib import Path

ORACLE = Path(__file__).resolve().parents[3] / "shared" / "oracle"
sys.path.insert(0, str(ORACLE))
import lo_oracle  # noqa: E402

COMMENT_PARTS = re.compile(r"^word/comments[A-Za-z]*\.xml$|^word/people\.xml$")
COMMENT_MARKS = re.compile(
    rb"<w:commentRangeStart[^>]*/>|<w:commentRangeEnd[^>]*/>|<w:commentReference[^>]*/>"
)


def without_comments(path: str, folder: str) -> str:
    out = os.path.join(folder, "nocomments.docx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for info in source.infolist():
            if COMMENT_PARTS.match(info.filename):
                continue
            blob = source.read(info)
            if info.filename.startswith("word/") and info.filename.endswith(".xml"):
                blob = COMMENT_MARKS.sub(b"", blob)
            dest.writestr(info, blob)
    return out


def _load(session, path: str):
    url = session.uno.systemPathToFileUrl(os.path.abspath(path))
    doc = session.desktop.loadComponentFromURL(url, "_blank", 0, (session.pv("Hidden", True),))
    if doc is None:
        raise RuntimeError("LibreOffice could not load the document over UNO")
    return doc


def count_final_view(path: str, folder: str) -> dict:
    """Accept every change, save as ODT, load that again (so statistics are fresh), count."""
    session = lo_oracle.UnoSession(folder, 120)
    accepted = os.path.join(folder, "accepted.odt")
    try:
        doc = _load(session, path)
        dispatcher = session.smgr.createInstanceWithContext(
            "com.sun.star.frame.DispatchHelper", session.ctx
        )
        frame = doc.getCurrentController().getFrame()
        dispatcher.executeDispatch(frame, ".uno:AcceptAllTrackedChanges", "", 0, ())
        doc.storeToURL(
            session.uno.systemPathToFileUrl(accepted), (session.pv("FilterName", "writer8"),)
        )
        doc.close(True)
        doc = _load(session, accepted)
        parts = lo_oracle.story_parts(session, doc)
        result = {
            "lo_word_count": int(doc.WordCount),
            "parts": {
                k: {"words_breakiterator": v["words_breakiterator"]} for k, v in parts.items()
            },
        }
        doc.close(True)
        return result
    finally:
        session.close()


def converted(path: str, folder: str) -> str:
    """The file as LibreOffice converts it from the command line (where UNO cannot load it)."""
    lo_oracle.run_cli(["--convert-to", "odt", "--outdir", folder, path], folder, 120)
    return os.path.join(folder, Path(path).stem + ".odt")


def main() -> int:
    out = Path(sys.argv[1])
    answers = json.loads(out.read_text()) if out.exists() else {}
    for path in sys.argv[2:]:
        name = Path(path).stem
        if name in answers:
            continue
        attempts = [
            ("uno, changes accepted", lambda folder, p=path: p),
            ("converted to odt, changes accepted", lambda folder, p=path: converted(p, folder)),
            (
                "comments removed, converted to odt, changes accepted",
                lambda folder, p=path: converted(without_comments(p, folder), folder),
            ),
        ]
        for method, prepare in attempts:
            folder = tempfile.mkdtemp(prefix="final_view_")
            try:
                answers[name] = count_final_view(prepare(folder), folder) | {"method": method}
                break
            except Exception as error:  # UNO died or could not load it: try the next way
                print(f"{name}: {method}: {error!r}", file=sys.stderr)
        if name not in answers:
            continue
        out.write_text(json.dumps(answers, indent=1, sort_keys=True))
        print(name, answers[name]["lo_word_count"], file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
