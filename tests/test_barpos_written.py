"""Bar positions of written music (discovery/barpos.py) agree with music21's own beat of every note:
pickups, 3/4 and split bars from the written measures of music21's corpus, read by our MusicXML reader."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest

from motifcli import read_score
from motifcli.discovery.barpos import bar_positions

music21 = pytest.importorskip("music21")

# bwv130.6: 3/4 with a one-beat pickup; bwv11.6: 3/4, a split measure ("16a"); bwv1.6: 4/4 with a pickup
WORKS = ["bach/bwv130.6", "bach/bwv11.6", "bach/bwv1.6"]


def _music21_positions(path: str) -> dict[tuple[float, int], set[float]]:
    """(onset, MIDI pitch) -> quarter beats after the downbeat, as music21 counts beats (a pickup's
    notes on the last beats of a full bar)."""
    out: dict[tuple[float, int], set[float]] = defaultdict(set)
    for n in music21.converter.parse(path).flatten().notes:
        if n.duration.isGrace:
            continue
        beat = float(n.beat) - 1.0  # music21's beats are 1-based, in the meter's beat unit
        unit = float(n.beatDuration.quarterLength)
        for p in n.pitches:
            out[(round(float(n.getOffsetInHierarchy(n.getContextByClass("Score") or n.activeSite)), 4), p.midi)].add(
                round(beat * unit, 4)
            )
    return out


@pytest.mark.parametrize("work", WORKS)
def test_bar_positions_match_music21s_beats(work: str) -> None:
    path = str(music21.corpus.getWork(work))
    score = read_score(path)
    theirs = _music21_positions(path)
    checked = 0
    for track in score.tracks:
        onsets = np.array([n.onset for n in track.notes], dtype=float)
        ours = bar_positions(onsets, score.meter_map, "bar")
        for note, pos in zip(track.notes, ours):
            want = theirs.get((round(note.onset, 4), note.pitch))
            assert want, f"{work}: no music21 note at {note.onset} pitch {note.pitch}"
            assert round(float(pos), 4) in want, f"{work}: note at {note.onset} (pitch {note.pitch}) at {pos}, music21 {want}"
            checked += 1
    assert checked > 100
