"""Meter changes estimated inside a piece (issue 9, phase 4: motifcli/meter_sections.py).

Real files: Bach's bwv171.6 (4/4, a 3/4 section from beat 96) from music21's corpus, written as
MIDI without any time signature and read back by motif's MIDI reader, must come out with a 3/4
section on the written bar lines; pieces and songs in one meter must come out with one section and
the same bars as the one-meter estimate.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from conftest import DATA, needs_data
from motifcli import meter_name, meter_sections
from motifcli.meter import MeterMap, meter_map_for
from motifcli.meter_estimate import estimate_meter, is_quantised
from motifcli.readers import read_score
from motifcli.readers.midi import read_midi

music21 = pytest.importorskip("music21")
from test_meter import CORPUS, unmetred_midi, written_map  # noqa: E402 - after the music21 skip


def _unmetred(name: str, tmp_path: Path):
    score = read_midi(unmetred_midi(read_score(CORPUS[name]), tmp_path / "piece.mid"))
    assert score.time_signatures == []
    return score


def test_bwv171_6_without_time_signatures_gives_its_three_four_section(tmp_path: Path) -> None:
    written, _ = written_map(CORPUS["bwv171.6.mxl"])
    change = written.sections()[1]
    assert change["time_signature"] == "3/4"
    score = _unmetred("bwv171.6.mxl", tmp_path)
    meter_map = meter_map_for(score)
    sections = meter_map.sections()
    assert meter_map.source == "estimated"
    assert [s["time_signature"] for s in sections][:2] == ["4/4", "3/4"]
    assert abs(sections[1]["start_beat"] - change["start_beat"]) <= 3.0  # within a bar of the written change
    # the bar lines are continuous across the change and the 3/4 ones are the written ones
    starts = meter_map.starts
    assert np.allclose(starts[1:], starts[:-1] + np.array([b.length for b in meter_map.bars[:-1]]))
    written_34 = [b.start for b in written.bars if b.numerator == 3]
    found = [np.min(np.abs(starts - s)) <= 0.25 for s in written_34]
    assert np.mean(found) >= 0.9
    # the report's meter field has one entry per section
    report = meter_map.to_dict()
    assert [s["time_signature"] for s in report["sections"]] == [s["time_signature"] for s in sections]
    assert report["sections"][1]["beats_per_bar"] == 3.0


def test_without_the_change_search_bwv171_6_is_one_meter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The search is what finds the section (the test above cannot pass on the one-meter estimate)."""
    monkeypatch.setattr(meter_sections, "CHANGE_PENALTY", float("inf"))
    assert len(meter_map_for(_unmetred("bwv171.6.mxl", tmp_path)).sections()) == 1


