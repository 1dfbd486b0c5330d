"""The annotated MusicXML where MuseScore 3 reads voices and ties its own way (phase14-clara14.md).

Small scores written here (real files, motif's reader and writer, ElementTree to check), then the
music21-written Schumann (op. 17 iii) that lost 155 of its 192 occurrences' marks in MuseScore:

* a staff using more than four voice numbers over a part (music21 numbers voices afresh in each
  measure) is renumbered, four per staff, so MuseScore keeps every note;
* a tie stop that meets no open tie is a note of its own (as the reader reads it): coloured when
  its occurrence holds it, never a piece of a far earlier note of its pitch;
* a note doubled at the unison in another voice does not carry the bracket past the occurrence;
* a label on a voice's cross-staff notes names the voice's own staff (MuseScore drops it else).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import pytest

from motifcli.annotation import Annotation, Motif, Occurrence
from motifcli.readers import read_score
from motifcli.writers.json_out import to_json_dict
from motifcli.writers import musicxml as mx
from motifcli.writers.musicxml_key import is_key
from motifcli.writers.musicxml_voices import MUSESCORE_VOICES
from test_musescore import (  # noqa: F401 - musescore is a fixture
    MuseScore,
    assert_shown,
    model_args,
    motif_annotate,
    musescore,
    read_mscx,
)

STEPS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


def note(pitch: str, dur: int, voice: int, staff: int | None = None, *, tie: str = "", chord: bool = False) -> str:
    """One <note> (divisions 1: durations in quarters); pitch like "C4" or "R" for a rest."""
    body = "<rest/>" if pitch == "R" else f"<pitch><step>{pitch[0]}</step><octave>{pitch[1]}</octave></pitch>"
    ties = "".join(f'<tie type="{t}"/>' for t in tie.split() if t)
    st = f"<staff>{staff}</staff>" if staff else ""
    return f"<note>{'<chord/>' if chord else ''}{body}<duration>{dur}</duration>{ties}<voice>{voice}</voice>{st}</note>"


def document(measures: list[list[str]], staves: int = 1) -> str:
    """A one-part 4/4 score-partwise document of these measures' children."""
    attrs = ("<attributes><divisions>1</divisions><time><beats>4</beats><beat-type>4</beat-type></time>"
             + (f"<staves>{staves}</staves>" if staves > 1 else "") + "</attributes>")
    body = "".join(f'<measure number="{i + 1}">{attrs if i == 0 else ""}{"".join(m)}</measure>'
                   for i, m in enumerate(measures))
    return ('<?xml version="1.0" encoding="UTF-8"?><score-partwise version="3.1"><part-list>'
            '<score-part id="P1"><part-name>Piano</part-name></score-part></part-list>'
            f'<part id="P1">{body}</part></score-partwise>')


def backup(n: int) -> str:
    return f"<backup><duration>{n}</duration></backup>"


def annotate(tmp_path: Path, xml: str, occurrences: list[list[tuple[float, int, float]]]) -> tuple[dict, bytes]:
    """Write ``xml``, read it with motif, annotate one family whose occurrences are these notes
    (onset, pitch, offset) of track 0, and return the JSON report and the annotated bytes."""
    src = tmp_path / "in.musicxml"
    src.write_text(xml)
    score = read_score(src)
    track = score.tracks[0]
    occs = []
    for number, want in enumerate(occurrences, start=1):
        idx = []
        for on, pitch, off in want:
            found = [k for k, n in enumerate(track.notes)
                     if abs(n.onset - on) < 1e-9 and n.pitch == pitch and abs(n.offset - off) < 1e-9]
            assert found, f"the reader has no note {(on, pitch, off)}: {[(n.onset, n.pitch, n.offset) for n in track.notes]}"
            idx.append(found[0])
        notes = [track.notes[k] for k in idx]
        occs.append(Occurrence(family="A", number=number, track=0, track_name=track.name,
                               start=notes[0].onset, end=max(n.offset for n in notes),
                               start_bar=score.bar_number_at(notes[0].onset),
                               end_bar=score.bar_number_at(max(n.offset for n in notes) - 1e-6),
                               similarity=1.0, notes=notes, note_indices=idx))
    annotation = Annotation(source=str(src), motifs=[Motif("A", "#E69F00", occs)],
                            model={"version": "test", "method": "test"}, settings={}, tracks=[t.name for t in score.tracks])
    return to_json_dict(annotation, score), mx.render(annotation, score)


def walk(data: bytes) -> list[tuple[ET.Element, Fraction, int]]:
    """Every <note> and <direction> of part P1 with its time (quarters) and measure index."""
    out = []
    part = ET.fromstring(data).find("part")
    assert part is not None
    start = Fraction(0)
    for k, measure in enumerate(part.findall("measure")):
        cursor = top = last = Fraction(0)
        for el in measure:
            dur = Fraction(el.findtext("duration") or 0)
            if el.tag == "note":
                at = last if el.find("chord") is not None else cursor
                out.append((el, start + at, k))
                if el.find("chord") is None:
                    last, cursor = cursor, cursor + dur
            elif el.tag == "backup":
                cursor -= dur
            elif el.tag == "forward":
                cursor += dur
            elif el.tag == "direction":
                out.append((el, start + cursor + Fraction(el.findtext("offset") or 0), k))
            top = max(top, cursor)
        start += top
    return out


