"""Small helpers the writers share: the notes of an occurrence, rounding, numbers as text."""

from __future__ import annotations

import re

from motifcli.annotation import Annotation, MotifNote, Occurrence
from motifcli.score import Note, Score


def occurrence_notes(occ: Occurrence, score: Score | None) -> list[Note | MotifNote]:
    """The notes of ``occ``: its own list, else its ``note_indices`` into the score's track, else the
    track's notes whose onset lies in [start, end)."""
    if occ.notes:
        return sorted(occ.notes, key=lambda n: (n.onset, n.pitch))
    if score is None or not 0 <= occ.track < len(score.tracks):
        return []
    track_notes = score.tracks[occ.track].notes
    if occ.note_indices:
        return sorted(
            (track_notes[i] for i in occ.note_indices if 0 <= i < len(track_notes)),
            key=lambda n: (n.onset, n.pitch),
        )
    eps = 1e-9
    return [n for n in track_notes if occ.start - eps <= n.onset < occ.end - eps]


def note_span(occ: Occurrence, score: Score | None) -> tuple[float, float]:
    """Where the occurrence sounds: its first note's onset and its last note's end (an occurrence
    is its notes); the summary ``[start, end)`` when it has none."""
    notes = occurrence_notes(occ, score)
    if not notes:
        return float(occ.start), float(occ.end)
    return float(notes[0].onset), float(max(n.offset for n in notes))


def first_note_track(occ: Occurrence) -> int:
    """The track of the occurrence's first note (its own track when it lists none)."""
    first = occ.first_note
    return int(first.track) if first is not None else int(occ.track)


def family_index(annotation: Annotation) -> dict[str, int]:
    """Family name -> 1-based position in the annotation (pattern number, colour order)."""
    return {m.name: i + 1 for i, m in enumerate(annotation.motifs)}


def num(x: float, places: int = 6) -> str:
    """A float as short fixed-point text: 4.0 -> "4", 1.5 -> "1.5", 1/3 -> "0.333333"."""
    text = f"{float(x):.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# C0 controls (NUL, ESC, BEL...), DEL and C1 controls: invalid in XML 1.0 even as &#..; references,
# and obeyed by terminals that print a CSV or label file. Tabs and line breaks break one-line fields.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BREAKS = re.compile("[\t\n\r]+")


def clean_text(text: str) -> str:
    """``text`` fit for any output: control characters dropped, tabs and line breaks made spaces.

    Every writer passes names and labels through this (a MIDI track name may hold NUL or ESC)."""
    return _BREAKS.sub(" ", _CONTROL.sub("", text))


def latin1(text: str) -> str:
    """MIDI text as mido writes it (Latin-1): other characters become "?"."""
    return text.encode("latin-1", "replace").decode("latin-1")


def note_ticks(note: Note | MotifNote, ticks_per_beat: int) -> tuple[int, int, int] | None:
    """(note-on tick, note-off tick, velocity) of ``note`` in a MIDI file written by motif, or None for a
    pitch MIDI cannot hold: never a note-off before its note-on, a velocity of 1-127 (0 is a note-off)."""
    if not 0 <= note.pitch <= 127:
        return None
    on = max(0, round(note.onset * ticks_per_beat))
    return on, max(round(note.offset * ticks_per_beat), on + 1), min(max(int(note.velocity), 1), 127)
