"""Standard MIDI files to a :class:`~motifcli.score.Score`, with mido.

Times come from ticks / ticks-per-beat, so the note table is in beats whatever the tempo map says.
Note-ons are paired with note-offs first in, first out per (channel, pitch); a note-on left open at
the end of its track ends there. A track that mixes channels (every type-0 file) becomes one track
per channel; channel 10 (index 9) is percussion and becomes its own drum track, so motif search can
skip it. A track that begins with :data:`motifcli.midi_copy.COPY_TAG` (a sequencer-specific event) is a copy of a
family's notes that motif's own MIDI output appended (``--motif-tracks``,
:mod:`motifcli.writers.midi_tracks`): it is not read, so an annotated file finds the song's families.
"""

from __future__ import annotations

import io
import math
import os
from collections import defaultdict, deque
from pathlib import Path

import mido

from motifcli.errors import ScoreReadError
from motifcli.limits import ReadLimits, counted
from motifcli.midi_copy import is_copy_track
from motifcli.score import DRUM_CHANNEL, Note, Score, TempoChange, TimeSignature, Track
from motifcli.suffixes import score_format


def read_midi(path: str | Path, limits: ReadLimits | None = None) -> Score:
    """Read a .mid/.midi file. Raises :class:`ScoreReadError` for anything that is not valid MIDI."""
    limits = limits or ReadLimits()
    path = Path(path)
    data = limits.read_file(path)
    _prescan(data, limits, path)
    try:
        # from memory: mido's file.read(declared chunk length) would allocate whatever a header claims
        midi = mido.MidiFile(file=io.BytesIO(data), clip=True)
    except MemoryError:
        raise ScoreReadError("not enough memory to read this MIDI file", path) from None
    except EOFError:  # mido's message is empty: say what it means to someone holding the file
        raise ScoreReadError("not a readable MIDI file (it ends before its last track does: cut short or damaged)", path) from None
    except Exception as exc:  # noqa: BLE001 - mido raises many kinds (KeySignatureError, ValueError, ...)
        reason = " ".join(str(exc).split())[:160] or type(exc).__name__
        raise ScoreReadError(f"not a readable MIDI file ({reason})", path) from None
    score = score_from_midi(midi, path, limits)
    score.source = data
    score.parsed_source = midi  # the MIDI writer starts from it instead of parsing ``data`` again
    return score


EVENTS_PER_NOTE_LIMIT = 4  # events allowed per note of --max-notes (controllers, meta, ...)
MIN_EVENT_LIMIT = 1_000_000  # never fewer (a low --max-notes must not refuse a pedal-heavy file)


def _prescan(data: bytes, limits: ReadLimits, path: Path) -> None:
    """Count note-ons and events from the raw bytes, before mido builds a ~250-byte object per event.

    A 64 MB file of notes would otherwise cost gigabytes and minutes before the note limit is even
    looked at. Files too small to pass a limit are not scanned at all.
    """
    max_events = max(EVENTS_PER_NOTE_LIMIT * limits.max_notes, MIN_EVENT_LIMIT)
    if len(data) // 3 <= limits.max_notes and len(data) // 2 <= max_events:
        return  # too small to hold that many notes (3 bytes each at least) or events (2 bytes)
    notes, events = count_events(data, limits.max_notes, max_events)
    if notes > limits.max_notes:
        raise ScoreReadError(f"more than {counted(limits.max_notes, 'note')} (raise the limit with --max-notes)", path)
    if events > max_events:
        raise ScoreReadError(f"more than {max_events:,} MIDI events (raise the limit with --max-notes)", path)


