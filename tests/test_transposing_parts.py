"""Transposing instruments and cue notes in MusicXML: motif works on sounding pitch, end to end.

A B-flat clarinet's part is written a tone above what it sounds, with a ``<transpose>`` in its
``<attributes>`` (motifcli/sounding.py); a ``<cue/>`` note is printed but not played. The files are
written here by hand (what MuseScore, Finale and Sibelius export), read by the real reader and
annotated by the real CLI; MuseScore 3 (when installed) gives the independent answer: its own MIDI
export of the input. On main before this (session 22) the clarinet read at written pitch (a family
"transposed" by 2), and cue notes were read as notes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import mido
import pytest
from typer.testing import CliRunner

from motifcli import writers
from motifcli.cli import app
from motifcli.readers.musicxml import read_musicxml
from motifcli.writers.musicxml_scan import scan_parts
from test_readers_musicxml import to_timewise
from test_musescore import MuseScore, assert_shown, musescore, plugin_and_writer, read_mscx  # noqa: F401 - a fixture
from writers_fixtures import annotation_from_spans

DIV = 2  # divisions per quarter note
TYPES = {0.5: "eighth", 1.0: "quarter", 2.0: "half", 4.0: "whole"}
CLARINET_B_FLAT = "<transpose><diatonic>-1</diatonic><chromatic>-2</chromatic></transpose>"
CLARINET_A = "<transpose><diatonic>-2</diatonic><chromatic>-3</chromatic></transpose>"
HORN_F = "<transpose><diatonic>-4</diatonic><chromatic>-7</chromatic></transpose>"
OCTAVE_DOWN = "<transpose><diatonic>0</diatonic><chromatic>0</chromatic><octave-change>-1</octave-change></transpose>"
OCTAVE_DOWN_NO_DIATONIC = "<transpose><chromatic>0</chromatic><octave-change>-1</octave-change></transpose>"
# MusicXML 4's concert score: the part extracted from it would be written a tone up; the score's notes sound
CONCERT = "<for-part><part-transpose><diatonic>-1</diatonic><chromatic>-2</chromatic></part-transpose></for-part>"
# sounding G4 A4 B4 C5 G4 | E5 D5 rest (quarters), as the violin writes it
MOTIF = [[("G4", 1), ("A4", 0.5), ("B4", 0.5), ("C5", 1), ("G4", 1)], [("E5", 2), ("D5", 1), (None, 1)]]
MOTIF_MIDI = [67, 69, 71, 72, 67, 76, 74]
# the same, written for a B-flat clarinet (a major second higher)
MOTIF_B_FLAT = [[("A4", 1), ("B4", 0.5), ("C#5", 0.5), ("D5", 1), ("A4", 1)], [("F#5", 2), ("E5", 1), (None, 1)]]


def note(name: str | None, quarters: float, extra: str = "", *, chord: bool = False, staff: int | None = None) -> str:
    """A <note> (a rest for None): name like "C#5", "Bb3"; ``extra`` goes first (``<cue/>``, ``<grace/>``)."""
    duration = "" if "<grace/>" in extra else f"<duration>{int(quarters * DIV)}</duration>"
    kind = f"<type>{TYPES[quarters]}</type>"
    where = "<chord/>" if chord else ""
    on = f"<staff>{staff}</staff>" if staff else ""
    if name is None:
        return f"<note>{extra}<rest/>{duration}<voice>1</voice>{kind}{on}</note>"
    step, accidental, octave = name[0], name[1:-1], name[-1]
    alter = {"": "", "#": "<alter>1</alter>", "b": "<alter>-1</alter>"}[accidental]
    shown = {"": "", "#": "<accidental>sharp</accidental>", "b": "<accidental>flat</accidental>"}[accidental]
    return (f"<note>{extra}{where}<pitch><step>{step}</step>{alter}<octave>{octave}</octave></pitch>"
            f"{duration}<voice>1</voice>{kind}{shown}{on}</note>")


def bar(notes: list[tuple[str | None, float]] | None) -> str:
    if not notes:
        return f'<note><rest measure="yes"/><duration>{4 * DIV}</duration><voice>1</voice></note>'
    return "".join(note(n, q) for n, q in notes)


def attributes(transpose: str = "", staves: int = 1) -> str:
    clefs = "".join(f'<clef number="{s}"><sign>G</sign><line>2</line></clef>' for s in range(1, staves + 1))
    return (f"<attributes><divisions>{DIV}</divisions><key><fifths>0</fifths></key>"
            f"<time><beats>4</beats><beat-type>4</beat-type></time>"
            f"{f'<staves>{staves}</staves>' if staves > 1 else ''}{clefs}{transpose}</attributes>")


def musicxml(parts: list[tuple[str, str, list[str]]]) -> str:
    """A score-partwise document: (id, name, the measures' contents) per part."""
    names = "".join(f'<score-part id="{pid}"><part-name>{name}</part-name></score-part>' for pid, name, _ in parts)
    body = "\n".join(
        f'<part id="{pid}">' + "".join(f'<measure number="{i + 1}">{m}</measure>' for i, m in enumerate(measures))
        + "</part>" for pid, _, measures in parts)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 3.1 '
            'Partwise//EN" "http://www.musicxml.org/dtds/partwise.dtd">\n<score-partwise version="3.1">\n'
            f"<part-list>{names}</part-list>\n{body}\n</score-partwise>\n")


