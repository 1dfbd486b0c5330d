"""The ONNX loader: contract checks on real onnxruntime sessions, providers, batching."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import build_rawroll_onnx, rawroll_metadata

from motifcli.encoding import EncodingSpec
from motifcli.errors import ModelError
from motifcli.model import available_providers, default_model_path, load_model


def test_rawroll_model_loads_with_its_contract(rawroll_model, rawroll_path: Path, spec: EncodingSpec) -> None:
    assert rawroll_model.path == rawroll_path
    assert rawroll_model.spec == spec
    assert rawroll_model.distance == "cosine"
    assert rawroll_model.grouping_threshold is None
    assert rawroll_model.embedding_dim == spec.steps * spec.pitch_count
    assert rawroll_model.providers[0] == "CPUExecutionProvider"
    card = rawroll_model.card()
    assert card["method"] == "raw-roll" and card["path"] == str(rawroll_path)


def test_embed_is_the_flattened_roll_and_batches_agree(rawroll_path: Path, spec: EncodingSpec) -> None:
    rng = np.random.default_rng(0)
    rolls = (rng.random((23, *spec.shape)) > 0.9).astype(np.float32)
    small = load_model(rawroll_path, provider="cpu", threads=1, batch_size=5)
    big = load_model(rawroll_path, provider="cpu", threads=1, batch_size=256)
    out_small, out_big = small.embed(rolls), big.embed(rolls)
    assert out_small.shape == (23, spec.steps * spec.pitch_count) and out_small.dtype == np.float32
    np.testing.assert_array_equal(out_small, rolls.reshape(23, -1))
    np.testing.assert_array_equal(out_small, out_big)


def test_embed_zero_rows(rawroll_model, spec: EncodingSpec) -> None:
    out = rawroll_model.embed(np.zeros((0, *spec.shape), dtype=np.float32))
    assert out.shape == (0, spec.steps * spec.pitch_count)


def test_embed_rejects_rolls_of_another_grid(rawroll_model, spec: EncodingSpec) -> None:
    with pytest.raises(ModelError, match="do not fit"):
        rawroll_model.embed(np.zeros((2, spec.steps // 2, spec.pitch_count), dtype=np.float32))


def test_spec_comes_from_metadata(models_dir: Path) -> None:
    spec = EncodingSpec(encoding="onset-sustain", steps_per_beat=4, segment_beats=4, pitch_low=36, pitch_count=60)
    meta = rawroll_metadata(spec, grouping_threshold="0.125")
    model = load_model(build_rawroll_onnx(spec, models_dir / "onset.onnx", meta), provider="cpu")
    assert model.spec == spec
    assert model.grouping_threshold == pytest.approx(0.125)
    assert model.embed(np.ones((3, 16, 60), dtype=np.float32)).shape == (3, 16 * 60)


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.onnx"
    with pytest.raises(ModelError, match="not found") as info:
        load_model(missing, provider="cpu")
    assert str(missing) in str(info.value)


@pytest.mark.parametrize("content", [b"this is not an onnx model\n", None], ids=["text", "truncated"])
def test_unloadable_files(tmp_path: Path, rawroll_path: Path, content: bytes | None) -> None:
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(content if content is not None else rawroll_path.read_bytes()[:150])
    with pytest.raises(ModelError, match="not a loadable ONNX model") as info:
        load_model(bad, provider="cpu")
    assert str(bad) in str(info.value)


def _bad_model(tmp_path: Path, spec: EncodingSpec, **kwargs) -> Path:  # noqa: ANN003
    return build_rawroll_onnx(spec, tmp_path / "bad.onnx", **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"metadata": {}}, "no metadata"),
        ({"input_name": "x"}, "expected exactly 'pianoroll'"),
        ({"output_name": "features"}, "expected 'embedding'"),
        ({"input_shape": ("N", 16, 84)}, r"shape \['N', 16, 84\]"),
        ({"input_shape": ("N", 2688)}, "shape"),
        ({"metadata": rawroll_metadata(EncodingSpec(), pitch_low=None)}, "pitch_low"),
        ({"metadata": rawroll_metadata(EncodingSpec(), steps_per_beat="eight")}, "not a number"),
        ({"metadata": rawroll_metadata(EncodingSpec(), encoding="velocity")}, "unknown encoding"),
        ({"metadata": rawroll_metadata(EncodingSpec(), distance="manhattan")}, "distance"),
        ({"metadata": rawroll_metadata(EncodingSpec(), distance=None)}, "distance"),
        ({"metadata": rawroll_metadata(EncodingSpec(), grouping_threshold="tight")}, "grouping_threshold"),
        ({"metadata": rawroll_metadata(EncodingSpec(), grouping_threshold="3")}, "grouping_threshold"),
        ({"metadata": rawroll_metadata(EncodingSpec(), embedding_dim="128")}, "embedding_dim"),
        ({"metadata": rawroll_metadata(EncodingSpec(), motif_contract="2")}, "motif_contract"),
    ],
    ids=[
        "no-metadata", "input-name", "output-name", "grid", "rank", "missing-key", "not-number",
        "encoding", "distance", "no-distance", "threshold-text", "threshold-range", "dim", "contract",
    ],
)
def test_contract_violations(tmp_path: Path, spec: EncodingSpec, kwargs: dict, message: str) -> None:
    path = _bad_model(tmp_path, spec, **kwargs)
    with pytest.raises(ModelError, match=message) as info:
        load_model(path, provider="cpu")
    assert str(path) in str(info.value)


def test_providers(rawroll_path: Path) -> None:
    with pytest.raises(ModelError, match="unknown provider"):
        load_model(rawroll_path, provider="tpu")
    if "CUDAExecutionProvider" in available_providers():
        assert load_model(rawroll_path, provider="auto").providers[0] == "CUDAExecutionProvider"
    else:
        assert load_model(rawroll_path, provider="auto").providers == ["CPUExecutionProvider"]
        with pytest.raises(ModelError, match="CUDAExecutionProvider"):
            load_model(rawroll_path, provider="cuda")


def test_default_model_location() -> None:
    path = default_model_path()
    assert path.name == "motif-default.onnx"
    if not path.exists():
        assert path.parent.name == "exported_models"
        with pytest.raises(ModelError, match="default model"):
            load_model(provider="cpu")


def test_installed_package_data_is_found_first(tmp_path: Path, rawroll_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When installed, pyproject maps exported_models/ to motifcli._models: that copy wins."""
    import sys

    import motifcli

    shipped = tmp_path / "_models" / "motif-default.onnx"
    shipped.parent.mkdir()
    shipped.write_bytes(rawroll_path.read_bytes())
    monkeypatch.setattr(motifcli, "__path__", [str(tmp_path), *motifcli.__path__])
    monkeypatch.delitem(sys.modules, "motifcli._models", raising=False)
    try:
        assert default_model_path() == shipped
        assert load_model(provider="cpu").path == shipped
    finally:
        sys.modules.pop("motifcli._models", None)


def test_training_exporter_output_passes_the_loader(tmp_path: Path, spec: EncodingSpec) -> None:
    """The contract seen from both sides: what training/export.py writes, load_model accepts."""
    export = pytest.importorskip("training.export", reason="training extras (torch, onnx) not installed")
    from motifcli.contract import ModelCard

    card = ModelCard(spec, method="raw-roll", training_data="none", version="0",
                     embedding_dim=spec.steps * spec.pitch_count, grouping_threshold=0.3)
    path = export.export_raw_roll(tmp_path / "raw.onnx", card)
    model = load_model(path, provider="cpu", threads=1)
    assert model.spec == spec and model.grouping_threshold == pytest.approx(0.3)
    assert model.model_card == card and export.read_card(path) == card
    rolls = np.zeros((2, *spec.shape), dtype=np.float32)
    rolls[:, 0, 10] = 1.0
    np.testing.assert_allclose(np.linalg.norm(model.embed(rolls), axis=1), 1.0, rtol=1e-6)
