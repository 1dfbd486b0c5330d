"""Issue 9: MIDI is notated in the bars of its meter map, checked on the MusicXML itself (no MuseScore).

music21 corpus pieces in 3/4 and 6/8, with and without a pickup, are written as MIDI with and without
their time-signature event (at tick 0, as music21 and most notation programs export a pickup: not
marked); motif notates them and the MusicXML, read back by music21 and ElementTree (not by the
writer's own scanner), must have its measures at the written bar lines, the pickup as measure "0"
with ``implicit="yes"``, the written time signature, and every note at its place. The CLI's
annotated MusicXML must put each "Motif A1" bracket in the measure whose number is the report's
``start_bar``. tests/test_notation_musescore.py opens the same files in MuseScore.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest

from motifcli.meter import MeterMap
from motifcli.readers import read_score
from motifcli.writers.notation import midi_to_musicxml
from motifcli.writers.notation_bars import notation_bars, split_notatable

music21 = pytest.importorskip("music21")

DIVISION = 480
REPO = Path(__file__).resolve().parents[1]
# (work, written meter, first downbeat in beats): 3/4 and 6/8 with pickups, and without
PIECES = [
    ("bach/bwv130.6", "3/4", 1.0),
    ("johnson_j_r/lift_every_voice", "6/8", 1.5),
    ("bach/bwv11.6", "3/4", 0.0),
    ("schumann_robert/opus41no1/movement2", "6/8", 0.0),
]


def corpus_file(work: str) -> Path:
    return Path(str(music21.corpus.getWork(work)))


def midi_of(work: str, out: Path, *, signature: bool) -> Path:
    """The piece's notes as a MIDI file (one track per part), with the written time signature at
    tick 0 (a pickup is not marked, as music21 and most notation programs write it) or with none."""
    import mido

    score = read_score(corpus_file(work))
    first = score.meter_map.bars[0]
    midi = mido.MidiFile(ticks_per_beat=DIVISION)
    for k, track in enumerate(score.tracks):
        events = sorted([(round(n.onset * DIVISION), 1, n.pitch) for n in track.notes]
                        + [(round(n.offset * DIVISION), 0, n.pitch) for n in track.notes])
        mt = mido.MidiTrack()
        if k == 0 and signature:
            mt.append(mido.MetaMessage("time_signature", numerator=first.numerator, denominator=first.denominator))
        now = 0
        for tick, on, pitch in events:
            mt.append(mido.Message("note_on" if on else "note_off", note=pitch, velocity=64 if on else 0,
                                   time=tick - now))
            now = tick
        midi.tracks.append(mt)
    midi.save(out)
    return out


def xml_measures(xml: bytes) -> list[dict]:
    """The first part's measures as ElementTree reads them: number, implicit, time signature, and
    start in quarter beats (each measure lasts as far as its first voice's notes and rests reach)."""
    root = ET.fromstring(xml)
    part = root.find("part")
    divisions, start, out = 1, Fraction(0), []
    for measure in part.findall("measure"):
        divisions = int(measure.findtext("attributes/divisions") or divisions)
        time = measure.find("attributes/time")
        pos = length = Fraction(0)
        for el in measure:
            if el.tag == "note" and el.find("chord") is None:
                pos += Fraction(int(el.findtext("duration")), divisions)
            elif el.tag == "backup":
                pos -= Fraction(int(el.findtext("duration")), divisions)
            elif el.tag == "forward":
                pos += Fraction(int(el.findtext("duration")), divisions)
            length = max(length, pos)
        out.append({
            "number": measure.get("number"), "implicit": measure.get("implicit") == "yes",
            "time": None if time is None else f"{time.findtext('beats')}/{time.findtext('beat-type')}",
            "start": start, "length": length,
        })
        start += length
    return out


@pytest.mark.parametrize("signature", [True, False], ids=["with-signature", "no-signature"])
@pytest.mark.parametrize(("work", "meter", "downbeat"), PIECES)
def test_midi_is_notated_at_the_written_bar_lines(tmp_path: Path, work: str, meter: str, downbeat: float,
                                                  signature: bool) -> None:
    src = midi_of(work, tmp_path / "piece.mid", signature=signature)
    score = read_score(src)
    assert bool(score.time_signatures) == signature
    written = read_score(corpus_file(work)).meter_map
    converted = midi_to_musicxml(score)
    measures = xml_measures(converted.xml)

    # the signature, once at the start (these pieces keep one meter)
    assert measures[0]["time"] == meter
    assert [m["time"] for m in measures[1:]] == [None] * (len(measures) - 1)
    # the pickup is measure "0", implicit (MuseScore and others leave it out of their count), as long as written
    assert measures[0]["implicit"] == (downbeat > 0) and (measures[0]["number"] == "0") == (downbeat > 0)
    assert measures[0]["length"] == (Fraction(downbeat) if downbeat > 0 else written.bars[0].nominal_length)
    assert not any(m["implicit"] for m in measures[1:])
    # every measure starts on a written bar line, and every written bar line of a full bar is one
    # (bwv11.6's split bar 16 + 16a is one notated bar: the notes alone do not show the split)
    lines = {Fraction(b.start).limit_denominator(96) for b in written.bars}
    starts = [m["start"] for m in measures]
    assert set(starts[: len(written.bars) - 1]) <= lines
    full = {Fraction(b.start).limit_denominator(96) for b in written.bars[:-1] if b.length == b.nominal_length}
    assert full <= set(starts)
    # printed numbers count on from the pickup, as MuseScore counts
    numbers = [int(m["number"]) for m in measures]
    assert numbers == list(range(0 if downbeat > 0 else 1, len(measures) + (0 if downbeat > 0 else 1)))
    # and the music is all there, at its places (music21 reads it back; ties are not new notes)
    parsed = music21.converter.parseData(converted.xml.decode("utf-8"), format="musicxml")
    got = Counter()
    for n in parsed.flatten().notes:
        for sub in (n.notes if n.isChord else [n]):
            if sub.tie is None or sub.tie.type == "start":
                got[(Fraction(n.offset).limit_denominator(96), sub.pitch.midi)] += 1
    want = Counter((Fraction(n.onset).limit_denominator(96), n.pitch) for t in score.tracks for n in t.notes)
    assert got == want


def test_notation_bars_follow_a_map_with_a_pickup_a_change_and_an_irregular_bar() -> None:
    meter = MeterMap.from_time_signatures([(0.0, 3, 4), (7.0, 6, 8), (11.5, 6, 8)], end_beat=17.5,
                                          first_downbeat=1.0)
    # a pickup, 3/4 bars, then 6/8 from beat 7 with a bar cut short where a new 6/8 starts
    bars = notation_bars(meter, Fraction(20))
    assert [(b.start, b.length, b.number, f"{b.numerator}/{b.denominator}", b.implicit) for b in bars[:7]] == [
        (0, 1, "0", "3/4", True), (1, 3, "1", "3/4", False), (4, 3, "2", "3/4", False),
        (7, 3, "3", "6/8", False), (10, Fraction(3, 2), "4", "6/8", False), (Fraction(23, 2), 3, "5", "6/8", False),
        (Fraction(29, 2), 3, "6", "6/8", False),
    ]
    # past the map's end: more bars of the last signature, numbered on
    assert [(b.start, b.number) for b in bars[7:]] == [(Fraction(35, 2), "7")]
    # an estimate's irregular bar (7 beats in 4/4) stays one bar; off-grid bar lines go on the grid
    lines = [0.0, 2.583333, 6.583333, 13.583333, 17.583333]
    est = MeterMap.from_downbeats(lines[1:], end_beat=20.0, numerator=4, denominator=4)
    bars = notation_bars(est, Fraction(20))
    assert [(b.start, b.length, b.number, b.implicit) for b in bars[:5]] == [
        (0, Fraction(5, 2), "0", True), (Fraction(5, 2), 4, "1", False), (Fraction(13, 2), 7, "2", False),
        (Fraction(27, 2), 4, "3", False), (Fraction(35, 2), 4, "4", False),
    ]


def test_compound_meters_get_dotted_values() -> None:
    # a 6/8 bar: a dotted half fills it; a dotted quarter from its second beat; across beats: split on them
    assert split_notatable(Fraction(0), Fraction(3), compound=True) == [Fraction(3)]
    assert split_notatable(Fraction(3, 2), Fraction(3, 2), compound=True) == [Fraction(3, 2)]
    assert split_notatable(Fraction(1), Fraction(1), compound=True) == [Fraction(1, 2), Fraction(1, 2)]
    assert split_notatable(Fraction(0), Fraction(1), compound=True) == [Fraction(1)]
    # simple meters as before: a dotted half on a beat
    assert split_notatable(Fraction(0), Fraction(3)) == [Fraction(3)]


def annotate_cli(src: Path, out: Path, *extra: str) -> tuple[bytes, dict]:
    cmd = [sys.executable, "-m", "motifcli", "annotate", str(src), "-f", "musicxml", "-f", "json", "-o", str(out),
           *extra]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])}
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr
    return next(out.glob("*.motifs.musicxml")).read_bytes(), json.loads(next(out.glob("*.motifs.json")).read_text())


