"""Metric position (discovery/barpos.py): a varied statement at another place in the bar is kept out
of a family whose exact statements agree on their place (``bar_position``), in with it off."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from conftest import write_line_midi
from motifcli import read_score
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.barpos import bar_positions, modal_position
from motifcli.meter import Bar, MeterMap

MOTIF = [(0, 0.5), (2, 0.5), (4, 0.5), (5, 0.5), (7, 1.0)]  # (semitones above the start, beats)
ON = [(0, 0.75), (2, 0.25), (4, 0.5), (5, 0.5), (7, 1.0)]  # dotted variant, on the downbeat
OFF = [(0, 0.5), (2, 0.5), (4, 0.75), (5, 0.25), (7, 1.0)]  # another variant, a dotted quarter late
ON_AT, OFF_AT = 32.0, 41.5


def _write(path: Path) -> None:
    """4/4; the motif on the downbeat of bars 1, 3, 5, 7, 13; variants at bar 9 (downbeat) and bar 11
    (beat 2.5); between them long filler notes of no repeated shape."""
    notes: list[tuple[float, int, float]] = []
    fill = [57, 53, 50, 55, 52, 48, 59]
    for k in range(7):
        start = 8.0 * k
        shape, at = {4: (ON, start), 5: (OFF, start + 1.5)}.get(k, (MOTIF, start))
        base = 62 if k in (4, 5) else 60 + 2 * (k % 4)
        for iv, d in shape:
            notes.append((at, base + iv, d))
            at += d
        notes += [(start + 4.0, fill[k], 3.0), (start + 7.0, fill[k] + 1 + 3 * (k % 5), 1.0)]
    write_line_midi(notes, path)


def _family_notes(families: list, onset: float, pitch: int) -> set[tuple[float, int]]:
    """(onset, pitch) of every statement of the family holding the note at ``onset``/``pitch``."""
    for f in families:
        held = {(n.onset, n.pitch) for o in f.occurrences for n in o.notes}
        if (onset, pitch) in held:
            return held
    return set()


def test_a_varied_statement_at_another_bar_position_is_kept_out(tmp_path: Path) -> None:
    path = tmp_path / "barpos.mid"
    _write(path)
    score = read_score(path)
    bars = score.meter_map.bars
    assert (bars[0].start, bars[0].length, bars[1].start) == (0.0, 4.0, 4.0)  # the written 4/4 from beat 0
    anywhere = _family_notes(discover(score, settings=DiscoverySettings(bar_position="off")), 0.0, 60)
    assert (ON_AT, 62) in anywhere and (OFF_AT, 62) in anywhere  # both variants join by their notes alone
    filtered = DiscoverySettings(bar_position="bar", bar_position_crowd=0)
    metric = _family_notes(discover(score, settings=filtered), 0.0, 60)
    assert (ON_AT, 62) in metric, "the variant on the exact statements' downbeat stays"
    assert (OFF_AT, 62) not in metric, "the variant a dotted quarter later is kept out"
    # the exact statements must agree on their place (all do here): a share above 1 is never met
    loose = _family_notes(discover(score, settings=replace(filtered, bar_position_agree=1.01)), 0.0, 60)
    assert (OFF_AT, 62) in loose
    # only a family gathering at least bar_position_crowd statements is held to it: this one has 7
    assert (OFF_AT, 62) in _family_notes(discover(score, settings=replace(filtered, bar_position_crowd=8)), 0.0, 60)
    assert (OFF_AT, 62) not in _family_notes(discover(score, settings=replace(filtered, bar_position_crowd=7)), 0.0, 60)
    # the default holds families of 20+ statements to their place: this small one keeps both
    default = _family_notes(discover(score), 0.0, 60)
    assert (ON_AT, 62) in default and (OFF_AT, 62) in default


def test_bar_positions_count_a_pickup_back_from_its_end_and_fold_half_bars() -> None:
    meter = MeterMap((Bar(0.0, 1.0, "0", 4, 4), Bar(1.0, 4.0, "1", 4, 4), Bar(5.0, 3.0, "2", 3, 4)), source="written")
    onsets = np.array([0.0, 0.5, 1.0, 3.5, 5.0, 7.5])
    assert bar_positions(onsets, meter).tolist() == [3.0, 3.5, 0.0, 2.5, 0.0, 2.5]
    assert bar_positions(onsets, meter, "half").tolist() == [1.0, 1.5, 0.0, 0.5, 0.0, 2.5]  # 3/4: no half bar
    assert bar_positions(onsets, meter, "beat").tolist() == [0.0, 0.5, 0.0, 0.5, 0.0, 0.5]
    with pytest.raises(ValueError, match="level"):
        bar_positions(onsets, meter, "quarter")


def test_the_modal_position_is_the_most_common_within_the_tolerance() -> None:
    where, share = modal_position(np.array([1.0, 0.0, 1.04, 2.0]), 1 / 12)
    assert where == pytest.approx(1.0) and share == pytest.approx(0.5)
    assert modal_position(np.zeros(0), 1 / 12) == (0.0, 0.0)


def test_discovery_places_statements_in_the_bars_of_meter(tmp_path: Path) -> None:
    """``--meter 3/4`` on a 4/4 file: discovery sees the user's bars (as the report does), not the file's."""
    from motifcli.families import _as_discovery_sees_it
    from motifcli.settings import Settings

    path = tmp_path / "barpos.mid"
    _write(path)
    score = read_score(path)
    own = Settings(texture_model="off").resolve(None).for_score(score)
    assert _as_discovery_sees_it(score, own) is score  # the score's own bars: nothing to replace
    user = Settings(texture_model="off", meter="3/4").resolve(None).for_score(score)
    seen = _as_discovery_sees_it(score, user).meter_map
    assert seen is user.meter_map and seen.bars[1].length == 3.0
    assert score.meter_map.bars[1].length == 4.0  # the input score is left as read


def test_an_onset_just_before_a_bar_line_counts_from_it() -> None:
    """Performed timing, or an estimated bar line a little late (POP909's estimates sit on a 1/12-beat
    grid): a statement played 1/20 beat before the downbeat is at the downbeat, not at the end of the
    bar before, so it agrees with the family's other downbeat statements and may join it (robust10)."""
    from motifcli.discovery.barpos import position_tolerance
    from motifcli.discovery.families import _metric_filter

    meter = MeterMap.regular(4.0, 0.0, 20.0, 4, 4)
    tol = position_tolerance(0.25)  # performed: an eighth either side
    onsets = np.array([3.95, 4.0, 8.05, 11.92, 13.96])
    assert bar_positions(onsets, meter).round(2).tolist() == [3.95, 0.0, 0.05, 3.92, 1.96]
    assert bar_positions(onsets, meter, "bar", tol).round(2).tolist() == [-0.05, 0.0, 0.05, -0.08, 1.96]
    assert bar_positions(onsets, meter, "half", tol).round(2).tolist() == [-0.05, 0.0, 0.05, -0.08, -0.04]
    assert bar_positions(onsets, meter, "beat", tol).round(2).tolist() == [-0.05, 0.0, 0.05, -0.08, -0.04]
    # exact statements on downbeats (one early), a varied one played early on a downbeat, one on beat 2
    pos = bar_positions(np.array([0.0, 3.95, 8.0, 12.02, 15.93, 17.0]), meter, "bar", tol)
    keep = _metric_filter(pos, np.array([0, 1, 2, 3]), np.array([4, 5]), 0.25, DiscoverySettings())
    assert keep.tolist() == [True, False]
