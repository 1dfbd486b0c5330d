"""Reading motif's MIDI marker lane back as a DAW user reads it (tests' own parser, not the writer's).

Since session 26 (markers26) the conductor track holds one marker per moment naming every statement
that starts there: "Motif A1 + B2 (PIANO); P1 (MELODY, top line)". A user searching the marker list
for "A1" must find it, in exactly one marker, at (or within 1/8 beat after) its first note.
"""

from __future__ import annotations

import re

import mido
from writers_fixtures import events_of

SAME_MOMENT = 1 / 8  # beats (motifcli.writers.midi_markers.SAME_MOMENT, restated: the tests pin it)


def markers(midi: mido.MidiFile) -> list[tuple[int, str]]:
    """(absolute tick, text) of every marker in every track, in time order."""
    return sorted((tick, msg.text) for tick, msg in events_of(midi, "marker"))


def parts(text: str) -> list[tuple[list[str], str]]:
    """"Motif A1 + B2 (PIANO); P1 (MELODY, top line)" -> [(["A1", "B2"], "PIANO"), (["P1"], "MELODY, top line")]:
    the statement names of each place (a name keeps its " = B1" and marks) and the place ("" when none)."""
    assert text.startswith("Motif "), text
    out = []
    for part in re.split(r"; (?=[A-Z]+\d)", text[len("Motif "):]):
        m = re.fullmatch(r"(.+?)(?: \((.*)\))?", part, re.DOTALL)
        assert m, part
        out.append((m.group(1).split(" + "), m.group(2) or ""))
    return out


def names_at(midi: mido.MidiFile) -> dict[str, list[tuple[int, str]]]:
    """Statement name ("A1", "A3 = B1") -> every (tick, place) a marker names it at."""
    found: dict[str, list[tuple[int, str]]] = {}
    for tick, text in markers(midi):
        for names, place in parts(text):
            for name in names:
                found.setdefault(name, []).append((tick, place))
    return found


def find(midi: mido.MidiFile, label: str) -> list[tuple[int, str]]:
    """The (tick, place) of every marker holding occurrence ``label`` ("A1") alone or in a shared
    statement ("A3 = B1" holds both A3 and B1), marks ("inv.") aside: what a marker-list search finds."""
    hits = []
    for name, where in names_at(midi).items():
        if label in re.findall(r"[A-Z]+\d+", name):
            hits.extend(where)
    return hits


def assert_lane(midi: mido.MidiFile, first_ticks: dict[str, int]) -> None:
    """No two markers at one tick, and each occurrence (label -> its first note's tick) named in exactly
    one marker, at its tick or less than :data:`SAME_MOMENT` beat before it; nothing else named."""
    lane = markers(midi)
    assert len({t for t, _ in lane}) == len(lane), "two markers at one tick"
    window = SAME_MOMENT * midi.ticks_per_beat
    for label, tick in first_ticks.items():
        hits = find(midi, label)
        assert len(hits) == 1, (label, hits)
        assert 0 <= tick - hits[0][0] < window, (label, tick, hits)
    named = {x for name in names_at(midi) for x in re.findall(r"[A-Z]+\d+", name)}
    assert named == set(first_ticks)
