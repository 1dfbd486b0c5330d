"""training/quantise.py: a quantised encoder keeps the contract and the card, says what it is, and
embeds real bars close to its fp32 source (real onnxruntime, real POP909 bars)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
onnx = pytest.importorskip("onnx")
pytest.importorskip("onnxruntime.quantization")

from motifcli.contract import K_QUANTISATION, K_SOURCE_MODEL  # noqa: E402
from motifcli.encoding import EncodingSpec, render_rolls  # noqa: E402
from motifcli.model import default_model_path, load_model  # noqa: E402
from training.data import data_root  # noqa: E402
from training.export import export_checked  # noqa: E402
from training.distil import DistilConfig, distil, student_card  # noqa: E402
from training.model import ModelConfig  # noqa: E402
from training.quantise import MODES, quantise, source_tag  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SPEC = EncodingSpec()
LATENT = 128  # the distilled student keeps the shipped model's latent width (its target)

try:
    data_root()
except FileNotFoundError:
    pytest.skip("POP909 data not available", allow_module_level=True)


@pytest.fixture(scope="module")
def bar_notes() -> list[np.ndarray]:
    """PIANO bars of two POP909 train-split songs (shippable data, as the calibration uses)."""
    from training.data import Split, unlabelled_bars

    return [b.notes for b in unlabelled_bars(list(Split.load().train)[:2], SPEC)]


@pytest.fixture(scope="module")
def bar_rolls(bar_notes: list[np.ndarray]) -> np.ndarray:
    return render_rolls(bar_notes, SPEC)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory, bar_notes: list[np.ndarray], bar_rolls: np.ndarray) -> Path:
    """A small encoder (2 layers, 32-d) with the shipped model's card and roll skip, trained for 60 steps
    (~10 s) to reproduce the shipped model's latent: an untrained one's pooled latents are all alike and
    quantisation noise then dominates them, which says nothing about a real model."""
    cfg = replace(DistilConfig(), steps=60, batch_size=32, warmup=5, lr=3e-3, log_every=20,
                  model=ModelConfig(d_model=32, layers=2, heads=4, ff=64, latent=LATENT, dropout=0.0, residual_roll=0.75))
    encoder, _, teacher = distil(cfg, bar_notes)
    path = tmp_path_factory.mktemp("quant") / "tiny.onnx"
    export_checked(encoder, path, student_card(cfg, teacher, len(bar_notes)), bar_rolls[:16])
    return path


def test_the_two_informative_keys_round_trip_and_are_absent_from_an_fp32_card() -> None:
    from motifcli.contract import ModelCard

    plain = ModelCard(SPEC, grouping_threshold=0.45, embedding_dim=2816, residual_roll=0.75)
    assert K_QUANTISATION not in plain.to_metadata() and "quantisation" not in plain.to_dict()
    marked = replace(plain, quantisation="dynamic int8", source_model="a.onnx sha256:0123456789ab")
    meta = marked.to_metadata()
    assert meta[K_QUANTISATION] == "dynamic int8" and meta[K_SOURCE_MODEL] == "a.onnx sha256:0123456789ab"
    assert ModelCard.from_metadata(meta) == marked and marked.to_dict()["source_model"] == meta[K_SOURCE_MODEL]


def _latent_cos(a: np.ndarray, b: np.ndarray, latent: int) -> np.ndarray:
    a, b = a[:, :latent], b[:, :latent]
    return (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


@pytest.mark.parametrize("mode", MODES)
def test_quantised_model_keeps_contract_and_card_and_stays_close(tiny: Path, bar_rolls: np.ndarray, tmp_path: Path,
                                                                  mode: str) -> None:
    out = tmp_path / f"{mode}.onnx"
    before = tiny.read_bytes()
    card = quantise(tiny, out, mode, rolls=bar_rolls[:64])
    assert tiny.read_bytes() == before  # the source is never written
    fp32, q = load_model(tiny, provider="cpu", threads=1), load_model(out, provider="cpu", threads=1)
    assert q.model_card == card
    # threshold, grid, names, width as the source's; source_model now names the fp32 file itself
    assert replace(q.model_card, quantisation=None, source_model=fp32.model_card.source_model) == fp32.model_card
    assert set(fp32.metadata) | {K_QUANTISATION, K_SOURCE_MODEL} == set(q.metadata)
    assert q.metadata[K_SOURCE_MODEL] == source_tag(tiny) and "int8" in q.metadata[K_QUANTISATION]
    if mode == "static":
        assert "64 POP909 train-split bars" in q.metadata[K_QUANTISATION]
    ops = {n.op_type for n in onnx.load(str(out)).graph.node}
    assert ops & {"MatMulInteger", "DynamicQuantizeLinear", "QuantizeLinear", "DequantizeLinear"}
    a, b = fp32.embed(bar_rolls), q.embed(bar_rolls)
    assert a.shape == b.shape
    # int8 costs a little: the learned part of the bars stays within cosine 0.97 of fp32 at the median, 0.85
    # at worst (this tiny model: dynamic 0.995 / 0.977, per channel 0.981 / 0.901, static 0.9999 / 0.9997)
    cos = _latent_cos(a, b, LATENT)
    assert np.median(cos) > 0.97 and cos.min() > 0.85
    assert not np.allclose(a, b)  # it did change the arithmetic
    np.testing.assert_allclose(a[:, LATENT:] / np.linalg.norm(a[:, LATENT:], axis=1, keepdims=True),
                               b[:, LATENT:] / np.linalg.norm(b[:, LATENT:], axis=1, keepdims=True), atol=1e-5)


def test_shipped_model_dynamic_int8_stays_within_cosine_0999(bar_rolls: np.ndarray, tmp_path: Path) -> None:
    """The shipped model's dynamic int8 twin: the per-bar latent cosine to fp32 (0.9999 median on the val bars)."""
    source = default_model_path()
    if not source.exists():
        pytest.skip("no shipped model")
    out = tmp_path / "shipped-int8.onnx"
    quantise(source, out, "dynamic")
    a = load_model(source, provider="cpu", threads=1).embed(bar_rolls)
    b = load_model(out, provider="cpu", threads=1).embed(bar_rolls)
    cos = _latent_cos(a, b, 128)
    assert np.median(cos) > 0.999 and cos.min() > 0.99
    assert out.stat().st_size < 0.5 * source.stat().st_size


