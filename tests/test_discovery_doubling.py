"""A motif doubled an octave below is one statement, the upper line's (``doubled``, discovery/doubling.py).

The file is written with mido and read back by motifcli's own reader: a right hand states a
six-note motif four times (transposed), the left hand doubles the first three an octave lower and
states it once more alone, later. Without the rule the family holds the left hand's doubling
copies as statements of their own; with it only the left hand's lone statement stays beside the
right hand's. (Discovery grows the motif into the filler after it; the family is the one whose
statements lie in both hands.)
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import mido
import pytest

from motifcli import read_score
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.doubling import doubled_statements

TPB = 480
MOTIF = [(0, 1.0), (4, 0.5), (7, 0.5), (5, 1.0), (4, 0.5), (2, 0.5)]  # (semitones above the first note, beats)
FILLER = [(0, 2.0), (-1, 2.0)]  # a held note and its neighbour between statements (no motif)


def _track(events: list[tuple[float, int, float]], channel: int) -> mido.MidiTrack:
    """(onset beats, pitch, duration beats) -> a MIDI track of note on/off messages."""
    msgs = []
    for on, pitch, dur in events:
        msgs.append((round(on * TPB), 1, mido.Message("note_on", note=pitch, velocity=80, channel=channel)))
        msgs.append((round((on + dur) * TPB), 0, mido.Message("note_off", note=pitch, velocity=0, channel=channel)))
    track, now = mido.MidiTrack(), 0
    for tick, _, msg in sorted(msgs, key=lambda m: (m[0], m[1])):
        track.append(msg.copy(time=tick - now))
        now = tick
    return track


def _statement(start: float, base: int) -> list[tuple[float, int, float]]:
    out, t = [], start
    for step, dur in MOTIF:
        out.append((t, base + step, dur))
        t += dur
    return out


def _filler(start: float, base: int) -> list[tuple[float, int, float]]:
    return [(start + 2.0 * i, base + step, dur) for i, (step, dur) in enumerate(FILLER)]


@pytest.fixture(scope="module")
def piece(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rh, lh = [], []
    bases = [72, 74, 77, 72, 70]
    for k, base in enumerate(bases[:4]):  # bars of 8 beats: motif (4 beats) then filler (4 beats)
        rh += _statement(8.0 * k, base) + _filler(8.0 * k + 4, base + 12)
        lh += (_statement(8.0 * k, base - 12) if k < 3 else [(8.0 * k, 48, 4.0)]) + _filler(8.0 * k + 4, base - 24)
    lh += _statement(32.0, bases[4] - 12) + _filler(36.0, 43)  # the left hand alone
    rh += [(32.0, 79, 8.0)]
    mid = mido.MidiFile(ticks_per_beat=TPB)
    mid.tracks += [_track(rh, 0), _track(lh, 1)]
    path = tmp_path_factory.mktemp("doubling") / "doubled.mid"
    mid.save(path)
    return path


def _motif_family(path: Path, settings: DiscoverySettings):
    """The family whose statements lie in both hands (the motif, grown into the filler after it).

    ``grow_to_long`` off: the left hand's third statement, grown into the filler, would also take the
    held note under the right hand's fourth statement and outlast the statement it doubles (less than
    half its span under it: phase13-bounds13.md)."""
    found = discover(read_score(path), settings=replace(settings, grow_to_long=0))
    fams = [f for f in found if len({o.track for o in f.occurrences}) > 1]
    assert len(fams) == 1, [(f.label, [(o.track, o.start) for o in f.occurrences]) for f in found]
    return fams[0]


def _left_hand(family) -> list[float]:
    return sorted(o.start for o in family.occurrences if o.track == 1)


def test_without_the_rule_the_doubling_copies_are_statements(piece: Path) -> None:
    off = _motif_family(piece, DiscoverySettings(doubled=0.0))
    assert _left_hand(off)[:3] == [0.0, 8.0, 16.0]  # under the right hand's statements at 0, 4, 12, 20 (grown)
    assert doubled_statements(off, 0.5).sum() == 3


def test_the_doubled_statements_are_heard_once_in_the_upper_line(piece: Path) -> None:
    off = _motif_family(piece, DiscoverySettings(doubled=0.0))
    on = _motif_family(piece, DiscoverySettings())
    assert _left_hand(on) == _left_hand(off)[3:] and _left_hand(on)[0] >= 24.0  # the lone statement stays
    assert [o for o in on.occurrences if o.track == 0] == [o for o in off.occurrences if o.track == 0]
    assert not doubled_statements(on, 0.5).any()


def test_family_choice_and_order_do_not_change(piece: Path) -> None:
    score = read_score(piece)
    off = discover(score, settings=DiscoverySettings(doubled=0.0))
    on = discover(score)
    assert [(f.label, f.salience, f.prototype) for f in on] == [(f.label, f.salience, f.prototype) for f in off]


@pytest.fixture(scope="module")
def stretto(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The left hand takes up each right-hand statement a beat later, an octave lower (a close
    stretto): it overlaps three quarters of the higher statement but does not start with it."""
    rh, lh = [], []
    for k, base in enumerate([72, 74, 77, 72]):
        rh += _statement(8.0 * k, base) + _filler(8.0 * k + 4, base + 12)
        lh += _statement(8.0 * k + 1, base - 12) + _filler(8.0 * k + 5, base)
    mid = mido.MidiFile(ticks_per_beat=TPB)
    mid.tracks += [_track(rh, 0), _track(lh, 1)]
    path = tmp_path_factory.mktemp("stretto") / "stretto.mid"
    mid.save(path)
    return path


