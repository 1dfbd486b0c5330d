"""What to draw: one :class:`Mark` per statement, in the MusicXML part of its track.

A statement is an occurrence, or the occurrences of several families with the same notes
(:mod:`~motifcli.writers.shared`): one bracket "Motif A3 = B1", in the most salient family's colour.

An occurrence is its notes, so a mark names exactly them, by (onset, pitch), in the part of its
track, and its bracket runs from its first note's onset to its last note's end. Where two voices
of the part sound one pitch at one onset (a unison), the note of the occurrence's staff and written
voice is its own (``Mark.places``), so the other voice's note keeps its own family's colour. For MusicXML input
onsets are the reader's (the same timeline as the document after ``align_to_score``); for MIDI
input, converted by :mod:`~motifcli.writers.notation`, they are quantised the way the notation was
(kept in their bar of the meter map), so a note played a little early still belongs to its occurrence. The tied continuations of an
occurrence's notes are coloured too. An occurrence listing no notes (a hand-made annotation) falls
back to every note of the part with onset in [start, end). A run of short statements back to back
(:mod:`~motifcli.writers.runs`) is one bracket "Motif A5–A8" from its first note to its last; its
statements still colour their own notes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from motifcli.annotation import Annotation, Occurrence
from motifcli.errors import OutputError
from motifcli.score import Note, Score
from motifcli.writers._common import occurrence_notes
from motifcli.writers.musicxml_scan import XmlNote, XmlScan
from motifcli.writers.runs import Run, runs
from motifcli.writers.shared import statements

if TYPE_CHECKING:
    from motifcli.writers.notation import ConvertedScore


@dataclass(slots=True)
class Mark:
    part_id: str
    text: str  # "Motif A1"; "Motif A3 = B1" for the same notes in two families
    color: str  # "#E69F00"
    start: Fraction
    end: Fraction
    # which notes: None = every note with onset in [start, end); else these (onset, pitch) pairs,
    # plus the notes tied on from them (a long note is written as tied notes)
    keys: frozenset[tuple[Fraction, int]] | None = None
    # the staff its directions go in (multi-staff parts); None = the staff of its first chosen note
    staff: int | None = None
    # (onset, pitch) -> the (staff, written voice) of the occurrence's note there, where the reader
    # knows it: a unison of two voices matches one key twice, and only the occurrence's own is its
    places: dict[tuple[Fraction, int], frozenset[tuple[int, int]]] | None = None
    # a statement of a run (writers/runs.py) colours its notes and draws nothing (draw False); the run's one
    # bracket and label ("Motif A5–A8", run True) colours nothing (paint False): each note keeps the colour
    # its own statement gave it
    paint: bool = True
    draw: bool = True
    run: bool = False

    def own(self, key: tuple[Fraction, int], candidates: list[int], notes: list[XmlNote]) -> list[int]:
        """Of the document's notes at ``key``, the occurrence's own: those in its note's staff and
        voice when several share the key (a unison across voices), else all of them."""
        place = self.places.get(key) if self.places is not None and len(candidates) > 1 else None
        if not place:
            return candidates
        mine = [i for i in candidates if (notes[i].staff, _voice_number(notes[i])) in place
                or (notes[i].staff, ANY_VOICE) in place]
        return mine or candidates


ANY_VOICE = -1  # a place (staff, ANY_VOICE): any voice of that staff (notation from MIDI says staves, not voices)


def _voice_number(note: XmlNote) -> int:
    """A scanned note's written ``<voice>`` as the reader counts it (0: none, or not a number)."""
    text = note.voice[2] if note.voice is not None else ""
    return int(text) if text.isdigit() else 0


def _places(notes: list, score: Score) -> dict[tuple[Fraction, int], frozenset[tuple[int, int]]]:
    """(onset, pitch) -> the (staff, voice) of the occurrence's notes there, from the score's notes."""
    places: dict[tuple[Fraction, int], set[tuple[int, int]]] = {}
    for n in notes:
        track, index = getattr(n, "track", -1), getattr(n, "index", -1)
        if isinstance(n, Note):
            source = n
        elif 0 <= track < len(score.tracks) and 0 <= index < len(score.tracks[track].notes):
            source = score.tracks[track].notes[index]
        else:
            continue
        places.setdefault((_beats(n.onset), int(n.pitch)), set()).add((int(source.staff), int(source.voice)))
    return {key: frozenset(v) for key, v in places.items()}


def _beats(x: float) -> Fraction:
    """A beat position as a Fraction, snapped to 1/960 beat so 0.3333333 becomes 1/3."""
    return Fraction(round(float(x) * 960), 960)


def part_id_for_track(score: Score, scan: XmlScan, track_index: int) -> str | None:
    """The MusicXML part holding a score track: its part_id, else its part position, else its name."""
    if not 0 <= track_index < len(score.tracks):
        return None
    track = score.tracks[track_index]
    if track.part_id is not None and track.part_id in scan.parts:
        return track.part_id
    by_position = sorted(scan.parts.values(), key=lambda p: p.position)
    if track.source_index is not None and 0 <= track.source_index < len(by_position):
        return by_position[track.source_index].id
    return None


