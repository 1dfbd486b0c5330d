"""MIDI to notation: a clean, quantised MusicXML score made with music21 from a MIDI :class:`Score`.

MIDI input has no MusicXML to keep, so :func:`midi_to_musicxml` writes one (quantised to sixteenths,
one part per pitched track, drums and empty tracks left out, a grand staff for piano-like tracks
(a track whose notes have staves, a one-track keyboard part split into hands, on those; else cut at middle C),
at most two voices per staff, or a track's separated lines as its voices (notation_lines), an
estimated key signature) in the bars of the run's meter map: its
time signatures, a pickup measure "0" (``implicit="yes"``, so MuseScore numbers the next one 1), a new
time signature where the map changes, and bars of other lengths (an irregular bar of an estimate)
written as they are, without a signature of their own. Bar lines are quantised like the notes, so the
printed bar numbers are the report's ``start_bar``/``end_bar``. The MusicXML writer then annotates it
like any other MusicXML document.
"""

from __future__ import annotations

import bisect
import copy
import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from motifcli.errors import OutputError
from motifcli.meter import MeterMap
from motifcli.quiet import library_quiet
from motifcli.score import DRUM_CHANNEL, Score
from motifcli.writers._common import clean_text
from motifcli.writers.musicxml_scan import XmlScan, scan_parts
from motifcli.writers.notation_bars import (
    GRID,
    NotationBar,
    NoteKey,
    is_compound,
    notation_bars,
    note_homes,  # noqa: F401 - the MusicXML writer imports it from here with the rest
    onset_on_grid,
    quantise,
    split_notatable,
    tempo_marks,
)
from motifcli.writers.notation_drums import hands_and_feet, kit_instruments, kit_sounds, unpitched_event
from motifcli.writers.notation_lines import hand_rows, line_events, line_rows, staff_lines

# Bars in all staves together. music21 builds a few KB and ~0.1 ms per bar even when it is empty,
# so 4 notes 50,000 beats apart (37,500 bars) took minutes and gigabytes; a POP909 song has ~600.
MAX_NOTATION_BARS = 20_000


def check_size(score: Score, meter: MeterMap | None = None) -> None:
    """Refuse, before any work, a score whose notation would have more than MAX_NOTATION_BARS bars."""
    tracks = [t for t in score.tracks if t.is_pitched]
    end = max((n.offset for t in tracks for n in t.notes), default=0.0)
    meter = meter if meter is not None else score.meter_map
    covered = meter.bar_index_at(end - 1e-9) + 1 if end <= meter.end_beat else len(meter.bars)
    after = max(0.0, end - meter.end_beat)  # notes past the map's last bar: bars of its length
    bars = covered + math.ceil(after / max(meter.bars[-1].nominal_length, 0.25) - 1e-9)
    if bars * len(tracks) > MAX_NOTATION_BARS:
        raise OutputError(
            f"MusicXML output would need {bars:,} bars in each of {len(tracks)} part(s), over the "
            f"{MAX_NOTATION_BARS:,}-bar limit for notating MIDI (its notes span {end:,.0f} beats); "
            "write --format midi or json instead",
            score.path,
        )


@dataclass(slots=True)
class ConvertedScore:
    """MusicXML made from a MIDI score, and how its parts and notes relate to the score's tracks."""

    xml: bytes
    scan: XmlScan
    part_of_track: dict[int, str]  # score track index -> MusicXML part id
    grid: Fraction = GRID
    bars: list[NotationBar] = field(default_factory=list)  # the measures written, in order
    seconds: float = 0.0  # how long the conversion took
    bar_beats: list[float] = field(default_factory=list)  # the map's own start of each bar
    homes: Mapping[NoteKey, float] = field(default_factory=dict)  # see note_homes

    def q(self, beat: float) -> Fraction:
        """A beat position on the conversion's grid (a note's end, a span's end)."""
        return quantise(beat, self.grid)

    def q_onset(self, beat: float, track: int | None = None, pitch: int | None = None) -> Fraction:
        """Where a note (of ``track`` and ``pitch``) starting at ``beat`` was notated: how notes of
        the score are found again."""
        home = self.homes.get((track, round(float(beat), 6), pitch), beat) if track is not None else beat
        return onset_on_grid(beat, self.bars, self.bar_beats, self.grid, home)


@dataclass(slots=True)
class _Event:
    on: Fraction
    end: Fraction
    pitches: list[int]


