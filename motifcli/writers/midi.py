"""MIDI output: the input's own events, plus a marker per moment a motif starts (and lyrics on request), in the run's bars.

For MIDI input the reader's parse (``Score.parsed_source``; else the kept bytes, parsed again) is the
starting point: every existing event keeps its absolute tick and its order; the new meta events
are slotted in by absolute tick and the delta times recomputed:

* when the run's bars did not come from the file's own time signatures (meter ``estimated`` or
  ``user``), the file's time-signature events (every track's) are dropped and the conductor
  track gets the meter map's instead (:mod:`motifcli.writers.midi_bars`: a pickup at tick 0, each
  section at its first bar line, an irregular bar's own length), so a DAW's bar ruler shows the
  bars the report numbers; ``keep_time_signatures=True`` (``--keep-time-signatures``) keeps the
  file's. Meter ``midi`` (the file's own signatures agree with the notes): nothing changes, but where
  they were taken after a pickup found in the notes (notation software's MIDI of a piece with an
  anacrusis, session 27): rewritten as for an estimated map;

* markers (FF 06) on the conductor track (track 0 of a type-1 file, the only track of a type-0
  file), which DAWs show on their timeline: one per moment, naming every statement whose first note
  starts there (:mod:`motifcli.writers.midi_markers`: "Motif A1 + B2 (PIANO); P1 (MELODY, top
  line)"); a marker belongs to no track, so its text says where each statement is, as a label
  track's does; occurrences of several families with the same notes are one statement, "A3 = B1"
  (:mod:`~motifcli.writers.shared`), and a run of one family's short statements back to back in one
  line is one name at its first statement, "Motif B3-B8" (:mod:`~motifcli.writers.runs`);
* with ``lyrics=True``, a lyric (FF 05, "Motif A1") at that note on its own track, which notation
  programs and karaoke players show under the first note; statements starting at one tick of one
  track share one lyric ("Motif A1 + B1": two would stack on one note). A lyric names a tick of a track, not a
  note: where another note of the track starts with it (two lines in one track: a keyboard
  reduction), the lyric says which line ("Motif A1 (line 2 from the top)", "Motif A1 (staff 1,
  voice 2)"), since a notation program shows it under the chord's top voice.

Markers and lyrics an earlier run wrote (text "Motif A1", "Motif A1 (...)", "Motif A1 + B2 (...); P1 (...)",
any words in the brackets: a track's name may hold brackets of its own) are taken out first, so
annotating an annotated file gives one set of marks (the reader never reads them: the same families).

At one tick a new event goes before the existing ones (a lyric precedes the note it names), but
never after the track's end-of-track, which moves later only when an occurrence starts after it
(a time signature goes before a marker of its tick).
With ``motif_tracks=True`` (``--motif-tracks``), one silent track per family follows the song's
tracks, holding a copy of its occurrences' notes (:mod:`motifcli.writers.midi_tracks`); such tracks
an earlier run appended are dropped first, with or without the option.
For a MusicXML input there are no MIDI events to keep: a type-1 file is built from the score
(tempo map, its written time signatures, one track per score track) and marked the same way.
"""

from __future__ import annotations

import copy
import io
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mido
import numpy as np

from motifcli.annotation import Annotation, Occurrence, voice_words
from motifcli.atomic import atomic_write_bytes
from motifcli.errors import OutputError
from motifcli.meter import MeterMap
from motifcli.score import DRUM_CHANNEL, Score
from motifcli.voice_ids import TEXTURES
from motifcli.writers._common import clean_text, first_note_track, latin1, note_span, note_ticks
from motifcli.writers.midi_bars import signature_events
from motifcli.writers.midi_markers import is_own_text, joined_text, moments, place, track_onsets
from motifcli.writers.midi_tracks import add_family_tracks, without_copies
from motifcli.writers.options import DEFAULT, WriteOptions
from motifcli.writers.runs import runs
from motifcli.writers.shared import statements

# meter sources whose bars the file's own time signatures do not already carry
REWRITTEN_SOURCES = ("estimated", "user")

BUILT_TICKS_PER_BEAT = 480