def stops(data: bytes) -> list[Fraction]:
    return [t for el, t, _ in walk(data) if el.tag == "direction" and el.find(".//bracket[@type='stop']") is not None]


def coloured(data: bytes) -> list[tuple[Fraction, str]]:
    return [(t, el.findtext("pitch/step") + el.findtext("pitch/octave")) for el, t, _ in walk(data)
            if el.tag == "note" and el.get("color")]


# --------------------------------------------------------------------------------------------


def music21_like_piano() -> str:
    """Staff 1 in voice 1; staff 2 in a new pair of voice numbers each measure (5-6, 7-8, 2-3): six
    numbers on one staff, as music21 writes a piano whose voices come and go."""
    measures = []
    for pair in ((5, 6), (7, 8), (2, 3)):
        measures.append([note(p, 1, 1, 1) for p in ("C5", "D5", "E5", "F5")] + [backup(4)]
                        + [note(p, 1, pair[0], 2) for p in ("C3", "D3", "E3", "F3")] + [backup(4)]
                        + [note("G2", 4, pair[1], 2)])
    return document(measures, staves=2)


def test_a_staff_with_more_voices_than_musescore_keeps_is_renumbered(tmp_path: Path) -> None:
    xml = music21_like_piano()
    occ = [[(4.0 * b, 48, 4.0 * b + 1), (4.0 * b + 1, 50, 4.0 * b + 2)] for b in range(3)]
    _, data = annotate(tmp_path, xml, occ)
    score = read_score(tmp_path / "in.musicxml")
    notes = [(el, t, k) for el, t, k in walk(data) if el.tag == "note"]
    used: dict[int, set[int]] = {}
    for el, _, _ in notes:
        used.setdefault(int(el.findtext("staff")), set()).add(int(el.findtext("voice")))
    assert used[1] <= set(range(1, MUSESCORE_VOICES + 1))
    assert used[2] <= set(range(MUSESCORE_VOICES + 1, 2 * MUSESCORE_VOICES + 1)), used
    # each written voice of a measure keeps one number of its own, from bar to bar where it can
    before = [(el, t, k) for el, t, k in walk(xml.encode()) if el.tag == "note"]
    assert len(before) == len(notes)
    pairs = {(k, a.findtext("voice"), b.findtext("voice")) for (a, _, k), (b, _, _) in zip(before, notes)}
    for k in range(3):
        new_of = {old: new for kk, old, new in pairs if kk == k}
        assert len(set(new_of.values())) == len(new_of) == 3  # three voices in, three numbers out
    assert {new for k, old, new in pairs if old in ("5", "7", "2")} == {"5"}  # the moving voice keeps 5
    # nothing else moved: same notes, and the occurrences' notes are coloured
    again = read_score(_write(tmp_path / "out.musicxml", data))
    assert sorted((n.onset, n.pitch, n.offset) for n in again.tracks[0].notes) == sorted(
        (n.onset, n.pitch, n.offset) for n in score.tracks[0].notes)
    assert len(coloured(data)) == 6


def test_a_part_within_musescores_voices_keeps_its_numbers(tmp_path: Path) -> None:
    xml = music21_like_piano().replace("<voice>7</voice>", "<voice>5</voice>").replace(
        "<voice>8</voice>", "<voice>6</voice>").replace("<voice>2</voice>", "<voice>5</voice>").replace(
        "<voice>3</voice>", "<voice>6</voice>")
    _, data = annotate(tmp_path, xml, [[(4.0 * b, 48, 4.0 * b + 1)] for b in range(3)])
    assert [el.findtext("voice") for el, _, _ in walk(data) if el.tag == "note"] == [
        el.findtext("voice") for el, _, _ in walk(xml.encode()) if el.tag == "note"]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_a_tie_stop_that_meets_no_tie_is_a_note_of_its_own(tmp_path: Path) -> None:
    """Bar 1: C4 (tie start, but D4 follows), D4, E4 (a tie stop with no start: MuseScore's export
    writes such), F4; bar 2 plain; bar 3: C4 with a stray tie stop. The reader reads E4 and bar 3's
    C4 as notes: E4 is coloured with its occurrence, and bar 3's C4 is no piece of bar 1's."""
    bar1 = [note("C4", 1, 1, tie="start"), note("D4", 1, 1), note("E4", 1, 1, tie="stop"), note("F4", 1, 1)]
    bar2 = [note(p, 1, 1) for p in ("C4", "D4", "E4", "F4")]
    bar3 = [note("C4", 1, 1, tie="stop"), note("G4", 3, 1)]
    occ = [[(0.0, 60, 1.0), (1.0, 62, 2.0), (2.0, 64, 3.0), (3.0, 65, 4.0)],
           [(4.0, 60, 5.0), (5.0, 62, 6.0), (6.0, 64, 7.0), (7.0, 65, 8.0)]]
    _, data = annotate(tmp_path, document([bar1, bar2, bar3]), occ)
    assert [t for t, _ in coloured(data)] == [Fraction(k) for k in range(8)]


