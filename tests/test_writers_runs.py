"""A run of short statements back to back gets one bracket and one label (writers/runs.py, phase27-runs27.md).

Joplin's Maple Leaf Rag has a 2-note cell stated 66 times; its MusicXML had 66 labels and brackets,
several back to back. Now a run of 3 or more statements of one family, numbered one after another, in
one line, each at most 2 beats long and starting at most its predecessor's length after it ends, with
no other statement starting between them in that line, is one bracket "Motif A1–A4" from the run's
first note to its last; every note keeps its statement's colour, and the JSON keeps every statement.
These tests write hand-made annotations of a small score read by the real reader (the writer's own
input, so each case is exactly the one named), and run the real CLI on the rag.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from motifcli.annotation import Annotation, Motif, MotifNote, Occurrence, family_color
from motifcli.readers import read_score
from motifcli.score import Score
from motifcli.writers.musicxml import render
from motifcli.writers.musicxml_own import strip_marks
from test_musescore import MuseScore, musescore  # noqa: F401
from test_writers_musicxml_key import CORPUS, annotate
from writers_fixtures import one_part_score

DASH = "\u2013"
EIGHTH = '<note><pitch><step>{step}</step><octave>{octave}</octave></pitch><duration>1</duration><voice>{voice}</voice>' \
         '<type>eighth</type>{staff}</note>'


def piano(tmp_path: Path) -> Score:
    """A piano, two bars of 4/4 in eighths in each hand (C D E F G A B C, twice), read by the real reader."""
    def hand(staff: int, octave: int, voice: int) -> str:
        return "".join(EIGHTH.format(step=s, octave=octave, voice=voice, staff=f"<staff>{staff}</staff>")
                       for s in "CDEFGABC")
    bars = "".join(
        f'<measure number="{b}">'
        + ('<attributes><divisions>2</divisions><staves>2</staves><time><beats>4</beats><beat-type>4</beat-type>'
           '</time><clef number="1"><sign>G</sign><line>2</line></clef><clef number="2"><sign>F</sign><line>4</line>'
           '</clef></attributes>' if b == 1 else "")
        + hand(1, 5, 1) + "<backup><duration>8</duration></backup>" + hand(2, 3, 5) + "</measure>"
        for b in (1, 2))
    return one_part_score(tmp_path / "piano.musicxml", "Piano", bars)


def annotation(score: Score, statements: list[tuple[str, int, float]]) -> Annotation:
    """Families of 2-note statements (family, staff, first onset in beats: its two eighths), numbered in
    time order, each note with its staff and its line (voice 10 + written voice) as discovery gives them."""
    notes = score.tracks[0].notes
    by_family: dict[str, list[Occurrence]] = {}
    for family, staff, onset in sorted(statements, key=lambda s: (s[2], s[1])):
        mine = [n for n in notes if n.staff == staff and onset - 1e-6 <= n.onset < onset + 1 - 1e-6]
        assert len(mine) == 2
        occs = by_family.setdefault(family, [])
        mine = [MotifNote(track=0, index=notes.index(n), onset=n.onset, offset=n.offset, pitch=n.pitch,
                          voice=10 + n.voice, staff=n.staff) for n in mine]
        occs.append(Occurrence(family=family, number=len(occs) + 1, track=0, track_name="Piano", start=onset,
                               end=onset + 1, start_bar=1, end_bar=1, similarity=1.0, notes=mine))
    motifs = [Motif(name, family_color(k), occs) for k, (name, occs) in enumerate(sorted(by_family.items()))]
    return Annotation(source=str(score.path), motifs=motifs, tracks=["Piano"])


def labels(data: bytes) -> list[str]:
    return [(w.text or "").strip() for w in ET.fromstring(data).iter("words") if (w.text or "").startswith("Motif ")]


def spans(data: bytes) -> dict[str, tuple[int, int]]:
    """Label -> (how many notes stand before its bracket's start, before its stop) in its part, document order."""
    found: dict[str, tuple[int, int]] = {}
    waiting: dict[str, tuple[str, int]] = {}
    notes = 0
    for part in ET.fromstring(data).iter("part"):
        for measure in part.iter("measure"):
            for el in measure:
                if el.tag == "note":
                    notes += 1
                elif el.tag == "direction":
                    bracket, words = el.find("direction-type/bracket"), el.find("direction-type/words")
                    if bracket is None:
                        continue
                    if bracket.get("type") == "start":
                        waiting[bracket.get("number")] = (words.text, notes)
                    else:
                        label, start = waiting.pop(bracket.get("number"))
                        found[label] = (start, notes)
    return found


def coloured(data: bytes) -> int:
    return sum(1 for n in ET.fromstring(data).iter("note") if n.get("color"))


def test_a_run_is_one_label_and_one_bracket_from_its_first_note_to_its_last(tmp_path: Path):
    score = piano(tmp_path)
    data = render(annotation(score, [("A", 1, 0.0), ("A", 1, 1.0), ("A", 1, 2.0), ("A", 1, 3.0)]), score)
    assert labels(data) == [f"Motif A1{DASH}A4"]
    # the right hand's 8 eighths of bar 1 come first in the document: the bracket opens before the first and
    # stops after the 8th (its stop stands before the left hand's backup)
    assert spans(data) == {f"Motif A1{DASH}A4": (0, 8)}
    assert coloured(data) == 8  # every statement's notes keep their colour
    key = [w.text for w in ET.fromstring(data).iter("words") if (w.text or "").startswith("Motifs:")]
    assert len(key) == 1 and f"\u201cA5{DASH}A8\u201d" in key[0]  # the key says what the range means


def test_a_gap_longer_than_a_statement_breaks_the_run(tmp_path: Path):
    score = piano(tmp_path)
    data = render(annotation(score, [("A", 1, 0.0), ("A", 1, 2.5), ("A", 1, 5.0)]), score)
    assert labels(data) == ["Motif A1", "Motif A2", "Motif A3"]  # 1.5 beats between statements of 1 beat
    key = [w.text for w in ET.fromstring(data).iter("words") if (w.text or "").startswith("Motifs:")]
    assert len(key) == 1 and DASH not in key[0]  # no range written: the key has no line for one


def test_another_familys_statement_between_breaks_the_run(tmp_path: Path):
    score = piano(tmp_path)
    data = render(annotation(score, [("A", 1, 0.0), ("B", 1, 1.0), ("A", 1, 2.0), ("B", 1, 3.0), ("A", 1, 4.0)]),
                  score)
    assert sorted(labels(data)) == ["Motif A1", "Motif A2", "Motif A3", "Motif B1", "Motif B2"]


def test_a_statement_of_the_family_in_another_staff_between_breaks_the_run(tmp_path: Path):
    """A1, A2, A4 in the right hand are not numbered one after another (A3 is the left hand's): "A1–A4"
    would name the left hand's too."""
    score = piano(tmp_path)
    data = render(annotation(score, [("A", 1, 0.0), ("A", 1, 1.0), ("A", 2, 1.5), ("A", 1, 2.0), ("A", 1, 3.0)]),
                  score)
    assert sorted(labels(data)) == ["Motif A1", "Motif A2", "Motif A3", "Motif A4", "Motif A5"]


def test_runs_in_both_staves_are_their_own(tmp_path: Path):
    score = piano(tmp_path)
    data = render(annotation(score, [("A", 1, 0.0), ("A", 1, 1.0), ("A", 1, 2.0),
                                     ("A", 2, 4.0), ("A", 2, 5.0), ("A", 2, 6.0)]), score)
    assert labels(data) == [f"Motif A1{DASH}A3", f"Motif A4{DASH}A6"]
    assert coloured(data) == 12


def test_reannotating_takes_the_run_labels_and_brackets_out(tmp_path: Path):
    score = piano(tmp_path)
    made = annotation(score, [("A", 1, 0.0), ("A", 1, 1.0), ("A", 1, 2.0), ("A", 1, 3.0)])
    first = render(made, score)
    assert labels(first) == [f"Motif A1{DASH}A4"]
    again_path = tmp_path / "again.musicxml"
    again_path.write_bytes(first)
    stripped = strip_marks(first, "utf-8")
    assert b"Motif" not in stripped and b"<bracket" not in stripped and b"color=" not in stripped
    assert render(made, read_score(again_path)) == first


@pytest.fixture(scope="module")
def rag(tmp_path_factory) -> Path:
    """music21's Maple Leaf Rag annotated with the defaults (MusicXML and JSON)."""
    return annotate(CORPUS["maple_leaf_rag.mxl"], tmp_path_factory.mktemp("rag"))


def numbers(label: str) -> set[str]:
    """The statements a label names: "Motif B3–B8" -> B3 ... B8; "Motif A3 = B1" -> A3, B1."""
    out: set[str] = set()
    for name in label.removeprefix("Motif ").split(" = "):
        name = name.split(" ")[0]
        run = re.fullmatch(rf"([A-Z]+)([0-9]+){DASH}\1([0-9]+)", name)
        if run:
            out |= {f"{run.group(1)}{k}" for k in range(int(run.group(2)), int(run.group(3)) + 1)}
        else:
            out.add(name)
    return out


def test_the_rag_reads_its_runs_and_names_every_statement(rag: Path, tmp_path: Path):
    import subprocess
    import sys

    from test_musescore import motif_env

    out = tmp_path / "json"
    cmd = [sys.executable, "-m", "motifcli", "annotate", str(CORPUS["maple_leaf_rag.mxl"]), "-f", "json", "-o", str(out)]
    assert subprocess.run(cmd, env=motif_env(), capture_output=True, timeout=300).returncode == 0
    (report,) = out.glob("*.json")
    every = {o["label"] for m in json.loads(report.read_text())["motifs"] for o in m["occurrences"]}
    written = labels(rag.read_bytes())
    runs = [w for w in written if DASH in w]
    assert len(runs) >= 8 and len(written) <= len(every) - 30  # 120 labels before, 86 now
    named = set().union(*(numbers(w) for w in written))
    assert named == every  # each statement named by some label, and no other
    data = rag.read_bytes()
    assert data.count(b'<bracket type="start"') == len(written)


def test_reannotating_the_annotated_rag_gives_the_same_file(rag: Path, tmp_path: Path):
    assert any(DASH in w for w in labels(rag.read_bytes()))  # run labels to take out
    again = annotate(rag, tmp_path)
    assert again.read_bytes() == rag.read_bytes()


@pytest.mark.musescore
def test_reannotating_the_rag_saved_by_musescore_leaves_no_run_label(rag: Path, musescore: MuseScore,  # noqa: F811
                                                                    tmp_path: Path):
    """MuseScore 3 exports a label and its bracket as two directions; the run labels ("Motif B3–B8") are
    taken out with them, and the key with its run line."""
    exported = tmp_path / "exported.musicxml"
    proc = musescore.run("-o", str(exported), str(rag), timeout=300)
    assert exported.exists(), proc.stderr
    assert DASH in exported.read_text(encoding="utf-8")  # MuseScore kept the run labels
    again = annotate(exported, tmp_path / "again").read_bytes()
    first = rag.read_bytes()
    assert sorted(labels(again)) == sorted(labels(first))
    assert again.count(b'<bracket type="start"') == first.count(b'<bracket type="start"')
    assert again.count(b'<bracket type="stop"') == first.count(b'<bracket type="stop"')
    assert again.count(b"one colour per motif") == 1


def test_the_rags_midi_markers_name_a_run_once(tmp_path: Path):
    """The marker lane condenses a run as the MusicXML does ("Motif B3-B8 (Piano)": MIDI text is Latin-1), and
    still names every statement; a rerun knows the run's marker as its own."""
    import subprocess
    import sys

    import mido

    from motifcli.writers.midi_markers import is_own_text
    from test_musescore import motif_env

    cmd = [sys.executable, "-m", "motifcli", "annotate", str(CORPUS["maple_leaf_rag.mxl"]), "-f", "midi", "-f", "json",
           "-o", str(tmp_path)]
    assert subprocess.run(cmd, env=motif_env(), capture_output=True, timeout=300).returncode == 0
    (report,) = tmp_path.glob("*.json")
    every = {o["label"] for m in json.loads(report.read_text())["motifs"] for o in m["occurrences"]}
    (midi,) = tmp_path.glob("*.mid")
    markers = [msg.text for track in mido.MidiFile(midi).tracks for msg in track if msg.type == "marker"]
    assert any("B3-B8 " in m for m in markers)
    named: set[str] = set()
    for marker in markers:
        for place in marker.removeprefix("Motif ").split("; "):
            for name in place.split(" (")[0].split(" + "):
                named |= numbers("Motif " + name.replace("-", DASH))
    assert named == every
    assert all(is_own_text(m) for m in markers)
    assert is_own_text("Motif A1 + B3-B8 (Piano); C2 (Bass)") and not is_own_text("Motif B3-")
