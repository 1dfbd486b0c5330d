"""The numbers a note's ``voice`` takes, defined once (no numpy: writers and the report read them).

Discovery splits each track into lines (:mod:`motifcli.voices`, :mod:`motifcli.streams`) and every
occurrence's notes carry the line they were found in; the report says it in words
(:func:`motifcli.annotation.voice_words`) and docs/json-schema.md lists the same numbers.
"""

from __future__ import annotations

UPPER = 0  # the skyline: the highest note of each onset of a staff that is no line
LOWER = 1  # the bass: the lowest note of each onset of that staff
TEXTURE = 2  # not a line: every note of a chordal track's bars (a texture family, motifcli.discovery.texture), chords included
ACCOMPANIMENT = 3  # not a line: a one-track song's bars without its top line (a texture family of the tune's accompaniment: texture_tune)
TEXTURES = (TEXTURE, ACCOMPANIMENT)  # the voices of texture families
WRITTEN = 10  # WRITTEN + n: the MusicXML written voice n of its staff, kept as a line (voices.written_lines)
SEPARATED = 100  # SEPARATED + r: line r (1 = the highest) of a staff separated into its lines (motifcli.streams)
