"""`--bar-offset`: a MIDI file's pickup moves the window grid, and nothing lands before beat 0."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import REPO, needs_data, song_path


@needs_data
def test_bar_offset_moves_every_occurrence_onto_the_given_grid(tmp_path, rawroll_path) -> None:
    outputs = {}
    for offset in ("0", "1"):
        out = tmp_path / offset
        proc = subprocess.run(
            [sys.executable, "-m", "motifcli", "annotate", str(song_path(101)), "--model", str(rawroll_path),
             "--threshold", "0.3", "--format", "json", "--bar-offset", offset, "-o", str(out), "--unit", "bar"],
            cwd=REPO, capture_output=True, text=True, timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        outputs[offset] = json.loads((out / "101.motifs.json").read_text())
    for offset, report in outputs.items():
        starts = [o["start_beat"] for m in report["motifs"] for o in m["occurrences"]]
        assert starts, "no motif found"
        assert min(starts) >= 0
        assert all(s == 0 or (s - float(offset)) % 4 == 0 for s in starts)
        assert report["settings"]["bar_origin_beats"] == float(offset)


def test_bar_offset_out_of_range_is_a_usage_error(tmp_path, rawroll_path) -> None:
    midi = tmp_path / "x.mid"
    midi.write_bytes(b"MThd\x00\x00\x00\x06\x00\x00\x00\x01\x01\xe0MTrk\x00\x00\x00\x04\x00\xff\x2f\x00")
    proc = subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(midi), "--model", str(rawroll_path),
                           "--bar-offset", "-2"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "--bar-offset" in proc.stderr