def count_events(data: bytes, stop_notes: float = math.inf, stop_events: float = math.inf) -> tuple[int, int]:
    """(note-ons with a velocity, events) in the MTrk chunks of raw MIDI bytes, without mido.

    Counting stops as soon as either count passes its ``stop_`` value. Broken data ends the count
    early instead of raising: mido reports the actual problem later.
    """
    size = len(data)
    notes = events = 0
    if size < 14 or data[:4] != b"MThd":
        return notes, events
    pos = 8 + int.from_bytes(data[4:8], "big")
    while pos + 8 <= size:
        tag = data[pos : pos + 4]
        i = pos + 8
        end = min(i + int.from_bytes(data[pos + 4 : pos + 8], "big"), size)
        pos = end
        if tag != b"MTrk":
            continue
        running = 0
        while i < end:
            while i < end and data[i] & 0x80:  # delta time
                i += 1
            i += 1
            if i >= end:
                break
            status = data[i]
            events += 1
            if events > stop_events:
                return notes, events
            if status & 0x80:
                i += 1
                if status >= 0xF0:
                    if status == 0xFF:
                        i += 1  # meta type
                    if status in (0xFF, 0xF0, 0xF7):
                        length = 0
                        while i < end and data[i] & 0x80:
                            length = (length << 7) | (data[i] & 0x7F)
                            i += 1
                        if i < end:
                            length = (length << 7) | data[i]
                        i += 1 + length
                    continue
                running = status
            elif not running:
                return notes, events  # running status without a status byte
            kind = running & 0xF0
            if kind == 0x90 and i + 1 < end and data[i + 1]:
                notes += 1
                if notes > stop_notes:
                    return notes, events
            i += 1 if kind in (0xC0, 0xD0) else 2
    return notes, events


def _text(value: str) -> str:
    """mido decodes meta text as latin-1; most files hold UTF-8, so recover it when it is valid."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def score_from_midi(midi: mido.MidiFile, path: Path | None = None, limits: ReadLimits | None = None) -> Score:
    """Build the note table of an already-parsed :class:`mido.MidiFile`."""
    limits = limits or ReadLimits()
    tpb = midi.ticks_per_beat
    if not tpb or tpb <= 0:
        raise ScoreReadError(f"invalid ticks per beat ({tpb}); SMPTE time division is not supported", path)
    tracks: list[Track] = []
    tempos: list[TempoChange] = []
    signatures: list[TimeSignature] = []
    total_notes = 0
    for number, mtrack in enumerate(midi.tracks):
        if is_copy_track(mtrack):
            continue  # motif's own copy of a family's notes (--motif-tracks), not the song's
        name = ""
        tick = 0
        open_notes: dict[tuple[int, int], deque[tuple[int, int]]] = defaultdict(deque)
        finished: dict[int, list[Note]] = defaultdict(list)  # channel -> its notes
        # (channel, pitch) -> tick of a note-off that closed nothing. A note-on of that key at the same
        # tick may be a note of no length whose off was written first (music21 writes a grace note so)
        # or a note after a "safety" note-off (some sequencers send one before every note-on): it is
        # held as ``unsure`` and is of no length only if the key's next note-on (or the track's end)
        # comes before a note-off. Left open as an ordinary note, a grace note would take the next
        # note's off, and every later note of that pitch the one after.
        stray_off: dict[tuple[int, int], int] = {}
        unsure: set[tuple[int, int]] = set()  # keys whose open note began right after a stray note-off
        # a track that mixes channels: a name bound to each (a channel prefix before it, or the channel of the
        # next channel event: a type-1 file merged into type 0 keeps each track's name before its events)
        channel_names: dict[int, str] = {}
        prefix: int | None = None
        pending = ""

        def close(channel: int, pitch: int, end_tick: int) -> None:
            start_tick, velocity = open_notes[(channel, pitch)].popleft()
            finished[channel].append(Note(start_tick / tpb, max(end_tick, start_tick) / tpb, pitch, velocity, channel))

        def close_unsure(key: tuple[int, int]) -> None:
            """The key's unsure note (the last opened) ends where it began: no note-off came for it."""
            if key in unsure:
                unsure.discard(key)
                start_tick, velocity = open_notes[key].pop()
                finished[key[0]].append(Note(start_tick / tpb, start_tick / tpb, key[1], velocity, key[0]))

        for msg in mtrack:
            tick += msg.time
            kind = msg.type
            if not msg.is_meta and hasattr(msg, "channel"):
                if pending:
                    channel_names.setdefault(msg.channel, pending)
                pending, prefix = "", None
            if kind == "note_on" and msg.velocity > 0:
                key = (msg.channel, msg.note)
                close_unsure(key)
                open_notes[key].append((tick, msg.velocity))
                if stray_off.pop(key, None) == tick:
                    unsure.add(key)
                total_notes += 1
                if total_notes > limits.max_notes:
                    raise ScoreReadError(
                        f"more than {counted(limits.max_notes, 'note')} (raise the limit with --max-notes)", path
                    )
            elif kind == "note_off" or kind == "note_on":
                if open_notes.get((msg.channel, msg.note)):
                    unsure.discard((msg.channel, msg.note))
                    close(msg.channel, msg.note, tick)
                else:
                    stray_off[(msg.channel, msg.note)] = tick
            elif kind == "track_name":
                text = _text(msg.name).strip()
                name = name or text
                if prefix is not None and text:
                    channel_names.setdefault(prefix, text)
                else:
                    pending = text
            elif kind == "channel_prefix":
                prefix = msg.channel
            elif kind == "set_tempo":
                if msg.tempo > 0:  # a tempo of 0 microseconds per beat is meaningless: ignored
                    tempos.append(TempoChange(tick / tpb, int(msg.tempo)))
            elif kind == "time_signature":
                if msg.numerator >= 1 and 1 <= msg.denominator <= 256:  # 0/x or 4/2^255: ignored
                    signatures.append(TimeSignature(round(tick / tpb, 9), int(msg.numerator), int(msg.denominator)))
        if tick / tpb > limits.max_beats:
            raise ScoreReadError(f"longer than {counted(limits.max_beats, 'beat')} (raise the limit with --max-beats)", path)
        for key in list(unsure):
            close_unsure(key)
        for key, queue in open_notes.items():
            while queue:
                close(key[0], key[1], tick)
        tracks.extend(_tracks_of(finished, name or f"Track {number + 1}", number, len(tracks), channel_names))
    tempos.sort(key=lambda t: t.beat)
    signatures.sort(key=lambda s: s.beat)
    return Score(
        tracks=tracks,
        path=path,
        format="midi",
        tempos=tempos,
        time_signatures=signatures,
        ticks_per_beat=tpb,
    )