def _voices(notes: list[tuple[Fraction, Fraction, int]], grid: Fraction) -> list[list[_Event]]:
    """Chords by onset, small legato overlaps trimmed, then at most two voices (voice 1 cut short
    when both are busy)."""
    by_onset: dict[Fraction, _Event] = {}
    for on, end, pitch in notes:
        ev = by_onset.get(on)
        if ev is None:
            by_onset[on] = _Event(on, end, [pitch])
        else:
            ev.end = max(ev.end, end)
            if pitch not in ev.pitches:
                ev.pitches.append(pitch)
    events = [by_onset[k] for k in sorted(by_onset)]
    for a, b in zip(events, events[1:]):
        overlap = a.end - b.on
        if 0 < overlap <= max(grid, (a.end - a.on) / 4):
            a.end = b.on
    voices: list[list[_Event]] = [[], []]
    ends = [Fraction(0), Fraction(0)]
    for ev in events:
        if ends[0] <= ev.on:
            v = 0
        elif ends[1] <= ev.on:
            v = 1
        else:
            v = 0
            voices[0][-1].end = ev.on
        voices[v].append(ev)
        ends[v] = ev.end
    return voices


_Piece = tuple[Fraction, Fraction, list[int] | None, str | None]  # start, length, pitches, tie


def _pieces(events: list[_Event], bars: list[NotationBar]) -> list[_Piece]:
    """(start, duration, pitches or None for a rest, tie type) pieces filling all ``bars``, none of
    them crossing a barline, each a notatable value."""
    out: list[_Piece] = []
    starts = [b.start for b in bars]

    def emit(start: Fraction, end: Fraction, pitches: list[int] | None) -> None:
        segments = []
        t = start
        while t < end:
            bar = bars[max(0, bisect.bisect_right(starts, t) - 1)]
            stop = min(end, bar.end)
            if stop <= t:  # past the last bar (the bars are made to hold every note): cut, never loop
                break
            for d in split_notatable(t - bar.start + bar.lead, stop - t, is_compound(bar)):
                segments.append((t, d))
                t += d
        for k, (t0, d) in enumerate(segments):
            tie = None
            if pitches is not None and len(segments) > 1:
                tie = "start" if k == 0 else ("stop" if k == len(segments) - 1 else "continue")
            out.append((t0, d, pitches, tie))

    now, total = Fraction(0), bars[-1].end
    for ev in events:
        if ev.on > now:
            emit(now, ev.on, None)
        emit(ev.on, ev.end, ev.pitches)
        now = ev.end
    if now < total:
        emit(now, total, None)
    return out


_MAJOR_PROFILE = (6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88)
_MINOR_PROFILE = (6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17)
_NAMES = {
    "sharp": ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"),
    "flat": ("C", "D-", "D", "E-", "E", "F", "G-", "G", "A-", "A", "B-", "B"),
    "plain": ("C", "C#", "D", "E-", "E", "F", "F#", "G", "G#", "A", "B-", "B"),
}
_STEP_ORDER_SHARPS = "FCGDAEB"


def key_fifths(tracks: list) -> int:
    """The key signature (fifths, -6..5) that best fits the notes (Krumhansl-Schmuckler profiles,
    duration-weighted pitch classes); a minor key is written with its relative major's signature."""
    weights = [0.0] * 12
    for track in tracks:
        for n in track.notes:
            weights[n.pitch % 12] += max(n.offset - n.onset, 0.05)
    if not any(weights):
        return 0

    def corr(xs: list[float], ys: tuple[float, ...]) -> float:
        mx_, my = sum(xs) / 12, sum(ys) / 12
        num = sum((x - mx_) * (y - my) for x, y in zip(xs, ys))
        den = (sum((x - mx_) ** 2 for x in xs) * sum((y - my) ** 2 for y in ys)) ** 0.5
        return num / den if den else 0.0

    best, best_major_tonic = -2.0, 0
    for tonic in range(12):
        rotated = weights[tonic:] + weights[:tonic]
        for profile, relative in ((_MAJOR_PROFILE, 0), (_MINOR_PROFILE, 3)):
            r = corr(rotated, profile)
            if r > best:
                best, best_major_tonic = r, (tonic + relative) % 12
    return (best_major_tonic * 7 + 6) % 12 - 6


