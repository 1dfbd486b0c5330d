"""Phase 19 (staff19): a one-track keyboard MIDI is notated and named by the hands discovery read it in.

Discovery reads a notated, chordal piano piece in one MIDI track as two hands (``motifcli.hands``,
phase19-hand19.md); the MusicXML writer still cut its grand staff at middle C, so a left-hand chord's
E4 sat in the treble staff, and the labels said "Piano, top line" without the hand. Now each note is
written on its hand's staff (``writers.notation_lines.hand_staves``; one reading per run since phase 20), the brackets follow their
notes, and the JSON / labels / CSV / MIDI lyrics name the hand ("right hand", ``staff`` 1, ``hands``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import mido
import numpy as np
import pytest
from test_musescore import (  # noqa: F401 - musescore is a fixture
    DIVISION,
    MuseScore,
    assert_shown,
    motif_annotate,
    musescore,
    read_mscx,
)
from test_texture_hands import TPB, one_track_piece

import motifcli
from motifcli.discovery.texture_lead import CHORD_TOLERANCE
from motifcli.families import hand_reading
from motifcli.hands import TOLERANCE, split
from motifcli.settings import Settings

REPO = Path(__file__).resolve().parents[1]


def annotate(src: Path, out: Path) -> dict:
    """``motif annotate SRC -f musicxml,json,labels,csv -o OUT/``: the JSON report."""
    env = {"PYTHONPATH": str(REPO), "PATH": str(Path(sys.executable).parent), "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(src), "-f", "musicxml,json,labels,csv",
                           "-o", str(out) + "/", "-q"], capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr
    return json.loads((out / f"{src.stem}.motifs.json").read_text())


def written_staves(xml: Path) -> dict[tuple[float, int], set[int]]:
    """(onset in beats, pitch) -> the staves music21 reads the note on (tied continuations left out)."""
    from music21 import converter

    score = converter.parse(str(xml))
    out: dict[tuple[float, int], set[int]] = {}
    for staff, part in enumerate(score.parts, start=1):
        for el in part.flatten().notes:
            if el.tie is not None and el.tie.type in ("stop", "continue"):
                continue
            for p in el.pitches:
                out.setdefault((float(el.getOffsetInHierarchy(score)), int(p.midi)), set()).add(staff)
    return out


def bracket_starts(xml: Path) -> dict[str, int]:
    """"Motif A1" -> the staff its bracket starts in."""
    out = {}
    for direction in ET.parse(xml).getroot().iter("direction"):
        bracket, words = direction.find("direction-type/bracket"), direction.find("direction-type/words")
        if bracket is not None and bracket.get("type") == "start" and words is not None:
            staff = direction.find("staff")
            out[words.text] = int(staff.text) if staff is not None else 1
    return out


def test_the_writer_splits_as_discovery_does() -> None:
    assert TOLERANCE == CHORD_TOLERANCE  # notation_lines.hand_staves and discovery read the run's one hands.keyboard_hands


def test_one_track_piano_is_notated_and_named_by_its_hands(tmp_path: Path) -> None:
    path, right = one_track_piece(tmp_path / "waltz.mid")
    report = annotate(path, tmp_path / "out")
    score = motifcli.read_score(path)
    (track,) = score.pitched_tracks()
    on, off, pi = track.arrays()
    hand = split(on, off, pi)
    truth = {(round(o * TPB), p): 1 if (round(o * TPB), p) in right else 2 for o, p in zip(on.tolist(), pi.tolist())}
    # every note on the staff of its hand as discovery split it; more on their written staff than a middle-C cut
    staves = written_staves(tmp_path / "out" / "waltz.motifs.musicxml")
    assert {(round(o, 6), p) for o, p in staves} == {(round(o, 6), p) for o, p in zip(on.tolist(), pi.tolist())}
    for o, p, h in zip(on.tolist(), pi.tolist(), hand.tolist()):
        assert staves[(o, p)] == {h}, (o, p)
    on_hand = np.mean([staves[(o, p)] == {truth[(round(o * TPB), p)]} for o, p in zip(on.tolist(), pi.tolist())])
    cut = np.mean([(1 if p >= 60 else 2) == truth[(round(o * TPB), p)] for o, p in zip(on.tolist(), pi.tolist())])
    assert on_hand >= 0.9 and on_hand > cut  # a left-hand chord's E4 (64) is no longer in the treble staff
    # the tune's statements: notes in the right hand, named so, bracketed on staff 1
    starts = bracket_starts(tmp_path / "out" / "waltz.motifs.musicxml")
    occs = [o for m in report["motifs"] for o in m["occurrences"]]
    tune = [o for o in occs if len(o["notes"]) >= 8
            and all((round(n["onset"] * TPB), n["pitch"]) in right for n in o["notes"])]
    assert len(tune) >= 2
    for o in tune:
        assert o["hands"] is True and o["line"] == "Track 1, right hand, top line", o["line"]
        assert {n["staff"] for n in o["notes"]} == {1}
        assert starts[o["text"]] == 1
    for o in occs:  # every statement: its bracket on its first note's hand's staff, the hand named
        first = min(o["notes"], key=lambda n: (n["onset"], -n["pitch"]))
        word = {1: "right hand", 2: "left hand"}[first["staff"]]
        assert o["hands"] is True and word in o["line"], o["line"]
        assert starts[o["text"]] == first["staff"], o["label"]
    assert any(o["line"].startswith("Track 1, left hand") for o in occs)  # the accompaniment's texture
    labels = (tmp_path / "out" / "waltz.motifs.labels.txt").read_text()
    assert "(Track 1, right hand, top line)" in labels
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(report, json.loads((REPO / "docs" / "annotation.schema.json").read_text()))


def test_report_read_back_keeps_the_hand(tmp_path: Path) -> None:
    path, _ = one_track_piece(tmp_path / "waltz.mid")
    report = annotate(path, tmp_path / "out")
    from motifcli.annotation import Annotation

    again = Annotation.from_dict(report)
    lines = [o.line for m in again.motifs for o in m.occurrences]
    assert lines == [o["line"] for m in report["motifs"] for o in m["occurrences"]]


def test_a_track_per_hand_and_a_melody_are_not_hands(tmp_path: Path) -> None:
    """The same waltz as a track per hand keeps its tracks (no staff, no hands), as before."""
    path, right = one_track_piece(tmp_path / "waltz.mid")
    mid = mido.MidiFile(path)
    tracks = [mido.MidiTrack(), mido.MidiTrack()]
    tick, last = 0, [0, 0]
    for msg in mid.tracks[0]:
        tick += msg.time
        k = 0 if msg.is_meta or msg.type != "note_on" or (tick, msg.note) in right or msg.note >= 70 else 1
        tracks[k].append(msg.copy(time=tick - last[k]))
        last[k] = tick
    two = tmp_path / "two.mid"
    mido.MidiFile(type=1, ticks_per_beat=TPB, tracks=tracks).save(two)
    score = motifcli.read_score(two)
    assert hand_reading(score, Settings(unit="note")) == {}
    report = annotate(two, tmp_path / "out")
    occs = [o for m in report["motifs"] for o in m["occurrences"]]
    assert occs and not any("hands" in o or "hand" in o["line"] for o in occs)
    assert not any("staff" in n for o in occs for n in o["notes"])


@pytest.mark.musescore
def test_musescore_shows_each_note_on_its_hands_staff(musescore: MuseScore, tmp_path: Path) -> None:  # noqa: F811
    """Opened and saved by MuseScore 3: each note in its hand's staff, every statement coloured and
    bracketed where the report says."""
    path, _ = one_track_piece(tmp_path / "waltz.mid")
    xml, report = motif_annotate(path, tmp_path / "out")
    mscx_path = tmp_path / "waltz.mscx"
    musescore.job([{"in": str(xml), "out": [str(mscx_path)]}], tmp_path)
    mscx = read_mscx(mscx_path)
    track = motifcli.read_score(path).pitched_tracks()[0]
    on, off, pi = track.arrays()
    want = {(round(o * DIVISION), p): h for o, p, h in zip(on.tolist(), pi.tolist(), split(on, off, pi).tolist())}
    got = {(n.tick, n.pitch): n.staff for n in mscx.notes if (n.tick, n.pitch) in want}
    assert got == want
    assert_shown(mscx, report)


def test_a_hand_separated_into_lines_writes_them_as_its_voices() -> None:
    """Where discovery separates one hand's staff into lines (streams.py), that staff's lines are its
    voices; the other staff, with no lines of its own, keeps the two-voice split (None)."""
    from fractions import Fraction

    from motifcli.writers.notation_lines import hand_rows

    rows = [(Fraction(k // 3), Fraction(k // 3 + 1), p) for k, p in enumerate([72, 48, 55, 74, 50, 57])]
    hand = [1, 2, 2, 1, 2, 2]
    lines = [[2, 5], [1, 4]]  # the track's separated lines (note indices), all in the left hand
    right, right_lines = hand_rows(rows, hand, 1, lines)
    assert right == [rows[0], rows[3]] and right_lines is None
    left, left_lines = hand_rows(rows, hand, 2, lines)
    assert left == [rows[1], rows[2], rows[4], rows[5]]
    assert left_lines == [[rows[2], rows[5]], [rows[1], rows[4]]]
