"""Texture bars compared by the shipped bar model (DiscoverySettings.texture_model, motifcli.discovery.texture).

Real file (examples/pop909-101.mid), real onnxruntime: with the model off the model changes nothing;
with it on, two bars of the piano share a symbol exactly when the model puts them close, so at a
tiny distance only bars whose rolls (as ``--unit bar`` draws them) are identical share one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import motifcli
from motifcli import read_score
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.candidates import rhythm_grid
from motifcli.discovery.texture import track_bars
from motifcli.encoding import encode_segments
from motifcli.segment import segment_bars
from motifcli.settings import Settings
from motifcli.voices import TEXTURE

REPO = Path(__file__).resolve().parents[1]
POP = REPO / "examples" / "pop909-101.mid"


@pytest.fixture(scope="module")
def model() -> motifcli.MotifModel:
    return motifcli.load_model(provider="cpu")


def _keys(families) -> list[list[tuple[tuple[int, int], ...]]]:
    return [[tuple((n.track, n.index) for n in o.notes) for o in f.occurrences] for f in families]


def test_model_off_changes_nothing(model) -> None:
    score = read_score(POP)
    off = DiscoverySettings(texture_model="off")
    assert _keys(discover(score, model, off)) == _keys(discover(score, None, off))


def test_without_a_model_the_points_decide() -> None:
    score = read_score(POP)
    assert _keys(discover(score, None, DiscoverySettings(texture_model="cluster"))) == \
        _keys(discover(score, None, DiscoverySettings(texture_model="off")))


def test_bars_share_a_symbol_when_the_model_puts_them_together(model) -> None:
    score = read_score(POP)
    piano = score.track_named("PIANO")
    grid = rhythm_grid(np.concatenate([t.arrays()[0] for t in score.pitched_tracks() if t.notes]))
    tight = DiscoverySettings(texture_model="cluster", texture_model_distance=1e-6)
    bars = track_bars(score, piano, grid, tight, model)
    assert bars is not None
    # the model's view of each bar: --unit bar's roll of it
    segs = segment_bars(piano, score.meter_map, model.spec.segment_beats, model.spec.steps_per_beat)
    rolls = encode_segments(piano, segs, model.spec)
    roll_of = {round(s.start, 6): rolls[k].tobytes() for k, s in enumerate(segs)}
    starts = score.meter_map.starts
    used = [b for b in range(len(starts)) if bars.symbols[b] >= 0]
    assert len(used) > 20
    pairs = same = 0
    for i, a in enumerate(used):
        for b in used[i + 1:]:
            pairs += 1
            ra, rb = roll_of.get(round(starts[a], 6)), roll_of.get(round(starts[b], 6))
            identical = ra is not None and ra == rb
            if bars.symbols[a] == bars.symbols[b]:
                same += 1
                assert identical, f"bars {a} and {b} share a symbol but their rolls differ"
            elif identical:
                lengths = (score.meter_map.bars[a].length, score.meter_map.bars[b].length)
                assert lengths[0] != lengths[1], f"bars {a} and {b} have one roll but two symbols"
    assert same > 0  # the song repeats some piano bars exactly
    # at the calibrated distance the model joins more bars than identical rolls
    loose = track_bars(score, piano, grid, DiscoverySettings(texture_model="cluster"), model)
    assert len(set(loose.symbols[used].tolist())) < len(set(bars.symbols[used].tolist()))


def test_texture_families_with_the_model_are_whole_bars(model) -> None:
    score = read_score(POP)
    families = discover(score, model, DiscoverySettings(texture_model="cluster"))
    texture = [f for f in families if f.occurrences[0].notes[0].voice == TEXTURE]
    assert texture
    for f in texture:
        assert len(f.occurrences) >= 2
        assert f.occurrences[0].similarity == 1.0
        assert all(0.0 < o.similarity <= 1.0 for o in f.occurrences)


def test_the_note_level_loads_the_model_only_when_texture_uses_it() -> None:
    assert Settings(unit="note", texture_model="cluster").uses_model
    assert not Settings(unit="note", texture_model="off").uses_model


def test_an_unknown_texture_model_is_a_usage_error() -> None:
    from motifcli.errors import UsageError

    with pytest.raises(UsageError, match="texture model"):
        Settings(texture_model="nearest")


def test_sensitivity_moves_the_bars_distance_as_for_the_bar_level(model) -> None:
    from motifcli.families import discovery_settings
    from motifcli.settings import threshold_for

    for sensitivity in (0.2, 0.5, 0.8):
        run = Settings(texture_model="cluster", sensitivity=sensitivity).resolve(model)
        found = discovery_settings(run)
        assert found.texture_model == "cluster"
        assert found.texture_model_distance == pytest.approx(threshold_for(sensitivity, model.grouping_threshold))