def _load_source(score: Score) -> mido.MidiFile:
    """The input's own events (from the bytes the reader kept), or a file built from the score."""
    if score.format == "midi" and score.source is not None:
        parsed = score.parsed_source
        if isinstance(parsed, mido.MidiFile):
            # the reader's parse of these same bytes; a shallow copy with its own track list, since
            # mark() replaces tracks (never edits a message) and may change the type
            midi = copy.copy(parsed)
            midi.tracks = list(parsed.tracks)
        else:
            try:
                midi = mido.MidiFile(file=io.BytesIO(score.source), clip=True)
            except (EOFError, ValueError, KeyError, IndexError, TypeError) as exc:
                raise OutputError(f"cannot parse the input MIDI file again ({exc})", score.path) from exc
        if midi.type == 0 and len(midi.tracks) != 1:
            midi.type = 1  # a type-0 header over several tracks (mido cannot save it): the type-1 file it is
        return midi
    return midi_from_score(score)


def midi_from_score(score: Score, ticks_per_beat: int = BUILT_TICKS_PER_BEAT) -> mido.MidiFile:
    """A type-1 MIDI file with the score's notes, tempo map and time signatures: a conductor track,
    then one track per score track (its own channel; drums on channel 10)."""
    tpb = ticks_per_beat
    midi = mido.MidiFile(type=1, ticks_per_beat=tpb)
    conductor: list[tuple[int, int, mido.MetaMessage]] = []
    for t in score.tempos:
        if 0 < t.microseconds_per_beat < 1 << 24:
            conductor.append((round(t.beat * tpb), 0, mido.MetaMessage("set_tempo", tempo=t.microseconds_per_beat)))
    for sig in score.time_signatures:
        if 0 < sig.numerator < 256 and sig.denominator in (1, 2, 4, 8, 16, 32, 64):
            message = mido.MetaMessage("time_signature", numerator=sig.numerator, denominator=sig.denominator)
            conductor.append((round(sig.beat * tpb), 0, message))
    midi.tracks.append(_to_track(conductor))
    melodic = [c for c in range(16) if c != DRUM_CHANNEL]
    for i, track in enumerate(score.tracks):
        channel = DRUM_CHANNEL if track.is_drum else melodic[i % len(melodic)]
        events: list[tuple[int, int, mido.Message | mido.MetaMessage]] = [
            # MIDI text is Latin-1 in mido: other characters become "?"
            (0, 0, mido.MetaMessage("track_name", name=latin1(clean_text(track.name))))
        ]
        for n in track.notes:
            ticks = note_ticks(n, tpb)
            if ticks is None:
                continue
            on, off, velocity = ticks
            events.append((on, 2, mido.Message("note_on", channel=channel, note=n.pitch, velocity=velocity)))
            events.append((off, 1, mido.Message("note_off", channel=channel, note=n.pitch, velocity=0)))
        midi.tracks.append(_to_track(events))
    return midi


def _to_track(events: list[tuple[int, int, object]]) -> mido.MidiTrack:
    track = mido.MidiTrack()
    now = 0
    for tick, _, msg in sorted(events, key=lambda e: (e[0], e[1])):
        track.append(msg.copy(time=tick - now))
        now = tick
    track.append(mido.MetaMessage("end_of_track", time=0))
    return track


def insert_events(track: mido.MidiTrack, new: list[tuple[int, mido.MetaMessage]]) -> mido.MidiTrack:
    """``track`` with ``new`` (absolute tick, message) slotted in; existing events keep their ticks.

    A new event goes before existing events of the same tick, but after nothing it does not have
    to: an end-of-track stays last (and moves to the last new event's tick if that is later).
    """
    if not new:
        return track
    existing: list[tuple[int, object]] = []
    now = 0
    for msg in track:
        now += msg.time
        existing.append((now, msg))
    pending = sorted(new, key=lambda e: e[0])
    out = mido.MidiTrack()
    last = 0
    j = 0

    def emit(tick: int, msg: object) -> None:
        nonlocal last
        delta = tick - last
        # a message whose delta stays (nothing slotted in before it) is kept as it is: messages are
        # never edited, and mido's copy() re-checks every attribute (most of a pop song's track 0)
        out.append(msg if type(msg.time) is int and msg.time == delta else msg.copy(time=delta))
        last = tick

    for tick, msg in existing:
        is_end = getattr(msg, "type", "") == "end_of_track"
        while j < len(pending) and (pending[j][0] <= tick or is_end):
            emit(pending[j][0], pending[j][1])
            j += 1
        emit(max(tick, last), msg)
    while j < len(pending):  # a track without end-of-track
        emit(pending[j][0], pending[j][1])
        j += 1
    return out