def _tracks_of(finished: dict[int, list[Note]], name: str, number: int, first: int,
               channel_names: dict[int, str] | None = None) -> list[Track]:
    """The score tracks of MIDI track ``number``: one per pitched channel that has notes (a type-0 file
    holds every instrument in its one track, each on its own channel, as MuseScore and DAWs read it;
    several channels are named by their own names when each has a different one (``channel_names``: a
    type-1 file merged into type 0), else "NAME, channel C", C from 1), then channel 10's notes as a drum
    track. A track without notes stays one empty track (unless it holds drums)."""
    pitched = sorted(c for c in finished if c != DRUM_CHANNEL and finished[c])
    own = channel_names or {}
    named = len(pitched) > 1 and all(own.get(c) for c in pitched) and len({own[c] for c in pitched}) == len(pitched)
    parts: list[tuple[str, int | None, bool]] = [
        (own[c] if named else f"{name}, channel {c + 1}" if len(pitched) > 1 else name, c, False) for c in pitched
    ]
    if not pitched and not finished.get(DRUM_CHANNEL):
        parts.append((name, None, False))  # an empty track: kept, as tracks are numbered in files
    if finished.get(DRUM_CHANNEL):
        parts.append((own.get(DRUM_CHANNEL, name) if named else name, DRUM_CHANNEL, True))
    return [
        Track(
            index=first + i,
            name=label,
            notes=sorted(finished.get(channel, []) if channel is not None else [], key=lambda n: (n.onset, n.pitch)),
            is_drum=is_drum,
            channel=channel,
            source_index=number,
        )
        for i, (label, channel, is_drum) in enumerate(parts)
    ]


def is_midi_path(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` names a MIDI file (by the one suffix table)."""
    return score_format(path) == "midi"
