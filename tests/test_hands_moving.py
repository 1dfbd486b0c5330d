"""Session 21 (handdp21): the boundary between the hands of a one-track keyboard part moves with the
music (``motifcli.hands.split_counted``: a Viterbi path over the onset groups, the boundary costing
``MOVE`` and ``SLIDE`` to move), so a left hand keeps its chords section by section where no one
fixed cut plays the whole piece.

Before, the cut was decided group by group from two running centres: a left-hand chord's upper notes
went to the right hand wherever the tune rested or sat high, and Clara Schumann's polonaise op. 1/1
(left-hand octaves E♭3/E♭4 under a right hand at 67-70, B♭3 F4 A♭4 chords under one at 82-92: no
fixed cut) had 88% of its notes in their hand, no leading hand and no texture family
(benchmarks/phase21-handdp21.md).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from test_hands_boundary import _truth, _written

import motifcli
from motifcli.discovery import DiscoverySettings, discover
from motifcli.hands import split


def _sections() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(onsets, offsets, pitches, hand) of a 3/4 piece in four 8-bar sections, X Y X Y: a bass note and
    two chords per bar in the left hand (X: F2, F3 B♭3 D4; Y: C3, C4 F4 A4), a tune note held through
    every other bar in the right hand (X: C5 or G4, Y: G5 or E5), resting between. No fixed cut plays
    it (X's G4 is below Y's A4), and while the tune rests the running centres gave the chords' tops
    to the right hand."""
    rows: list[tuple[float, float, int, int]] = []
    bar = 0
    for bass, chord, tune in [(41, (53, 58, 62), (72, None, 67, None)), (48, (60, 65, 69), (79, None, 76, None))] * 2:
        for k in range(8):
            t = bar * 3.0
            rows.append((t, t + 1, bass, 2))
            rows += [(t + beat, t + beat + 1, p, 2) for beat in (1, 2) for p in chord]
            if tune[k % 4] is not None:
                rows.append((t, t + 3, tune[k % 4], 1))
            bar += 1
    on, off, pitch, hand = (np.array(column) for column in zip(*rows))
    return on.astype(float), off.astype(float), pitch.astype(np.int64), hand.astype(np.int64)


def test_the_boundary_moves_by_section_and_keeps_the_chords_left() -> None:
    on, off, pitch, truth = _sections()
    got = split(on, off, pitch)
    assert (got == truth).mean() >= 0.85  # session 20's split: 0.60
    first_x = on < 24  # the first section: every chord note in the left hand (session 20: each D4 right)
    assert (got[first_x] == truth[first_x]).all()
    assert (got[truth == 1] == 1).all()  # the tune stays right, high or low


def test_polonaise_op1_1_in_one_track(tmp_path: Path) -> None:
    staff, one, truth = _written("schumann_clara/polonaise_op1n1.mxl", tmp_path)
    score = motifcli.read_score(one)
    (track,) = score.pitched_tracks()
    on, off, pi = track.arrays()
    hand, written = split(on, off, pi), _truth(score, truth)
    assert (hand == written).mean() >= 0.94  # session 20: 0.885
    assert (hand[written == 1] == 1).mean() >= 0.95  # each hand's notes in it: right 0.970 (session 20: 0.991)
    assert (hand[written == 2] == 2).mean() >= 0.93  # left 0.940 (session 20: 0.822, its chords' upper notes right)
    assert (hand == 2).sum() >= 1.5 * (hand == 1).sum()  # the left hand leads, as on its staves (1.71x; session 20: 1.09x)
    by_staff = discover(motifcli.read_score(staff), None, DiscoverySettings())
    assert any(f.is_texture for f in by_staff)
    texture = [f for f in discover(score, None, DiscoverySettings()) if f.is_texture]
    assert texture  # session 20: none
    notes = np.array([written[n.index] for f in texture for o in f.occurrences for n in o.notes])
    assert (notes == 2).mean() >= 0.95  # the left hand's bars, as its staff file's texture families
