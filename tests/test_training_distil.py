"""training/distil.py: a small student learns the shipped model's latent (its loss falls), exports with
torch/onnxruntime parity and keeps the teacher's contract and card (real POP909 bars, real onnxruntime)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("onnx")

from motifcli.contract import K_SOURCE_MODEL  # noqa: E402
from motifcli.encoding import render_rolls  # noqa: E402
from motifcli.model import default_model_path, load_model  # noqa: E402
from training.data import data_root  # noqa: E402
from training.distil import (DistilConfig, distil, distil_loss, load_distil_config, relational_loss,  # noqa: E402
                             student_card)
from training.export import PARITY_TOLERANCE, export_checked  # noqa: E402
from training.model import ModelConfig  # noqa: E402
from training.quantise import source_tag  # noqa: E402

try:
    data_root()
except FileNotFoundError:
    pytest.skip("POP909 data not available", allow_module_level=True)
if not default_model_path().exists():
    pytest.skip("no shipped model to distil", allow_module_level=True)


def test_losses_are_zero_for_the_teacher_itself_and_positive_otherwise() -> None:
    t = torch.nn.functional.normalize(torch.randn(16, 8, generator=torch.Generator().manual_seed(0)), dim=1)
    loss, terms = distil_loss(t * 3.0, t, relational=1.0)  # scale does not matter: both are cosines
    assert float(loss) == pytest.approx(0.0, abs=1e-6) and terms["relational"] == pytest.approx(0.0, abs=1e-6)
    other = torch.randn(16, 8, generator=torch.Generator().manual_seed(1))
    assert float(relational_loss(torch.nn.functional.normalize(other, dim=1), t)) > 0.01
    assert float(distil_loss(other, t, relational=0.0)[0]) > 0.1


def test_shipped_config_matches_the_teacher() -> None:
    cfg = load_distil_config("distil_small")
    teacher = load_model(default_model_path(), provider="cpu", threads=1).model_card
    assert cfg.model.residual_roll == teacher.residual_roll and cfg.model.latent == 128
    assert cfg.model.layers < 3 or cfg.model.d_model < 96  # smaller than the teacher


@pytest.fixture(scope="module")
def notes() -> list[np.ndarray]:
    from training.data import Split, unlabelled_bars

    spec = load_model(default_model_path(), provider="cpu", threads=1).spec
    return [b.notes for b in unlabelled_bars(list(Split.load().train)[:3], spec)]


def test_student_loss_falls_exports_with_parity_and_keeps_the_card(notes: list[np.ndarray], tmp_path: Path) -> None:
    cfg = replace(DistilConfig(), steps=40, batch_size=32, warmup=5, lr=3e-3, log_every=10,
                  model=ModelConfig(d_model=32, layers=1, heads=4, ff=64, latent=128, dropout=0.0, residual_roll=0.75))
    student, log, teacher_card = distil(cfg, notes)
    assert [r["step"] for r in log] == [10, 20, 30, 40]
    assert log[-1]["loss"] < 0.8 * log[0]["loss"], log
    path = tmp_path / "student.onnx"
    rolls = render_rolls(notes[:32], teacher_card.spec)
    assert export_checked(student, path, student_card(cfg, teacher_card, len(notes)), rolls) <= PARITY_TOLERANCE
    model = load_model(path, provider="cpu", threads=1)
    card = model.model_card
    assert card.embedding_dim == teacher_card.embedding_dim == model.embedding_dim
    assert card.grouping_threshold == teacher_card.grouping_threshold and card.spec == teacher_card.spec
    assert card.method.startswith("distilled (32-d, 1 layers") and card.quantisation is None
    assert model.metadata[K_SOURCE_MODEL] == source_tag(default_model_path())
    assert "BPS" in card.training_data and "no BPS/MTC" in card.training_data
