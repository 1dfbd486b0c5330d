"""Which voice each note of a MIDI staff is written in, where discovery separated the staff into lines.

A MIDI track that is a steady 2-4 lines (a chorale's keyboard reduction, :mod:`motifcli.streams`) is
read by discovery as those lines (JSON voice 100 + r). Notated with music21's two-voice split
(:func:`motifcli.writers.notation._voices`) a line's notes wander between voices (bwv1.6's soprano in
voices 1, 2 and 3), so a musician sees the soprano's statements half in the alto's stems. Here the
notation takes the lines themselves as its voices: line r of a staff is that staff's voice r, stems
up and down as MuseScore draws voices. Staves that are not lines keep the two-voice split.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from motifcli.annotation import Annotation
    from motifcli.score import Score

Row = tuple[Fraction, Fraction, int]  # quantised onset, end, pitch of one note


def separated_lines(score: Score) -> dict[int, list[list[int]]]:
    """Track index -> the note indices of each of its separated lines, highest first (only tracks
    discovery separates with its default settings; the lines depend on the notes alone)."""
    from motifcli.discovery.types import DiscoverySettings
    from motifcli.voice_ids import SEPARATED
    from motifcli.voices import split_voices

    settings = DiscoverySettings()
    if not settings.separate_lines:
        return {}
    out: dict[int, list[list[int]]] = {}
    for voice in sorted(split_voices(score, by_staff=settings.staff_voices), key=lambda v: (v.track, v.voice)):
        if voice.voice > SEPARATED:
            out.setdefault(voice.track, []).append([int(i) for i in voice.note_indices])
    return {track: lines for track, lines in out.items() if len(lines) >= 2}


def hand_staves(score: Score, annotation: Annotation) -> Score:
    """``score`` with a one-track keyboard part's notes on the staves of the hands the run read it in
    (``annotation.hands``: taken once with the run's settings, families.annotate_notes; ``{}`` for
    ``--unit bar``, whose labels name no hand, and for a part not read as hands), so the notation's
    staves are the hands the analysis and the names used. An annotation no run made (read back from
    JSON) carries none: the tracks its statements say are hands (``Occurrence.hands``) are split
    again (:func:`motifcli.hands.named_hands`: the same notes, the same hands). A fixed cut at middle C
    put 82% of the notes of 10 keyboard pieces on their written staff, the hands 94% (phase19-staff19.md)."""
    from motifcli.hands import named_hands, on_staves

    hands = annotation.hands
    if hands is None:
        hands = named_hands(score, {o.track for m in annotation.motifs for o in m.occurrences if o.hands})
    return on_staves(score, hands)


def hand_rows(rows: list[Row], hand: list[int], staff: int,
              lines: list[list[int]]) -> tuple[list[Row], list[list[Row]] | None]:
    """The rows of one hand's ``staff`` of a track split into hands (``hand``: each note's staff), and
    that staff's separated lines (``lines``: the track's, note indices; the staff's own, 2 or more)
    as rows per line (:func:`line_rows`), else None (the staff keeps the two-voice split)."""
    mine = [i for i, h in enumerate(hand) if h == staff]
    staff_rows = [rows[i] for i in mine]
    own = [line for line in lines if line and hand[line[0]] == staff]
    if len(own) < 2:
        return staff_rows, None
    place = {i: k for k, i in enumerate(mine)}
    return staff_rows, line_rows(staff_rows, [[place[i] for i in line if i in place] for line in own])


def line_rows(rows: list[Row], lines: list[list[int]]) -> list[list[Row]]:
    """``rows`` (one per note of the track) as one list per line. A note of no line (an inner note of
    a chord, which the separation leaves out) joins the line with a note at its onset nearest in
    pitch, so it is written as a chord there; else the line nearest in mean pitch."""
    owner = {i: r for r, idx in enumerate(lines) for i in idx}
    out: list[list[Row]] = [[rows[i] for i in idx] for idx in lines]
    mean = [sum(p for _, _, p in line) / max(len(line), 1) for line in out]
    at_onset: dict[Fraction, list[tuple[int, int]]] = {}
    for r, line in enumerate(out):
        for on, _, p in line:
            at_onset.setdefault(on, []).append((r, p))
    for i, row in enumerate(rows):
        if i in owner:
            continue
        near = at_onset.get(row[0])
        r = (min(near, key=lambda rp: abs(rp[1] - row[2]))[0] if near
             else min(range(len(out)), key=lambda k: abs(mean[k] - row[2])))
        out[r].append(row)
    return [sorted(line) for line in out]


def staff_lines(lines: list[list[Row]], split: bool) -> list[list[list[Row]]]:
    """The lines of each staff: treble and bass staves where the track is piano-like (``split``), a
    line in the treble when its median pitch is above middle C (a line centred on it is a tenor,
    written in the bass staff as a keyboard reduction does); else, and where one of the two staves
    would hold no line (a chorale's tenor and bass; WTC I's Prelude in C: a left hand of two lines),
    one staff holding all (a line is never cut between staves)."""
    treble = [line for line in lines if sorted(p for _, _, p in line)[len(line) // 2] > 60]
    bass = [line for line in lines if sorted(p for _, _, p in line)[len(line) // 2] <= 60]
    return [treble, bass] if split and treble and bass else [lines]


def line_events(rows: list[Row]) -> list[tuple[Fraction, Fraction, list[int]]]:
    """One line's notes as (onset, end, pitches) events: notes starting together are a chord, and a
    note still sounding when the line's next one starts is cut there (a voice never overlaps itself)."""
    by_onset: dict[Fraction, list] = {}
    for on, end, pitch in rows:
        ev = by_onset.setdefault(on, [on, end, []])
        ev[1] = max(ev[1], end)
        if pitch not in ev[2]:
            ev[2].append(pitch)
    events = [by_onset[k] for k in sorted(by_onset)]
    for a, b in zip(events, events[1:]):
        a[1] = min(a[1], b[0])
    return [(on, end, ps) for on, end, ps in events]
