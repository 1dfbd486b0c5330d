"""``meter_map_for`` reads the notes and builds their accent grid once per call (session 28, grid28).

Before, the estimate, ``time_signatures_consistent``, ``missed_pickup`` and ``shifted_time_signatures`` each
read the Score's notes and built the grid again (5 grids for music21's MIDI of bwv86.6, 4 for the Maple
Leaf Rag's), and the notated-input ranker scored the same hypotheses twice (the free estimate, then the
estimate in the file's first meter: half of the call's time). The map must be the one the public
functions give when called on their own, as before. Files are written by music21 in the test from its
corpus (no BPS, no MTC).
"""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import music21
import numpy as np
import pytest

from benchmarks.grid28_timing import counts  # the benchmark's counting wrappers, one copy
from motifcli import meter_estimate, meter_signatures
from motifcli.meter import MeterMap
from motifcli.readers.midi import read_midi


@pytest.fixture(scope="module", params=["bach/bwv86.6", "joplin/maple_leaf_rag"])
def score(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # -> Score
    """bwv86.6: 4/4 from tick 0 passes by the slack, ``missed_pickup`` shifts it; the rag: 2/4 from tick 0
    is refused, ``shifted_time_signatures`` shifts it (the two paths that ask the most of the notes)."""
    dest = tmp_path_factory.mktemp("grid") / "piece.mid"
    music21.corpus.parse(request.param).write("midi", fp=str(dest))
    return read_midi(str(dest))


def _separately(score) -> MeterMap:  # meter_map_for's steps, each public function reading the notes itself
    end = float(score.end_beat)
    est = meter_estimate.estimate_meter(score)
    events = score.time_signatures
    if meter_signatures.time_signatures_consistent(events, score, end, est):
        missed = meter_signatures.missed_pickup(events, score, end, est)
        return missed if missed is not None else MeterMap.from_time_signatures(events, end)
    shifted = meter_signatures.shifted_time_signatures(events, score, end, est)
    return shifted if shifted is not None else est.to_meter_map(end)


def test_one_grid_and_one_reading_of_the_score_per_call(score) -> None:
    """Counting wrappers: one accent grid, one quantised check, the Score's notes read once (main: 3-7 each),
    the notated-input ranker's hypotheses scored once for both estimates (free, and in the file's meter; main: 2)."""
    seen, got = counts(score, scores_only=True)
    calls = {"grid": seen["accent_grid"], "quantised": seen["is_quantised"], "score": seen["note_arrays"],
             "ranker": seen["ranker"]}
    assert got.source == "midi" and got.first_downbeat > 0  # the pickup path was taken
    assert calls == {"grid": 1, "quantised": 1, "score": 1, "ranker": 1}


def test_the_map_is_the_one_the_steps_give_on_their_own(score) -> None:
    """Sharing the grid and the ranker's scores changes no result: the same bars as the public functions
    called one by one."""
    got, alone = meter_signatures.meter_map_for(score), _separately(score)
    assert got.source == "midi" and got == alone  # bars (numbers, signatures, starts, lengths), source
    np.testing.assert_array_equal(got.starts, alone.starts)


def test_the_shared_grid_cannot_be_changed_by_a_check(score) -> None:
    """The grid is handed to every check read-only: a check that wrote into it would fail loudly."""
    seen = []
    real = meter_signatures._shift_strengths

    def spy(grid, ts_map):
        seen.append(grid)
        return real(grid, ts_map)

    with mock.patch.object(meter_signatures, "_shift_strengths", spy):
        meter_signatures.meter_map_for(score)
    assert seen and not any(g.flags.writeable for g in seen)
