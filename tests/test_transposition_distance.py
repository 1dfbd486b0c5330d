"""Transposition invariance as a stated distance (issue 10 item 2), on shipped models, real windows.

The note models in ``exported_models/ablations`` are fed as discovery feeds them
(``discovery/embed.window_rolls``: the window's first note moved to mid-range), so a transposed
copy of a window is the same roll: stated distance 0. Their own, learned invariance (the window at
its written pitch, as an ``input_pitch="absolute"`` model is fed) is within the distance the model
card states (``exported_models/README.md``, "Transposition"), measured by
``python -m benchmarks.note_transposition``: windows of 6 notes of one voice from every third
note of the three bundled songs, ``bach/bwv1.6`` and Mozart K. 545/1, each moved by a seeded
1-6 semitones up or down. The shipped bar model is not invariant (its roll skip): stated, tested.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from benchmarks import note_transposition as nt

pytest.importorskip("music21")
REPO = Path(__file__).resolve().parents[1]
CARD = REPO / "exported_models" / "README.md"
# (median, 95th percentile) of d(transposed) at written pitch, as the card states them
STATED = {"note-centred-bn.onnx": (0.130, 0.419), "note-vicreg.onnx": (0.002, 0.011)}
MARGIN = 0.02  # cosine distance: onnxruntime builds and BLAS may differ in the last digits, not by this
BAR_STATED = (0.362, 0.426)  # the bar model 0.2: median d(transposed), median d(other window) (0.1: 0.361, 0.390)


@pytest.fixture(scope="module")
def pieces() -> list[tuple[object, list[np.ndarray], object]]:
    from motifcli.readers import read_score

    out = []
    for name in nt.SOURCES:
        score = read_score(nt.source_path(name))
        lines, windows = nt.note_windows(score)
        out.append((lines, windows, score))
    return out


def _stats(model: object, pieces: list, feed: str) -> dict[str, float]:
    parts = []
    for lines, windows, _ in pieces:
        d_t, d_all = nt.note_distances(model, lines, windows, feed)
        parts.append((d_t, d_all, np.zeros(len(windows), dtype=int)))
    return nt.summary(parts)


def test_the_card_states_what_this_test_checks() -> None:
    card = CARD.read_text(encoding="utf-8")
    for name, (median, p95) in STATED.items():
        assert f"| `ablations/{name}` | {median:.3f} | {p95:.3f} |" in card, name
    assert f"{BAR_STATED[0]:.3f}" in card and f"{BAR_STATED[1]:.3f}" in card


@pytest.mark.parametrize("name", sorted(STATED))
def test_a_transposed_window_embeds_within_the_stated_distance(pieces: list, name: str) -> None:
    import motifcli
    from motifcli.discovery.embed import absolute_input

    path = REPO / "exported_models" / "ablations" / name
    model = motifcli.load_model(path, provider="cpu")
    assert not absolute_input(model)  # discovery draws its windows pitch-normalised
    runtime = _stats(model, pieces, "runtime")
    assert runtime["windows"] > 1000
    assert runtime["d_transposed_max"] <= 1e-6  # as discovery feeds it: the same roll, distance 0
    written = _stats(model, pieces, "written")
    median, p95 = STATED[name]
    assert written["d_transposed_median"] > 1e-4  # at written pitch the model does see the shift ...
    assert written["d_transposed_median"] <= median + MARGIN  # ... and places the copy within the stated distance
    assert written["d_transposed_p95"] <= p95 + MARGIN
    assert written["closer"] > 0.75  # nearer than most other windows of its piece


def test_the_shipped_bar_model_is_not_transposition_invariant(pieces: list) -> None:
    """Its embedding concatenates 0.75 x the raw roll (the roll skip): a transposed bar sits about as
    far as any other bar of the piece. Stated on the card; not a defect to fix in the shipped model."""
    import motifcli

    bar = motifcli.load_model(provider="cpu")
    r = nt.summary([nt.bar_distances(bar, score) for _, _, score in pieces])
    assert r["d_transposed_median"] == pytest.approx(BAR_STATED[0], abs=MARGIN)
    assert r["d_other_median"] == pytest.approx(BAR_STATED[1], abs=MARGIN)
    assert r["d_transposed_median"] > 0.8 * r["d_other_median"]
