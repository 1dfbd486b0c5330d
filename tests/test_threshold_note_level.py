"""``--threshold`` at ``--unit note``: it cuts a leading chordal track's texture bars with the bar model
(families.discovery_options), as docs/cli.md and json-schema.md say, so the CLI must not print that it has
no effect there (audit 25: it printed "note: --threshold has no effect with --unit note ...; ignored" while
POP909 101's families went from 17 to 25 at --threshold 0.05). With --texture-model off it does nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import motifcli

SONG = Path(__file__).resolve().parents[1] / "examples" / "pop909-101.mid"  # its piano leads: texture families


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(SONG), "-f", "json", "-q",
                           "-o", str(tmp_path) + "/", *args], capture_output=True, text=True, timeout=120, env=env)


def test_threshold_changes_the_note_levels_texture_families() -> None:
    score = motifcli.read_score(SONG)
    default = motifcli.annotate(score)
    strict = motifcli.annotate(score, threshold=0.05)
    assert len(strict.motifs) != len(default.motifs) or len(strict.occurrences) != len(default.occurrences)
    off = motifcli.annotate(score, texture_model="off")
    off_strict = motifcli.annotate(score, texture_model="off", threshold=0.05)
    assert [(m.name, len(m.occurrences)) for m in off.motifs] == [(m.name, len(m.occurrences)) for m in off_strict.motifs]


def test_cli_notes_threshold_unused_only_with_texture_model_off(tmp_path: Path) -> None:
    used = _run(tmp_path / "a", "--threshold", "0.05", "--window", "4")
    assert used.returncode == 0, used.stderr
    assert "--threshold has no effect" not in used.stderr
    assert "note: --window has no effect with --unit note" in used.stderr  # the bar-only options still get theirs
    unused = _run(tmp_path / "b", "--threshold", "0.05", "--texture-model", "off")
    assert unused.returncode == 0, unused.stderr
    assert unused.stderr.count("\n") == 1
    assert "note: --threshold has no effect with --unit note --texture-model off" in unused.stderr
