"""Note-level motif discovery on real music: planted motifs, transposition, bounds, speed, voices."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import numpy as np
import pytest

from conftest import DATA
from motifcli import read_score
from motifcli.discovery import DiscoverySettings, Family, discover
from motifcli.score import Note, Score, Track
from motifcli.voices import LOWER, UPPER, split_voices

REPO = Path(__file__).resolve().parents[1]
POP = REPO / "examples" / "pop909-101.mid"
BPS = DATA / "bps_motif_dev" / "scores" if DATA is not None else None

# a distinctive 8-note figure: (beat offset, semitones above its first note, duration)
MOTIF = [(0.0, 0, 0.5), (0.5, 7, 0.25), (0.75, 5, 0.25), (1.0, 4, 1.0), (2.0, -1, 0.5), (2.5, 2, 0.5), (3.0, 11, 0.75), (3.75, 9, 0.25)]
SHIFTS = [0, 5, -3, 7, 2, -5]


def _chorale() -> Path:
    music21 = pytest.importorskip("music21")
    return Path(str(music21.corpus.getWork("bwv1.6")))


def _note_sets(families: list[Family]) -> list[list[frozenset[tuple[int, int]]]]:
    return [[frozenset((n.track, n.index) for n in o.notes) for o in f.occurrences] for f in families]


def _planted(score: Score) -> tuple[Score, list[set[tuple[int, int]]]]:
    """The score plus a new track stating MOTIF at SHIFTS, far apart; the planted (track, index) sets."""
    end = score.end_beat
    notes: list[Note] = []
    planted: list[set[tuple[int, int]]] = []
    index = max(t.index for t in score.tracks) + 1
    for k, shift in enumerate(SHIFTS):
        start = (k + 1) * end / (len(SHIFTS) + 1)
        start = float(np.floor(start))
        first = len(notes)
        notes += [Note(start + t, start + t + d, 60 + shift + p) for t, p, d in MOTIF]
        planted.append({(index, i) for i in range(first, len(notes))})
    track = Track(index=index, name="PLANT", notes=notes)
    return dataclasses.replace(score, tracks=[*score.tracks, track]), planted


def test_planted_transposed_motif_is_found_in_real_music() -> None:
    score, planted = _planted(read_score(POP))
    families = discover(score)
    hits = [f for f, sets in zip(families, _note_sets(families)) if all(frozenset(p) in sets for p in planted)]
    assert hits, "no family holds all six planted statements, note for note"
    fam = hits[0]
    by_start = {o.notes[0].onset: o for o in fam.occurrences if o.track == score.tracks[-1].index}
    shifts = [by_start[k].transposition for k in sorted(by_start)]
    # transpositions are relative to the prototype: their differences are the planted ones
    assert np.array_equal(np.diff(shifts), np.diff(SHIFTS))


def test_transposed_copy_gives_the_same_families() -> None:
    score = read_score(POP)
    up = dataclasses.replace(
        score,
        tracks=[dataclasses.replace(t, notes=[dataclasses.replace(n, pitch=n.pitch + 3) for n in t.notes]) for t in score.tracks],
    )
    a, b = discover(score), discover(up)
    assert a, "no families on a POP909 song"
    assert _note_sets(a) == _note_sets(b)
    assert [f.label for f in a] == [f.label for f in b]
    assert [[o.transposition for o in f.occurrences] for f in a] == [[o.transposition for o in f.occurrences] for f in b]


@pytest.mark.parametrize("path", [POP, "chorale"])
def test_family_count_and_occurrences_are_bounded(path: Path | str) -> None:
    score = read_score(_chorale() if path == "chorale" else path)
    settings = DiscoverySettings()
    families = discover(score, settings=settings)
    assert 1 <= len(families) <= settings.max_families
    saliences = [f.salience for f in families]
    assert saliences == sorted(saliences, reverse=True)
    for f in families:
        assert len(f.occurrences) >= 2
        seen: set[tuple[int, int]] = set()
        for o in f.occurrences:
            keys = {(n.track, n.index) for n in o.notes}
            assert settings.min_notes <= len(keys) <= settings.max_notes
            assert o.notes[-1].onset - o.notes[0].onset <= settings.max_beats
            assert not keys & seen, "occurrences of one family share notes"
            seen |= keys
            track = next(t for t in score.tracks if t.index == o.track)
            assert all(track.notes[n.index].pitch == n.pitch for n in o.notes)


@pytest.mark.skipif(BPS is None or not (BPS / "09-1.mid").exists(), reason="BPS-motif data not found")
def test_speed_on_a_bps_movement() -> None:
    score = read_score(BPS / "09-1.mid")  # 3,401 notes, two staves
    best = np.inf
    for _ in range(3):  # best of three: the bound is on the code, not on a busy machine
        t0 = time.perf_counter()
        families = discover(score)
        best = min(best, time.perf_counter() - t0)
    assert families
    assert best < 2.0, f"discovery took {best:.2f} s on 09-1"


def test_voices_of_a_real_piano_track() -> None:
    score = read_score(POP)
    piano = score.track_named("PIANO")
    voices = [v for v in split_voices(score) if v.track == piano.index]
    assert [v.voice for v in voices] == [UPPER, LOWER]
    upper, lower = voices
    assert np.all(np.diff(upper.onsets) > 0.05) and np.all(np.diff(lower.onsets) > 0.05)
    assert not set(upper.note_indices.tolist()) & set(lower.note_indices.tolist())
    onsets, _, pitches = piano.arrays()
    for i, on, p in zip(upper.note_indices[:300], upper.onsets[:300], upper.pitches[:300]):
        near = np.abs(onsets - on) <= 0.05
        assert p == pitches[i] == pitches[near].max()
    for on, p in zip(lower.onsets[:300], lower.pitches[:300]):
        assert p == pitches[np.abs(onsets - on) <= 0.05].min()  # the lowest of its chord
    melody = [v for v in split_voices(score) if v.track == score.track_named("MELODY").index]
    assert len(melody) == 1 and len(melody[0]) == len(score.track_named("MELODY").notes)
