"""Hostile and unusual ``<transpose>`` / ``<cue/>`` input (phase22-xmlfuzz22.md): the reader and the
MusicXML writer's scan still pair every note, and what the plain path refuses stays refused.

Each case was found by hand-written and mutated files (the music21 corpus's Weber clarinet
concertino, Dichterliebe no. 2); on main before this each test here failed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from motifcli.errors import ScoreReadError
from motifcli.readers.musicxml import read_musicxml
from motifcli.writers.musicxml_scan import link_ties, scan_parts
from test_readers_musicxml import to_timewise
from test_transposing_parts import CLARINET_B_FLAT, attributes, musicxml, note

CUE = "<cue/>"


def one_part(measures: list[str], transpose: str = "", staves: int = 1) -> str:
    measures = list(measures)
    measures[0] = attributes(transpose, staves) + measures[0]
    return musicxml([("P1", "Clarinet", measures)])


def transpose(chromatic: str, diatonic: str | None = None, octaves: str | None = None,
              number: str | None = None) -> str:
    on = f' number="{number}"' if number is not None else ""
    return (f"<transpose{on}>" + (f"<diatonic>{diatonic}</diatonic>" if diatonic is not None else "")
            + f"<chromatic>{chromatic}</chromatic>"
            + (f"<octave-change>{octaves}</octave-change>" if octaves is not None else "") + "</transpose>")


def read_and_scan(tmp_path: Path, text: str) -> tuple[list[tuple[float, int]], list[tuple[float, int]]]:
    """(onset, pitch) of the reader's notes and of the scan's notes the writer may colour, one part."""
    path = tmp_path / "case.musicxml"
    path.write_text(text, encoding="utf-8")
    [track] = read_musicxml(path).tracks
    notes = scan_parts(path.read_bytes()).parts["P1"].notes
    link_ties(notes)
    scanned = [(float(n.onset), n.pitch) for n in notes
               if n.pitch is not None and not n.rest and not n.grace and not n.continues]
    return sorted((float(n.onset), n.pitch) for n in track.notes), sorted(scanned)


@pytest.mark.parametrize("timewise", [False, True])
def test_a_cue_chord_head_hands_its_place_to_the_real_members(tmp_path: Path, timewise: bool):
    """A cue head followed by real <chord/> members (and a cue member among them): the real members
    sound at the head's onset; on main the head became a rest and music21 read a stray C4 (60) there."""
    bar = (note("E5", 1, CUE) + note("G5", 1, CUE, chord=True) + note("B5", 2, chord=True)
           + note("C5", 1) + note("C5", 1) + note("D5", 1))
    text = one_part([bar, note("E5", 4)], CLARINET_B_FLAT)
    reader, scanned = read_and_scan(tmp_path, to_timewise(text) if timewise else text)
    assert reader == scanned == [(0.0, 81), (1.0, 70), (2.0, 70), (3.0, 72), (4.0, 74)]


def test_a_cue_chord_head_in_a_second_voice(tmp_path: Path):
    voice_2 = (note("E4", 2, CUE) + note("G4", 2, chord=True) + note("F4", 2)).replace(
        "<voice>1</voice>", "<voice>2</voice>")
    bar = note("C5", 4) + f"<backup><duration>{4 * 2}</duration></backup>" + voice_2
    reader, scanned = read_and_scan(tmp_path, one_part([bar], CLARINET_B_FLAT))
    assert reader == scanned == [(0.0, 65), (0.0, 70), (2.0, 63)]


def test_a_cue_grace_chord_with_real_grace_members_adds_nothing_to_the_note_before(tmp_path: Path):
    """Removing only the cue grace head left a real <chord/> grace member, which music21 added to the
    chord of the note before (a stray 82 at beat 0 on main)."""
    bar = (note("C5", 1) + note("A5", 0.5, "<grace/><cue/>") + note("C6", 0.5, "<grace/>", chord=True)
           + note("D5", 1) + note("C5", 1) + note("D5", 1))
    reader, scanned = read_and_scan(tmp_path, one_part([bar], CLARINET_B_FLAT))
    assert reader == scanned == [(0.0, 70), (1.0, 72), (2.0, 70), (3.0, 72)]