def marks_for_musicxml(annotation: Annotation, score: Score, scan: XmlScan) -> list[Mark]:
    """One mark per statement (occurrences of several families with the same notes: one, labelled
    "Motif A3 = B1", in the most salient one's colour): its own notes by (onset, pitch), bracketed
    from first to last note."""
    colours = {m.name: m.color for m in annotation.motifs}
    marks: list[Mark] = []
    for run in runs(statements(annotation)):
        made = [_musicxml_mark(statement.lead, statement.text, colours, score, scan) for statement in run.statements]
        marks.extend(_drawn(made, run))
    return marks


def _drawn(made: list[Mark], run: Run) -> list[Mark]:
    """A statement's mark as made; a run's: each statement's colours alone, and one bracket and label from
    its first statement's start to its last one's end, over all their notes (its first statement's colour)."""
    if not run.is_run:
        return made
    places: dict[tuple[Fraction, int], frozenset[tuple[int, int]]] = {}
    for m in made:
        for key, place in (m.places or {}).items():
            places[key] = places.get(key, frozenset()) | place
    keys = frozenset().union(*(m.keys or frozenset() for m in made))
    first = made[0]
    bracket = Mark(first.part_id, run.text(), first.color, first.start, max(m.end for m in made), keys=keys,
                   staff=first.staff, places=places if any(m.places is not None for m in made) else None,
                   paint=False, run=True)
    return [replace(m, draw=False) for m in made] + [bracket]


def _musicxml_mark(occ: Occurrence, text: str, colours: dict[str, str], score: Score, scan: XmlScan) -> Mark:
    """A statement's mark in the MusicXML it was read from (``occ``: its most salient family's occurrence)."""
    notes = occurrence_notes(occ, score)
    track = notes[0].track if notes and hasattr(notes[0], "track") else occ.track
    pid = part_id_for_track(score, scan, track)
    if pid is None:
        raise OutputError(f"no MusicXML part for track {track} ({occ.track_name!r}) of {occ.text}")
    colour = colours.get(occ.family, "#000000")
    if not notes:
        return Mark(pid, text, colour, _beats(occ.start), _beats(occ.end))
    keys = frozenset((_beats(n.onset), int(n.pitch)) for n in notes)
    start = _beats(notes[0].onset)
    end = max(_beats(max(n.offset for n in notes)), start)
    return Mark(pid, text, colour, start, end, keys=keys, places=_places(notes, score))


def marks_for_converted(annotation: Annotation, score: Score, converted: ConvertedScore) -> list[Mark]:
    """Marks for a score notated from MIDI (one per statement, as above): notes matched by quantised
    (onset, pitch)."""
    colours = {m.name: m.color for m in annotation.motifs}
    marks: list[Mark] = []
    staffed = {t.index for t in score.tracks if t.staves() is not None}  # a one-track part on its hands' staves
    for run in runs(statements(annotation)):
        made = [_converted_mark(statement.lead, statement.text, colours, score, converted, staffed)
                for statement in run.statements]
        if all(m is not None for m in made):
            marks.extend(_drawn([m for m in made if m is not None], run))
    return marks


def _converted_mark(occ: Occurrence, text: str, colours: dict[str, str], score: Score, converted: ConvertedScore,
                    staffed: set[int]) -> Mark | None:
    """A statement's mark in the notation of a MIDI score; None for a drum or empty track (not notated)."""
    pid = converted.part_of_track.get(occ.track)
    if pid is None:
        return None
    notes = occurrence_notes(occ, score)
    places = None
    if notes:
        keyed = [(n, (converted.q_onset(n.onset, int(getattr(n, "track", occ.track)), n.pitch), n.pitch))
                 for n in notes]
        keys = frozenset(key for _, key in keyed)
        if occ.track in staffed:  # a unison of the two hands is two written notes: only its own hand's is its
            places = _hand_places(keyed, score)
        # the bracket opens at the occurrence's first note: its bars come from the meter map, whose
        # bar lines (estimated for performed MIDI: beat 2.583...) need not be on the notation's grid
        # (never before the occurrence's own start, where the previous bracket may still be open),
        # and closes at the end of its last note
        start = max(converted.q_onset(occ.start), min(k[0] for k in keys))
        end = max(converted.q(max(n.offset for n in notes)), start + converted.grid)
    else:
        keys = frozenset()
        start = converted.q_onset(occ.start)
        end = max(converted.q(occ.end), start + converted.grid)
    return Mark(pid, text, colours.get(occ.family, "#000000"), start, end, keys=keys, places=places)


def _hand_places(keyed: list[tuple[Any, tuple[Fraction, int]]],
                 score: Score) -> dict[tuple[Fraction, int], frozenset[tuple[int, int]]]:
    """(notated onset, pitch) -> the (staff, ANY_VOICE) of the occurrence's notes there: the staff of
    each note of a track notated on its hands' staves (notation_lines.hand_staves), from the score."""
    places: dict[tuple[Fraction, int], set[tuple[int, int]]] = {}
    for n, key in keyed:
        track, index = getattr(n, "track", -1), getattr(n, "index", -1)
        known = 0 <= track < len(score.tracks) and 0 <= index < len(score.tracks[track].notes)
        staff = score.tracks[track].notes[index].staff if known else getattr(n, "staff", None) or 1
        places.setdefault(key, set()).add((int(staff), ANY_VOICE))
    return {key: frozenset(v) for key, v in places.items()}