def test_refuses_to_overwrite_the_source_or_quantise_twice(tiny: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="overwrite"):
        quantise(tiny, tiny, "dynamic")
    once = tmp_path / "once.onnx"
    quantise(tiny, once, "dynamic")
    with pytest.raises(ValueError, match="already quantised"):
        quantise(once, tmp_path / "twice.onnx", "dynamic")
    with pytest.raises(ValueError, match="unknown mode"):
        quantise(tiny, tmp_path / "x.onnx", "int4")
    assert not (tmp_path / "twice.onnx").exists() and not (tmp_path / "x.onnx").exists()


def test_cli_writes_the_file_and_reports_a_missing_source_in_one_line(tiny: Path, tmp_path: Path) -> None:
    env_path = {"PYTHONPATH": str(REPO)}
    import os

    env = {**os.environ, **env_path}
    out = tmp_path / "cli.onnx"
    ok = subprocess.run([sys.executable, "-m", "training.quantise", "--model", str(tiny), "--mode", "dynamic",
                         "-o", str(out)], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr[-2000:]
    assert out.exists() and "dynamic int8" in ok.stdout
    bad = subprocess.run([sys.executable, "-m", "training.quantise", "--model", str(tmp_path / "missing.onnx"),
                          "-o", str(tmp_path / "y.onnx")], cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=120)
    assert bad.returncode == 1 and "missing.onnx" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "y.onnx").exists()
