"""A MusicXML piano part's staves (issue 10 item 1, phase11-staves11.md): voices split per staff.

The reader keeps one part per piano (``<staves>`` removed) but each note's ``<staff>``
(:attr:`motifcli.score.Note.staff`); :func:`motifcli.voices.split_voices` splits each staff alone,
as a MIDI file with a track per staff (BPS-motif) is split, so no motif line crosses the hands.
Before: the skyline ran over both hands, and a right-hand motif picked up left-hand notes wherever
the right hand held a note while the left hand moved.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import motifcli
from motifcli.discovery import DiscoverySettings, discover
from motifcli.model import LazyModel
from motifcli.readers import read_score
from motifcli.score import Note, Score, Track
from motifcli.voices import TEXTURE, split_voices

K545 = "mozart/k545/movement1_exposition.mxl"
STEPS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
NAMES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
# right hand: E5 (quarter) D5 C5 (eighths) G5 (half), stated in each bar at these transpositions
MOTIF = [(76, 2), (74, 1), (72, 1), (79, 4)]  # (MIDI pitch, eighths)
SHIFTS = [0, 0, -2, 0, 0, -3, 0, 0]
# left hand: broken chords in quarters (root, fifth, third, fifth) under a changing harmony
ROOTS = [48, 53, 55, 48, 57, 53, 55, 48]
SPLIT = 66  # every right-hand pitch is above, every left-hand one below (RH from A4, LH up to E4)


def _note(midi: int, eighths: int, staff: int, voice: int) -> str:
    name = NAMES[midi % 12]
    alter = "<alter>1</alter>" if len(name) == 2 else ""
    kind = {1: "eighth", 2: "quarter", 4: "half"}[eighths]
    return (f"<note><pitch><step>{name[0]}</step>{alter}<octave>{midi // 12 - 1}</octave></pitch>"
            f"<duration>{eighths}</duration><voice>{voice}</voice><type>{kind}</type><staff>{staff}</staff></note>")


def two_staff_doc() -> bytes:
    """Eight 4/4 bars for piano on a grand staff: a right-hand motif in every bar, left-hand broken chords."""
    bars = []
    for number, (shift, root) in enumerate(zip(SHIFTS, ROOTS), start=1):
        attributes = ("<attributes><divisions>2</divisions><staves>2</staves><time><beats>4</beats>"
                      "<beat-type>4</beat-type></time><clef number=\"1\"><sign>G</sign><line>2</line></clef>"
                      "<clef number=\"2\"><sign>F</sign><line>4</line></clef></attributes>") if number == 1 else ""
        top = "".join(_note(p + shift, d, 1, 1) for p, d in MOTIF)
        low = "".join(_note(root + k, 2, 2, 5) for k in (0, 7, 4, 7))
        bars.append(f'<measure number="{number}">{attributes}{top}<backup><duration>8</duration></backup>{low}</measure>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?><score-partwise version="3.1"><part-list>'
        '<score-part id="P1"><part-name>Piano</part-name></score-part></part-list><part id="P1">'
        + "".join(bars) + "</part></score-partwise>"
    ).encode()


@pytest.fixture()
def two_staff(tmp_path: Path) -> Path:
    path = tmp_path / "two_staff.musicxml"
    path.write_bytes(two_staff_doc())
    return path


def test_the_reader_keeps_each_notes_staff(two_staff: Path) -> None:
    score = read_score(two_staff)
    assert len(score.tracks) == 1  # one part: music21 still sees no <staves>
    staves = {(n.onset, n.pitch): n.staff for n in score.tracks[0].notes}
    assert {s for (_, p), s in staves.items() if p >= SPLIT} == {1}
    assert {s for (_, p), s in staves.items() if p < SPLIT} == {2}


def test_the_right_hands_motif_holds_right_hand_notes_only(two_staff: Path) -> None:
    """Before: the upper line ran E5, D5, C5, G5, then the left hand's quarter under the held G5."""
    score = read_score(two_staff)
    voices = split_voices(score)
    assert sorted({v.staff for v in voices}) == [1, 2]
    for v in voices:  # every line lies in one hand
        assert len({score.tracks[0].notes[i].staff for i in v.note_indices.tolist()}) == 1
    families = [f for f in discover(score) if f.occurrences[0].notes[0].voice != TEXTURE]
    right = [f for f in families if all(n.pitch >= SPLIT for o in f.occurrences for n in o.notes)]
    assert families and right, [[(n.onset, n.pitch) for n in f.occurrences[0].notes] for f in families]
    for f in families:
        for o in f.occurrences:
            assert len({n.pitch >= SPLIT for n in o.notes}) == 1, f"{f.label}: {[(n.onset, n.pitch) for n in o.notes]}"
    # the motif itself: one family states it in (nearly) every bar, right hand only
    assert max(len(f.occurrences) for f in right) >= 6


def test_midi_and_one_staff_parts_keep_one_voice_set() -> None:
    """A track whose notes are all in one staff is split exactly as before (MIDI, chorales)."""
    music21 = pytest.importorskip("music21")
    score = motifcli.read_score(Path(str(music21.corpus.getWork("bach/bwv1.6"))))
    assert all(t.staves() is None for t in score.tracks)
    assert {v.staff for v in split_voices(score)} == {1}


