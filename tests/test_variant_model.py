"""The variant-similarity note encoder (phase 7, issue 10 item 2): its views on real windows and a tiny run.

Real POP909 windows (``training.note_data.pop909_windows``), real torch, the real ONNX export and
onnxruntime loader (``motifcli.model.load_model``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.conftest import needs_data

torch = pytest.importorskip("torch")

from motifcli.encoding import EncodingSpec, render_rolls  # noqa: E402

SPEC = EncodingSpec("onset-sustain", steps_per_beat=4, segment_beats=8.0, pitch_low=24, pitch_count=84)


@pytest.fixture(scope="module")
def windows() -> list:
    from training.note_data import pop909_windows

    return [w for w in pop909_windows(["103"], SPEC, (4.0,), 8) if len(w.notes) >= 5]


def _intervals(notes: np.ndarray) -> np.ndarray:
    return np.diff(notes[np.lexsort((notes[:, 2], notes[:, 0])), 2].astype(int))


@needs_data
def test_variant_views_do_what_they_say_on_real_windows(windows: list) -> None:
    from training.views import (change_intervals, diatonic_transpose, fragment, normalise_first, ornament,
                                redivide_rhythm, window_scale)

    rng = np.random.default_rng(0)
    changed = {"diatonic": 0, "ornament": 0, "rhythm": 0}
    for w in windows[:60]:
        n = w.notes[np.lexsort((w.notes[:, 2], w.notes[:, 0]))]
        # diatonic: same rhythm, same contour; every note that was in the window's scale stays in it
        d = diatonic_transpose(n, rng, SPEC)
        assert np.array_equal(d[:, :2], n[:, :2])
        assert np.array_equal(np.sign(_intervals(d)), np.sign(_intervals(n)))
        scale = set(window_scale(n, SPEC).tolist())
        inside = np.isin((n[:, 2] + SPEC.pitch_low) % 12, list(scale))
        assert set(((d[inside, 2] + SPEC.pitch_low) % 12).tolist()) <= scale
        shift = d[:, 2].astype(int) - n[:, 2]
        changed["diatonic"] += len(set(shift.tolist())) > 1  # not a chromatic transposition
        # ornament: one note more, same span, the old onsets all still there
        o = ornament(n, rng, SPEC)
        if len(o) == len(n) + 1:
            changed["ornament"] += 1
            assert o[:, 0].min() == n[:, 0].min() and o[:, 1].max() == n[:, 1].max()
            assert set(n[:, 0].tolist()) <= set(o[:, 0].tolist())
        # changed intervals: onsets and the first note kept, one or two pitches moved by 1-2 semitones
        c = change_intervals(n, rng, SPEC)
        moved = np.abs(c[:, 2].astype(int) - n[:, 2])
        assert c[0, 2] == n[0, 2] and np.array_equal(c[:, :2], n[:, :2])
        assert 1 <= (moved > 0).sum() <= 2 and moved.max() <= 2
        # re-divided rhythm: same pitches and note count, exactly one onset moved
        r = redivide_rhythm(n, rng, SPEC)
        if not np.array_equal(r, n):
            changed["rhythm"] += 1
            assert len(r) == len(n) and sorted(r[:, 2].tolist()) == sorted(n[:, 2].tolist())
            assert (r[:, 0] != n[:, 0]).sum() <= 2  # one onset moved (its neighbour may reorder)
        # fragment: 60-80% of the notes (rounded), a contiguous run, starting at step 0
        f = fragment(n, rng, SPEC)
        assert f[0, 0] == 0 and round(0.6 * len(n)) <= len(f) <= round(0.8 * len(n))
        assert any(np.array_equal(f[:, 2], n[i:i + len(f), 2]) for i in range(len(n) - len(f) + 1))
        # normalisation: first note at step 0, mid-range
        z = normalise_first(n[2:], SPEC)
        assert z[0, 0] == 0 and z[0, 2] == SPEC.pitch_count // 2
    assert min(changed.values()) >= 20, changed  # each view changes most real windows


def _tiny(steps: int):
    from training.config import NotesConfig, PretrainConfig, RunConfig, VariantConfig
    from training.model import ModelConfig

    return RunConfig(name="tiny", encoding=SPEC, threads=1,
                     model=ModelConfig(d_model=32, layers=1, heads=2, ff=64, latent=32, expander=128, dropout=0.0,
                                       centre_latent=True),
                     pretrain=PretrainConfig(epochs=1, steps_per_epoch=steps, batch_size=32, lr=2e-3),
                     notes=NotesConfig(pop909_songs=2, music21_files=0),
                     variant=VariantConfig(songs_per_batch=2, windows_per_song=16, min_gap_beats=8.0))


@needs_data
def test_a_tiny_run_puts_variants_nearer_than_the_hardest_same_piece_window(windows: list, tmp_path: Path) -> None:
    """Trained on songs 101-102, measured on unseen song 103: how often a window's variant is nearer
    to it than every other (non-overlapping) window of the same song. Measured (60 steps, seed 0,
    1 thread): untrained 0.47, trained 0.57 (the normalised roll: 0.73). Then export and load."""
    from motifcli.model import load_model
    from training.loop import latest_checkpoint, load_checkpoint
    from training.note_data import pop909_windows
    from training.pipeline import build_encoder
    from training.variant_pipeline import export, train, variant
    from training.views import normalise_first

    torch.set_num_threads(1)
    rng = np.random.default_rng(1)
    a = render_rolls([normalise_first(w.notes, SPEC) for w in windows], SPEC)
    p = render_rolls([variant(w.notes, rng, SPEC, 2) for w in windows], SPEC)
    starts = np.array([w.start for w in windows])
    far = torch.from_numpy(np.abs(starts[:, None] - starts[None, :]) >= 8)

    def top1(enc) -> float:
        enc.eval()
        with torch.no_grad():
            ea, ep = enc.embed(torch.from_numpy(a)), enc.embed(torch.from_numpy(p))
        hardest = (1 - ea @ ea.T).masked_fill(~far, 9).min(dim=1).values
        return float(((1 - (ea * ep).sum(1)) < hardest).float().mean())

    cfg = _tiny(60)
    before = top1(build_encoder(cfg))
    train(cfg, tmp_path, pop909_windows(["101", "102"], SPEC, (2.0, 4.0, 8.0), 4))
    enc = build_encoder(cfg)
    enc.load_state_dict(load_checkpoint(latest_checkpoint(tmp_path / "checkpoints"))["encoder"])
    after = top1(enc)
    assert after >= before + 0.05, (before, after)

    path = tmp_path / "variant.onnx"
    assert export(cfg, tmp_path, path, windows) < 1e-4
    model = load_model(path)
    card = model.model_card
    assert card.input_pitch == "normalised" and "same piece" in card.method
    assert "No BPS-motif or MTC-ANN" in card.training_data


def test_variant_configs_load_and_the_ablation_differs_only_in_its_views() -> None:
    from dataclasses import replace

    from training.config import load_config
    from training.views import VARIANT_VIEWS, VIEWS

    main, plain = load_config("note_variant"), load_config("note_variant_plainviews")
    assert main.model.centre_latent and main.threads == 1 and main.variant.views == ()
    assert set(VARIANT_VIEWS) <= set(VIEWS) and set(plain.variant.views) <= set(VIEWS)
    assert not set(plain.variant.views) & {"diatonic_transpose", "ornament", "change_intervals", "redivide_rhythm",
                                           "fragment"}
    assert replace(plain, name=main.name, variant=main.variant) == main