def test_an_imitating_entry_is_a_statement_of_its_own(stretto: Path) -> None:
    """Imitation is not doubling: the entries a beat after the right hand's stay (doubled_parallel:
    their notes meet other places of the motif, though their rhythm lines up with it), while the
    rule that asks only for an overlap under a higher statement would drop them as copies."""
    off = _motif_family(stretto, DiscoverySettings(doubled=0.0))
    entries = _left_hand(off)
    assert entries and all(s % 8.0 == 1.0 for s in entries)  # a beat after each right-hand statement
    assert doubled_statements(off, 0.5).sum() == len(entries)  # any start: every entry counts as a copy
    assert not doubled_statements(off, 0.5, DiscoverySettings().doubled_parallel).any()
    assert _left_hand(_motif_family(stretto, DiscoverySettings())) == entries
    anyway = discover(read_score(stretto), settings=DiscoverySettings(doubled_parallel=0.0))
    assert [o.start for f in anyway for o in f.occurrences if o.track == 1] == []


def test_a_piano_parts_two_staves_drop_copies_as_two_midi_tracks_do(piece: Path) -> None:
    """The same notes as one two-staff piano part (a MusicXML grand staff, read with each note's staff):
    the hands are two lines (split staff by staff), so the left hand's copies under the right hand's
    statements go as they do from two MIDI tracks. Keyed by track and voice alone, both hands' top
    lines were one line and the copies stayed."""
    import dataclasses

    from motifcli.score import Track

    score = read_score(piece)
    notes = sorted(((n, k + 1) for k, t in enumerate(score.pitched_tracks()) for n in t.notes),
                   key=lambda x: (x[0].onset, x[0].pitch, x[1]))
    one = dataclasses.replace(score, tracks=[Track(0, "Piano", [dataclasses.replace(n, staff=s) for n, s in notes],
                                                  channel=0)], meter=score.meter_map)

    def statements(s, settings: DiscoverySettings) -> set[frozenset]:
        return {frozenset((n.onset, n.pitch) for n in o.notes) for f in discover(s, settings=settings) for o in f.occurrences}

    two_tracks = statements(score, DiscoverySettings())
    assert statements(one, DiscoverySettings()) == two_tracks
    kept_copies = statements(one, DiscoverySettings(doubled=0.0)) - two_tracks
    assert kept_copies and all(min(p for _, p in st) < 60 for st in kept_copies)  # left-hand copies, dropped above


def test_a_phrase_stated_once_and_doubled_is_no_motif(tmp_path: Path) -> None:
    """One phrase, played once by the right hand and doubled an octave lower by the left: its two
    lines are one statement, so no family is left of it (POP909 067 and 070 had such one-statement
    families once the copies were dropped)."""
    phrase = [(0, 1.0), (4, 0.5), (7, 0.5), (5, 1.0), (4, 0.5), (2, 0.5), (0, 1.0), (-1, 0.5), (0, 2.5)]
    rh, lh, t = [], [], 0.0
    for step, dur in phrase:
        rh.append((t, 72 + step, dur))
        lh.append((t, 60 + step, dur))
        t += dur
    rh += [(t + 2.0 * i, 79 - 3 * i, 2.0) for i in range(6)]  # no repeats after it
    mid = mido.MidiFile(ticks_per_beat=TPB)
    mid.tracks += [_track(rh, 0), _track(lh, 1)]
    path = tmp_path / "once.mid"
    mid.save(path)
    score = read_score(path)
    off = discover(score, settings=DiscoverySettings(doubled=0.0))
    both = [f for f in off if {o.track for o in f.occurrences} == {0, 1}]
    assert both and all(len(f.occurrences) == 2 for f in both)  # the phrase and its doubling, as two statements
    found = discover(score)
    assert all(len(f.occurrences) >= 2 for f in found)
    assert not any({o.track for o in f.occurrences} == {0, 1} for f in found)
    assert [f.label for f in found] == [chr(ord("A") + k) for k in range(len(found))]