def _key_alters(fifths: int) -> dict[str, int]:
    """Step letter -> alteration the key signature gives it."""
    alters = dict.fromkeys("CDEFGAB", 0)
    if fifths > 0:
        for step in _STEP_ORDER_SHARPS[:fifths]:
            alters[step] = 1
    elif fifths < 0:
        for step in reversed(_STEP_ORDER_SHARPS[fifths:]):
            alters[step] = -1
    return alters


def _show_accidentals(measure, key_alters: dict[str, int], natural) -> None:
    """Show an accidental only where the pitch differs from the key or an earlier note of the bar
    (tied continuations never show one), as an engraver would."""
    state: dict[tuple[str, int], int] = {}
    heads = []
    for el in measure.recurse().notes:
        for n in el.notes if el.isChord else [el]:
            heads.append((el.offset if el.activeSite is measure else el.activeSite.offset + el.offset, el, n))
    heads.sort(key=lambda h: h[0])
    for _, el, n in heads:
        p = n.pitch
        alter = int(p.alter)
        key = (p.step, p.octave)
        expected = state.get(key, key_alters[p.step])
        tie = el.tie if el.tie is not None else n.tie
        if tie is not None and tie.type in ("stop", "continue"):
            if p.accidental is not None:
                p.accidental.displayStatus = False
            state[key] = alter
            continue
        if alter != expected:
            if p.accidental is None:
                p.accidental = natural()
            p.accidental.displayStatus = True
        elif p.accidental is not None:
            p.accidental.displayStatus = False
        state[key] = alter


def _split_staves(
    rows: list[tuple[Fraction, Fraction, int]],
) -> tuple[list[tuple[Fraction, Fraction, int]], list[tuple[Fraction, Fraction, int]]] | None:
    """Treble (middle C and up) and bass rows for a track that needs both staves (a wide range with
    a real share of notes on each side, like a piano part), else None."""
    if not rows:
        return None
    pitches = [p for _, _, p in rows]
    low = sum(p < 60 for p in pitches)
    if max(pitches) - min(pitches) < 24 or min(low, len(pitches) - low) < 0.15 * len(pitches):
        return None
    return [r for r in rows if r[2] >= 60], [r for r in rows if r[2] < 60]


