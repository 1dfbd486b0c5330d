"""The model card: one module spells the metadata; absurd cards and broken models are ModelErrors at load."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, build_rawroll_onnx, rawroll_metadata

from motifcli.contract import CONTRACT_VERSION, INPUT_NAME, OUTPUT_NAME, ModelCard
from motifcli.encoding import EncodingSpec
from motifcli.errors import ModelError
from motifcli.model import default_model_path, load_model


def test_card_round_trips_through_metadata() -> None:
    spec = EncodingSpec(encoding="onset-sustain", steps_per_beat=4, segment_beats=3.0)
    card = ModelCard(spec, distance="euclidean", grouping_threshold=0.45, method="m", training_data="d",
                     version="1.2", embedding_dim=64, residual_roll=0.75)
    meta = card.to_metadata()
    assert all(isinstance(v, str) for v in meta.values())
    assert meta["segment_beats"] == "3" and meta["grouping_threshold"] == "0.4500"
    assert ModelCard.from_metadata(meta) == card
    d = card.to_dict()
    assert d["input"] == INPUT_NAME and d["output"] == OUTPUT_NAME and d["contract_version"] == CONTRACT_VERSION
    assert d["encoding"]["steps_per_beat"] == 4 and d["grouping_threshold"] == 0.45
    assert ModelCard.from_metadata(ModelCard(spec).to_metadata()).grouping_threshold is None


def test_shipped_models_read_as_cards() -> None:
    path = default_model_path()
    if not path.exists():
        pytest.skip("no shipped model")
    model = load_model(path, provider="cpu", threads=1)
    card = model.model_card
    assert card.grouping_threshold == pytest.approx(0.50) and card.distance == "cosine"  # 0.2 (phase 24); 0.1: 0.45
    assert model.spec == card.spec and model.grouping_threshold == card.grouping_threshold
    assert card.embedding_dim == model.embedding_dim == 2816 and card.residual_roll == 0.75
    assert model.card()["grouping_threshold"] == "0.5000"  # the report's dict is the raw metadata, as before
    assert card.version == "0.2.0" and card.method.startswith("distilled") and "BPS" not in card.source_model


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("segment_beats", "nan", "segment_beats"),
        ("segment_beats", "inf", "segment_beats"),
        ("segment_beats", "-4", "segment_beats"),
        ("segment_beats", "1e9", "segment_beats"),
        ("steps_per_beat", "1e6", "steps_per_beat"),
        ("steps_per_beat", "0", "steps_per_beat"),
        ("steps_per_beat", "8.5", "whole number"),
        ("pitch_count", "100000", "pitches"),
        ("pitch_low", "-12", "pitches"),
        ("grouping_threshold", "nan", "grouping_threshold"),
        ("grouping_threshold", "inf", "grouping_threshold"),
        ("grouping_threshold", "0", "grouping_threshold"),
        ("embedding_dim", "2688.5", "embedding_dim"),
        ("residual_roll", "-1", "residual_roll"),
    ],
)
def test_absurd_cards_are_model_errors_at_load(tmp_path: Path, spec: EncodingSpec, key: str, value: str,
                                               message: str) -> None:
    meta = rawroll_metadata(spec, **{key: value})
    with pytest.raises(ModelError, match=message):
        ModelCard.from_metadata(meta)
    path = build_rawroll_onnx(spec, tmp_path / "absurd.onnx", meta)
    with pytest.raises(ModelError, match=message) as info:
        load_model(path, provider="cpu", threads=1)
    assert str(path) in str(info.value)


def test_absurd_card_is_one_clean_line_from_the_cli(tmp_path: Path, spec: EncodingSpec) -> None:
    """Issue 8 #11/#15: a model error (exit 1) before any file, not 'internal error' or 'score too large'."""
    import subprocess
    import sys

    from conftest import subprocess_env

    model = build_rawroll_onnx(spec, tmp_path / "nan.onnx", rawroll_metadata(spec, segment_beats="nan"))
    song = REPO / "examples"
    midi = next(iter(sorted(song.rglob("*.mid"))), None)
    if midi is None:
        pytest.skip("no example MIDI file")
    proc = subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(midi), "--model", str(model),
                           "-o", str(tmp_path / "out")], capture_output=True, text=True, timeout=120,
                          env=subprocess_env(), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "segment_beats" in proc.stderr and "internal error" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def _model_with_output(tmp_path: Path, spec: EncodingSpec, name: str, nodes_for: str, dim: int | None = None) -> Path:
    """A contract-following model whose output is NaN, Inf, zeros or the wrong width."""
    import onnx
    from onnx import TensorProto, helper

    flat = spec.steps * spec.pitch_count
    width = flat if dim is None else dim
    inp = helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, ["N", spec.steps, spec.pitch_count])
    out = helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT, ["N", width])
    nodes = [helper.make_node("Flatten", [INPUT_NAME], ["flat"], axis=1)]
    inits = []
    if nodes_for in ("nan", "inf", "zero"):
        value = {"nan": float("nan"), "inf": float("inf"), "zero": 0.0}[nodes_for]
        inits.append(helper.make_tensor("k", TensorProto.FLOAT, [], [value]))
        nodes.append(helper.make_node("Mul", ["flat", "k"], [OUTPUT_NAME]))
    elif nodes_for == "narrow":  # declares [N, D] without a fixed D, returns a slice narrower than the card says
        inits += [helper.make_tensor("s", TensorProto.INT64, [1], [0]), helper.make_tensor("e", TensorProto.INT64, [1], [7]),
                  helper.make_tensor("a", TensorProto.INT64, [1], [1])]
        nodes.append(helper.make_node("Slice", ["flat", "s", "e", "a"], [OUTPUT_NAME]))
        out = helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT, ["N", "D"])
        inp = helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, ["N", "T", "P"])  # nothing to infer from
    graph = helper.make_graph(nodes, name, [inp], [out], initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="motif-tests")
    model.ir_version = 8
    helper.set_model_props(model, rawroll_metadata(spec))
    path = tmp_path / f"{name}.onnx"
    onnx.save(model, str(path))
    return path