def violin_and_clarinet() -> str:
    """The violin states the motif in bars 1-2 and 5-6, the B-flat clarinet at the same sounding pitch
    in bars 3-4 and 7-8 (written a tone higher)."""
    violin, clarinet = [], []
    for k in range(4):
        plays, rests = (violin, clarinet) if k % 2 == 0 else (clarinet, violin)
        plays += [bar(b) for b in (MOTIF if plays is violin else MOTIF_B_FLAT)]
        rests += [bar(None), bar(None)]
    violin[0] = attributes() + violin[0]
    clarinet[0] = attributes(CLARINET_B_FLAT) + clarinet[0]
    return musicxml([("P1", "Violin", violin), ("P2", "Clarinet in B-flat", clarinet)])


def pitches(track) -> list[int]:
    return [n.pitch for n in track.notes]


@pytest.fixture
def duet(tmp_path: Path) -> Path:
    path = tmp_path / "duet.musicxml"
    path.write_text(violin_and_clarinet(), encoding="utf-8")
    return path


def annotate(path: Path, out: Path, formats: str = "json,midi,musicxml") -> None:
    result = CliRunner().invoke(app, ["annotate", str(path), "-o", f"{out}/", "-f", formats, "--workers", "1"])
    assert result.exit_code == 0, result.output


def midi_notes(path: Path) -> list[tuple[float, int]]:
    """Every note-on of a MIDI file: (beat, MIDI number), sorted."""
    midi = mido.MidiFile(path)
    out = []
    for track in midi.tracks:
        tick = 0
        for msg in track:
            tick += msg.time
            if msg.type == "note_on" and msg.velocity > 0:
                out.append((round(tick / midi.ticks_per_beat, 3), msg.note))
    return sorted(out)


def test_a_clarinet_reads_at_sounding_pitch(duet: Path):
    score = read_musicxml(duet)
    violin, clarinet = score.tracks
    assert pitches(violin) == MOTIF_MIDI * 2 and pitches(clarinet) == MOTIF_MIDI * 2
    assert [n.onset - 8 for n in clarinet.notes] == [n.onset for n in violin.notes]
    # the writer's own walk of the document (where it colours) sees the same sounding pitches
    scanned = scan_parts(duet.read_bytes()).parts["P2"].notes
    assert [n.pitch for n in scanned if n.pitch is not None] == MOTIF_MIDI * 2
    # the same score written measure by measure (score-timewise): the transposition is still the part's
    timewise = duet.with_name("timewise.musicxml")
    timewise.write_text(to_timewise(duet.read_text(encoding="utf-8")), encoding="utf-8")
    assert [pitches(t) for t in read_musicxml(timewise).tracks] == [MOTIF_MIDI * 2] * 2
    scanned = scan_parts(timewise.read_bytes()).parts["P2"].notes
    assert [n.pitch for n in scanned if n.pitch is not None] == MOTIF_MIDI * 2