def test_k545_lines_stay_in_one_hand() -> None:
    """Audit 11, Left 1: K. 545's family B was C5 (right hand), three left-hand notes, E5 (right hand).

    That family is the left hand's Alberti bass, since phase 13 left out as an accompaniment figure
    (``accompaniment_pivot``, and also ``figuration_in_place``), so the check turns those rules off to keep its subject."""
    music21 = pytest.importorskip("music21")
    score = motifcli.read_score(Path(str(music21.corpus.getWork(K545))))
    staff = {(n.onset, n.pitch): n.staff for n in score.tracks[0].notes}
    assert set(staff.values()) == {1, 2}
    families = discover(score, LazyModel(), DiscoverySettings(accompaniment_pivot=0, figuration_in_place=0.0))
    voiced = [f for f in families if f.occurrences[0].notes[0].voice != TEXTURE]
    assert voiced
    for f in voiced:
        for o in f.occurrences:
            assert len({staff[(n.onset, n.pitch)] for n in o.notes}) == 1, (
                f"{f.label}: {[(n.onset, n.pitch, staff[(n.onset, n.pitch)]) for n in o.notes]}")



def _piano(staff_counts: dict[int, int], chords: bool = True) -> Track:
    """A one-track piano whose staves hold these many notes (chords of two where ``chords``)."""
    notes = []
    for staff, count in staff_counts.items():
        base = 72 if staff == 1 else 48
        for k in range(count):
            onset = float(k // 2 if chords else k)
            notes.append(Note(onset, onset + 1.0, base + (k % 2) * 4, staff=staff))
    notes.sort(key=lambda n: (n.onset, n.pitch))
    return Track(0, "Piano", notes)


def test_a_piano_beside_other_parts_is_split_whole_by_default() -> None:
    """``staff_voices="alone"``: a multi-staff part is split per staff only when it is alone in its
    score (a solo piano's hands, as BPS's staff tracks); beside other parts (a band's piano on a grand
    staff, a song's accompaniment) it is split whole, as a MIDI piano track is (phase11-staves11.md)."""
    piano = _piano({1: 40, 2: 40})
    alone = Score(tracks=[piano])
    melody = Track(1, "Voice", [Note(float(k), float(k) + 1.0, 67 + k % 3) for k in range(20)])
    band = Score(tracks=[piano, melody])
    assert {v.staff for v in split_voices(alone, by_staff="alone")} == {1, 2}
    assert {v.staff for v in split_voices(band, by_staff="alone") if v.track == 0} == {1}
    assert {v.staff for v in split_voices(band, by_staff="all") if v.track == 0} == {1, 2}
    assert {v.staff for v in split_voices(alone, by_staff="off")} == {1}
    with pytest.raises(ValueError, match="staff_voices"):
        split_voices(alone, by_staff="both")


def test_a_lone_piano_part_leads_only_when_one_staff_does() -> None:
    """``texture_staves``: two equally busy hands (BPS's case) do not lead; one staff with 1.5x the
    other's notes does; beside another track the part is compared with it as before."""
    from motifcli.discovery import DiscoverySettings
    from motifcli.discovery.texture import leads

    even, lopsided = _piano({1: 40, 2: 40}), _piano({1: 80, 2: 40})
    assert not leads(Score(tracks=[even]), even, DiscoverySettings())
    assert leads(Score(tracks=[even]), even, DiscoverySettings(texture_staves=False))  # alone: always
    assert leads(Score(tracks=[lopsided]), lopsided, DiscoverySettings())
    melody = Track(1, "Voice", [Note(float(k), float(k) + 1.0, 67) for k in range(20)])
    assert leads(Score(tracks=[even, melody]), even, DiscoverySettings())  # 80 notes vs 20: leads


# --- audit 11, Left 6: options the chosen --unit does not read get a one-line note on stderr ----------------


@pytest.mark.parametrize(("args", "noted"), [
    (["--threshold", "0.3", "--hop", "2"], ["--hop"]),  # --threshold cuts texture bars at note level (audit 25)
    (["--threshold", "0.3", "--hop", "2", "--texture-model", "off"], ["--hop", "--threshold"]),  # ... not without the model
    (["--window", "4"], ["--window"]),
    (["--unit", "bar", "--texture-model", "off"], ["--texture-model"]),
    (["--unit", "bar", "--threshold", "0.3"], []),  # used there: no note
    (["--texture-model", "off"], []),  # note level reads it
    ([], []),
])
def test_options_without_effect_are_noted_on_stderr(two_staff: Path, tmp_path: Path, args: list[str],
                                                    noted: list[str]) -> None:
    """``--window``/``--hop`` at ``--unit note`` (and ``--threshold`` there with ``--texture-model off``) and
    ``--texture-model`` at ``--unit bar`` are accepted and do nothing: one note each on stderr, stdout still only
    the ``--json`` summary, exit 0. (``--threshold`` at note level cuts a leading chordal track's texture bars with
    the model: tests/test_threshold_note_level.py.)"""
    import json

    from typer.testing import CliRunner

    from motifcli.cli import app

    result = CliRunner().invoke(app, ["annotate", str(two_staff), "-f", "json", "-o", str(tmp_path / "out") + "/",
                                      "--json", *args])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["ok"] == 1  # stdout: the summary alone
    notes = [line for line in result.stderr.splitlines() if line.startswith("note: ") and "no effect" in line]
    assert [line.split()[1] for line in notes] == noted
    assert all(line.endswith("ignored") and "--unit" in line for line in notes)
