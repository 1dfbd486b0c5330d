"""Phase 22 (pianoalone22): a pop piano accompaniment played into one MIDI track, split into hands, states
its texture with both hands (``texture_upper_chords``).

Split into hands, such a part's right hand leads (it plays the chords: 1.8-3.4x the left hand's notes on
POP909's PIANO tracks), so ``texture_staff`` took the right hand's bars alone as the texture and the left
hand's bass went to a line: POP909's PIANO track read alone lost 0.666 -> 0.551 F_est (val + train), its
labels being the whole piano's bars. A leading upper hand that sounds chords at a fifth of its onsets or
more is an accompaniment's chords over its bass: the whole part's bars are the texture's statements. A
solo piece whose right hand leads with a tune (K. 545, one line) keeps its leading staff's reading
(benchmarks/phase22-pianoalone22.md).
"""

from __future__ import annotations

from pathlib import Path

import mido
import pytest

import motifcli
from benchmarks.perf_piano import perform
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.texture_lead import staff_track
from motifcli.hands import keyboard_hands, on_staves
from motifcli.score import Note, Score
from tests.test_hands_performed import _one_track

MAIN = DiscoverySettings(texture_upper_chords=0)  # the rule before phase 22: the leading staff's bars only
# I - vi - IV - V: right-hand triads around middle C, the left hand's root an octave and more below
CHORDS = [((60, 64, 67), 48), ((60, 64, 69), 45), ((60, 65, 69), 41), ((59, 62, 67), 43)]


def _accompaniment(walking: bool = False) -> list[Note]:
    """16 bars of 4/4 comping: three bars of a syncopated pattern (right-hand chords on 1, 2&, 3, 4; the
    bass on 1, 3 (its fifth), 4; ``walking``: the bass in eighths, root, fifth and octave, under the
    chords' lower two notes, so the hands are equally busy) and a bar of held chord and bass, four times."""
    notes: list[Note] = []
    for bar in range(16):
        chord, root = CHORDS[bar % 4]
        start = 4.0 * bar
        if bar % 4 == 3:  # each phrase's last bar: chord and bass held
            notes += [Note(start, start + 3.9, p, 70) for p in chord] + [Note(start, start + 3.9, root, 70)]
            continue
        for beat, length in ((0, 1.4), (1.5, 0.4), (2, 0.9), (3, 0.9)):
            notes += [Note(start + beat, start + beat + length, p, 64) for p in (chord[:2] if walking else chord)]
        bass = [(k / 2, root + (0, 7, 12, 7)[k % 4], 0.45) for k in range(8)] if walking else \
            [(0, root, 1.9), (2, root + 7, 0.9), (3, root, 0.9)]
        notes += [Note(start + beat, start + beat + length, pitch, 72) for beat, pitch, length in bass]
    return notes


def _played(path: Path, walking: bool = False) -> Score:
    """The accompaniment as a pianist plays it (benchmarks.perf_piano.perform, seeded: uneven onsets and
    lengths), written as one MIDI track on one channel (mido) and read back."""
    played = perform(_accompaniment(walking), 100.0, seed=7)
    return _one_track(path, played, mido.MetaMessage("time_signature", numerator=4, denominator=4, time=0))


def _texture_staves(score: Score, settings: DiscoverySettings) -> tuple[set[int], float]:
    """The staves (hands) the texture families' statements hold, and the share of the left hand's notes
    they hold."""
    read = on_staves(score, keyboard_hands(score, settings))
    staff = {(t.index, i): n.staff for t in read.tracks for i, n in enumerate(t.notes)}
    held = {(n.track, n.index) for f in discover(score, None, settings) if f.is_texture
            for o in f.occurrences for n in o.notes}
    left = [k for k, s in staff.items() if s == 2]
    return {staff[k] for k in held}, sum(k in held for k in left) / len(left)


def test_a_played_accompaniment_states_its_texture_with_both_hands(tmp_path: Path) -> None:
    score = _played(tmp_path / "comping.mid")
    hands = keyboard_hands(score, DiscoverySettings())
    assert hands, "one player's chordal part over two octaves: split into hands"
    hand = next(iter(hands.values()))
    assert hand.count(1) >= 1.5 * hand.count(2)  # the right hand leads: it plays the chords
    before, bass_before = _texture_staves(score, MAIN)
    assert before == {1} and bass_before == 0.0  # the defect: the right hand's chords alone, the bass left out
    after, bass_after = _texture_staves(score, DiscoverySettings())
    assert after == {1, 2} and bass_after > 0.5  # the accompaniment's bars: chords and bass


def test_a_leading_right_hand_that_carries_a_tune_keeps_its_staff() -> None:
    """K. 545's exposition (music21's corpus, one part on two staves): the right hand leads (1.6x) as one
    line (chords at 1% of its onsets), so it is a tune, not comping: its staff alone, as before."""
    music21 = pytest.importorskip("music21")
    score = motifcli.read_score(Path(str(music21.corpus.getWork("mozart/k545/movement1_exposition.mxl"))))
    (part,) = score.pitched_tracks()
    kept, index, _ = staff_track(score, part, DiscoverySettings())
    assert index is not None and len(kept.notes) < len(part.notes)
    assert {part.notes[i].staff for i in index.tolist()} == {1}
    main_kept, main_index, _ = staff_track(score, part, MAIN)
    assert main_index is not None and main_index.tolist() == index.tolist()


def test_equally_busy_hands_low_in_register_state_a_texture_with_the_option(tmp_path: Path) -> None:
    """Neither hand leads (a walking bass in eighths under the chords): no texture family by default, as a
    sonata's two equally busy hands; with ``texture_low_hands`` (an option, off) an upper hand centred
    under F4 is an accompaniment's, and the whole part's bars are the texture."""
    score = _played(tmp_path / "walking.mid", walking=True)
    hand = next(iter(keyboard_hands(score, DiscoverySettings()).values()))
    assert max(hand.count(1), hand.count(2)) < 1.5 * min(hand.count(1), hand.count(2))
    assert _texture_staves(score, DiscoverySettings())[0] == set()
    staves, bass = _texture_staves(score, DiscoverySettings(texture_low_hands=65))
    assert staves == {1, 2} and bass > 0.5
    assert _texture_staves(score, DiscoverySettings(texture_low_hands=60))[0] == set()  # its chords sit higher
