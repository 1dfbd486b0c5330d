"""``motif annotate FOLDER --across`` as MuseScore 3 shows it: each file of the collection opens with
exactly its statements' notes coloured and bracketed, and a family shared across the files has one
colour in all of them (phase20-acrosscli20.md). The songs are test_annotate_across's (mido-written,
one 5-note motif stated once in each)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_annotate_across import folder, motif_family
from test_musescore import MuseScore, assert_shown, motif_env, musescore, read_mscx  # noqa: F401

pytestmark = pytest.mark.musescore


def test_a_collection_opens_in_musescore_with_one_colour_per_shared_family(musescore: MuseScore, tmp_path: Path) -> None:
    songs = folder(tmp_path)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "motifcli", "annotate", str(songs), "--across", "-o", str(out),
           "--format", "musicxml", "--format", "json"]
    proc = subprocess.run(cmd, env=motif_env(), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"$ {' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}"
    reports = [json.loads((out / f"song{k}.motifs.json").read_text()) for k in range(3)]
    entries = [{"in": str(out / f"song{k}.motifs.musicxml"), "out": [str(tmp_path / f"song{k}.mscx")]} for k in range(3)]
    musescore.job(entries, tmp_path)
    colours: dict[str, set[str]] = {}
    for k, report in enumerate(reports):
        mscx = read_mscx(tmp_path / f"song{k}.mscx")
        assert_shown(mscx, report)  # every statement's notes in its family's colour, its bracket, nothing else
        for m in report["motifs"]:
            colours.setdefault(m["name"], set()).add(m["color"])
        (shared,) = motif_family(report, k)  # the motif stated once in each song is one family there
        assert any(m["name"] == shared and len(m["occurrences"]) == 1 for m in report["motifs"])
        shown = {n.color for n in mscx.notes if n.color}
        assert next(m["color"] for m in report["motifs"] if m["name"] == shared).lower() in {c.lower() for c in shown}
    assert all(len(c) == 1 for c in colours.values()), colours  # a family's colour is the same in every file
