"""A short tune is searched from 3 notes (DiscoverySettings.short_piece_notes, phase19-folk19.md).

One line of fewer than 120 notes (a folk song's strophe): a returning 3-note figure is a motif there.
A long line, or a short piece of two lines, keeps ``min_notes`` (4): 3-note repeats are chance there.
"""

from __future__ import annotations

from pathlib import Path

import mido
import pytest

import motifcli
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.core import _short_tune

TPB = 480
FIGURE = [(67, 1), (71, 1), (74, 2)]  # G B D: the rising triad a song opens with, crotchet crotchet minim
FILLER = [(72, 1), (69, 1), (65, 1), (64, 1), (62, 2), (60, 1), (64, 1), (71, 2), (65, 1), (67, 1), (76, 1), (74, 1)]


def tune() -> list[tuple[int, float]]:
    """The figure three times (on G, D and G), each time followed by other, unrepeated notes."""
    return [*FIGURE, *FILLER[:4], *[(p + 7, d) for p, d in FIGURE], *FILLER[4:8], *FIGURE, *FILLER[8:]]


def write(path: Path, lines: list[list[tuple[int, float]]]) -> motifcli.Score:
    mid = mido.MidiFile(ticks_per_beat=TPB)
    for k, line in enumerate(lines):
        track = mido.MidiTrack()
        mid.tracks.append(track)
        track.append(mido.MetaMessage("time_signature", numerator=4, denominator=4, time=0))
        for pitch, beats in line:
            track.append(mido.Message("note_on", channel=k, note=pitch, velocity=80, time=0))
            track.append(mido.Message("note_off", channel=k, note=pitch, velocity=0, time=int(beats * TPB)))
    mid.save(path)
    return motifcli.read_score(path)


def test_a_short_tune_finds_its_3_note_figure(tmp_path: Path) -> None:
    score = write(tmp_path / "tune.mid", [tune()])
    assert _short_tune(score, DiscoverySettings())
    (family,) = discover(score)  # the figure, grown by the note after it (grow_vary: same rhythm, other interval)
    assert [(o.start, [n.pitch - o.notes[0].pitch for n in o.notes][:3]) for o in family.occurrences] == [
        (0.0, [0, 4, 7]), (8.0, [0, 4, 7]), (18.0, [0, 4, 7])]
    assert discover(score, settings=DiscoverySettings(short_piece_notes=0)) == []  # no 4-note repeat


def test_a_long_line_and_a_short_duet_keep_4_notes(tmp_path: Path) -> None:
    long_line = write(tmp_path / "long.mid", [tune() * 6])  # 126 notes: no longer a song's strophe
    assert not _short_tune(long_line, DiscoverySettings())
    assert _short_tune(long_line, DiscoverySettings(short_piece_notes=200))
    duet = write(tmp_path / "duet.mid", [tune(), [(48 + (i * 5) % 12, 2) for i in range(10)]])
    assert not _short_tune(duet, DiscoverySettings())  # two lines: 3-note repeats between them are chance
    assert discover(duet) == discover(duet, settings=DiscoverySettings(short_piece_notes=0))


@pytest.mark.parametrize("settings", [DiscoverySettings(min_notes=3), DiscoverySettings(short_piece_notes=0)])
def test_the_rule_is_off_where_asked_or_moot(tmp_path: Path, settings: DiscoverySettings) -> None:
    assert not _short_tune(write(tmp_path / "tune.mid", [tune()]), settings)


def test_a_rhythm_sung_again_to_other_notes_is_a_family_when_asked(tmp_path: Path) -> None:
    """Three crotchets and a dotted minim, twice, then the same rhythm to other pitches (MTC's "8884.8884."):
    with ``rhythm_motifs`` the longest returning rhythm is one family more; off (the default), none."""
    rhythm = [1, 1, 1, 3, 1, 1, 1, 3]
    first = list(zip([72, 71, 69, 67, 62, 67, 69, 71], rhythm))  # C B A G. | D G A B.
    second = list(zip([67, 69, 74, 71, 67, 69, 72, 71], rhythm))  # G A D B. | G A C B.
    close = [(74, 1), (72, 1), (71, 2), (69, 2), (67, 4)]
    score = write(tmp_path / "rhythm.mid", [[*first, *second, *close]])
    def statements(families: list) -> set:
        return {tuple((o.start, len(o.notes)) for o in f.occurrences) for f in families}

    plain = discover(score)
    found = discover(score, settings=DiscoverySettings(rhythm_motifs=True))
    assert statements(found) - statements(plain) == {((0.0, 8), (12.0, 8))}  # one family more, the others kept
    assert ((0.0, 8), (12.0, 8)) not in statements(plain)
    (motif,) = (f for f in found if f.notes_per_occurrence == 8)
    assert [n.pitch for n in motif.occurrences[1].notes] == [p for p, _ in second]
    assert motif.occurrences[0].similarity == 1.0 > motif.occurrences[1].similarity
    long_line = write(tmp_path / "long.mid", [[*first, *second, *close] * 6])  # not a short tune: never
    assert discover(long_line, settings=DiscoverySettings(rhythm_motifs=True)) == discover(long_line)