def test_one_family_at_one_pitch_and_every_output_sounding(duet: Path, tmp_path: Path):
    out = tmp_path / "out"
    annotate(duet, out)
    report = json.loads((out / "duet.motifs.json").read_text(encoding="utf-8"))
    [family] = report["motifs"]
    occurrences = family["occurrences"]
    assert sorted(o["track"] for o in occurrences) == [0, 0, 1, 1]
    assert all(o["transposition"] == 0 for o in occurrences)
    assert all([n["pitch"] for n in o["notes"]] == MOTIF_MIDI for o in occurrences)
    # MIDI output sounds: the clarinet's notes an octave of the violin's, not a tone above
    midi = midi_notes(out / "duet.motifs.mid")
    assert [p for beat, p in midi if 8 <= beat < 16] == MOTIF_MIDI
    # the annotated MusicXML keeps the written notes and the <transpose>, and colours them all
    source, written = duet.read_text(encoding="utf-8"), (out / "duet.motifs.musicxml").read_text(encoding="utf-8")
    pitch = re.compile(r"<pitch>.*?</pitch>", re.S)
    assert pitch.findall(written) == pitch.findall(source)
    assert written.count(CLARINET_B_FLAT) == 1
    clarinet = written[written.index('<part id="P2"'):]
    assert len(re.findall(r'<note[^>]*color="#', clarinet)) == len(MOTIF_MIDI) * 2


@pytest.mark.musescore
def test_musescore_plays_and_shows_what_motif_reports(musescore: MuseScore, duet: Path, tmp_path: Path):
    """MuseScore 3 itself: the MIDI motif writes has the notes of MuseScore's own MIDI export of the
    input (and of the annotated MusicXML: the part still transposes), and MuseScore's score of the
    annotated MusicXML, and the plugin's on the input, colour every report note at its pitch
    (MuseScore keeps concert pitch in its .mscx)."""
    out = tmp_path / "out"
    annotate(duet, out)
    xml = out / "duet.motifs.musicxml"
    musescore.job([{"in": str(duet), "out": [str(tmp_path / "input.mid")]},
                   {"in": str(xml), "out": [str(tmp_path / "annotated.mid")]}], tmp_path)
    theirs = midi_notes(tmp_path / "input.mid")
    assert len(theirs) == 4 * len(MOTIF_MIDI)
    assert midi_notes(out / "duet.motifs.mid") == theirs
    assert midi_notes(tmp_path / "annotated.mid") == theirs
    report = json.loads((out / "duet.motifs.json").read_text(encoding="utf-8"))
    by_plugin, by_writer, log = plugin_and_writer(musescore, duet, xml, report, tmp_path)
    assert_shown(read_mscx(by_writer), report)
    assert_shown(read_mscx(by_plugin), report, text_kinds=("StaffText",))
    for shown in (by_writer, by_plugin):
        coloured = [n for n in read_mscx(shown).notes if n.color not in (None, "#000000")]
        assert len(coloured) == 4 * len(MOTIF_MIDI), log


def test_horn_guitar_and_double_bass_transpositions(tmp_path: Path):
    """Horn in F sounds a fifth down; guitar and double bass an octave down (``<octave-change>``),
    also when ``<diatonic>`` is left out (music21's importer raised on that: the file was refused);
    ``<for-part>`` (how to extract a part from a concert score) moves nothing."""
    line = [bar([("C5", 1), ("D5", 1), ("E5", 1), ("F#4", 1)])]
    parts = [("Hn", "Horn in F", [attributes(HORN_F) + line[0]]),
             ("Gtr", "Guitar", [attributes(OCTAVE_DOWN) + line[0]]),
             ("Cb", "Contrabass", [attributes(OCTAVE_DOWN_NO_DIATONIC) + line[0]]),
             ("Fl", "Flute", [attributes() + line[0]]),
             ("Cl", "Clarinet in B-flat (concert score)", [attributes(CONCERT) + line[0]])]
    path = tmp_path / "brass.musicxml"
    path.write_text(musicxml(parts), encoding="utf-8")
    horn, guitar, bass, flute, concert = read_musicxml(path).tracks
    assert pitches(flute) == pitches(concert) == [72, 74, 76, 66]  # a concert score's part is at sounding pitch
    assert pitches(horn) == [65, 67, 69, 59]
    assert pitches(guitar) == pitches(bass) == [60, 62, 64, 54]
    scanned = scan_parts(path.read_bytes()).parts
    assert [[n.pitch for n in scanned[p].notes] for p in ("Hn", "Gtr", "Cb", "Cl")] == [
        pitches(horn), pitches(guitar), pitches(bass), pitches(concert)]


