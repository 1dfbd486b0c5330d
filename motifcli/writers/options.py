"""What a run asks of its output files beyond the annotation: one typed object for every writer.

Every format's ``write(annotation, score, dest, options)`` gets the same :class:`WriteOptions`
and reads only the fields it needs (today only the MIDI writer reads any), so an option for one
format is never passed by name to one writer while the others get the rest. ``motifcli.writers``
imports it when it writes, like the format modules (importing the package loads none of them).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WriteOptions:
    lyrics: bool = False  # MIDI: "Motif A1" as a lyric at its first note too (karaoke views show it; + its line where ambiguous)
    keep_time_signatures: bool = False  # MIDI: the input's time signatures, not the run's bars
    motif_tracks: bool = False  # MIDI: a silent track per family with its occurrences' notes (writers/midi_tracks.py)


DEFAULT = WriteOptions()
