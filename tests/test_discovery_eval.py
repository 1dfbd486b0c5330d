"""The note-level discovery benchmark: corpus loaders on real files, MIREX scoring, SIATEC, the CLI."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, subprocess_env
from motifcli.score import Note, Score, Track

corpora = pytest.importorskip("benchmarks.motif_corpora")
from benchmarks.baselines.siatec import SiatecSettings, morphetic, siatec_patterns  # noqa: E402
from benchmarks.discovery_eval import METHODS, score  # noqa: E402

try:
    DATA: Path | None = corpora.data_root()
except FileNotFoundError:
    DATA = None
needs_motif_data = pytest.mark.skipif(DATA is None, reason="shared/data with bps_motif_dev not found")


@needs_motif_data
def test_bps_loader_matches_labels_and_score() -> None:
    (piece,) = corpora.load_bps(["01-1"])
    assert DATA is not None
    rows = [r for r in csv.DictReader((DATA / "bps_motif_dev" / "labels.csv").open()) if r["piece"] == "01-1"]
    assert sorted(piece.pattern_names) == sorted({r["motif"] for r in rows})
    assert sum(len(o) for p in piece.patterns for o in p) == len({(r["motif"], r["occurrence"], r["onset_beats"],
                                                                    r["pitch"]) for r in rows})
    first = [r for r in rows if r["motif"] == "a" and r["occurrence"] == "1"]
    a = piece.patterns[piece.pattern_names.index("a")]
    assert a[0] == sorted({(float(r["onset_beats"]), int(r["pitch"])) for r in first})
    # every labelled note is a note of the MIDI, in the staff the label names
    by_track = {(n.track, n.onset, n.pitch) for n in piece.notes}
    for pattern, tracks in zip(piece.patterns, piece.pattern_tracks):
        for occ, track in zip(pattern, tracks):
            if track is not None:
                assert all((track, o, p) in by_track for o, p in occ)
    assert {piece.score.tracks[t].name for ts in piece.pattern_tracks for t in ts if t is not None} == {"staff0", "staff1"}


@needs_motif_data
def test_pop909_regions_become_piano_notes_inside_the_span() -> None:
    (piece,) = corpora.load_pop909(["023"])
    piano = piece.score.track_named("PIANO")
    spans = [n for t in corpora.motifcli.read_score(DATA / "pop909_motif_labels" / "023.mid").tracks for n in t.notes]
    piano_notes = {(n.onset, n.pitch) for n in piano.notes}
    assert piece.patterns and all(len(p) >= 1 for p in piece.patterns)
    for name, pattern in zip(piece.pattern_names, piece.patterns):
        mine = [s for s in spans if s.pitch == int(name)]
        for occ in pattern:
            assert set(occ) <= piano_notes
            assert any(s.onset - 0.2 <= occ[0][0] and occ[-1][0] < s.offset for s in mine)


@needs_motif_data
def test_mtc_occurrences_have_notes_and_family_keys() -> None:
    pieces = corpora.load_corpus("mtc", "tune")
    families = json.loads((REPO / "benchmarks" / "splits" / "mtc.json").read_text())["tune_families"]
    occs = corpora.mtc_occurrences(pieces)
    assert occs and all(o.notes for o in occs)
    assert {o.tunefamily for o in occs} == set(families)
    assert all(o.onset - 1e-6 <= n.onset < o.offset for o in occs for n in o.notes)


@needs_motif_data
def test_reference_scores_one_and_a_degraded_estimate_less() -> None:
    (piece,) = corpora.load_bps(["05-1"])
    perfect = score(piece.patterns, piece.patterns)
    for key in ("F_est", "P_est", "R_est", "F_occ.75", "F_occ.5", "F_3", "FFP"):
        assert perfect[key] == pytest.approx(1.0), key
    half = [[occ[: max(1, len(occ) // 2)] for occ in p] for p in piece.patterns[: len(piece.patterns) // 2]]
    worse = score(half, piece.patterns)
    assert worse["R_est"] < 0.9 and worse["F_3"] < 0.9
    assert score([], piece.patterns)["F_est"] == 0.0


def _synthetic_piece(shifts: list[tuple[float, int]]) -> tuple[corpora.Piece, list[list[tuple[float, int]]]]:
    """A sparse random-walk line plus a 5-note motif planted at (time, transposition) ``shifts``."""
    import random

    rng = random.Random(7)
    motif = [(0.0, 0), (0.5, 2), (1.0, 4), (1.5, 7), (3.0, 5)]
    notes, planted = [], []
    for t0, dp in shifts:
        occ = [(t0 + dt, 60 + dp + p) for dt, p in motif]
        planted.append(occ)
        notes += [Note(o, o + 0.5, p) for o, p in occ]
    pitch, t = 50, 0.25
    while t < 64:
        pitch = max(30, min(90, pitch + rng.choice([-5, -3, 3, 4, 6])))
        t += rng.choice([0.75, 1.25, 1.75])
        notes.append(Note(round(t, 2), round(t, 2) + 0.5, pitch))
    notes.sort(key=lambda n: (n.onset, n.pitch))
    score_ = Score([Track(0, "synthetic", notes)])
    return corpora.Piece("synthetic", "planted", Path("planted.mid"), score_, [planted], ["x"]), planted


def test_siatec_finds_a_planted_transposed_pattern() -> None:
    piece, planted = _synthetic_piece([(4.0, 0), (20.0, 5), (41.0, -3)])
    found = siatec_patterns(piece, SiatecSettings(grid=0.25))
    assert found
    best = found[0]
    for occ in planted:
        assert any(set(occ) <= set(mine) for mine in best), occ
    assert score(found, piece.patterns)["R_est"] == pytest.approx(1.0)


def test_siatec_on_too_few_points_finds_nothing() -> None:
    piece, _ = _synthetic_piece([(0.0, 0)])
    piece.score.tracks[0].notes[:] = piece.score.tracks[0].notes[:5]
    assert siatec_patterns(piece) == []


def test_morphetic_pitch_maps_a_c_major_scale_to_steps() -> None:
    import numpy as np

    scale = np.array([60, 62, 64, 65, 67, 69, 71, 72])
    steps = morphetic(scale, np.ones(len(scale)))
    assert list(np.diff(steps)) == [1] * 7


def test_methods_are_registered_by_name() -> None:
    assert {"reference", "siatec", "shipped"} <= set(METHODS)


@needs_motif_data
def test_cli_runs_siatec_on_one_piece(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.discovery_eval", "--method", "siatec", "--corpus", "mtc",
         "--pieces", "NLB070238_01", "--out", str(out)],
        capture_output=True, text=True, env=subprocess_env(), cwd=REPO, timeout=300)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(out.read_text())
    assert result["pieces"] == 1 and result["method"] == "siatec"
    assert 0.0 <= result["mean"]["F_est"] <= 1.0
    assert "| siatec | mtc pieces (1) |" in proc.stdout
    assert out.with_suffix(".md").exists()
    bad = subprocess.run([sys.executable, "-m", "benchmarks.discovery_eval", "--method", "nope", "--corpus", "bps"],
                         capture_output=True, text=True, env=subprocess_env(), cwd=REPO, timeout=120)
    assert bad.returncode == 2 and "unknown method 'nope'" in bad.stderr


def test_occurrence_threshold_half_differs_from_three_quarters() -> None:
    """mir_eval.pattern.evaluate computes its 'F_occ.5' at c=.75 (a keyword typo); score() must not."""
    ref = [[[(0.0, 60), (1.0, 62), (2.0, 64), (3.0, 65)], [(8.0, 60), (9.0, 62), (10.0, 64), (11.0, 65)]]]
    est = [[[(0.0, 60), (1.0, 62)], [(8.0, 60), (9.0, 62)]]]  # half of each occurrence
    s = score(est, ref)
    assert s["F_occ.75"] == 0.0
    assert s["F_occ.5"] == pytest.approx(0.5)  # each matched occurrence scores 2/4
