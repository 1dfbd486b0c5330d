"""Every output names and marks the notes of the voice an occurrence is in (phase15-formats15.md).

Session 14 gave discovery two new kinds of lines: a MusicXML staff's written voices (JSON ``voice``
10 + n) and a MIDI staff separated into its lines (100 + r). Where two voices of one part sound the
same pitch at the same onset (a unison), an occurrence's note must still be only its own: the
annotated MusicXML colours the note of the occurrence's staff and voice, not its unison double.
Small scores written here, read and written by motif's reader and writer, checked with ElementTree.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from test_writers_musicxml_voices import annotate, backup, document, note, walk


def coloured_voices(data: bytes) -> list[tuple[Fraction, str, str, str]]:
    """(time, pitch, staff, written voice) of every coloured note."""
    return [(t, el.findtext("pitch/step") + el.findtext("pitch/octave"), el.findtext("staff") or "1",
             el.findtext("voice")) for el, t, _ in walk(data) if el.tag == "note" and el.get("color")]


# voice 1: G4 A4 B4 C5 quarters; voice 2 starts on the same G4 (a unison) and descends in halves
UNISON = [note("G4", 1, 1), note("A4", 1, 1), note("B4", 1, 1), note("C5", 1, 1), backup(4),
          note("G4", 2, 2), note("F4", 2, 2)]


def test_an_occurrence_of_voice_1_colours_its_own_note_of_a_unison(tmp_path: Path) -> None:
    occ = [[(0.0, 67, 1.0), (1.0, 69, 2.0)], [(4.0, 67, 5.0), (5.0, 69, 6.0)]]
    report, data = annotate(tmp_path, document([UNISON, UNISON]), occ)
    assert coloured_voices(data) == [(Fraction(0), "G4", "1", "1"), (Fraction(1), "A4", "1", "1"),
                                     (Fraction(4), "G4", "1", "1"), (Fraction(5), "A4", "1", "1")]


def test_an_occurrence_of_voice_2_colours_its_own_note_of_a_unison(tmp_path: Path) -> None:
    occ = [[(0.0, 67, 2.0), (2.0, 65, 4.0)], [(4.0, 67, 6.0), (6.0, 65, 8.0)]]
    _, data = annotate(tmp_path, document([UNISON, UNISON]), occ)
    assert coloured_voices(data) == [(Fraction(0), "G4", "1", "2"), (Fraction(2), "F4", "1", "2"),
                                     (Fraction(4), "G4", "1", "2"), (Fraction(6), "F4", "1", "2")]


def test_a_unison_across_the_staves_of_a_part_colours_the_occurrences_staff(tmp_path: Path) -> None:
    """Alto (staff 1, voice 2) and tenor (staff 2, voice 5) meet on one F4, as in a keyboard
    reduction of Palestrina's Agnus Dei (music21's palestrina/Agnus_01, beat 65): the tenor's
    occurrence colours the tenor's F4 only."""
    bar = [note("C5", 4, 1, 1), backup(4), note("F4", 2, 2, 1), note("E4", 2, 2, 1), backup(4),
           note("F4", 1, 5, 2), note("G4", 1, 5, 2), note("A4", 2, 5, 2)]
    occ = [[(0.0, 65, 1.0), (1.0, 67, 2.0)], [(4.0, 65, 5.0), (5.0, 67, 6.0)]]
    _, data = annotate(tmp_path, document([bar, bar], staves=2), occ)
    assert coloured_voices(data) == [(Fraction(0), "F4", "2", "5"), (Fraction(1), "G4", "2", "5"),
                                     (Fraction(4), "F4", "2", "5"), (Fraction(5), "G4", "2", "5")]