@pytest.mark.parametrize("name", ["bwv1.6.mxl", "bwv130.6.mxl", "bwv11.6.mxl", "bwv19.7.mxl"])
def test_pieces_in_one_meter_keep_one_section(tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    score = _unmetred(name, tmp_path)
    assert is_quantised(score)  # the search ran
    meter_map = meter_map_for(score)
    assert len(meter_map.sections()) == 1
    monkeypatch.setattr(meter_sections, "CHANGE_PENALTY", float("inf"))
    assert meter_map_for(score).bars == meter_map.bars  # exactly the one-meter estimate's bars


def test_a_one_line_tune_changing_from_three_four_to_four_four(monkeypatch: pytest.MonkeyPatch) -> None:
    """12 bars of 3/4 rhythms then 12 of 4/4 (random pitches): the search lays a 4/4 section where the written
    one starts. (2/4 rhythms there come out as 4/4 bars: two 2/4 bars and one 4/4 bar are the same accents.)
    The estimate names 4/4, so since phase 12 (meter_name.settle) the map opens with one bar of the name before
    the search's 3/4 bars (a 2-beat bar joins them): every written bar line but beat 3 is drawn."""
    rng = np.random.default_rng(1)
    three = [[2.0, 1.0], [1.0, 1.0, 1.0], [1.5, 0.5, 1.0], [3.0]]
    four = [[2.0, 2.0], [1.0, 1.0, 2.0], [3.0, 1.0], [1.5, 0.5, 1.0, 1.0]]
    lengths = [d for k in range(12) for d in three[k % 4]] + [d for k in range(12) for d in four[k % 4]]
    onsets = np.concatenate([[0.0], np.cumsum(lengths)[:-1]])
    notes = (onsets, onsets + np.array(lengths), rng.integers(60, 72, len(lengths)))
    end = float(onsets[-1] + lengths[-1])
    written = [3.0 * k for k in range(12)] + [36.0 + 4 * k for k in range(12)]
    drawn = estimate_meter(notes).to_meter_map(end)
    assert [s["time_signature"] for s in drawn.sections()] == ["4/4", "3/4", "4/4"]
    assert drawn.starts.tolist() == pytest.approx([0.0, 4.0] + written[2:])
    monkeypatch.setattr(meter_name, "settle", lambda est, split: est)  # the search's own path
    meter_map = estimate_meter(notes).to_meter_map(end)
    sections = meter_map.sections()
    assert [s["time_signature"] for s in sections] == ["3/4", "4/4"]
    assert sections[1]["start_beat"] == pytest.approx(36.0)
    assert meter_map.starts.tolist() == pytest.approx(written)


def test_performed_input_is_not_searched() -> None:
    """Played timing (onsets off the grid): the cheap gate keeps the one-meter map, search or not."""
    rng = np.random.default_rng(2)
    lengths = [2.0, 1.0] * 12 + [1.0, 1.0] * 12
    onsets = np.concatenate([[0.0], np.cumsum(lengths)[:-1]]) + rng.normal(0, 0.03, len(lengths))
    onsets = np.maximum(onsets, 0.0)
    notes = (onsets, onsets + np.array(lengths) * 0.9, rng.integers(60, 72, len(lengths)))
    assert not is_quantised(notes)
    assert estimate_meter(notes).sections == ()


def test_bars_of_a_found_path_start_at_zero_and_number_from_a_pickup() -> None:
    grid = np.zeros(12 * 40)
    bars = meter_sections._bars([-2.0, 1.0, 4.0, 6.0, 8.0], [_cand(3, 4), _cand(3, 4), _cand(2, 4), _cand(2, 4)])
    assert [(b.start, b.length, b.number) for b in bars] == [(0.0, 1.0, "0"), (1.0, 3.0, "1"), (4.0, 2.0, "2"), (6.0, 2.0, "3")]
    assert meter_sections.change_count(bars) == 1
    assert MeterMap(bars).sections()[1]["first_bar"] == "2"
    assert meter_sections.find_sections(grid, 12, [_cand(3, 4), _cand(2, 4)], 0.0, 40.0) is None  # silence


def _cand(numerator: int, denominator: int):
    from motifcli.meter_estimate import CANDIDATES

    return next(c for c in CANDIDATES if (c.numerator, c.denominator) == (numerator, denominator))


@needs_data
@pytest.mark.parametrize("song", ["054", "063"])
def test_a_four_four_pop_song_gives_no_meter_change(song: str) -> None:
    assert DATA is not None
    score = read_midi(DATA / "pop909" / song / f"{song}.mid")
    assert is_quantised(score)  # so the change search ran
    assert len(meter_map_for(score).sections()) == 1


def test_notation_writes_the_found_change(tmp_path: Path) -> None:
    """MIDI -> MusicXML follows the estimated sections: a 3/4 time signature where the map's 3/4
    section starts, 4/4 before (read back with ElementTree, not the writer's own code)."""
    from test_notation_meter import xml_measures

    from motifcli.writers.notation import midi_to_musicxml

    score = _unmetred("bwv171.6.mxl", tmp_path)
    sections = score.meter_map.sections()
    measures = xml_measures(midi_to_musicxml(score).xml)
    times = [(m["start"], m["time"]) for m in measures if m["time"]]
    assert [t for _, t in times][:2] == ["4/4", "3/4"]
    assert float(times[1][0]) == pytest.approx(sections[1]["start_beat"])
