"""Motifs shared across a collection's pieces (motifcli.discovery.across, phase20-across20.md).

Three short songs (MIDI files written with mido, read by the real reader) each state one 5-note
motif once, at another pitch, among notes of their own: within one song it is no family; pooled,
the three statements are one family under one label, each split back to its song with the song's
own notes and times.
"""

from __future__ import annotations

from pathlib import Path

import mido

import motifcli
from motifcli.discovery import discover
from motifcli.discovery.across import discover_across, statement_pieces

TPB = 480
MOTIF = [(0, 1.5), (5, 0.5), (4, 1), (7, 1), (12, 2)]  # a leap of a fourth down a step, a fifth up, the octave
FILLERS = [  # (pitch, beats): each song's own notes, no 3-note shape of them returning in its song
    [(62, 1), (64, 1), (65, 2), (69, 1), (67, 0.5), (65, 0.5), (72, 1), (71, 3)],
    [(60, 2), (59, 1), (62, 1), (67, 1.5), (66, 0.5), (64, 3), (57, 1), (61, 2)],
    [(65, 1), (69, 2), (64, 1), (66, 0.5), (71, 0.5), (70, 1), (63, 4), (60, 1)],
]
ROOTS = [60, 65, 58]  # the motif on C, F and B flat
AT = [2, 5, 0]  # after how many filler notes the song states it


def song(k: int) -> list[tuple[int, float]]:
    fill = FILLERS[k]
    motif = [(ROOTS[k] + p, d) for p, d in MOTIF]
    return [*fill[: AT[k]], *motif, *fill[AT[k]:]]


def write(path: Path, notes: list[tuple[int, float]]) -> motifcli.Score:
    mid = mido.MidiFile(ticks_per_beat=TPB)
    track = mido.MidiTrack()
    mid.tracks.append(track)
    track.append(mido.MetaMessage("time_signature", numerator=4, denominator=4, time=0))
    for pitch, beats in notes:
        track.append(mido.Message("note_on", note=pitch, velocity=80, time=0))
        track.append(mido.Message("note_off", note=pitch, velocity=0, time=int(beats * TPB)))
    mid.save(path)
    return motifcli.read_score(path)


def motif_notes(k: int) -> set[tuple[float, int]]:
    onset = sum(d for _, d in FILLERS[k][: AT[k]])
    out = set()
    for p, d in MOTIF:
        out.add((onset, ROOTS[k] + p))
        onset += d
    return out


def scores(tmp_path: Path) -> list[motifcli.Score]:
    return [write(tmp_path / f"song{k}.mid", song(k)) for k in range(3)]


def holds(family, k: int) -> bool:
    return any(motif_notes(k) <= set(o.points()) for o in family.occurrences)


def test_a_motif_stated_once_per_song_is_one_family_across_them(tmp_path: Path) -> None:
    pieces = scores(tmp_path)
    for k, score in enumerate(pieces):  # within one song: stated once, no family holds it
        assert not any(holds(f, k) for f in discover(score))
    found = discover_across(pieces)
    assert len(found) == 3
    labels = [{f.label for f in fams if holds(f, k)} for k, fams in enumerate(found)]
    shared = labels[0] & labels[1] & labels[2]
    assert len(shared) == 1, labels  # one label, the same motif in every song
    (label,) = shared
    assert statement_pieces(found)[label] == 3
    for fams in found:  # stated once in each song, and still that song's family
        (family,) = [f for f in fams if f.label == label]
        assert len(family.occurrences) == 1


def test_statements_split_back_to_their_own_song(tmp_path: Path) -> None:
    pieces = scores(tmp_path)
    found = discover_across(pieces)
    assert any(found)
    for score, fams in zip(pieces, found):
        notes = {(t.index, i): n for t in score.pitched_tracks() for i, n in enumerate(t.notes)}
        end = score.end_beat
        for f in fams:
            for o in f.occurrences:
                for n in o.notes:  # the song's own note, at its own time: nothing of another song
                    own = notes[(n.track, n.index)]
                    assert (own.onset, own.pitch) == (n.onset, n.pitch)
                    assert 0 <= n.onset < end


def test_labels_mean_one_motif_in_every_song(tmp_path: Path) -> None:
    found = discover_across(scores(tmp_path))
    for fams in found:  # a label once per song, and each song's list under max_families
        assert len({f.label for f in fams}) == len(fams) <= 25
