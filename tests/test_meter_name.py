"""An estimated meter whose name and bars agree (issue 9, phase 12: motifcli/meter_name.py).

Real pieces: two Essen ballads in 3/2 with a half-bar pickup (``ballad30.abc``, the 91st and 97th tunes),
parsed by music21 and written as MIDI without a time signature, first note at beat 0 (MTC-like input: a
one-line notated tune, its meter removed). Before phase 12 the estimate named 3/2 while the change search
laid 4/4 bars (91st) or 3/4 bars (97th): the report's sections said one meter, the name another.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pytest

from motifcli import meter_name
from motifcli.meter import Bar, meter_map_for
from motifcli.meter_estimate import estimate_meter, is_quantised
from motifcli.readers.midi import read_midi

music21 = pytest.importorskip("music21")
from test_meter_folk import midi_without_meter, written  # noqa: E402 - after the music21 skip

BALLAD = Path(music21.__file__).parent / "corpus" / "essenFolksong" / "ballad30.abc"


def ballad(index: int, tmp_path: Path):
    """Tune ``index`` (0-based) of ballad30.abc as motif reads it from meterless MIDI; written 3/2, bar lines at 3 + 6k."""
    text = BALLAD.read_text(errors="replace")
    parts = re.split(r"(?m)^(?=X:)", text)
    header = parts[0] if not parts[0].startswith("X:") else ""
    score = music21.converter.parse(header + [p for p in parts if p.startswith("X:")][index], format="abc")
    if isinstance(score, music21.stream.Opus):
        score = score.scores[0]
    bar, phase, notes = written(score)
    assert (bar, phase) == (6.0, 3.0)  # the piece is what the test says
    midi = read_midi(midi_without_meter(notes, tmp_path / f"ballad{index}.mid"))
    assert midi.time_signatures == [] and is_quantised(midi)  # the change search runs on it
    return midi


@pytest.mark.parametrize("index", [90, 96])
def test_the_report_describes_the_bars_it_draws(tmp_path: Path, index: int) -> None:
    """Every section's reported beats per bar is its bars' length (a pickup and the cut last bar aside),
    and the estimate's name and first downbeat are those of the map's first full bar."""
    midi = ballad(index, tmp_path)
    meter_map = meter_map_for(midi)
    report = meter_map.to_dict()
    starts = [s["start_beat"] for s in report["sections"]] + [np.inf]
    for k, section in enumerate(report["sections"]):
        bars = [b for b in meter_map.bars if starts[k] - 1e-6 <= b.start < starts[k + 1] - 1e-6]
        inner = [b for b in bars if b.number != "0" and b is not meter_map.bars[-1]]
        assert inner and all(b.length == pytest.approx(section["beats_per_bar"]) for b in inner)
        assert all(f"{b.numerator}/{b.denominator}" == section["time_signature"] for b in bars)
    estimate = estimate_meter(midi)
    assert estimate.name == report["sections"][0]["time_signature"]
    assert estimate.first_downbeat == pytest.approx(report["first_downbeat_beats"] % estimate.beats_per_bar)
    assert report["source"] == "estimated"


def test_a_path_in_half_bars_keeps_the_names_bars(tmp_path: Path) -> None:
    """The 97th tune: named 3/2 (right), its change-search path in 3/4 bars (half of it): the 3/2 bars win,
    on the written bar lines throughout."""
    meter_map = meter_map_for(ballad(96, tmp_path))
    assert [s["time_signature"] for s in meter_map.sections()] == ["3/2"]
    assert meter_map.first_downbeat == pytest.approx(3.0)
    assert all((b.start - 3.0) % 6.0 == pytest.approx(0.0) for b in meter_map.bars[1:])


def test_a_path_in_another_bar_opens_with_the_names_bars(tmp_path: Path) -> None:
    """The 91st tune: named 3/2 at the written phase, its path in 4/4 bars from beat 1; the name's bars open
    the piece (on the written bar lines) until the path fits better (meter_opening.split_opening)."""
    meter_map = meter_map_for(ballad(90, tmp_path))
    first = meter_map.bars[1]
    assert meter_map.has_pickup and (first.start, first.length, first.numerator, first.denominator) == (3.0, 6.0, 3, 2)
    assert meter_map.sections()[0]["time_signature"] == "3/2" and len(meter_map.sections()) == 2


def test_a_kept_path_renames_the_estimate(tmp_path: Path) -> None:
    """Where bars of another meter than the name are kept, the name is read off them (meter, phase, downbeats)."""
    estimate = estimate_meter(ballad(90, tmp_path))
    fours = (Bar(0.0, 1.0, "0", 4, 4), *(Bar(1.0 + 4 * k, 4.0, str(k + 1), 4, 4) for k in range(6)),
             Bar(25.0, 2.0, "7", 2, 4))
    assert not meter_name.agrees(estimate, fours)
    settled = meter_name.settle(dataclasses.replace(estimate, sections=fours), lambda named, path: path.bars)
    assert (settled.name, settled.first_downbeat) == ("4/4", 1.0)
    assert settled.downbeats == tuple(b.start for b in fours[1:])
    assert settled.to_meter_map(27.0).bars == fours
