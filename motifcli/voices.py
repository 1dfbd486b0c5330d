"""Voices of polyphonic tracks: the monophonic lines that motifs live in.

A motif is stated in one voice of a texture (BPS-motif: 96% of the labelled notes are the highest
note sounding at their onset in their staff), so discovery works on lines, not on tracks. Every
track is separated here staff by staff (a MusicXML piano part's hands, :attr:`Note.staff`, as
BPS-motif's MIDI files have a track per staff; a MIDI track is one staff).

Where a staff is written in two or more voices that are lines (:func:`written_lines`: a MusicXML
keyboard fugue, a chorale set on two staves, soprano and alto stems up and down), its written
voices (:attr:`Note.voice`) are its lines, ``voice`` = ``WRITTEN`` + the written number, so an
alto's statement is found as the alto's. A staff of a file that writes no voices (MIDI) that is a
steady number of lines (a MIDI chorale reduction's staff: two notes sounding at nearly every onset)
is separated into them by pitch proximity (:mod:`motifcli.streams`), ``voice`` = ``SEPARATED`` + r.
Every other staff (one written voice; written voices that are chord streams; MIDI chords or a
melody) is split by pitch:

- ``upper``: the skyline, the highest note of each onset group (every note of a monophonic track);
- ``lower``: the lowest note of each onset group that holds two or more notes, kept only when the
  track is polyphonic enough for a bass line to exist (at least ``min_chord_share`` of its onsets).

Onsets closer than ``onset_tolerance`` beats form one group, so performed (unquantised) chords of
POP909 count as chords. Pure numpy; one pass over the sorted notes of each track.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from motifcli.score import Score
from motifcli.streams import highest_first, line_count, onset_groups
from motifcli.streams import separate as separate_lines
from motifcli.voice_ids import LOWER, SEPARATED, TEXTURE, UPPER, WRITTEN

LINE_CHORDS = 0.1  # a written voice is a line when at most this share of its onsets hold chords
LINE_NOTES = 8  # ... judged on the voices with at least this many notes (a few divisi notes judge nothing)


@dataclass(frozen=True, slots=True)
class Voice:
    """One monophonic line of one track, notes in onset order (arrays share one length)."""

    track: int  # Track.index
    voice: int  # UPPER, LOWER, or WRITTEN + the written voice number
    note_indices: np.ndarray  # indices into track.notes
    onsets: np.ndarray
    offsets: np.ndarray
    pitches: np.ndarray
    staff: int = 1  # the staff of the track the line lies in (Note.staff)

    def __len__(self) -> int:
        return len(self.note_indices)


def chord_share(onsets: np.ndarray, tolerance: float) -> float:
    """Share of the onset groups (notes starting together, see :func:`onset_groups`) that sound two
    or more notes: how chordal a stretch of music is."""
    if len(onsets) == 0:
        return 0.0
    return float(np.mean(np.bincount(onset_groups(np.sort(onsets), tolerance)) > 1))


def split_track(
    track_index: int,
    onsets: np.ndarray,
    offsets: np.ndarray,
    pitches: np.ndarray,
    onset_tolerance: float = 0.05,
    min_chord_share: float = 0.2,
) -> list[Voice]:
    """The upper line and, for chordal tracks, the lower line of one track's notes."""
    if len(onsets) == 0:
        return []
    order, first = highest_first(onsets, pitches, onset_tolerance)  # each onset group's first note is its highest
    on, off, pi = onsets[order], offsets[order], pitches[order]
    last = np.concatenate([first[1:], [len(on)]]) - 1
    voices = [_voice(track_index, UPPER, order[first], on[first], off[first], pi[first])]
    chord = last > first
    if chord.mean() >= min_chord_share:
        # lowest note of each chord: the highest index of its group in pitch-descending order
        low = last[chord]
        voices.append(_voice(track_index, LOWER, order[low], on[low], off[low], pi[low]))
    return voices


def written_lines(
    track_index: int,
    onsets: np.ndarray,
    offsets: np.ndarray,
    pitches: np.ndarray,
    written: np.ndarray | None,
    onset_tolerance: float = 0.05,
) -> list[Voice] | None:
    """One staff's written voices as its lines, highest (by mean pitch) first, or None where they
    are not lines: fewer than two voices of ``LINE_NOTES`` notes or more, or one of those voices
    holding chords at more than ``LINE_CHORDS`` of its onsets (a chordal right hand written as one
    voice over a sparse second one is split by pitch, as today). ``written``: each note's
    :attr:`Note.voice` (0, no ``<voice>`` written, is MusicXML's default voice 1). A voice's
    occasional chord gives one note: its lowest in the staff's lowest voice (a bass's octaves), its
    highest in any other."""
    if written is None or len(written) == 0:
        return None
    written = np.where(written == 0, 1, written)
    numbers, counts = np.unique(written, return_counts=True)
    big = numbers[counts >= LINE_NOTES]
    if len(big) < 2:
        return None
    if any(chord_share(onsets[written == n], onset_tolerance) > LINE_CHORDS for n in big.tolist()):
        return None
    height = [float(np.mean(pitches[written == n])) for n in numbers.tolist()]
    ordered = [int(numbers[k]) for k in np.argsort(-np.array(height), kind="stable")]
    lines: list[Voice] = []
    for n in ordered:
        mine = np.flatnonzero(written == n)
        low = n == ordered[-1]  # its skyline of negated pitches: each onset's lowest note
        line = split_track(track_index, onsets[mine], offsets[mine], -pitches[mine] if low else pitches[mine],
                           onset_tolerance, min_chord_share=float("inf"))[0]
        lines.append(dataclasses.replace(line, voice=WRITTEN + n, note_indices=mine[line.note_indices],
                                         pitches=pitches[mine][line.note_indices]))
    return lines


