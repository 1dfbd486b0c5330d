"""``--motif-tracks``: one silent MIDI track per family, holding a copy of its occurrences' notes.

A marker says where an occurrence starts; a DAW's piano roll does not show which notes belong to it or
where it ends, and not every DAW reads markers (Ableton Live's help names none among what it imports;
Logic's Import, as against Open, loads region data only; Cubase only with "Import Markers"). A track is
what every DAW imports (benchmarks/phase26-daw26.md has the sources). So, on request, after the
song's own tracks (which stay as they are, event for event), each family gets a track:

* named "Motif A (MELODY, PIANO)": the family and the song tracks its notes come from;
* at tick 0 a sequencer-specific event (FF 7F, :data:`~motifcli.midi_copy.COPY_TAG`), which DAWs
  and MuseScore ignore and the MIDI reader looks for: a file motif annotated this way and annotated
  again is read without these copies (the same families), and the writer drops the old ones before it
  writes its own (a text event would say it in words, but MuseScore 3 prints it on another part's staff);
* the union of its occurrences' notes (a note in two occurrences once), at their ticks, pitches,
  lengths and velocities (so a producer can drag the clip onto an instrument and hear the motif); where
  each occurrence starts, the conductor track's markers say ("Motif A2 (PIANO, whole texture)"). No
  lyric per occurrence: MuseScore 3's import puts a lyric of a later track on another part's staff,
  repeated (phase26-daw26.md);
* on a channel the song does not use (never 10: drums), with a volume of 0 (CC7 = 0 at tick 0, and again
  at each tick where the song resets the synth: a GM, GS or XG reset sets every channel's volume to 100;
  FluidSynth played the copies aloud after a GM reset): played as it is, the file sounds as the song did (FluidSynth:
  within 23 of 32768 of the song's samples, benchmarks/phase27-daw27.md). CC7 rather than CC11 (expression),
  which a player's Reset All Controllers (CC121) sets back to full, or a low velocity, which still sounds.
  Not the song's channel, because the copy of a note there would double it and its note-off would end the
  song's note. The families take the free channels in turn from the highest down, so two neighbouring family
  tracks never share one when two are free (MuseScore 3's import joins neighbouring tracks of one channel into
  one two-staff part, named after the first). A song that uses all 15 other channels leaves no room: that is
  an error naming the option (never an audible doubling of the song);
* the instrument of the song channel most of its notes come from, as it is at the family's first note (bank
  select and program change at tick 0; none where the song sets none), so that unmuted it plays the motif
  with that instrument rather than GM's default piano.
"""

from __future__ import annotations

from collections.abc import Iterable

import mido

from motifcli.annotation import Annotation, Motif
from motifcli.errors import OutputError
from motifcli.midi_copy import COPY_TAG, is_copy_track
from motifcli.score import DRUM_CHANNEL, Score
from motifcli.writers.midi_channel_state import Events, instrument_at, reset_ticks, song_events
from motifcli.writers._common import clean_text, latin1, note_ticks, occurrence_notes

VOLUME = 7  # CC7, channel volume: 0 silences the channel in a GM player; MuseScore's import sets the part's volume to it


def used_channels(tracks: Iterable[mido.MidiTrack]) -> set[int]:
    """The channels of every channel message (notes, controllers, programs, bends) in ``tracks``."""
    return {msg.channel for track in tracks for msg in track if not msg.is_meta and hasattr(msg, "channel")}


def free_channels(tracks: Iterable[mido.MidiTrack]) -> list[int]:
    """The channels (0-based) no message of ``tracks`` uses, highest first, never the drum channel."""
    used = used_channels(tracks) | {DRUM_CHANNEL}
    return [c for c in range(15, -1, -1) if c not in used]


def without_copies(midi: mido.MidiFile) -> None:
    """Drop (in place) the motif tracks an earlier run appended: the trailing tracks that begin with
    :data:`COPY_TAG`. Only trailing ones: a track before a song track keeps the song's numbering."""
    while len(midi.tracks) > 1 and is_copy_track(midi.tracks[-1]):
        midi.tracks.pop()


def _sources(motif: Motif, score: Score) -> str:
    """The song tracks the family's notes come from, in the song's order: "MELODY, PIANO"."""
    tracks = sorted({getattr(note, "track", occ.track) for occ in motif.occurrences for note in occurrence_notes(occ, score)})
    names: list[str] = []
    for track in tracks:
        name = score.tracks[track].name if 0 <= track < len(score.tracks) else f"Track {track + 1}"
        if name not in names:
            names.append(name)
    return ", ".join(names)


