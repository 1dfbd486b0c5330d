"""Varied statements by contour / diatonic classes (discovery/variants.py, off by default; benchmarks/phase7-vary7.md)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from motifcli import read_score
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.candidates import build_lines, free_windows
from motifcli.discovery.variants import view
from motifcli.score import Note, Score, Track
from motifcli.voices import TEXTURE, split_voices

REPO = Path(__file__).resolve().parents[1]
POP = REPO / "examples" / "pop909-202.mid"
HEAD = [4, 3, -2, -3, 2, -4, -1]  # intervals of the planted motif
VARIED = [7, 5, -1, -7, 1, -8, -2]  # every interval changed, each within its contour class (leap / step)
RHYTHM = [1.0, 0.5, 0.5, 1.0, 0.5, 0.5, 1.0, 2.0]


def _planted() -> Score:
    """One track: five exact (transposed) statements of an 8-note motif, then one statement whose
    intervals all differ (mean 2.3 semitones: beyond ``variant_tolerance``) with the same contour and rhythm."""
    notes: list[Note] = []
    for k, (ivs, base) in enumerate([(HEAD, 60), (HEAD, 62), (HEAD, 65), (HEAD, 60), (HEAD, 67), (VARIED, 62)]):
        t, p = 12.0 * k, base
        for j, d in enumerate(RHYTHM):
            notes.append(Note(t, t + d * 0.9, p))
            t += d
            p += ivs[j] if j < len(ivs) else 0
    return Score([Track(0, "planted", notes)])


def _statement_starts(score: Score, settings: DiscoverySettings) -> list[list[float]]:
    return [sorted(o.start for o in f.occurrences) for f in discover(score, settings=settings)
            if f.occurrences[0].notes[0].voice != TEXTURE]


def test_contour_view_finds_the_varied_statement_the_alignment_misses() -> None:
    score = _planted()
    base = _statement_starts(score, DiscoverySettings())
    assert [0.0, 12.0, 24.0, 36.0, 48.0] in base and not any(60.0 in s for s in base)  # stage off: missed
    found = discover(score, settings=DiscoverySettings(vary_tolerance=0.5))
    fam = next(f for f in found if len(f.occurrences) == 6)
    varied = next(o for o in fam.occurrences if o.start == 60.0)
    assert len(varied.notes) == 8 and varied.similarity < min(o.similarity for o in fam.occurrences if o is not varied)
    # the raw view is the semitone alignment: it still misses it at the same tolerance
    assert not any(60.0 in s for s in _statement_starts(score, DiscoverySettings(vary_tolerance=0.5, vary_view="raw")))


def test_views_compare_classes_not_semitones() -> None:
    lines = build_lines(split_voices(_planted()))
    idx = np.array([np.arange(8), np.arange(40, 48)])  # the first exact statement, the varied one
    raw, _ = view(lines, idx, "raw")
    contour, on = view(lines, idx, "contour")
    assert (np.diff(raw[0]) != np.diff(raw[1])).all()
    assert (np.diff(contour[0]) == np.diff(contour[1])).all() and set(np.abs(np.diff(contour[0]))) == {1.0, 2.0}
    _, scaled = view(lines, idx * 0 + np.arange(8), "none", normalise_rhythm=True)
    assert np.allclose(np.median(np.diff(scaled, axis=1), axis=1), 1.0)  # rhythm in units of its median IOI
    windows = free_windows(lines, np.isin(np.arange(len(lines)), np.arange(8)), range(7, 10), 16.0)
    assert all(not (s[:, None] + np.arange(m) < 8).any() for m, s in windows.items())  # no taken note inside


def _chorale() -> Path:
    import music21

    return Path(str(music21.corpus.getWork("bwv1.6")))


@pytest.mark.parametrize("which", ["pop", "chorale"])
def test_added_statements_stay_disjoint_in_one_voice_on_real_scores(which: str) -> None:
    score = read_score(POP if which == "pop" else _chorale())
    settings = DiscoverySettings(vary_tolerance=0.75)
    def motif_statements(families: list) -> int:  # statements of motif families (cells of 2-3 notes left out)
        return sum(len(f.occurrences) for f in families if len(f.prototype.notes) >= settings.min_notes)

    found = discover(score, settings=settings)
    assert motif_statements(found) > motif_statements(discover(score))  # the stage adds statements here
    for f in found:
        keys = [{(n.track, n.index) for n in o.notes} for o in f.occurrences]
        assert sum(map(len, keys)) == len(set().union(*keys))  # no note in two statements of a family
        for o in f.occurrences:
            assert len({(n.track, n.voice) for n in o.notes}) == 1
