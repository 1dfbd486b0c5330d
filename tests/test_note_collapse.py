"""The note model's collapsed cone (issue 10 item 2) and its fix: a centred latent and VICReg terms on it.

Real POP909 windows, a real (tiny) torch training, the real ONNX export and onnxruntime loader.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.conftest import needs_data

torch = pytest.importorskip("torch")

from motifcli.encoding import EncodingSpec, render_rolls  # noqa: E402

SPEC = EncodingSpec("onset-sustain", steps_per_beat=4, segment_beats=8.0, pitch_low=24, pitch_count=84)


def _cfg(centre: bool, spread: float, steps: int = 25):
    from training.config import NotesConfig, PretrainConfig, RunConfig
    from training.model import ModelConfig

    return RunConfig(name="tiny", encoding=SPEC,
                     model=ModelConfig(d_model=32, layers=1, heads=2, ff=64, latent=32, expander=128, dropout=0.0,
                                       centre_latent=centre),
                     pretrain=PretrainConfig(epochs=1, steps_per_epoch=steps, batch_size=64, lr=2e-3),
                     notes=NotesConfig(pop909_songs=2, music21_files=0, latent_spread=spread))


def _median_distance(encoder, rolls: np.ndarray) -> float:
    """Median cosine distance between two different windows' exported embeddings."""
    with torch.no_grad():
        e = encoder.embed(torch.from_numpy(rolls))
    d = 1 - e @ e.T
    return float(d[~torch.eye(len(e), dtype=torch.bool)].median())


@needs_data
def test_centred_latent_keeps_embeddings_apart_where_the_old_recipe_collapses(tmp_path: Path) -> None:
    """Same data, seed and steps: the old recipe's windows crowd into a cone, the fixed one's spread out.

    Trained on songs 101-102, measured on unseen windows of song 103. Measured (25 steps, seed 0, 2
    threads): old recipe median distance 0.027, both fixes 0.51, the centring alone 0.35.
    """
    from training.note_data import pop909_windows
    from training.note_pipeline import pretrain
    from training.pipeline import load_encoder

    torch.set_num_threads(2)
    train = pop909_windows(["101", "102"], SPEC, (2.0, 4.0, 8.0), 4)
    rolls = render_rolls([w.notes for w in pop909_windows(["103"], SPEC, (2.0, 4.0, 8.0), 8)[:200]], SPEC)
    spread = {}
    for name, cfg in {"old": _cfg(False, 0.0), "fixed": _cfg(True, 1.0), "centred": _cfg(True, 0.0)}.items():
        (tmp_path / name).mkdir()
        pretrain(cfg, tmp_path / name, windows=train)
        spread[name] = _median_distance(load_encoder(cfg, tmp_path / name), rolls)
    assert spread["old"] < 0.1, spread  # the collapse is real (a test of the test)
    assert spread["fixed"] > 0.25 and spread["fixed"] > 4 * spread["old"], spread
    assert spread["centred"] > 0.15 and spread["centred"] > 4 * spread["old"], spread  # the BatchNorm alone


def test_latent_spread_loss_is_zero_when_off_and_punishes_a_shared_direction() -> None:
    from training.losses import LatentSpreadLoss

    rng = torch.Generator().manual_seed(0)
    spread_out = torch.randn(128, 16, generator=rng) * 2
    one_direction = torch.randn(128, 1, generator=rng) * torch.ones(1, 16) * 2 + 5  # offset, all dims equal
    assert float(LatentSpreadLoss(0.0)(one_direction, one_direction)[0]) == 0.0
    on = LatentSpreadLoss(1.0)
    assert float(on(one_direction, one_direction)[0]) > 10 * float(on(spread_out, spread_out)[0])


def test_note_centred_config_loads_and_the_old_one_is_unchanged() -> None:
    from training.config import load_config

    new, old = load_config("note_centred"), load_config("note_vicreg")
    assert new.model.centre_latent and new.notes.latent_spread > 0
    assert not old.model.centre_latent and old.notes.latent_spread == 0.0
    # the fix is the only difference: same data, model size and budget
    assert (new.pretrain, new.finetune, new.encoding) == (old.pretrain, old.finetune, old.encoding)
    assert new.model.d_model == old.model.d_model and new.notes.lengths == old.notes.lengths
    bn = load_config("note_centred_bn")  # the ablation: the centring alone, VICReg only
    assert bn.model.centre_latent and bn.notes.latent_spread == 0.0 and bn.finetune.epochs == 0
    assert bn.pretrain == old.pretrain


def test_centred_encoder_exports_its_centring(tmp_path: Path) -> None:
    """The BatchNorm's running statistics are in the ONNX graph: parity with torch, and they matter."""
    import motifcli
    from training.export import export_encoder, parity
    from training.note_pipeline import build_encoder, note_card

    cfg = _cfg(True, 1.0)
    enc = build_encoder(cfg)
    rng = np.random.default_rng(0)
    rolls = (rng.random((48, *SPEC.shape)) < 0.05).astype(np.float32)
    with torch.no_grad():  # train-mode passes move the running mean/var away from 0/1
        enc.train()
        for _ in range(20):
            enc(torch.from_numpy(rolls))
    enc.eval()
    assert float(enc.centre.running_mean.abs().max()) > 1e-3
    path = tmp_path / "centred.onnx"
    export_encoder(enc, path, note_card(cfg))
    assert parity(enc, path, rolls) < 1e-4
    model = motifcli.load_model(path, provider="cpu")
    assert "centred" in model.model_card.method
    out = model.embed(rolls)
    with torch.no_grad():
        enc.centre = None  # the same weights without the centring give other embeddings
        uncentred = torch.nn.functional.normalize(enc(torch.from_numpy(rolls)), dim=1).numpy()
    assert np.abs(np.asarray(out) - uncentred).max() > 1e-2