def test_a_unison_double_in_another_voice_does_not_carry_the_bracket(tmp_path: Path) -> None:
    """Voice 1: G4 A4 B4 C5 quarters; voice 2 holds G4 for the whole bar. An occurrence G4 A4 (of
    voice 1) ends at beat 2, though voice 2's G4 shares its first note's onset and pitch."""
    bar = [note("G4", 1, 1), note("A4", 1, 1), note("B4", 1, 1), note("C5", 1, 1), backup(4), note("G4", 4, 2)]
    occ = [[(0.0, 67, 1.0), (1.0, 69, 2.0)], [(4.0, 67, 5.0), (5.0, 69, 6.0)]]
    _, data = annotate(tmp_path, document([bar, bar]), occ)
    assert stops(data) == [Fraction(2), Fraction(6)]


LOW = [note("C5", 4, 1, 1), backup(4)] + [note(p, 1, 5, 2) for p in ("C3", "D3", "E3", "F3")]


def test_a_label_on_cross_staff_notes_names_their_voices_staff(tmp_path: Path) -> None:
    """Voice 5 lives on staff 2 (bar 3 all there) and crosses up to staff 1 for D5 E5 at beats 3-4 of
    bars 1 and 2: its
    label and bracket name staff 2 (MuseScore files the voice there and drops a direction naming
    staff 1 where staff 1 has no note of its own)."""
    bar = ([note("C5", 4, 1, 1), backup(4)]
           + [note("C3", 1, 5, 2), note("D3", 1, 5, 2), note("D5", 1, 5, 1), note("E5", 1, 5, 1)])
    occ = [[(2.0, 74, 3.0), (3.0, 76, 4.0)], [(6.0, 74, 7.0), (7.0, 76, 8.0)]]
    _, data = annotate(tmp_path, document([bar, bar, LOW], staves=2), occ)
    directions = [el for el, _, _ in walk(data) if el.tag == "direction" and not is_key(el.findtext(".//words") or "")]
    assert len(directions) == 4
    assert {el.findtext("staff") for el in directions} == {"2"}


# --------------------------------------------------------------------------------------------
# In MuseScore


@pytest.mark.slow
@pytest.mark.musescore
@pytest.mark.parametrize("via_musescore", [False, True], ids=["music21", "musescore-mxl"])
def test_music21_written_piano_trio_shows_every_mark(
    musescore: MuseScore, tmp_path: Path, request: pytest.FixtureRequest, via_musescore: bool  # noqa: F811
) -> None:
    """Schumann (Clara), Piano Trio op. 17 iii, written as MusicXML by music21 (its piano staves use
    voices 1-4 and 2-8: 155 problems over 192 occurrences before), and that file exported by
    MuseScore as .mxl (stray tie stops, a voice crossing staves: 15 problems): every occurrence's
    notes coloured, bracketed and labelled in MuseScore, nothing else coloured."""
    music21 = pytest.importorskip("music21")
    src = tmp_path / "clara.musicxml"
    music21.corpus.parse("schumann_clara/opus17/movement3").write("musicxml", fp=str(src))
    if via_musescore:
        mxl = tmp_path / "clara.mxl"
        musescore.job([{"in": str(src), "out": [str(mxl)]}], tmp_path)
        src = mxl
    xml, report = motif_annotate(src, tmp_path / "out", *model_args(request))
    mscx = tmp_path / "clara.mscx"
    musescore.job([{"in": str(xml), "out": [str(mscx)]}], tmp_path)
    assert_shown(read_mscx(mscx), report)


@pytest.mark.musescore
def test_small_cases_show_in_musescore(musescore: MuseScore, tmp_path: Path) -> None:  # noqa: F811
    """The renumbered piano and the cross-staff voice, opened in MuseScore: every note is there,
    every occurrence shown (without the renumbering MuseScore keeps 4 of staff 2's 6 voices)."""
    occ = [[(4.0 * b, 48, 4.0 * b + 1), (4.0 * b + 1, 50, 4.0 * b + 2)] for b in range(3)]
    bar = ([note("C5", 4, 1, 1), backup(4)]
           + [note("C3", 1, 5, 2), note("D3", 1, 5, 2), note("D5", 1, 5, 1), note("E5", 1, 5, 1)])
    cross = [[(2.0, 74, 3.0), (3.0, 76, 4.0)], [(6.0, 74, 7.0), (7.0, 76, 8.0)]]
    for name, xml, want, notes in (("voices", music21_like_piano(), occ, 27),
                                   ("cross", document([bar, bar, LOW], staves=2), cross, 15)):
        sub = tmp_path / name
        sub.mkdir()
        report, data = annotate(sub, xml, want)
        src = _write(sub / "annotated.musicxml", data)
        out = sub / "annotated.mscx"
        musescore.job([{"in": str(src), "out": [str(out)]}], sub)
        mscx = read_mscx(out)
        assert len([n for n in mscx.notes if not n.grace]) == notes  # no voice dropped
        assert_shown(mscx, report)