@pytest.mark.parametrize(("kind", "message"), [("nan", "NaN or infinite"), ("inf", "NaN or infinite"),
                                               ("zero", "all-zero"), ("narrow", r"expected \[N, 2688\]")])
def test_broken_outputs_are_refused_at_load(tmp_path: Path, spec: EncodingSpec, kind: str, message: str) -> None:
    path = _model_with_output(tmp_path, spec, kind, kind)
    with pytest.raises(ModelError, match=message) as info:
        load_model(path, provider="cpu", threads=1)
    assert str(path) in str(info.value)


def test_nan_on_a_later_batch_is_refused_at_embed(rawroll_model, spec: EncodingSpec) -> None:
    rolls = np.zeros((2, *spec.shape), dtype=np.float32)
    rolls[1, 0, 0] = np.nan  # the raw-roll model passes it through
    with pytest.raises(ModelError, match="NaN or infinite"):
        rawroll_model.embed(rolls)


def test_only_the_contract_module_spells_keys_and_tensor_names() -> None:
    """Metadata keys, tensor names and the contract version live in motifcli/contract.py alone."""
    spelled = re.compile(r"""["'](motif_contract|grouping_threshold|embedding_dim|residual_roll|training_data|pianoroll|embedding)["']""")
    offenders = []
    for folder in ("motifcli", "training", "benchmarks"):
        for path in sorted((REPO / folder).rglob("*.py")):
            if path.name == "contract.py":
                continue
            for n, line in enumerate(path.read_text().splitlines(), 1):
                if spelled.search(line):
                    offenders.append(f"{path.relative_to(REPO)}:{n}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