def bracket_measures(xml: bytes) -> dict[str, list[str]]:
    """"Motif A1" -> numbers of the first part-measures holding its words (ElementTree). One bracket
    for a statement of two families ("Motif B4 = D5", writers/shared.py) counts for each name."""
    out: dict[str, list[str]] = {}
    for part in ET.fromstring(xml).findall("part"):
        for measure in part.findall("measure"):
            for words in measure.iter("words"):
                if (words.text or "").startswith("Motif "):
                    for name in words.text.strip().removeprefix("Motif ").split(" = "):
                        out.setdefault(f"Motif {name}", []).append(measure.get("number"))
    return out


@pytest.mark.parametrize(("work", "extra"), [("bach/bwv130.6", ()), ("johnson_j_r/lift_every_voice", ("--unit", "note"))])
def test_brackets_sit_in_the_bars_the_report_numbers(tmp_path: Path, work: str, extra: tuple[str, ...],
                                                     request: pytest.FixtureRequest) -> None:
    from motifcli.model import default_model_path

    model = [] if default_model_path().is_file() else ["--model", str(request.getfixturevalue("rawroll_path"))]
    src = midi_of(work, tmp_path / "piece.mid", signature=False)
    xml, report = annotate_cli(src, tmp_path / "out", "--sensitivity", "0.3", *model, *extra)
    assert report["meter"]["source"] == "estimated"
    occurrences = [o for m in report["motifs"] for o in m["occurrences"]]
    assert occurrences
    where = bracket_measures(xml)
    assert sorted(where) == sorted(f"Motif {o['label']}" for o in occurrences)
    assert all(where[f"Motif {o['label']}"] == [o["start_bar_label"]] for o in occurrences), [
        (o["label"], o["start_bar_label"], where[f"Motif {o['label']}"]) for o in occurrences]
    assert xml_measures(xml)[0]["time"] == report["meter"]["sections"][0]["time_signature"]


