"""Unit tests of the training pieces: views, losses, labelled data, retrieval metrics."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from motifcli.encoding import EncodingSpec  # noqa: E402
from motifcli.score import Note  # noqa: E402
from training import views  # noqa: E402
from motifcli.encoding import render_roll  # noqa: E402
from training.data import bar_label, label_phase  # noqa: E402
from training.evaluate import retrieval_scores, shifted_roll_features  # noqa: E402
from training.losses import covariance_term, triplet_loss, variance_term, vicreg_loss  # noqa: E402

SPEC = EncodingSpec()


def random_bar(rng: np.random.Generator, n: int = 8) -> np.ndarray:
    on = rng.integers(0, SPEC.steps - 1, size=n)
    off = np.minimum(on + rng.integers(1, 9, size=n), SPEC.steps)
    col = rng.integers(0, SPEC.pitch_count, size=n)
    return np.stack([on, off, col], axis=1).astype(np.int16)


def valid(notes: np.ndarray) -> bool:
    return bool(
        (notes[:, 2] >= 0).all() and (notes[:, 2] < SPEC.pitch_count).all()
        and (notes[:, 0] >= 0).all() and (notes[:, 1] <= SPEC.steps).all() and (notes[:, 1] > notes[:, 0]).all()
    )


@pytest.mark.parametrize("name", sorted(views.VIEWS))
def test_views_stay_in_range_and_do_not_touch_input(name: str) -> None:
    rng = np.random.default_rng(1)
    for _ in range(300):
        bar = random_bar(rng, int(rng.integers(1, 12)))
        # push some notes to the range edges, where views are most likely to fall off
        bar[0, 2] = 0
        bar[-1, 2] = SPEC.pitch_count - 1
        before = bar.copy()
        out = views.VIEWS[name](bar, rng, SPEC)
        assert np.array_equal(bar, before)
        assert valid(out)


def test_transpose_moves_all_notes_by_one_interval_within_six() -> None:
    rng = np.random.default_rng(2)
    bar = random_bar(rng)
    bar[:, 2] = np.clip(bar[:, 2], 10, 70)
    shifts = set()
    for _ in range(200):
        out = views.transpose(bar, rng, SPEC)
        d = out[:, 2].astype(int) - bar[:, 2].astype(int)
        assert len(set(d.tolist())) == 1 and abs(d[0]) <= 6
        shifts.add(int(d[0]))
    assert shifts == set(range(-6, 7))


def test_drop_shift_and_duration_change_exactly_one_thing() -> None:
    rng = np.random.default_rng(3)
    bar = random_bar(rng, 6)
    assert len(views.drop_note(bar, rng, SPEC)) == 5
    moved = views.shift_note(bar, rng, SPEC)
    diff = np.flatnonzero((moved != bar).any(axis=1))
    assert len(diff) == 1 and 1 <= abs(int(moved[diff[0], 2]) - int(bar[diff[0], 2])) <= 2
    changed = views.change_last_duration(bar, rng, SPEC)
    last = bar[:, 0] == bar[:, 0].max()
    assert np.array_equal(changed[~last], bar[~last])
    assert np.array_equal(changed[:, :1], bar[:, :1]) and np.array_equal(changed[:, 2], bar[:, 2])


def test_variance_term_punishes_collapse_and_covariance_decorrelation() -> None:
    collapsed = torch.ones(64, 16)
    spread = torch.randn(64, 16) * 3
    assert variance_term(collapsed).item() == pytest.approx(1.0, abs=0.02)
    assert variance_term(spread).item() < 0.05
    correlated = torch.randn(256, 1).repeat(1, 8)
    assert covariance_term(correlated).item() > covariance_term(torch.randn(256, 8)).item() * 10
    same = torch.randn(32, 8)
    loss, terms = vicreg_loss(same, same.clone())
    assert terms["inv"] == 0.0 and loss.item() >= 0


def test_triplet_loss_is_zero_when_margin_is_met() -> None:
    a = torch.zeros(4, 2)
    p = torch.zeros(4, 2)
    n = torch.full((4, 2), 2.0)
    assert triplet_loss(a, p, n, margin=1.0).item() == 0.0
    assert triplet_loss(a, n, p, margin=1.0).item() == pytest.approx(2 * np.sqrt(2) + 1.0, rel=1e-5)


def test_label_helpers() -> None:
    spans = [Note(2.0, 10.0, 72), Note(10.0, 14.0, 73), Note(18.0, 26.0, 72)]
    assert label_phase(spans) == 2
    assert bar_label(spans, 2.0, 4.0) == 72
    assert bar_label(spans, 0.0, 4.0) == -1  # covered 50% only
    assert bar_label(spans, 14.0, 4.0) == -1  # not covered


def test_retrieval_metrics_perfect_and_random() -> None:
    songs = ["a"] * 6 + ["b"] * 6
    motifs = [1, 1, 1, 2, 2, 2] * 2
    perfect = np.array([[1.0, 0, 0, 0], [0, 1.0, 0, 0], [0, 0, 1.0, 0], [0, 0, 0, 1.0]])[[0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]]
    scores, _ = retrieval_scores(perfect + 1e-3, songs, motifs)
    assert scores.auc_pr == pytest.approx(1.0) and scores.map == pytest.approx(1.0) and scores.p_at_1 == 1.0
    rng = np.random.default_rng(0)
    noisy, _ = retrieval_scores(rng.normal(size=(12, 4)), songs, motifs)
    assert noisy.auc_pr < 0.8


def test_shifted_roll_puts_lowest_note_at_bottom() -> None:
    notes = np.array([[0, 4, 30], [4, 8, 37]], dtype=np.int16)
    roll = render_roll(notes, SPEC)[None]
    shifted = shifted_roll_features(roll).reshape(1, SPEC.steps, SPEC.pitch_count)
    assert shifted[0, 0, 0] == 1 and shifted[0, 4, 7] == 1 and shifted.sum() == roll.sum()
