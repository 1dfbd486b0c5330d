"""The in-memory score every other module works on: notes in beats, tracks, meter and tempo.

Positions are in quarter-note beats (MIDI ticks / ticks per beat), never seconds, so tempo changes
do not move anything; the tempo map is kept only to turn beats into seconds for outputs that need
clock time (audio label tracks). Readers build a :class:`Score`; nothing downstream touches a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from motifcli.meter import MeterMap

DEFAULT_TEMPO_US = 500_000  # MIDI's default: 120 quarter notes per minute
DRUM_CHANNEL = 9  # MIDI channel 10 (0-based 9): percussion; readers mark its notes a drum track, the MIDI writer plays drums there


@dataclass(frozen=True, slots=True)
class Note:
    """One sounding note. ``onset``/``offset`` are in beats from the start of the score.

    ``staff`` is the note's staff within its track, 1 = top: a MusicXML note's ``<staff>`` in a
    multi-staff part (a piano's right hand 1, left hand 2), so the voices can be split per staff as
    a MIDI file's track per staff is (motifcli/voices.py); 1 for MIDI and one-staff parts.
    ``voice`` is the note's written MusicXML ``<voice>`` (1, 2, 5, ...), so a staff written in two
    or more voices (a fugue, a chorale on two staves) can keep them as its lines; 0 where none is
    known (MIDI, a note with no ``<voice>`` in a measure that names none).
    """

    onset: float
    offset: float
    pitch: int
    velocity: int = 64
    channel: int = 0
    staff: int = 1
    voice: int = 0

    @property
    def duration(self) -> float:
        return self.offset - self.onset


_ONSET, _OFFSET, _PITCH, _STAFF = attrgetter("onset"), attrgetter("offset"), attrgetter("pitch"), attrgetter("staff")
_VOICE = attrgetter("voice")


@dataclass(slots=True)
class Track:
    """A MIDI track (one channel of it when a track mixes channels) or a MusicXML part."""

    index: int
    name: str
    notes: list[Note]
    is_drum: bool = False
    channel: int | None = None
    part_id: str | None = None  # MusicXML part id, so writers can find the part again
    source_index: int | None = None  # MIDI track number / MusicXML part position in the file

    def __repr__(self) -> str:
        """One line: a notebook showing a track (or a score's tracks) should not print every note."""
        kind = ", drums" if self.is_drum else ""
        channel = f", channel={self.channel}" if self.channel is not None else ""
        return f"<Track {self.index} {self.name!r}: {len(self.notes)} notes{kind}{channel}>"

    @property
    def is_pitched(self) -> bool:
        """Tracks that can hold motifs: not percussion and not empty."""
        return not self.is_drum and bool(self.notes)

    def staves(self) -> np.ndarray | None:
        """Each note's :attr:`Note.staff`, or None when all are in one staff (MIDI, one-staff parts)."""
        first = self.notes[0].staff if self.notes else 1
        if all(n.staff == first for n in self.notes):
            return None
        return np.fromiter(map(_STAFF, self.notes), dtype=np.int64, count=len(self.notes))

    def written_voices(self) -> np.ndarray | None:
        """Each note's written :attr:`Note.voice`, or None when no note has one (MIDI, one voice)."""
        if not any(map(_VOICE, self.notes)):
            return None
        return np.fromiter(map(_VOICE, self.notes), dtype=np.int64, count=len(self.notes))

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Onsets, offsets and pitches as numpy arrays (for fast encoding)."""
        if not self.notes:
            empty = np.zeros(0, dtype=np.float64)
            return empty, empty.copy(), np.zeros(0, dtype=np.int64)
        count = len(self.notes)  # map(attrgetter) runs in C: ~3x sooner than a generator per value
        onsets = np.fromiter(map(_ONSET, self.notes), dtype=np.float64, count=count)
        offsets = np.fromiter(map(_OFFSET, self.notes), dtype=np.float64, count=count)
        pitches = np.fromiter(map(_PITCH, self.notes), dtype=np.int64, count=count)
        return onsets, offsets, pitches


@dataclass(frozen=True, slots=True)
class TempoChange:
    beat: float
    microseconds_per_beat: int


@dataclass(frozen=True, slots=True)
class TimeSignature:
    beat: float
    numerator: int
    denominator: int


@dataclass(slots=True)
class Score:
    """A whole piece: tracks of notes plus the maps that place beats in bars and seconds."""

    tracks: list[Track]
    path: Path | None = None
    format: str = "midi"  # "midi" or "musicxml"
    tempos: list[TempoChange] = field(default_factory=list)
    time_signatures: list[TimeSignature] = field(default_factory=list)
    ticks_per_beat: int | None = None
    # Where the bars are: the one source of truth for everything bar-shaped. MusicXML readers set
    # it from the written measures; for MIDI it is made on first use (:attr:`meter_map`).
    meter: MeterMap | None = None
    # What a writer edits, so no writer re-opens the input: the MIDI file's bytes, or the MusicXML
    # document's (for an .mxl, the unzipped member the reader read, named in ``source_member``).
    source: bytes | None = field(default=None, repr=False, compare=False)
    source_member: str | None = None
    # The reader's parsed form of ``source`` (a MIDI input's ``mido.MidiFile``), so the MIDI writer
    # need not parse the same bytes again (~0.05-0.09 s of every ``motif annotate song.mid``).
    # Writers treat it as read-only. Never pickled across processes: the Score stays in its worker.
    parsed_source: object | None = field(default=None, repr=False, compare=False)
    # What the piece is called where no file names it: a music21 stream's title, number and corpus path
    # ("<music21 Score: Herzog Ernst, no. 3, essenFolksong/altdeu10.abc>", readers/music21_stream.stream_name),
    # so twenty streams' annotations can be told apart. None for a file (its path names it) or a hand-made score
    name: str | None = None

    def __repr__(self) -> str:
        shown = ", ".join(f"{t.name!r} {len(t.notes)}" for t in self.tracks[:8])
        more = f", ... {len(self.tracks) - 8} more" if len(self.tracks) > 8 else ""
        return (f"<Score {self.source_name or None!r} ({self.format}): {self.note_count} notes in "
                f"{len(self.tracks)} tracks ({shown}{more})>")

    @property
    def source_name(self) -> str:
        """Where it came from, as an annotation of it says (``Annotation.source``, the JSON's ``source``) and
        messages about it begin: the file's path, else its ``name`` (a music21 stream), else ""."""
        return str(self.path) if self.path is not None else (self.name or "")

    @property
    def end_beat(self) -> float:
        """Where the last note ends (0 for an empty score)."""
        return max((n.offset for t in self.tracks for n in t.notes), default=0.0)

    @property
    def note_count(self) -> int:
        return sum(len(t.notes) for t in self.tracks)

    def pitched_tracks(self) -> list[Track]:
        return [t for t in self.tracks if t.is_pitched]

    def track_named(self, name: str) -> Track:
        """The first track with this name (case-insensitive); KeyError names the ones there are."""
        for track in self.tracks:
            if track.name.lower() == name.lower():
                return track
        raise KeyError(f"no track named {name!r}; tracks: {[t.name for t in self.tracks]}")

    def _tempo_segments(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Beat where each tempo starts, seconds per beat in it, and the clock time at its start
        (default 120 bpm before the first change)."""
        changes = sorted(self.tempos, key=lambda t: t.beat)
        if not changes or changes[0].beat > 0:
            changes = [TempoChange(0.0, DEFAULT_TEMPO_US), *changes]
        starts = np.array([c.beat for c in changes])
        rates = np.array([c.microseconds_per_beat for c in changes], dtype=np.float64) / 1e6
        return starts, rates, np.concatenate([[0.0], np.cumsum(np.diff(starts) * rates[:-1])])

    def seconds_at(self, beats: np.ndarray | float) -> np.ndarray:
        """Clock time of beat positions, following the tempo map."""
        b = np.asarray(beats, dtype=np.float64)
        starts, rates, seconds_at_start = self._tempo_segments()
        idx = np.clip(np.searchsorted(starts, b, side="right") - 1, 0, len(starts) - 1)
        return seconds_at_start[idx] + (b - starts[idx]) * rates[idx]

    def beats_at(self, seconds: np.ndarray | float) -> np.ndarray:
        """Beat positions of clock times (the inverse of :meth:`seconds_at`), e.g. for beat annotations
        given in seconds such as POP909's ``beat_midi.txt``."""
        s = np.asarray(seconds, dtype=np.float64)
        starts, rates, seconds_at_start = self._tempo_segments()
        idx = np.clip(np.searchsorted(seconds_at_start, s, side="right") - 1, 0, len(starts) - 1)
        return starts[idx] + (s - seconds_at_start[idx]) / rates[idx]

    @property
    def meter_map(self) -> MeterMap:
        """The bars of this score: written measures (MusicXML), else MIDI time signatures that agree
        with the notes, else estimated from the notes (~15 ms, done once and kept)."""
        if self.meter is None:
            from motifcli.meter_estimate import meter_map_for

            self.meter = meter_map_for(self)
        return self.meter

    @property
    def measure_starts(self) -> list[float] | None:
        """Beats where the written bars start (MusicXML only; from :attr:`meter`)."""
        if self.meter is None or self.meter.source != "written":
            return None
        return [b.start for b in self.meter.bars]

    @property
    def measure_numbers(self) -> list[str] | None:
        """The written bars' printed numbers ("0" for a pickup, "16a"), as :attr:`measure_starts`."""
        if self.meter is None or self.meter.source != "written":
            return None
        return [b.number for b in self.meter.bars]

    def bar_number_at(self, beat: float) -> int:
        """The printed number of the bar holding ``beat`` as an integer (0 for a pickup; 16 for "16a")."""
        meter = self.meter_map
        return meter.bar_value(meter.bar_index_at(beat))

    def bar_label_at(self, beat: float) -> str:
        """The printed number of the bar holding ``beat`` as written ("0", "16a")."""
        return self.meter_map.bar_number_at(beat)