def pitch_lines(track_index: int, onsets: np.ndarray, offsets: np.ndarray, pitches: np.ndarray,
                onset_tolerance: float = 0.05, min_chord_share: float = 0.2, separate: bool = True) -> list[Voice]:
    """A staff without written lines: its steady lines where it is some (:mod:`motifcli.streams`,
    ``voice`` = ``SEPARATED`` + r, r = 1 the highest), else the skyline and bass (:func:`split_track`)."""
    k = line_count(onsets, offsets, pitches, onset_tolerance) if separate else 0
    if k == 0:
        return split_track(track_index, onsets, offsets, pitches, onset_tolerance, min_chord_share)
    return [_voice(track_index, SEPARATED + r + 1, idx, onsets[idx], offsets[idx], pitches[idx])
            for r, idx in enumerate(separate_lines(onsets, offsets, pitches, k, onset_tolerance)) if len(idx)]


def _voice(track: int, voice: int, idx: np.ndarray, on: np.ndarray, off: np.ndarray, pi: np.ndarray) -> Voice:
    return Voice(track, voice, idx.astype(np.int64), on.astype(np.float64), off.astype(np.float64), pi.astype(np.int64))


STAFF_VOICES = ("all", "alone", "off")  # DiscoverySettings.staff_voices: which multi-staff tracks split per staff


def split_voices(score: Score, onset_tolerance: float = 0.05, min_chord_share: float = 0.2,
                 by_staff: str = "all", separate: bool = True) -> list[Voice]:
    """Voices of every pitched track of ``score``, upper before lower, in track order and, within a
    multi-staff track, in staff order (each staff split alone: a line never crosses staves); a
    staff's written voices where they are lines (:func:`written_lines`), else its pitch split.

    ``by_staff``: "all" multi-staff tracks split per staff; "alone" only one that is the score's only
    pitched track (a solo piano part: its staves are hands, as BPS-motif's staff tracks; beside other
    parts a piano is split whole, as a MIDI piano track is); "off" none (every track as one staff).
    A track not split per staff still is where every one of its staves is written in voices that are
    lines (a song's piano reduction of a choir beside the choir): its written voices are its lines.
    """
    if by_staff not in STAFF_VOICES:
        raise ValueError(f"unknown staff_voices {by_staff!r}; choose one of {STAFF_VOICES}")
    pitched = score.pitched_tracks()
    voices: list[Voice] = []
    for track in pitched:
        onsets, offsets, pitches = track.arrays()
        written = track.written_voices()
        apart = separate and written is None  # separated lines only where the file writes no voices (MIDI)
        staves = track.staves()
        if staves is None:  # one staff (MIDI, a one-staff part): its written voices, else the pitch split
            lines = None if written is None else written_lines(track.index, onsets, offsets, pitches, written,
                                                               onset_tolerance)
            voices.extend(lines if lines is not None else
                          pitch_lines(track.index, onsets, offsets, pitches, onset_tolerance, min_chord_share, apart))
            continue
        own = {staff: np.flatnonzero(staves == staff) for staff in np.unique(staves).tolist()}
        lines_of = {staff: None if written is None else written_lines(
            track.index, onsets[mine], offsets[mine], pitches[mine], written[mine], onset_tolerance)
            for staff, mine in own.items()}
        per_staff = by_staff == "all" or (by_staff == "alone" and len(pitched) == 1)
        if not per_staff and any(lines is None for lines in lines_of.values()):
            # split whole (a piano beside other parts), unless every staff is written in voices that are lines
            voices.extend(pitch_lines(track.index, onsets, offsets, pitches, onset_tolerance, min_chord_share, apart))
            continue
        for staff, mine in own.items():
            lines = lines_of[staff]
            if lines is None:
                lines = pitch_lines(track.index, onsets[mine], offsets[mine], pitches[mine],
                                    onset_tolerance, min_chord_share, apart)
            for v in lines:
                voices.append(dataclasses.replace(v, note_indices=mine[v.note_indices], staff=int(staff)))
    return voices
