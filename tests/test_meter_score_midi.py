"""A notation program's MIDI keeps its written bars (session 28, benchmarks/phase28-scoremidi28.md).

MuseScore 3 exports a measure whose length is not its meter's with a time signature of its own length,
in lowest terms: a pickup (1/8 before 2/4, 1/2 before 3/2, 3/4 before 4/4) and, where it plays a repeat
out, the pickup again (1/8, 1/4) between bars of the meter. Before, the pickup longer than 1.5 beats was
read as a bar 1 of its own meter, a short bar between meters made the file's signatures refused, and a
declared pickup whose tune stresses other beats failed the accent check: the bars were estimated. And
music21's MIDI of bwv86.6, whose bars from tick 0 pass the accent check only by its slack, now gets its pickup.
Fixtures: tests/data/musescore_midi/ (its README); the chorale is exported by mscore3 in the test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_musescore import MuseScore, motif_env, musescore  # noqa: F401

from motifcli.meter import MeterMap, meter_map_for
from motifcli.meter_signatures import time_signatures_consistent
from motifcli.readers.midi import read_midi
from motifcli.score import TimeSignature

DATA = Path(__file__).parent / "data" / "musescore_midi"


def _lines(path: Path) -> tuple[MeterMap, list[float]]:
    """The meter map motif reads and the beats of the file's own signature events."""
    score = read_midi(path)
    return meter_map_for(score), sorted({float(ts.beat) for ts in score.time_signatures})


def test_a_repeat_played_out_keeps_the_written_bars() -> None:
    """Aird's air 13 (2/4, half-beat pickup): 1/8 at 16.5 and 51 where the repeats start again (main:
    the 1/8 bars made the signatures refused, the estimate gave bars of 2.5 beats)."""
    meter, events = _lines(DATA / "aird_book1_13.mid")
    assert meter.source == "midi"
    assert meter.first_downbeat == 0.5 and meter.bars[1].length == 2.0
    starts = set(meter.starts.tolist())
    assert set(events) <= starts  # every signature the program wrote is a bar line
    short = [(b.start, b.length, b.number) for b in meter.bars[1:] if b.length < 2.0]
    assert short == [(16.5, 0.5, "9"), (51.0, 0.5, "27")]
    assert [b.number for b in meter.bars[:10]] == [str(k) for k in range(10)]


def test_a_pickup_written_as_a_half_note_is_a_pickup() -> None:
    """Essen altdeu10 no. 12: 1/2 at 0, 3/2 at 2 (main: bar "1" of 2 beats, then 3/2)."""
    meter, _ = _lines(DATA / "essen_altdeu10_12.mid")
    assert meter.source == "midi" and meter.has_pickup
    assert [(b.start, b.length, b.number) for b in meter.bars[:4]] == [
        (0.0, 2.0, "0"), (2.0, 6.0, "1"), (8.0, 6.0, "2"), (14.0, 6.0, "3")]
    assert (meter.bars[1].numerator, meter.bars[1].denominator) == (3, 2)


def test_a_declared_pickup_stands_where_the_accents_fall_elsewhere() -> None:
    """Aird's air 22 (6/8, half-beat pickup; its accents peak half a bar off): the file's bars (main:
    estimated, 5/16-like bars of 2.5 beats from beat 2)."""
    meter, events = _lines(DATA / "aird_book1_22.mid")
    assert meter.source == "midi"
    assert meter.first_downbeat == 0.5 and meter.bars[1].length == 3.0
    assert set(events) <= set(meter.starts.tolist())


def test_a_plain_first_bar_before_a_longer_meter_stays_bar_one() -> None:
    """MTC's way (6/8, then 9/8 a bar later): 6/8 is no fraction in lowest terms, so no pickup."""
    meter = MeterMap.from_time_signatures([(0.0, 6, 8), (3.0, 9, 8)], 12.0)
    assert not meter.has_pickup
    assert [(b.start, b.length, b.number) for b in meter.bars[:2]] == [(0.0, 3.0, "1"), (3.0, 4.5, "2")]


