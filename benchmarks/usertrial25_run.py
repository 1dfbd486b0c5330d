"""Run ``motif annotate`` on each user-trial input as a user would and check what comes out (session 25).

Per input: exit status, the last stderr line, wall time, the files written; then checks a user cannot easily
make by eye: the input's bytes unchanged, no temporary or partial file left, the JSON valid against
docs/annotation.schema.json, the MusicXML read back by music21 (and converted by MuseScore 3 when
``--mscore`` is given), the annotated MIDI read back by mido; and the families in numbers (how many, how many
occurrences, the share of the notes the first family covers, the widest family's bars). Prints one JSON line
per input and a table.

    python benchmarks/usertrial25_run.py --motif /tmp/ut25/venv2/bin/motif /tmp/ut25/in /tmp/ut25/out
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUFFIXES = (".mid", ".midi", ".musicxml", ".xml", ".mxl")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check_json(path: Path) -> dict:
    import jsonschema

    data = json.loads(path.read_text())
    schema = json.loads((ROOT / "docs" / "annotation.schema.json").read_text())
    errors = [e.message[:120] for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]
    notes = data["score"].get("note_count", 0) or 1
    fams = data["motifs"]
    occ = sum(len(f["occurrences"]) for f in fams)
    cover = []
    for f in fams[:1]:
        idx = {(o["track"], i) for o in f["occurrences"] for i in o.get("note_indices", [])}
        cover.append(round(len(idx) / notes, 2))
    return {
        "schema_errors": errors[:3],
        "families": len(fams),
        "occurrences": occ,
        "notes": data["score"].get("note_count"),
        "first_cover": cover[0] if cover else None,
        "meter": f"{data['meter'].get('source')} {[s['time_signature'] for s in data['meter'].get('sections', [])][:4]}",
        "lines": sorted({o["line"] for f in fams for o in f["occurrences"]})[:6],
    }


def _check_xml(path: Path, mscore: str | None) -> dict:
    from music21 import converter

    out: dict = {}
    try:
        s = converter.parse(str(path))
        out["m21_notes"] = len(s.flatten().notes)
    except Exception as exc:  # noqa: BLE001 (report any parser failure)
        out["m21_error"] = f"{type(exc).__name__}: {exc}"[:160]
    if mscore:
        with tempfile.TemporaryDirectory() as home:
            env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=home, XDG_RUNTIME_DIR=home)
            pdf = Path(home) / "x.pdf"
            r = subprocess.run([mscore, "-o", str(pdf), str(path)], env=env, capture_output=True, text=True, timeout=300)
            warn = [ln for ln in (r.stderr + r.stdout).splitlines() if ln.strip() and "QStandardPaths" not in ln]
            out["mscore_rc"] = r.returncode
            out["mscore_pdf"] = pdf.exists() and pdf.stat().st_size > 0
            out["mscore_msgs"] = warn[:4]
    return out


def _check_mid(path: Path) -> dict:
    import mido

    try:
        m = mido.MidiFile(str(path))
        return {"mido_markers": sum(1 for t in m.tracks for e in t if e.type == "marker")}
    except Exception as exc:  # noqa: BLE001
        return {"mido_error": f"{type(exc).__name__}: {exc}"[:160]}


def run_one(motif: str, src: Path, out: Path, extra: list[str], mscore: str | None) -> dict:
    """Annotate ``src`` into its own folder under ``out`` and check everything written."""
    dst = out / src.name.replace(" ", "_")
    dst.mkdir(parents=True, exist_ok=True)
    before = _digest(src) if src.is_file() else None
    fmt = ["-f", "musicxml" if src.suffix in (".musicxml", ".xml", ".mxl") else "midi", "-f", "json"]
    t0 = time.perf_counter()
    r = subprocess.run([motif, "annotate", str(src), "-o", f"{dst}/", *fmt, *extra], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    err = [ln for ln in r.stderr.splitlines() if ln.strip()]
    row: dict = {"input": str(src.name), "rc": r.returncode, "seconds": round(wall, 2), "stderr": err[-3:]}
    row["input_unchanged"] = before is None or _digest(src) == before
    files = sorted(p.name for p in dst.iterdir())
    row["written"] = files
    row["stray"] = [f for f in files if not f.endswith((".json", ".mid", ".musicxml"))]
    for p in dst.iterdir():
        if p.suffix == ".json":
            row.update(_check_json(p))
        elif p.suffix == ".musicxml":
            row.update(_check_xml(p, mscore))
        elif p.suffix == ".mid":
            row.update(_check_mid(p))
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--motif", default="motif")
    ap.add_argument("--mscore", default=None)
    ap.add_argument("extra", nargs="*", help="more motif options (after --)")
    a = ap.parse_args()
    rows = []
    for src in sorted(a.inputs.iterdir()):
        if src.is_file():
            row = run_one(a.motif, src, a.out, a.extra, a.mscore)
            print(json.dumps(row, ensure_ascii=False), flush=True)
            rows.append(row)
    (a.out / "rows.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    sys.exit(main())
