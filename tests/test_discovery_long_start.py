"""A quick figure starts on the accented held note it springs from (``grow_from_long``,
extent.start_on_long_notes; benchmarks/phase16-disc16.md): growing needs the statements to agree on the
note before, and the held note's pitch and length change from statement to statement, so a motif that
opens on it (BPS 01-1: a held note on the downbeat, then a turn) was cut one note short. A held note on a
weaker place in the bar than the figure's first note ends the phrase before and is not taken."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DATA, statement_lengths, write_line_midi
from motifcli import read_score
from motifcli.discovery import DiscoverySettings, discover

FIGURE = [(0.0, 0), (0.25, 2), (0.5, 4), (0.75, 5), (1.0, 7)]  # four sixteenths and a note: (beats after its start, semitones)
HELD = [(1.5, -5), (2.0, 3), (2.5, -7), (3.0, 9), (3.5, -2), (4.5, 4)]  # the held note: its length (beats), interval to the figure
BPS_01 = DATA / "bps_motif_dev" / "scores" / "01-1.mid" if DATA is not None else None
BPS_13 = DATA / "bps_motif_dev" / "scores" / "13-1.mid" if DATA is not None else None


def _write(path: Path) -> list[float]:
    """One line in 4/4: every two bars (8 beats) a held note on the downbeat, then the figure on a weaker
    place (its last note a sixteenth, then a rest to the next held note). The held note's length and
    interval differ each time (growing stops at it). Returns the figures' first onsets."""
    notes: list[tuple[float, int, float]] = []
    starts = []
    for k, (length, iv) in enumerate(HELD):
        base = 62 + 2 * (k % 3)
        t = 8.0 * k
        notes.append((t, base + iv, length))
        starts.append(t + length)
        notes += [(t + length + at, base + step, 0.25) for at, step in FIGURE]
    write_line_midi(notes, path)
    return starts


def test_a_figure_starts_on_the_held_downbeat_note_it_springs_from(tmp_path: Path) -> None:
    path = tmp_path / "long_start.mid"
    starts = _write(path)
    score = read_score(path)
    off = statement_lengths(discover(score, settings=DiscoverySettings(grow_from_long=0)), starts[0])
    assert off == {round(s, 3): 5 for s in starts}, off  # the figure alone: the notes before agree in nothing
    on = statement_lengths(discover(score, settings=DiscoverySettings()), starts[0])
    # each statement opens on its held note (6 to 18 times the figure's sixteenths, at least 6)
    assert on == {round(8.0 * k, 3): 6 for k in range(len(HELD))}, on
    # the first held note (1.5 beats) is 6 x the figure's sixteenths, not 7 x: at 7 it stays out
    seven = statement_lengths(discover(score, settings=DiscoverySettings(grow_from_long=7)), starts[0])
    assert seven == {round(starts[0], 3): 5, **{round(8.0 * k, 3): 6 for k in range(1, len(HELD))}}, seven


@pytest.mark.skipif(BPS_01 is None or not BPS_01.exists(), reason="BPS-motif data not found")
def test_bps_01_1_turn_starts_on_its_held_note() -> None:
    """BPS-motif 01-1 (op. 2/1 i): the labelled motif at bar 3 is A-flat 5 held on the downbeat (beat 8),
    then the turn G5 F5 E5 F5 (beats 9.5-10); our family's statement started at the turn."""
    score = read_score(BPS_01)

    def statement(settings: DiscoverySettings) -> list[tuple[float, int]]:
        for f in discover(score, settings=settings):
            for o in f.occurrences:
                if any(abs(n.onset - 9.5) < 1e-6 and n.pitch == 79 for n in o.notes):
                    return [(round(n.onset, 2), n.pitch) for n in o.notes]
        return []

    turn = [(9.5, 79), (9.67, 77), (9.83, 76), (10.0, 77)]
    assert statement(DiscoverySettings(grow_from_long=0)) == turn
    assert statement(DiscoverySettings()) == [(8.0, 80), *turn]


@pytest.mark.skipif(BPS_13 is None or not BPS_13.exists(), reason="BPS-motif data not found")
def test_bps_13_1_held_note_on_a_weaker_place_stays_out() -> None:
    """BPS-motif 13-1 (op. 13 i, Allegro di molto): B-flat 2 held from the half bar (beat 106) before a run
    that starts on the downbeat (108): the held note ends the phrase before, so the run's statement starts
    at 108 (without the metric condition it took the held note; phase16-disc16.md)."""
    score = read_score(BPS_13)
    found = [[(n.onset, n.pitch) for n in o.notes] for f in discover(score) for o in f.occurrences
             if any(abs(n.onset - 108.0) < 1e-6 and n.pitch == 46 for n in o.notes)]
    assert found and all(notes[0] == (108.0, 46) for notes in found), found