@pytest.mark.parametrize("chromatic, octaves", [("1e308", None), ("999", None), ("0", "-1e9"), ("-49", None)])
def test_a_transposition_no_instrument_has_is_ignored(tmp_path: Path, chromatic: str, octaves: str | None):
    """Beyond 4 octaves a <transpose> is read as none (MuseScore 3 reads 1e308 as 0); on main it was
    clamped to 8 octaves, every note left the MIDI range and the part was silently empty."""
    bar = note("C5", 1) + note("E5", 1) + note("G5", 2)
    reader, scanned = read_and_scan(tmp_path, one_part([bar], transpose(chromatic, None, octaves)))
    assert reader == scanned == [(0.0, 72), (1.0, 76), (2.0, 79)]


def test_the_largest_real_transposition_still_applies(tmp_path: Path):
    bar = note("C5", 1) + note("E5", 1) + note("G5", 2)
    reader, scanned = read_and_scan(tmp_path, one_part([bar], transpose("-2", "-1", "-3")))  # BBb subcontrabass
    assert reader == scanned == [(0.0, 34), (1.0, 38), (2.0, 41)]


@pytest.mark.parametrize("number", ["0", "-1"])
def test_a_transpose_number_that_names_no_staff_applies_to_all(tmp_path: Path, number: str):
    """number="0" on a two-staff part: all staves, as with no number (and as MuseScore 3 plays it);
    on main it applied to no note."""
    bar = (note("C5", 2, staff=1) + note("E5", 2, staff=1) + "<backup><duration>8</duration></backup>"
           + note("C4", 4, staff=2))
    reader, scanned = read_and_scan(tmp_path, one_part([bar], transpose("-2", "-1", number=number), staves=2))
    assert reader == scanned == [(0.0, 58), (0.0, 70), (2.0, 74)]


def test_a_staff_number_below_one_is_the_scans_staff_one(tmp_path: Path):
    """<staff>0</staff> is staff 1 to the writer's scan; the reader now takes the same transposition."""
    bar = note("C5", 2).replace("</type>", "</type><staff>0</staff>") + note("E5", 2, staff=1)
    reader, scanned = read_and_scan(tmp_path, one_part([bar], transpose("-2", "-1", number="1"), staves=2))
    assert reader == scanned == [(0.0, 70), (2.0, 74)]


@pytest.mark.parametrize("old, new", [("<octave>5</octave>", "<octave>5.0</octave>"),
                                      ("<octave>5</octave>", "<octave>5.5</octave>"),
                                      ("<step>C</step>", "<step>C</step><alter>x</alter>"),
                                      ("<step>C</step>", "<step>C</step><alter>1e30</alter>")])
def test_a_pitch_the_plain_path_refuses_is_refused_when_transposed_too(tmp_path: Path, old: str, new: str):
    """Untransposed, music21 refuses these (a one-line error naming the file); transposed, main read
    them (octave 5.5 as 5, alter "x" as 0, alter 1e30 dropped) while the writer's scan could not."""
    bar = note("C5", 1).replace(old, new) + note("C5", 1) + note("C5", 1) + note("D5", 1)
    for transposing in ("", CLARINET_B_FLAT):
        path = tmp_path / "case.musicxml"
        path.write_text(one_part([bar], transposing), encoding="utf-8")
        with pytest.raises(ScoreReadError) as error:
            read_musicxml(path)
        assert "case.musicxml" in str(error.value) and "\n" not in str(error.value)


@pytest.mark.parametrize("tag", ["staff", "voice"])
def test_a_forty_digit_staff_or_voice_is_annotated_not_an_internal_error(tmp_path: Path, tag: str):
    """Found by fuzz_annotate's new cue/transpose mutations (on main too): numpy could not hold the
    number (OverflowError in Track.staves / written_voices): "internal error", exit 1, no output."""
    from typer.testing import CliRunner

    from motifcli.cli import app

    huge = "9" * 40
    bars = [note("C5", 1) + note("E5", 1) + note("G5", 1) + note("C5", 1) for _ in range(4)]
    bars[1] = bars[1].replace("</type>", f"</type><staff>{huge}</staff>" if tag == "staff" else "</type>", 1)
    if tag == "voice":
        bars[1] = bars[1].replace("<voice>1</voice>", f"<voice>{huge}</voice>", 1)
    path = tmp_path / "huge.musicxml"
    path.write_text(one_part(bars + bars), encoding="utf-8")
    result = CliRunner().invoke(app, ["annotate", str(path), "-o", f"{tmp_path}/", "-f", "json,musicxml",
                                      "--workers", "1"])
    assert result.exit_code == 0, result.output
