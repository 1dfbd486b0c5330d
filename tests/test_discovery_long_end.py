"""A statement ends on the long note it comes to rest on (``grow_to_long``, extent.end_on_long_notes;
benchmarks/phase13-bounds13.md): growing needs the statements to agree on the next note's interval
and rhythm, so a motif whose goal note changes pitch from statement to statement was cut one note short."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from conftest import DATA, statement_lengths, write_line_midi
from motifcli import read_score
from motifcli.discovery import DiscoverySettings, discover

FIGURE = [0, 2, 4, 5]  # four eighth notes (semitones above the first)
LAST = [0.25, 0.5, 0.75, 1.0, 1.25, 1.5]  # the figure's last note: a different length each time (growing stops)
AFTER = [(7, 2.0), (-3, 2.0), (12, 2.0), (-8, 2.0), (1, 0.5), (-2, 0.5)]  # the next note: interval, length
BPS_13 = DATA / "bps_motif_dev" / "scores" / "13-1.mid" if DATA is not None else None


def _write(path: Path) -> list[float]:
    """One line: six statements of the figure, each followed at once by a note (a half note the first
    four times, two eighths the last two), then a rest of a beat. Returns the figures' first onsets."""
    notes: list[tuple[float, int, float]] = []
    starts = []
    at = 0.0
    for k, ((iv, d), last) in enumerate(zip(AFTER, LAST)):
        base = 60 + 2 * (k % 3)
        starts.append(at)
        for j, step in enumerate(FIGURE):
            notes.append((at, base + step, last if j == len(FIGURE) - 1 else 0.5))
            at += last if j == len(FIGURE) - 1 else 0.5
        notes.append((at, base + FIGURE[-1] + iv, d))
        if d < 1.0:  # an eighth goes on to another eighth: no long note, no rest after it
            at += d
            notes.append((at, base + FIGURE[-1] + iv - 5 + k, 0.5))
            d = 0.5
        at += d + 1.0
    write_line_midi(notes, path)
    return starts


def test_a_statement_takes_the_long_note_it_comes_to_rest_on(tmp_path: Path) -> None:
    path = tmp_path / "long_end.mid"
    starts = _write(path)
    score = read_score(path)
    off = statement_lengths(discover(score, settings=DiscoverySettings(grow_to_long=0)), 0.0)
    assert off == {round(s, 3): 4 for s in starts}, off  # growing stops: the next notes agree in nothing
    on = statement_lengths(discover(score, settings=DiscoverySettings()), 0.0)
    # the four statements followed by a half note (4 x the figure's eighths) end on it; an eighth is no goal
    assert on == {round(s, 3): 5 if k < 4 else 4 for k, s in enumerate(starts)}, on
    # the half note and the rest after it: 3 beats, 6 x the eighths, not 7 x
    assert statement_lengths(discover(score, settings=DiscoverySettings(grow_to_long=7)), 0.0) == off


def test_no_long_note_past_the_growing_cap(tmp_path: Path) -> None:
    path = tmp_path / "long_end.mid"
    starts = _write(path)
    score = read_score(path)
    base = DiscoverySettings()
    # grow_max_notes 4: every statement stays at 4 notes
    assert statement_lengths(discover(score, settings=replace(base, grow_max_notes=4)), 0.0) == {round(s, 3): 4 for s in starts}


@pytest.mark.skipif(BPS_13 is None or not BPS_13.exists(), reason="BPS-motif data not found")
def test_bps_13_1_statement_ends_on_its_half_note() -> None:
    """BPS-motif 13-1, labelled pattern f: C5 D5 E5 F5 G5 in eighths, then the half note A-flat 5 (bar 26);
    family B's exact repeats stop at G5 because the note after varies."""
    score = read_score(BPS_13)

    def statement(settings: DiscoverySettings) -> list[tuple[float, int]]:
        for f in discover(score, settings=settings):
            for o in f.occurrences:
                if any(abs(n.onset - 99.5) < 1e-6 and n.pitch == 72 for n in o.notes) and f.notes_per_occurrence == 6:
                    return [(n.onset, n.pitch) for n in o.notes]
        return []

    head = [(99.5, 72), (100.0, 74), (100.5, 76), (101.0, 77), (101.5, 79)]
    assert statement(DiscoverySettings(grow_to_long=0)) == head
    assert statement(DiscoverySettings()) == [*head, (102.0, 80)]