def _without(track: mido.MidiTrack, drop: Callable[[Any], bool]) -> mido.MidiTrack:
    """``track`` less the events ``drop`` picks; every other event keeps its absolute tick."""
    if not any(drop(msg) for msg in track):
        return track
    out = mido.MidiTrack()
    carry = 0
    for msg in track:
        if drop(msg):
            carry += msg.time
            continue
        out.append(msg.copy(time=msg.time + carry) if carry else msg)
        carry = 0
    return out


def without_time_signatures(track: mido.MidiTrack) -> mido.MidiTrack:
    """``track`` less its time-signature events; every other event keeps its absolute tick."""
    return _without(track, lambda msg: msg.type == "time_signature")


def without_own_marks(track: mido.MidiTrack) -> mido.MidiTrack:
    """``track`` less the markers and lyrics an earlier motif run wrote, in this version's form or an
    older one's (annotating an annotated file replaces them rather than stacking a second set); a
    song's own lyrics and markers stay."""
    return _without(track, lambda msg: msg.type in ("marker", "lyrics") and is_own_text(msg.text))


def bar_events(midi: mido.MidiFile, annotation: Annotation, score: Score) -> list[tuple[int, mido.MetaMessage]]:
    """Drop ``midi``'s time signatures (in place) and return the run's meter map's for the conductor
    track, when that map did not come from them (meter source ``estimated`` or ``user``), or came from
    them after a pickup found in the notes (:func:`_after_a_pickup`); else []."""
    meter = annotation.meter_map if annotation.meter_map is not None else score.meter_map
    if meter.source not in REWRITTEN_SOURCES and not _after_a_pickup(meter, score):
        return []
    from motifcli.meter_estimate import is_quantised  # (imported already: the run estimated the meter)

    midi.tracks = [without_time_signatures(track) for track in midi.tracks]
    return [(tick, mido.MetaMessage("time_signature", numerator=num, denominator=den))
            for tick, num, den in signature_events(meter, midi.ticks_per_beat, quantised=lambda: is_quantised(score))]


def _after_a_pickup(meter: MeterMap, score: Score) -> bool:
    """The map is the file's signatures with their bar lines moved to after a pickup
    (``meter_signatures.shifted_time_signatures``: notation software's MIDI of a piece with an
    anacrusis): the file's events alone give other bars, so they are rewritten as well (a pickup's
    own length at tick 0), and a DAW's bar ruler shows the report's bars."""
    if meter.source != "midi" or not score.time_signatures:
        return False
    own = MeterMap.from_time_signatures(score.time_signatures, float(score.end_beat))
    return abs(own.first_downbeat - meter.first_downbeat) > 1e-6