def test_a_run_of_short_bars_is_still_no_meter() -> None:
    """One 1/8 bar between bars of 2/4 is a written bar; two in a row (POP909's 1/4 kind) are refused."""
    score = read_midi(DATA / "aird_book1_13.mid")
    one = [TimeSignature(*e) for e in [(0.0, 1, 8), (0.5, 2, 4), (16.5, 1, 8), (17.0, 2, 4)]]
    two = [TimeSignature(*e) for e in [(0.0, 1, 8), (0.5, 2, 4), (16.5, 1, 8), (17.0, 1, 8), (17.5, 2, 4)]]
    assert time_signatures_consistent(one, score)
    assert not time_signatures_consistent(two, score)


def test_the_annotated_midi_keeps_the_files_bars(tmp_path: Path) -> None:
    """The CLI's report counts the written bars: 3/2 from bar "0" with a 2-beat pickup."""
    cmd = [sys.executable, "-m", "motifcli", "annotate", str(DATA / "essen_altdeu10_12.mid"), "--format", "json",
           "-o", str(tmp_path)]
    proc = subprocess.run(cmd, env=motif_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    meter = json.loads(next(tmp_path.glob("*.motifs.json")).read_text())["meter"]
    assert meter["source"] == "midi"
    assert meter["pickup_beats"] == 2.0 and meter["first_downbeat_beats"] == 2.0


def test_music21s_chorale_midi_whose_tick_zero_bars_pass_only_by_the_slack(tmp_path: Path) -> None:
    """bwv86.6 written by music21: 4/4 at tick 0, a one-beat pickup; the bar lines from tick 0 pass the
    accent check at its 5% slack, one beat later they carry the strongest accents: bars from beat 1
    (main: from tick 0, pickup27's "left wrong")."""
    music21 = pytest.importorskip("music21")
    dest = tmp_path / "bwv86.6.mid"
    music21.corpus.parse("bach/bwv86.6").write("midi", fp=str(dest))
    meter, events = _lines(dest)
    assert events[0] == 0.0  # (and 4/4 again at beat 16, where music21 restates it after the repeat)
    assert meter.source == "midi"
    assert meter.first_downbeat == 1.0 and [b.number for b in meter.bars[:3]] == ["0", "1", "2"]
    assert all(b.length == 4.0 for b in meter.bars[1:4])


def test_a_chorale_that_opens_on_its_downbeat_keeps_its_bars(tmp_path: Path) -> None:
    """Guard: bwv10.7 (no pickup) written by music21 keeps its bars from tick 0."""
    music21 = pytest.importorskip("music21")
    dest = tmp_path / "bwv10.7.mid"
    music21.corpus.parse("bach/bwv10.7").write("midi", fp=str(dest))
    meter, _ = _lines(dest)
    assert meter.source == "midi" and meter.first_downbeat == 0.0 and meter.bars[0].length == 4.0


@pytest.mark.musescore
@pytest.mark.parametrize(("work", "pickup", "bar"), [("bach/bwv86.6", 1.0, 4.0),
                                                     ("essenFolksong/altdeu10.abc:36", 3.0, 4.0)])
def test_musescores_own_export_is_read_in_its_written_bars(
    musescore: MuseScore, tmp_path: Path, work: str, pickup: float, bar: float  # noqa: F811
) -> None:
    """music21 writes the MusicXML, mscore3 exports the MIDI: bwv86.6 (1/4, 4/4, and each repeat's 3/4
    + 1/4; main: estimated) and Essen no. 36 (3/4 before 4/4; main: a bar "1" of 3/4)."""
    music21 = pytest.importorskip("music21")
    path, _, number = work.partition(":")
    score = music21.corpus.parse(path, number=int(number)) if number else music21.corpus.parse(path)
    xml, mid = tmp_path / "piece.musicxml", tmp_path / "piece.mid"
    score.write("musicxml", fp=str(xml))
    subprocess.run([musescore.exe, "-o", str(mid), str(xml)], env=musescore.env, capture_output=True, timeout=120)
    meter, events = _lines(mid)
    assert meter.source == "midi"
    assert meter.first_downbeat == pickup and meter.bars[1].length == bar and meter.bars[0].number == "0"
    assert set(events) <= set(meter.starts.tolist())
    written = [float(m.duration.quarterLength) for m in score.parts[0].getElementsByClass("Measure")]
    assert [b.length for b in meter.bars[: len(written)]][:8] == written[:8]