def _main_source(motif: Motif, score: Score) -> int | None:
    """The score track most of the family's notes come from (the first of them in a tie)."""
    counts: dict[int, int] = {}
    for occ in motif.occurrences:
        for note in occurrence_notes(occ, score):
            track = getattr(note, "track", occ.track)
            counts[track] = counts.get(track, 0) + 1
    return min(counts, key=lambda t: (-counts[t], t)) if counts else None


def _first_tick(motif: Motif, score: Score, ticks_per_beat: int) -> int:
    ticks = [t[0] for occ in motif.occurrences for n in occurrence_notes(occ, score)
             if (t := note_ticks(n, ticks_per_beat)) is not None]
    return min(ticks, default=0)


def instrument(motif: Motif, score: Score, song: Events, ticks_per_beat: int) -> list[mido.Message]:
    """Bank select and program change (channel 0) of the song channel most of the family's notes come from, at
    the family's first note (:func:`~motifcli.writers.midi_channel_state.instrument_at`); empty where unknown."""
    source = _main_source(motif, score)
    if source is None or not 0 <= source < len(score.tracks) or score.tracks[source].channel is None:
        return []
    if score.tracks[source].is_drum:
        return []
    return instrument_at(song, score.tracks[source].channel, _first_tick(motif, score, ticks_per_beat))


def family_track(motif: Motif, score: Score, ticks_per_beat: int, channel: int,
                 setup: Iterable[mido.Message] = (), resets: Iterable[int] = ()) -> mido.MidiTrack:
    """The silent track of one family (see the module docstring). ``setup``: its instrument's messages (any
    channel: they are moved to ``channel``); ``resets``: the ticks where the song resets the synth, where the
    volume is set to 0 and the instrument sent again."""
    tpb = ticks_per_beat
    name = clean_text(f"Motif {motif.name} ({_sources(motif, score)})")
    # (tick, order, pitch, velocity): at one tick note-offs (order 0), a reset's silence (1), note-ons (2); the
    # messages are made once, with their delta time (mido checks every field of each message it makes or copies)
    notes: list[tuple[int, int, int, int]] = []
    seen: set[tuple[int, int, int]] = set()
    for occ in motif.occurrences:
        for n in occurrence_notes(occ, score):
            ticks = note_ticks(n, tpb)  # as midi_from_score writes a note
            if ticks is None:
                continue
            on, off, velocity = ticks
            if (on, off, n.pitch) in seen:  # a note in two occurrences of the family: once
                continue
            seen.add((on, off, n.pitch))
            notes.append((on, 2, n.pitch, velocity))
            notes.append((off, 0, n.pitch, 0))
    notes.extend((tick, 1, -1, 0) for tick in resets if tick > 0)
    silence = [mido.Message("control_change", channel=channel, control=VOLUME, value=0),  # silent from tick 0
               *(msg.copy(channel=channel, time=0) for msg in setup)]
    track = mido.MidiTrack([
        mido.MetaMessage("track_name", name=latin1(name)),
        mido.MetaMessage("sequencer_specific", data=COPY_TAG),
        *silence,
    ])
    now = 0
    for tick, order, pitch, velocity in sorted(notes):
        if order == 1:
            track.extend(m.copy(time=tick - now if i == 0 else 0) for i, m in enumerate(silence))
        else:
            kind = "note_on" if order == 2 else "note_off"
            track.append(mido.Message(kind, channel=channel, note=pitch, velocity=velocity, time=tick - now))
        now = tick
    track.append(mido.MetaMessage("end_of_track", time=0))
    return track


def add_family_tracks(midi: mido.MidiFile, annotation: Annotation, score: Score) -> mido.MidiFile:
    """Append one silent track per family of ``annotation`` (in place; a type-0 file becomes type 1,
    its one track first and unchanged) and return ``midi``. :class:`OutputError` when the song leaves
    no channel free."""
    motifs = [m for m in annotation.motifs if m.occurrences]
    if not motifs:
        return midi
    channels = free_channels(midi.tracks)
    if not channels:
        raise OutputError("--motif-tracks needs a MIDI channel the song does not use; "
                          "this file uses all 15 besides the drums' (10)")
    song, tpb = song_events(midi.tracks), midi.ticks_per_beat
    resets = reset_ticks(song)
    midi.tracks.extend(family_track(m, score, tpb, channels[i % len(channels)], instrument(m, score, song, tpb), resets)
                       for i, m in enumerate(motifs))
    if midi.type == 0:
        midi.type = 1
    return midi
