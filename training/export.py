"""Export the encoder to ONNX with the metadata contract of docs/architecture.md, and check parity.

The runtime never imports torch: everything it needs to feed the model (the encoding spec) and to
read its output (distance, calibrated grouping threshold) is written into ``metadata_props``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import torch

from motifcli.atomic import atomic_path
from motifcli.encoding import EncodingSpec
from training.model import EmbeddingHead, Encoder

OPSET = 17
CONTRACT_VERSION = "1"


def model_metadata(spec: EncodingSpec, *, method: str, training_data: str, version: str, embedding_dim: int,
                   distance: str = "cosine", extra: dict[str, str] | None = None) -> dict[str, str]:
    meta = {
        **spec.to_metadata(),
        "distance": distance,
        "method": method,
        "training_data": training_data,
        "version": version,
        "embedding_dim": str(embedding_dim),
        "motif_contract": CONTRACT_VERSION,
    }
    meta.update(extra or {})
    return meta


def _write_with_metadata(model: onnx.ModelProto, meta: dict[str, str], path: Path) -> None:
    del model.metadata_props[:]
    for k, v in meta.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = k, str(v)
    onnx.checker.check_model(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        onnx.save(model, str(tmp))


def export_encoder(encoder: Encoder, spec: EncodingSpec, path: Path, meta: dict[str, str]) -> Path:
    """Trace ``EmbeddingHead(encoder)`` to ONNX (opset 17, dynamic batch) and attach ``meta``."""
    head = EmbeddingHead(encoder).eval()
    example = torch.zeros(2, *spec.shape)
    tmp = path.with_suffix(".tmp.onnx")
    torch.onnx.export(
        head, (example,), str(tmp), input_names=["pianoroll"], output_names=["embedding"],
        dynamic_axes={"pianoroll": {0: "N"}, "embedding": {0: "N"}}, opset_version=OPSET, dynamo=False,
    )
    model = onnx.load(str(tmp))
    tmp.unlink()
    _write_with_metadata(model, meta, path)
    return path


def export_raw_roll(spec: EncodingSpec, path: Path, meta: dict[str, str]) -> Path:
    """The untrained baseline as a model: the flattened roll, L2-normalised (cosine)."""
    from onnx import TensorProto, helper

    dim = spec.steps * spec.pitch_count
    nodes = [
        helper.make_node("Flatten", ["pianoroll"], ["flat"], axis=1),
        helper.make_node("LpNormalization", ["flat"], ["embedding"], axis=1, p=2),
    ]
    graph = helper.make_graph(
        nodes, "raw_roll",
        [helper.make_tensor_value_info("pianoroll", TensorProto.FLOAT, ["N", spec.steps, spec.pitch_count])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["N", dim])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="motif")
    model.ir_version = 8
    _write_with_metadata(model, meta, path)
    return path


def parity(encoder: Encoder, path: Path, rolls: np.ndarray) -> float:
    """Max absolute difference between torch and onnxruntime embeddings of the same batch."""
    import onnxruntime as ort

    head = EmbeddingHead(encoder).eval()
    with torch.no_grad():
        expected = head(torch.from_numpy(rolls)).numpy()
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    got = session.run(["embedding"], {"pianoroll": rolls.astype(np.float32)})[0]
    return float(np.abs(expected - got).max())
