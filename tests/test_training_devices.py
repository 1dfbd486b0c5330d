"""Training on a lent GPU (phase 24): the device switch, float16 encoder copies for the trip back
(training/slim.py), and distillation from a checkpoint teacher in torch (training/distil.py).
Real POP909 bars and real torch; the CUDA path itself ran on the lent H200 (benchmarks/phase24-gpu24.md)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("onnx")

from motifcli.encoding import render_rolls  # noqa: E402
from training.config import load_config  # noqa: E402
from training.data import Split, data_root, unlabelled_bars  # noqa: E402
from training.distil import CheckpointTeacher, DistilConfig, distil, load_teacher, student_card  # noqa: E402
from training.loop import resolve_device, save_checkpoint  # noqa: E402
from training.model import ModelConfig  # noqa: E402
from training.pipeline import build_encoder, load_encoder  # noqa: E402
from training.slim import checked_slim, restore, rounding_error, slim  # noqa: E402

try:
    data_root()
except FileNotFoundError:
    pytest.skip("POP909 data not available", allow_module_level=True)

SMOKE = load_config("smoke")


def test_device_names() -> None:
    assert resolve_device("cpu").type == "cpu"
    assert resolve_device("auto").type == ("cuda" if torch.cuda.is_available() else "cpu")
    with pytest.raises(ValueError, match="unknown device 'gpu'"):
        resolve_device("gpu")
    if not torch.cuda.is_available():
        with pytest.raises(RuntimeError, match="no CUDA device"):
            resolve_device("cuda")


def test_device_flag_reaches_the_config() -> None:
    assert SMOKE.device == "cpu" and load_config("smoke", {"device": "auto"}).device == "auto"
    assert load_config("paper_default").device == "auto" and load_config("motif_default").device == "cpu"


@pytest.fixture(scope="module")
def rolls() -> np.ndarray:
    bars = unlabelled_bars(list(Split.load().train)[:2], SMOKE.encoding)
    return render_rolls([b.notes for b in bars[:64]], SMOKE.encoding)


@pytest.fixture()
def trained_run(tmp_path: Path) -> Path:
    """A run folder holding one finished checkpoint of a (randomly initialised) smoke encoder."""
    encoder = build_encoder(replace(SMOKE, seed=3))
    save_checkpoint(tmp_path / "run" / "checkpoints" / "finetune-epoch2.pt",
                    {"stage": "finetune", "epoch": 2, "encoder": encoder.state_dict(), "expander": None, "optimizer": None})
    return tmp_path / "run"


def test_slim_halves_the_bytes_and_restores_a_loadable_checkpoint(trained_run: Path, tmp_path: Path,
                                                                   rolls: np.ndarray) -> None:
    checkpoint = trained_run / "checkpoints" / "finetune-epoch2.pt"
    original = load_encoder(SMOKE, trained_run)
    full = tmp_path / "full.pt"
    torch.save(original.state_dict(), full)
    small = slim(checkpoint, tmp_path / "slim.pt")
    weights = torch.load(small, weights_only=True)["encoder"]
    assert all(v.dtype == torch.float16 for v in weights.values() if v.is_floating_point())
    assert small.stat().st_size < 0.7 * full.stat().st_size
    other = tmp_path / "elsewhere"
    assert restore(small, other) == other / "checkpoints" / "finetune-epoch2.pt"
    back = load_encoder(SMOKE, other)
    x = torch.from_numpy(rolls)
    with torch.no_grad():
        distance = 1 - (original.embed(x) * back.embed(x)).sum(dim=1)
    assert float(distance.max()) < 1e-3  # float16 weights: the same embedding to three decimals
    assert not torch.equal(original.input.weight, back.input.weight)  # but rounded, not copied
    assert 0 < rounding_error(original, x) < 1e-3


def test_checked_slim_reports_the_round_trip_on_val_bars(trained_run: Path, tmp_path: Path) -> None:
    report = checked_slim(trained_run / "checkpoints" / "finetune-epoch2.pt", tmp_path / "w.slim.pt", "smoke")
    assert report["bars"] > 100 and 0 <= report["max_cosine_distance"] < 1e-3
    assert json.loads((tmp_path / "w.slim.json").read_text()) == report


def test_checkpoint_teacher_gives_its_encoders_normalised_latent(trained_run: Path, rolls: np.ndarray) -> None:
    checkpoint = trained_run / "checkpoints" / "finetune-epoch2.pt"
    teacher = CheckpointTeacher(checkpoint, "smoke", SMOKE.model.latent, torch.device("cpu"))
    encoder = load_encoder(SMOKE, trained_run)
    with torch.no_grad():
        expected = torch.nn.functional.normalize(encoder(torch.from_numpy(rolls)), dim=1)
    assert torch.allclose(teacher(rolls), expected, atol=1e-6)
    assert teacher.card.grouping_threshold is None and teacher.card.method == SMOKE.method
    with pytest.raises(ValueError, match="latent"):
        CheckpointTeacher(checkpoint, "smoke", SMOKE.model.latent * 2, torch.device("cpu"))
    with pytest.raises(ValueError, match="teacher_config"):
        load_teacher(replace(DistilConfig(), teacher=str(checkpoint)), torch.device("cpu"))


def test_distil_from_a_checkpoint_teacher(trained_run: Path) -> None:
    notes = [b.notes for b in unlabelled_bars(list(Split.load().train)[:2], SMOKE.encoding)]
    cfg = replace(DistilConfig(), teacher=str(trained_run / "checkpoints" / "finetune-epoch2.pt"),
                  teacher_config="smoke", steps=30, batch_size=32, warmup=5, lr=3e-3, log_every=10,
                  model=ModelConfig(d_model=16, layers=1, heads=2, ff=32, latent=SMOKE.model.latent, dropout=0.0,
                                    residual_roll=0.0))
    student, log, card = distil(cfg, notes)
    assert log[-1]["loss"] < 0.8 * log[0]["loss"], log
    assert next(student.parameters()).device.type == "cpu"
    labelled = student_card(cfg, card, len(notes))
    assert labelled.method.startswith("distilled (16-d, 1 layers") and labelled.grouping_threshold is None
    assert "music21" in labelled.training_data and "the teacher: " + card.training_data in labelled.training_data
    assert "music21" not in student_card(replace(cfg, music21_files=0), card, len(notes)).training_data