def test_meter_override_is_the_notation_meter(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """``--meter 3/4 --bar-offset 0`` on a 4/4 chorale: the notation is in 3/4 bars from beat 0,
    the bars the report numbers (the run's map, not the score's own)."""
    from motifcli.model import default_model_path

    model = [] if default_model_path().is_file() else ["--model", str(request.getfixturevalue("rawroll_path"))]
    src = midi_of("bach/bwv1.6", tmp_path / "piece.mid", signature=True)
    xml, report = annotate_cli(src, tmp_path / "out", "--meter", "3/4", "--bar-offset", "0", *model)
    assert report["meter"]["source"] == "user"
    measures = xml_measures(xml)
    assert measures[0]["time"] == "3/4" and not measures[0]["implicit"]
    assert [m["start"] for m in measures[:4]] == [0, 3, 6, 9]
    where = bracket_measures(xml)
    occurrences = [o for m in report["motifs"] for o in m["occurrences"]]
    assert occurrences and all(where[f"Motif {o['label']}"] == [o["start_bar_label"]] for o in occurrences)


def test_a_note_is_written_in_the_bar_the_report_counts_it_in() -> None:
    """Performed MIDI: bar lines at 2.583 (estimated) are written at 2.5. A note played at 2.52 is in
    the pickup by the map (more than 1/16 beat before the line): rounded freely it would sit on bar
    1's downbeat, so it goes on the pickup's last sixteenth; one within 1/16 beat of the line, or
    one a bar window took from before it, is on the downbeat."""
    from motifcli.writers.notation_bars import onset_on_grid

    meter = MeterMap.from_downbeats([2.583333, 6.583333], end_beat=12.0, numerator=4, denominator=4)
    bars = notation_bars(meter, Fraction(12))
    beats = [b.beat for b in bars]
    assert [b.start for b in bars[:3]] == [0, Fraction(5, 2), Fraction(13, 2)]
    assert onset_on_grid(2.52, bars, beats) == Fraction(9, 4)  # kept in the pickup (bar "0")
    assert onset_on_grid(2.53, bars, beats) == Fraction(5, 2)  # within 1/16 beat of the line: heard on it
    assert onset_on_grid(2.60, bars, beats) == Fraction(5, 2)  # on the downbeat of bar 1
    assert onset_on_grid(4.10, bars, beats) == 4  # inside a bar: plain rounding
    assert onset_on_grid(2.55, bars, beats, home=2.583333) == Fraction(5, 2)  # a window's note: bar 1
    assert onset_on_grid(6.40, bars, beats, home=2.583333) == Fraction(25, 4)  # bar 1's last sixteenth
