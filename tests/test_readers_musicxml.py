"""The MusicXML reader against music21's corpus (compared with music21's own parse) and files written here.

music21 is slow, so each corpus file is read once per module, by both music21 and our reader.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

music21 = pytest.importorskip("music21")
from music21 import converter, corpus  # noqa: E402

from motifcli.errors import ScoreReadError  # noqa: E402
from motifcli.limits import ReadLimits  # noqa: E402
from motifcli.readers.musicxml import read_musicxml  # noqa: E402
from motifcli.score import Score, TempoChange, TimeSignature  # noqa: E402

CORPUS = {
    "chorale": "bach/bwv299.mxl",  # 4 parts, ties and grace notes
    "pickup": "bach/bwv66.6.mxl",  # pickup bar, <sound tempo="96">
    "piano": "mozart/k545/movement1_exposition.mxl",  # one part on two staves
    "drums": "demos/drum_sample.xml",  # unpitched parts
    "tempo": "demos/chord_realization_exercise.mxl",  # metronome marks
}


def corpus_path(relative: str) -> Path:
    matches = [p for p in corpus.getPaths() if str(p).replace("\\", "/").endswith(relative)]
    if not matches:
        pytest.skip(f"music21 corpus file {relative} not installed")
    return Path(matches[0])


@pytest.fixture(scope="module")
def parsed() -> dict[str, tuple[Score, object]]:
    """key -> (our Score, music21's own parse of the same file)."""
    out = {}
    for key, relative in CORPUS.items():
        path = corpus_path(relative)
        out[key] = (read_musicxml(path), converter.parse(path, forceSource=True))
    return out


def music21_notes(part) -> list[tuple[float, float, int]]:
    """(onset, offset, midi) of one music21 part after its own stripTies, grace notes dropped."""
    out = []
    for element in part.stripTies().flatten().notes:
        if element.duration.isGrace:
            continue
        onset = float(element.offset)
        offset = onset + float(element.duration.quarterLength)
        for pitch in element.pitches:
            out.append((onset, offset, int(round(pitch.ps))))
    return sorted(out)


def ours(track) -> list[tuple[float, float, int]]:
    return sorted((n.onset, n.offset, n.pitch) for n in track.notes)


def test_chorale_parts_ties_and_grace_notes(parsed):
    score, m21 = parsed["chorale"]
    assert score.format == "musicxml"
    assert [t.part_id for t in score.tracks] == ["P1", "P2", "P3", "P4"]
    assert [t.name for t in score.tracks] == ["Soprano", "Alto", "Tenor", "Bass"]
    assert [t.source_index for t in score.tracks] == [0, 1, 2, 3]
    assert not any(t.is_drum for t in score.tracks)
    for track, part in zip(score.tracks, m21.parts):
        assert ours(track) == music21_notes(part)
    # the file really has ties and grace notes, and both are handled
    tied = sum(1 for n in m21.flatten().notes if n.tie is not None and n.tie.type == "start")
    graces = sum(1 for n in m21.flatten().notes if n.duration.isGrace)
    assert tied >= 2 and graces >= 2
    raw = sum(len(n.pitches) for n in m21.flatten().notes)
    assert score.note_count == raw - graces - tied
    assert all(n.duration > 0 for t in score.tracks for n in t.notes)


def test_measure_starts_follow_the_first_part(parsed):
    for key in ("chorale", "pickup", "piano"):
        score, m21 = parsed[key]
        measures = list(m21.parts[0].getElementsByClass("Measure"))
        assert score.measure_starts == [float(m.offset) for m in measures]
        assert score.measure_numbers == [str(m.measureNumberWithSuffix()) for m in measures]
        assert score.measure_starts == sorted(score.measure_starts)


def test_pickup_bar_and_sound_tempo(parsed):
    score, _ = parsed["pickup"]
    assert score.measure_numbers[:3] == ["0", "1", "2"]
    assert score.measure_starts[:3] == [0.0, 1.0, 5.0]
    assert score.bar_number_at(0.5) == 0 and score.bar_number_at(1.0) == 1  # printed numbers: the pickup is 0
    assert score.meter_map.has_pickup and score.meter_map.first_downbeat == 1.0
    assert score.tempos == [TempoChange(0.0, 625_000)]  # <sound tempo="96"/>, once though 4 parts say it
    assert score.time_signatures == [TimeSignature(0.0, 4, 4)]


def test_two_staves_stay_one_part(parsed):
    score, m21 = parsed["piano"]
    assert len(m21.parts) == 2  # music21 alone splits the piano into two PartStaffs
    assert len(score.tracks) == 1 and score.tracks[0].part_id == "P1"
    expected = sorted(music21_notes(m21.parts[0]) + music21_notes(m21.parts[1]))
    assert ours(score.tracks[0]) == expected


def test_unpitched_parts_are_drums(parsed):
    score, _ = parsed["drums"]
    assert [(t.name, t.is_drum) for t in score.tracks] == [("Drums", True), ("Cowbell", True)]
    assert score.pitched_tracks() == []
    assert all(t.notes for t in score.tracks)


def test_metronome_marks_become_tempos(parsed):
    score, m21 = parsed["tempo"]
    marks = {}
    for mark in m21.parts[0].flatten().getElementsByClass("MetronomeMark"):
        marks.setdefault(float(mark.offset), round(60_000_000 / mark.getQuarterBPM()))
    assert score.tempos and [(t.beat, t.microseconds_per_beat) for t in score.tempos] == sorted(marks.items())


# ---- files written here ----------------------------------------------------------------------

HAND = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 4.0 Partwise//EN" "http://www.musicxml.org/dtds/partwise.dtd">
<score-partwise version="4.0">
  <part-list>
    <score-part id="Vln"><part-name>Violin</part-name></score-part>
    <score-part id="Pno"><part-name></part-name></score-part>
  </part-list>
  <part id="Vln">
    <measure number="1">
      <attributes><divisions>2</divisions><time><beats>3</beats><beat-type>4</beat-type></time></attributes>
      <direction><direction-type><metronome><beat-unit>quarter</beat-unit><per-minute>100</per-minute></metronome></direction-type><sound tempo="100"/></direction>
      <note><grace/><pitch><step>B</step><octave>4</octave></pitch><type>eighth</type></note>
      <note><pitch><step>C</step><octave>5</octave></pitch><duration>2</duration><type>quarter</type></note>
      <note><pitch><step>D</step><octave>5</octave></pitch><duration>2</duration><type>quarter</type></note>
      <note><pitch><step>E</step><octave>5</octave></pitch><duration>2</duration><tie type="start"/><type>quarter</type></note>
    </measure>
    <measure number="2">
      <note><pitch><step>E</step><octave>5</octave></pitch><duration>4</duration><tie type="stop"/><type>half</type></note>
      <note><rest/><duration>2</duration><type>quarter</type></note>
    </measure>
  </part>
  <part id="Pno">
    <measure number="1">
      <attributes><divisions>1</divisions></attributes>
      <note><pitch><step>C</step><octave>3</octave></pitch><duration>3</duration><type>half</type><dot/></note>
      <note><chord/><pitch><step>E</step><octave>3</octave></pitch><duration>3</duration><type>half</type><dot/></note>
      <note><chord/><pitch><step>G</step><alter>1</alter><octave>3</octave></pitch><duration>3</duration><type>half</type><dot/></note>
    </measure>
    <measure number="2">
      <note><pitch><step>F</step><octave>2</octave></pitch><duration>1</duration><voice>1</voice><type>quarter</type></note>
      <backup><duration>1</duration></backup>
      <note><pitch><step>A</step><octave>2</octave></pitch><duration>2</duration><voice>2</voice><type>half</type></note>
    </measure>
  </part>
</score-partwise>
"""

EXPECTED_VIOLIN = [(0.0, 1.0, 72), (1.0, 2.0, 74), (2.0, 5.0, 76)]  # grace dropped, tie merged over the bar
EXPECTED_PIANO = [(0.0, 3.0, 48), (0.0, 3.0, 52), (0.0, 3.0, 56), (3.0, 4.0, 41), (3.0, 5.0, 45)]


def check_hand_score(score: Score) -> None:
    assert [(t.name, t.part_id, t.source_index, t.is_drum) for t in score.tracks] == [
        ("Violin", "Vln", 0, False),
        ("Pno", "Pno", 1, False),  # no part name: the id
    ]
    assert ours(score.tracks[0]) == EXPECTED_VIOLIN
    assert ours(score.tracks[1]) == EXPECTED_PIANO
    assert score.measure_starts == [0.0, 3.0] and score.measure_numbers == ["1", "2"]
    assert score.tempos == [TempoChange(0.0, 600_000)]
    assert score.time_signatures == [TimeSignature(0.0, 3, 4)]
    assert score.end_beat == 5.0
    assert score.bar_number_at(3.5) == 2


def test_hand_written_musicxml(tmp_path: Path):
    path = tmp_path / "hand.musicxml"
    path.write_text(HAND, encoding="utf-8")
    score = read_musicxml(path)
    assert score.path == path
    check_hand_score(score)


def to_timewise(text: str) -> str:
    """The same score as score-timewise (measures hold parts), built with ElementTree."""
    from xml.etree import ElementTree as ET

    root = ET.fromstring(text.split("\n", 2)[2])  # drop the declaration and DOCTYPE
    new = ET.Element("score-timewise", root.attrib)
    new.append(root.find("part-list"))
    parts = root.findall("part")
    for i in range(len(parts[0].findall("measure"))):
        measure = ET.SubElement(new, "measure", parts[0].findall("measure")[i].attrib)
        for part in parts:
            holder = ET.SubElement(measure, "part", {"id": part.get("id")})
            holder.extend(list(part.findall("measure")[i]))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(new, encoding="unicode")


def _mx_note(step: str, octave: int, duration: int, kind: str, *, chord: bool = False, tie: tuple[str, ...] = (),
             dot: bool = False, septuplet: bool = False, voice: int = 1, rest: bool = False) -> str:
    pitch = "<rest/>" if rest else f"<pitch><step>{step}</step><octave>{octave}</octave></pitch>"
    return (
        "<note>" + ("<chord/>" if chord else "") + pitch + f"<duration>{duration}</duration>"
        + "".join(f'<tie type="{t}"/>' for t in tie) + f"<voice>{voice}</voice><type>{kind}</type>"
        + ("<dot/>" if dot else "")
        + ("<time-modification><actual-notes>7</actual-notes><normal-notes>8</normal-notes>"
           "<normal-type>16th</normal-type></time-modification>" if septuplet else "")
        + "</note>"
    )


def test_musescore_export_ties_into_chords_and_rounded_septuplets(tmp_path: Path):
    """What MuseScore 3 writes for a MIDI import, read as MuseScore shows it.

    Bar 1: A5 tied on into a chord where only A5 is tied (music21's stripTies kept the later pieces
    as extra notes and ran A5 on too long). Bar 2: a 7:8 septuplet at 480 divisions, written rounded
    (137, 69, 206: 961 for a 960 bar), against a half note in voice 2 after a <backup>. Onsets must be
    the notated ones (2 + k/7), and bar 3 must start on beat 4.
    """
    sep = dict(septuplet=True)
    bars = [
        _mx_note("A", 5, 480, "quarter", tie=("start",)) + _mx_note("A", 5, 240, "eighth", tie=("stop", "start"))
        + _mx_note("C", 4, 240, "eighth") + _mx_note("A", 5, 240, "eighth", chord=True, tie=("stop",)),
        _mx_note("C", 5, 137, "16th", **sep) + _mx_note("D", 5, 69, "32nd", **sep) + _mx_note("E", 5, 69, "32nd", **sep)
        + _mx_note("F", 5, 206, "16th", dot=True, **sep) + _mx_note("G", 5, 137, "16th", **sep)
        + _mx_note("", 0, 137, "16th", rest=True, **sep) + _mx_note("A", 5, 137, "16th", **sep)
        + _mx_note("B", 5, 69, "32nd", **sep)
        + "<backup><duration>961</duration></backup>" + _mx_note("C", 4, 960, "half", voice=2),
        _mx_note("C", 5, 480, "quarter"),
    ]
    measures = "".join(
        f'<measure number="{i + 1}">'
        + ("<attributes><divisions>480</divisions><time><beats>2</beats><beat-type>4</beat-type></time></attributes>"
           if i == 0 else "")
        + bar + "</measure>"
        for i, bar in enumerate(bars)
    )
    path = tmp_path / "musescore.musicxml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><score-partwise version="3.1"><part-list>'
        f'<score-part id="P1"><part-name>P</part-name></score-part></part-list><part id="P1">{measures}</part>'
        "</score-partwise>",
        encoding="utf-8",
    )
    score = read_musicxml(path)
    s = 1 / 7
    expected = [
        (0.0, 2.0, 81), (1.5, 2.0, 60),
        (2.0, 4.0, 60), (2.0, 2 + 2 * s, 72), (2 + 2 * s, 2 + 3 * s, 74), (2 + 3 * s, 2 + 4 * s, 76),
        (2 + 4 * s, 3.0, 77), (3.0, 3 + 2 * s, 79), (3 + 4 * s, 3 + 6 * s, 81), (3 + 6 * s, 4.0, 83),
        (4.0, 5.0, 72),
    ]
    got = ours(score.tracks[0])
    want = sorted(expected)
    assert [n[2] for n in got] == [n[2] for n in want], got
    assert all(g[:2] == pytest.approx(w[:2], abs=1e-9) for g, w in zip(got, want)), got
    assert score.measure_starts == [0.0, 2.0, 4.0]


def test_timewise_reads_like_partwise(tmp_path: Path):
    path = tmp_path / "hand_timewise.xml"
    path.write_text(to_timewise(HAND), encoding="utf-8")
    check_hand_score(read_musicxml(path))


def test_mxl_container_reads_like_the_plain_file(tmp_path: Path):
    path = tmp_path / "hand.mxl"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.recordare.musicxml")
        archive.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container><rootfiles>'
            '<rootfile full-path="score/hand.musicxml" media-type="application/vnd.recordare.musicxml+xml"/>'
            "</rootfiles></container>",
        )
        archive.writestr("score/hand.musicxml", HAND)
        archive.writestr("decoy.xml", "<score-partwise/>")
    path.write_bytes(buffer.getvalue())
    check_hand_score(read_musicxml(path))


def test_limits_apply_to_musicxml(tmp_path: Path):
    path = tmp_path / "hand.musicxml"
    path.write_text(HAND, encoding="utf-8")
    with pytest.raises(ScoreReadError, match=r"more than 1 part \(raise the limit with --max-parts\)"):
        read_musicxml(path, ReadLimits(max_parts=1))  # "1 parts" before (audit13)
    with pytest.raises(ScoreReadError, match=r"more than 1 note \(raise the limit with --max-notes\)"):
        read_musicxml(path, ReadLimits(max_notes=1))
    with pytest.raises(ScoreReadError, match=r"longer than 1 beat \(raise the limit with --max-beats\)"):
        read_musicxml(path, ReadLimits(max_beats=1))
    with pytest.raises(ScoreReadError, match=r"more than 5 notes \(raise the limit with --max-notes\)"):
        read_musicxml(path, ReadLimits(max_notes=5))
    with pytest.raises(ScoreReadError, match="--max-beats"):
        read_musicxml(path, ReadLimits(max_beats=4.0))


def test_a_part_without_a_name_is_named_by_its_position(tmp_path: Path):
    """music21 writes `<part-name/>` empty with ids like "Pf789c26e...": a reader's words
    ("Part 2, staff 1, voice 2") name the part by its place, not by the hash (a short id such as
    "Pno" still names it: check_hand_score)."""
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<score-partwise version="3.1"><part-list>'
        '<score-part id="P1"><part-name>Flute</part-name></score-part>'
        '<score-part id="Pf789c26e"><part-name/></score-part></part-list>'
        + "".join(
            f'<part id="{pid}"><measure number="1"><attributes><divisions>1</divisions><time><beats>4</beats>'
            f'<beat-type>4</beat-type></time></attributes>{_mx_note("C", 5, 4, "whole")}</measure></part>'
            for pid in ("P1", "Pf789c26e")
        )
        + "</score-partwise>"
    )
    path = tmp_path / "unnamed.musicxml"
    path.write_text(text, encoding="utf-8")
    score = read_musicxml(path)
    assert [t.name for t in score.tracks] == ["Flute", "Part 2"]
    assert [t.part_id for t in score.tracks] == ["P1", "Pf789c26e"]  # the writer still finds the part