def mark(midi: mido.MidiFile, annotation: Annotation, score: Score, *, lyrics: bool = False,
         built: bool = False, conductor: list[tuple[int, mido.MetaMessage]] | None = None) -> mido.MidiFile:
    """Add the markers (and lyrics) of ``annotation`` to ``midi`` in place and return it;
    ``conductor``: more (tick, event) for the conductor track, before the markers of their tick."""
    tpb = midi.ticks_per_beat
    if not midi.tracks:
        midi.tracks.append(mido.MidiTrack([mido.MetaMessage("end_of_track", time=0)]))
    per_track: dict[int, list[tuple[int, mido.MetaMessage]]] = defaultdict(list)
    per_track[0].extend(conductor or ())
    onsets: dict[int, np.ndarray] = {}  # score track -> its sorted onsets (track_onsets): place, lyric_words
    sung: dict[tuple[int, int], list[tuple[str, str]]] = defaultdict(list)  # (track, tick) -> its lyric's statements
    starts: list[tuple[int, str, str]] = []  # (tick, name, place) per statement, for the marker lane
    # the same notes in two families: one statement "Motif A3 = B1"; a run of statements back to back, one "Motif A5-A8"
    for run in runs(statements(annotation)):
        occ, text = run.first.lead, run.text("-")  # MIDI text is Latin-1: a hyphen, not an en dash
        tick = max(0, round(note_span(occ, score)[0] * tpb))  # at its first note (its notes are the occurrence)
        starts.append((tick, text, place(occ, score, onsets)))
        if lyrics:
            target = _source_track(score, first_note_track(occ), built)
            if midi.type == 0 or target is None or not 0 <= target < len(midi.tracks):
                target = 0
            sung[target, tick].append((text, lyric_words(occ, score, tpb, onsets)))
    for (target, tick), named in sung.items():  # one lyric per note: "Motif A1 + B1" (two would stack on it)
        per_track[target].append((tick, mido.MetaMessage("lyrics", text=latin1(clean_text(joined_text(named))))))
    per_track[0].extend((tick, mido.MetaMessage("marker", text=latin1(clean_text(text))))
                        for tick, text in moments(starts, tpb))
    for number, events in per_track.items():
        midi.tracks[number] = insert_events(midi.tracks[number], events)
    return midi


def lyric_words(occ: Occurrence, score: Score, ticks_per_beat: int, onsets: dict[int, np.ndarray]) -> str:
    """What a lyric says after "Motif A1" in brackets: "" , or "line 2 from the top" where another note of
    its first note's track starts at that note's tick (the lyric cannot say which of them it names) and
    its voice is a line. ``onsets``: the cache of :func:`~motifcli.writers.midi_markers.track_onsets`."""
    first = occ.first_note
    if first is None or first.voice is None or first.voice in TEXTURES or not 0 <= first.track < len(score.tracks):
        return ""  # a texture statement holds the whole chord the lyric stands under
    track = track_onsets(score, first.track, onsets)
    tick = round(first.onset * ticks_per_beat)
    lo = int(np.searchsorted(track, (tick - 0.5) / ticks_per_beat))
    hi = int(np.searchsorted(track, (tick + 0.5) / ticks_per_beat))
    return voice_words(first.voice, first.staff, occ.hands) if hi - lo > 1 else ""


def _source_track(score: Score, index: int, built: bool) -> int | None:
    if not 0 <= index < len(score.tracks):
        return None
    if built:
        return index + 1  # midi_from_score: conductor, then one MIDI track per score track
    return score.tracks[index].source_index


def render(annotation: Annotation, score: Score, *, lyrics: bool = False,
           keep_time_signatures: bool = False, motif_tracks: bool = False) -> mido.MidiFile:
    """The annotated MIDI file (see the module docstring)."""
    built = not (score.format == "midi" and score.source is not None)
    midi = _load_source(score)
    if not built:  # a file motif annotated before: its marks (and family tracks) are replaced, not stacked
        without_copies(midi)
        midi.tracks = [without_own_marks(track) for track in midi.tracks]
    conductor = [] if built or keep_time_signatures else bar_events(midi, annotation, score)
    midi = mark(midi, annotation, score, lyrics=lyrics, built=built, conductor=conductor)
    return add_family_tracks(midi, annotation, score) if motif_tracks else midi


def write(annotation: Annotation, score: Score, dest: Path, options: WriteOptions = DEFAULT) -> None:
    """Write the annotated MIDI file atomically (``options``: lyrics, keep_time_signatures, motif_tracks)."""
    try:
        midi = render(annotation, score, lyrics=options.lyrics, keep_time_signatures=options.keep_time_signatures,
                      motif_tracks=options.motif_tracks)
    except OutputError as exc:
        if exc.path is None:  # (midi_tracks: no channel free) name the file it could not write
            raise OutputError(exc.message, dest) from exc
        raise
    buf = io.BytesIO()
    try:
        midi.save(file=buf)
    except (ValueError, TypeError) as exc:  # mido refuses what it cannot encode: one clean line
        raise OutputError(f"cannot write this score as MIDI ({exc})", dest) from exc
    atomic_write_bytes(dest, buf.getvalue())
