"""Where the texture bars' cluster tree is cut (DiscoverySettings.texture_cut, motifcli.discovery.texture).

Real file (examples/pop909-101.mid), real onnxruntime. At the plain threshold cut (``texture_cut=
"threshold"``, before phase 11) this song's piano
families change when the threshold moves by 0.02 (a merge of the bar tree lies within 0.02 of
0.45); cut in the widest gap of merge heights near the threshold (the default, ``"gap"``) they do
not (benchmarks/phase11-stable11.md).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import motifcli
from motifcli import read_score
from motifcli.clustering import cluster_labels, merge_heights
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.candidates import rhythm_grid
from motifcli.discovery.barclusters import gap_cut
from motifcli.discovery.texture import track_bars

REPO = Path(__file__).resolve().parents[1]
POP = REPO / "examples" / "pop909-101.mid"


@pytest.fixture(scope="module")
def model() -> motifcli.MotifModel:
    return motifcli.load_model(provider="cpu")


@pytest.fixture(scope="module")
def score():
    return read_score(POP)


def _keys(families) -> list[list[tuple[tuple[int, int], ...]]]:
    return [[tuple((n.track, n.index) for n in o.notes) for o in f.occurrences] for f in families]


def _symbols(score, model, **options) -> tuple[int, ...]:
    piano = score.track_named("PIANO")
    grid = rhythm_grid(np.concatenate([t.arrays()[0] for t in score.pitched_tracks() if t.notes]))
    bars = track_bars(score, piano, grid, DiscoverySettings(**options), model)
    assert bars is not None
    return tuple(bars.symbols.tolist())


def test_the_threshold_cut_is_a_knife_edge_on_this_song(model, score) -> None:
    plain = {"texture_cut": "threshold"}
    centre = _symbols(score, model, texture_model_distance=0.45, **plain)
    assert _symbols(score, model, texture_model_distance=0.43, **plain) != centre
    assert _symbols(score, model, texture_model_distance=0.47, **plain) != centre


def test_the_gap_cut_keeps_the_families_when_the_threshold_moves_a_little(model, score) -> None:
    gap = {"texture_cut": "gap", "texture_cut_band": 0.18}
    centre = _symbols(score, model, texture_model_distance=0.45, **gap)
    assert len(set(centre) - {-1}) > 3  # several piano textures, not one lump
    for d in (0.43, 0.47):
        assert _symbols(score, model, texture_model_distance=d, **gap) == centre
    families = {d: _keys(discover(score, model, DiscoverySettings(texture_model_distance=d, **gap)))
                for d in (0.43, 0.45, 0.47)}
    assert families[0.45] and families[0.43] == families[0.45] == families[0.47]


def test_the_default_is_the_gap_cut_and_a_zero_band_is_the_threshold(model, score) -> None:
    default = DiscoverySettings()
    assert (default.texture_cut, default.texture_cut_band, default.texture_linkage) == ("gap", 0.18, "average")
    plain = _symbols(score, model, texture_cut="threshold")
    assert _symbols(score, model, texture_cut="gap", texture_cut_band=0.0) == plain
    assert _symbols(score, model) != plain  # on this song the gap cut lies off the threshold


def test_the_gap_cut_lies_between_merges_and_any_cut_in_that_gap_gives_the_same_clusters() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(size=(40, 6))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    d = np.clip(1.0 - x @ x.T, 0.0, 2.0)
    np.fill_diagonal(d, 0.0)
    heights = merge_heights(d)
    assert len(heights) == 39 and np.all(np.diff(heights) >= 0)
    cut = gap_cut(heights, 0.9, 0.1 / 0.9)  # the band 0.8 .. 1.0
    assert gap_cut(rng.permutation(heights), 0.9, 0.1 / 0.9) == cut  # the tree lists merges unsorted
    below, above = heights[heights < cut], heights[heights > cut]
    assert len(below) and len(above)
    lo, hi = max(below.max(), 0.8), min(above.min(), 1.0)
    assert 0.8 <= lo < cut < hi <= 1.0
    # no other gap in the band is wider
    inside = np.concatenate([[0.8], heights[(heights > 0.8) & (heights < 1.0)], [1.0]])
    assert hi - lo == pytest.approx(np.diff(inside).max())
    ref = cluster_labels(d, cut)
    for t in np.linspace(lo + 1e-9, hi, 7, endpoint=False):
        assert np.array_equal(cluster_labels(d, float(t)), ref)


def test_an_unknown_cut_is_an_error(model, score) -> None:
    with pytest.raises(ValueError, match="texture_cut"):
        _symbols(score, model, texture_cut="widest")