def midi_to_musicxml(
    score: Score,
    grid: Fraction = GRID,
    meter_map: MeterMap | None = None,
    homes: Mapping[NoteKey, float] | None = None,
    lines: Mapping[int, list[list[int]]] | None = None,
) -> ConvertedScore:
    """Notate the pitched tracks of a MIDI score with music21 (one part each) and export MusicXML,
    in the bars of ``meter_map`` (the run's, see :func:`notation_bars`; default the score's own),
    each note in its bar (``homes``: :func:`note_homes` of the annotation; else where its onset is),
    a track's ``lines`` (note indices per line, highest first: :func:`separated_lines`) as its voices.

    The notation is built here (quantised onsets and ends, bars, ties, two voices per staff, a grand
    staff for piano-like tracks, key signature and accidentals) and exported without music21's
    ``makeNotation`` pass, which alone takes seconds on a pop song; chords are built from Pitch
    objects and rests say whether they fill the bar, which avoids music21's two other slow paths.
    About 1 s of CPU for a POP909 song (3 s with music21's import and the annotation included).
    """
    began = time.perf_counter()
    meter_map = meter_map if meter_map is not None else score.meter_map
    check_size(score, meter_map)
    from music21 import chord, clef, instrument, key, layout, metadata, meter, note, stream, tempo
    from music21 import defaults
    from music21 import pitch as m21pitch
    from music21 import tie as m21tie
    from music21.musicxml.m21ToXml import GeneralObjectExporter

    tracks = [t for t in score.tracks if t.is_pitched]
    if not tracks:
        raise OutputError("the score has no pitched notes to write as MusicXML", score.path)
    quantised: dict[int, list[tuple[Fraction, Fraction, int]]] = {}
    drum_tracks = [t for t in score.tracks if t.is_drum and t.notes]  # a percussion staff each (notation_drums)
    last = max((max(quantise(n.offset, grid), quantise(n.onset, grid) + grid)
                for t in (*tracks, *drum_tracks) for n in t.notes), default=Fraction(0))  # the bars hold every note
    bars = notation_bars(meter_map, last, grid)
    bar_starts = [b.start for b in bars]
    bar_beats = [float(b.beat) if b.beat is not None else float(b.start) for b in bars]
    homes = homes if homes is not None else {}
    lines = lines if lines is not None else {}
    for track in (*tracks, *drum_tracks):
        rows = []
        for n in track.notes:
            on = onset_on_grid(n.onset, bars, bar_beats, grid, homes.get((track.index, round(n.onset, 6), n.pitch)))
            end = max(quantise(n.offset, grid), on + grid)
            rows.append((on, end, n.pitch))
        quantised[track.index] = rows
    marks = tempo_marks(score.tempos, bar_beats)  # bar index -> bpm: bar 0's, then the tempo's real changes
    fifths = key_fifths(tracks)
    names = _NAMES["sharp" if fifths > 0 else "flat" if fifths < 0 else "plain"]
    spelled: dict[int, object] = {}

    def spell(midi_number: int):
        if midi_number not in spelled:
            spelled[midi_number] = m21pitch.Pitch(f"{names[midi_number % 12]}{midi_number // 12 - 1}")
        return copy.deepcopy(spelled[midi_number])

    key_alters = _key_alters(fifths)

    m21score = stream.Score()
    title = clean_text(Path(score.path).stem) if score.path is not None else "motif"
    m21score.metadata = metadata.Metadata(title=title, movementName=title)
    def staff_measures(voices: list[list[_Event]], staff_clef, tempi: bool = False, drums: bool = False) -> list:
        """The bars of one staff: its voices' chords, rests (hidden past voice 1) and ties; a bar where
        only voice 1 sounds is written without voices. ``tempi``: the staff carries the metronome marks (the
        score's first); ``drums``: a percussion staff (no key, unpitched hits)."""
        pieces = [_pieces(v, bars) if v or i == 0 else [] for i, v in enumerate(voices)]
        measures = []
        shown: tuple[int, int] | None = None
        for b in bars:
            digits = re.match(r"\d+", b.number)
            m = stream.Measure(number=int(digits.group()) if digits else 0)
            if digits and digits.group() != b.number:
                m.numberSuffix = b.number[len(digits.group()):]
            if b.implicit:
                m.showNumber = stream.enums.ShowNumber.NEVER  # written implicit="yes"
            if (b.numerator, b.denominator) != shown:
                m.insert(0, meter.TimeSignature(f"{b.numerator}/{b.denominator}"))
                shown = (b.numerator, b.denominator)
            measures.append(m)
        first = measures[0]
        for el in [staff_clef, *([] if drums else [key.KeySignature(fifths)])]:
            first.insert(0, el)
        for i, bpm in marks.items() if tempi else ():
            measures[i].insert(0, tempo.MetronomeMark(number=round(bpm, 2)))
        containers: list[dict[int, stream.Stream]] = [{0: m} for m in measures]
        busy = {bisect.bisect_right(bar_starts, t0) - 1
                for later in pieces[1:] for t0, _, p, _ in later if p is not None}
        for i in sorted(busy):
            containers[i] = {vi: stream.Voice(id=str(vi + 1)) for vi, v in enumerate(pieces) if v}
            for v in containers[i].values():
                measures[i].insert(0, v)
        for vi, voice_pieces in enumerate(pieces):
            for t0, d, ps, tie_type in voice_pieces:
                i = bisect.bisect_right(bar_starts, t0) - 1
                if vi not in containers[i]:
                    continue
                target = containers[i][vi]
                if drums and tie_type is not None:  # a hit is not held: what a tie would carry on is a rest
                    ps, tie_type = (ps if tie_type == "start" else None), None
                if ps is None:
                    el = note.Rest(quarterLength=d)
                    # never "auto": its context search costs seconds
                    el.fullMeasure = d == bars[i].length and not bars[i].implicit
                    if vi >= 1:
                        el.style.hideObjectOnPrint = True
                elif drums:
                    el = unpitched_event(ps, d)
                elif len(ps) == 1:
                    el = note.Note(spell(ps[0]), quarterLength=d)
                else:
                    # Pitch objects, not ints: Chord([ints]) re-spells them, slowly
                    el = chord.Chord([spell(p) for p in sorted(ps)], quarterLength=d)
                if tie_type is not None:
                    el.tie = m21tie.Tie(tie_type)
                target.insert(t0 - bars[i].start, el)
        for m in measures if not drums else ():
            _show_accidentals(m, key_alters, lambda: m21pitch.Accidental("natural"))
        return measures

    for k, track in enumerate(tracks):
        pid = f"P{k + 1}"
        rows = quantised[track.index]
        hand = track.staves()  # a one-track keyboard part split into hands (notation_lines.hand_staves)
        staves = _split_staves(rows) if hand is None else None
        # a staff separated into lines writes them as its voices (notation_lines); else two voices
        if hand is not None:  # each note on its hand's staff, as discovery read it
            split = [hand_rows(rows, hand.tolist(), s, lines.get(track.index, [])) for s in (1, 2)]
            staves = (split[0][0], split[1][0])
            voiced = [_voices(staff_rows, grid) if staff_lines_ is None
                      else [[_Event(*e) for e in line_events(line)] for line in staff_lines_]
                      for staff_rows, staff_lines_ in split]
        elif track.index in lines:
            by_staff = staff_lines(line_rows(rows, lines[track.index]), staves is not None)
            voiced = [[[_Event(*e) for e in line_events(line)] for line in staff] for staff in by_staff]
            staves = None if len(by_staff) == 1 else ([r for line in by_staff[0] for r in line],
                                                      [r for line in by_staff[1] for r in line])
        else:
            voiced = [_voices(r, grid) for r in ([rows] if staves is None else staves)]
        if staves is None:
            pitches = sorted(p for _, _, p in rows)
            staff_clef = clef.BassClef() if pitches and pitches[len(pitches) // 2] < 57 else clef.TrebleClef()
            layout_parts = [(stream.Part(id=pid), voiced[0], staff_clef)]
        else:  # a piano-like track: treble and bass staves of one part (a grand staff)
            layout_parts = [
                (stream.PartStaff(id=f"{pid}-Staff1"), voiced[0], clef.TrebleClef()),
                (stream.PartStaff(id=f"{pid}-Staff2"), voiced[1], clef.BassClef()),
            ]
        name = clean_text(track.name)  # NUL or ESC in a MIDI name would make the XML invalid
        for s_index, (part, staff_voices, staff_clef) in enumerate(layout_parts):
            part.partName = name
            inst = instrument.Instrument()
            inst.partName = name
            inst.instrumentName = name
            inst.partId = pid
            part.insert(0, inst)
            for m in staff_measures(staff_voices, staff_clef, tempi=k == 0 and s_index == 0):
                part.append(m)
            m21score.insert(0, part)
        if staves is not None:
            group = layout.StaffGroup([p for p, _, _ in layout_parts], name=name, symbol="brace")
            group.barTogether = True
            m21score.insert(0, group)
    kits: dict[str, dict[tuple[str, str], int]] = {}  # drum part id -> its places' sounds (notation_drums)
    for k, track in enumerate(drum_tracks):  # after every pitched part
        part = stream.Part(id=f"P{len(tracks) + k + 1}")
        part.partName = clean_text(track.name) or "Drums"
        kit = instrument.UnpitchedPercussion()
        kit.partName = kit.instrumentName = part.partName
        kit.partId, kit.midiChannel = part.id, DRUM_CHANNEL
        part.insert(0, kit)
        kits[part.id] = kit_sounds([n.pitch for n in track.notes])
        hands_feet = hands_and_feet(quantised[track.index], grid, [*bar_starts, bars[-1].end])  # every bar line
        voices = [_voices(rows, grid)[0] if rows else [] for rows in hands_feet]
        for m in staff_measures(voices, clef.PercussionClef(), drums=True):
            part.append(m)
        m21score.insert(0, part)
    exporter = GeneralObjectExporter(m21score)
    exporter.makeNotation = False
    author = defaults.author
    defaults.author = ""  # else music21 signs the score as its composer ("Music21")
    try:
        with library_quiet():  # over 15 parts music21 prints "out of midi channels" once per note
            xml = exporter.parse()
    finally:
        defaults.author = author
    for part_id, sounds in kits.items():
        xml = kit_instruments(xml, part_id, sounds)
    scan = scan_parts(xml)
    ids = [p.id for p in sorted(scan.parts.values(), key=lambda p: p.position)]
    part_of_track = {t.index: ids[k] for k, t in enumerate(tracks) if k < len(ids)}
    return ConvertedScore(xml, scan, part_of_track, grid, bars, time.perf_counter() - began, bar_beats, homes)