def test_a_transposition_change_mid_part_and_per_staff(tmp_path: Path):
    """A clarinettist changes from A to B-flat at bar 2 and back to concert pitch mid-bar 3;
    a two-staff part transposes only its lower staff (``<transpose number="2">``)."""
    written = [("C5", 1), ("C5", 1), ("C5", 1), ("C5", 1)]
    clarinet = [attributes(CLARINET_A) + bar(written), f"<attributes>{CLARINET_B_FLAT}</attributes>" + bar(written),
                note("C5", 1) + note("C5", 1)
                + "<attributes><transpose><diatonic>0</diatonic><chromatic>0</chromatic></transpose></attributes>"
                + note("C5", 1) + note("C5", 1)]
    two = attributes(OCTAVE_DOWN.replace("<transpose>", '<transpose number="2">'), staves=2)
    keyboard = [two + note("C5", 4, staff=1) + f"<backup><duration>{4 * DIV}</duration></backup>"
                + note("C4", 4, staff=2)]
    path = tmp_path / "change.musicxml"
    path.write_text(musicxml([("Cl", "Clarinet", clarinet), ("Cel", "Celesta", keyboard)]), encoding="utf-8")
    tracks = read_musicxml(path).tracks
    assert pitches(tracks[0]) == [69] * 4 + [70] * 4 + [70, 70, 72, 72]
    assert [(n.staff, n.pitch) for n in tracks[1].notes] == [(2, 48), (1, 72)]
    scanned = scan_parts(path.read_bytes()).parts
    assert [n.pitch for n in scanned["Cl"].notes] == pitches(tracks[0])
    assert sorted(n.pitch for n in scanned["Cel"].notes) == [48, 72]


def test_cue_notes_are_not_read_and_never_coloured(tmp_path: Path):
    """A cue (another part's notes, printed small) and a cue chord take their time but are not notes;
    a cue grace note takes none."""
    cue = "<cue/>"
    bar_1 = (note("E5", 1, cue) + note("G5", 1, cue, chord=True) + note("F5", 1, cue)
             + note("A5", 0.5, "<grace/><cue/>") + note("C5", 1) + note("D5", 1))
    bar_2 = note("E5", 2) + note("C5", 1, cue) + note("C5", 1)
    path = tmp_path / "cues.musicxml"
    path.write_text(musicxml([("P1", "Oboe", [attributes() + bar_1, bar_2])]), encoding="utf-8")
    [oboe] = read_musicxml(path).tracks
    assert [(n.onset, n.pitch) for n in oboe.notes] == [(2.0, 72), (3.0, 74), (4.0, 76), (7.0, 72)]
    scanned = scan_parts(path.read_bytes()).parts["P1"].notes
    assert [(n.onset, n.pitch) for n in scanned if not n.rest and not n.grace] == [(2, 72), (3, 74), (4, 76), (7, 72)]
    # marked over whole bars (an occurrence with no notes: every note of its span), cue notes stay uncoloured
    score = read_musicxml(path)
    annotation = annotation_from_spans(score, [(0, 4, "a"), (4, 8, "a")], 0)
    for occurrence in annotation.occurrences:
        occurrence.notes, occurrence.note_indices = [], []
    dest = tmp_path / "cues.motifs.musicxml"
    writers.write(annotation, score, "musicxml", dest)
    coloured = re.findall(r"<note[^>]*color=[^>]*>(.*?)</note>", dest.read_text(encoding="utf-8"))
    assert len(coloured) == 4 and not any("<cue/>" in n for n in coloured)
