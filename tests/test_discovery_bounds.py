"""A family's start moved to the strong place in the bar its statements share (discovery/bounds.py,
``start_place``): a motif whose first note, on the downbeat, comes in from a different pitch each time."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import mido
import numpy as np

from motifcli import read_score
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.bounds import metric_weight
from motifcli.meter import Bar, MeterMap

FIGURE = [(0, 0.5), (2, 0.5), (4, 0.5), (5, 0.5), (7, 1.0)]  # (semitones above its first note, beats), from beat 2
HEADS = [7, -5, 12, -9, 3, -1]  # the downbeat note before the figure: semitones from the figure's first note


def _write(path: Path) -> None:
    """4/4; bars 1, 3, 5, ... (beats 0, 8, 16, ...): a downbeat quarter note, then the figure from
    beat 2 on; the downbeat note's interval to the figure differs every time; filler between, a rest
    before each downbeat note (statements do not grow into the next one's first note)."""
    notes: list[tuple[float, int, float]] = []
    fill = [57, 53, 50, 55, 52, 48]
    for k, head in enumerate(HEADS):
        start, base = 8.0 * k, 60 + 2 * (k % 3)
        notes.append((start, base + head, 1.0))
        at = start + 1.0
        for iv, d in FIGURE:
            notes.append((at, base + iv, d))
            at += d
        notes += [(start + 4.0, fill[k], 3.0), (start + 7.0, fill[k] + 1 + 3 * (k % 5), 0.25)]
    mid = mido.MidiFile(ticks_per_beat=480)
    track = mido.MidiTrack()
    mid.tracks.append(track)
    track.append(mido.MetaMessage("time_signature", numerator=4, denominator=4, time=0))
    events = sorted([(round(on * 480), 1, p) for on, p, _ in notes] + [(round((on + d) * 480), 0, p) for on, p, d in notes])
    now = 0
    for tick, on, pitch in events:
        track.append(mido.Message("note_on" if on else "note_off", note=pitch, velocity=80 if on else 0, time=tick - now))
        now = tick
    mid.save(path)


def _starts(families: list, onset: float) -> list[float]:
    """Start onsets of the statements of the family holding a note at ``onset``."""
    for f in families:
        if any(n.onset == onset for o in f.occurrences for n in o.notes):
            return sorted(o.start for o in f.occurrences)
    return []


def test_the_family_start_moves_back_to_the_downbeat_its_statements_share(tmp_path: Path) -> None:
    path = tmp_path / "bounds.mid"
    _write(path)
    score = read_score(path)
    # growing would take the downbeat note on its rhythm alone (grow_vary): off here, so the
    # statements stop where the pitches stop agreeing, at the figure's first note on beat 2
    base = DiscoverySettings(grow_vary=0)
    off = _starts(discover(score, settings=base), 1.0)
    assert off == [8.0 * k + 1.0 for k in range(len(HEADS))], off
    moved = _starts(discover(score, settings=replace(base, start_place="bar")), 1.0)
    assert moved == [8.0 * k for k in range(len(HEADS))], moved  # each statement starts on its downbeat
    # the place must be shared by start_place_share of the statements: all 6 agree, a share above 1 is never met
    assert _starts(discover(score, settings=replace(base, start_place="bar", start_place_share=1.01)), 1.0) == off
    # start_place_notes=0: no step back
    assert _starts(discover(score, settings=replace(base, start_place="bar", start_place_notes=0)), 1.0) == off
    # the default leaves the boundaries alone
    assert DiscoverySettings().start_place == "off"


def test_metric_weight_orders_downbeat_half_bar_beat_off_beat() -> None:
    meter = MeterMap((Bar(0.0, 4.0, "1", 4, 4), Bar(4.0, 3.0, "2", 3, 4)), source="written")
    w = metric_weight(np.array([0.0, 2.0, 1.0, 0.5, 4.0, 5.0, 6.0, 6.5]), meter, 1 / 12)
    assert w.tolist() == [3, 2, 1, 0, 3, 1, 1, 0]  # 3/4 has no half bar: beat 2 of it is a beat


def _write_upbeat(path: Path) -> None:
    """4/4; in every other bar an upbeat eighth (beat 4.5 before), a downbeat figure of four eighths and a
    last quarter note whose interval from the figure differs every time; filler, then a rest, between."""
    notes: list[tuple[float, int, float]] = []
    for k, last in enumerate(HEADS):
        start, base = 8.0 * k + 4.0, 60 + 2 * (k % 3)
        notes += [(start - 4.0, 50 + 3 * (k % 4), 2.5), (start - 0.5, base - 1, 0.5)]
        notes += [(start + 0.5 * i, base + iv, 0.5) for i, iv in enumerate((0, 2, 4, 5))]
        notes.append((start + 2.0, base + 5 + last, 1.0))
    mid = mido.MidiFile(ticks_per_beat=480)
    track = mido.MidiTrack()
    mid.tracks.append(track)
    track.append(mido.MetaMessage("time_signature", numerator=4, denominator=4, time=0))
    events = sorted([(round(on * 480), 1, p) for on, p, _ in notes] + [(round((on + d) * 480), 0, p) for on, p, d in notes])
    now = 0
    for tick, on, pitch in events:
        track.append(mido.Message("note_on" if on else "note_off", note=pitch, velocity=80 if on else 0, time=tick - now))
        now = tick
    mid.save(path)


def test_a_statement_an_upbeat_early_moves_to_the_downbeat_whole(tmp_path: Path) -> None:
    path = tmp_path / "upbeat.mid"
    _write_upbeat(path)
    score = read_score(path)
    base = DiscoverySettings(grow_vary=0)

    def statements(settings: DiscoverySettings) -> list[tuple[float, int]]:
        for f in discover(score, settings=settings):
            if any(n.onset == 4.0 for o in f.occurrences for n in o.notes):
                return sorted((o.start, len(o.notes)) for o in f.occurrences)
        return []

    # the exact repeats are the upbeat and the four eighths: they start off the beat
    assert statements(base) == [(8.0 * k + 3.5, 5) for k in range(len(HEADS))]
    # a later start alone drops the upbeat ...
    trimmed = statements(replace(base, start_place="bar", start_place_trim=1))
    assert trimmed == [(8.0 * k + 4.0, 4) for k in range(len(HEADS))], trimmed
    # ... and with start_place_shift the statement moves whole: from the downbeat through the last quarter
    shifted = statements(replace(base, start_place="bar", start_place_trim=1, start_place_shift=True))
    assert shifted == [(8.0 * k + 4.0, 5) for k in range(len(HEADS))], shifted
