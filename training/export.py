"""Export the encoder to ONNX with its model card (motifcli.contract), and check parity.

The runtime never imports torch: everything it needs to feed the model (the encoding spec) and to
read its output (distance, calibrated grouping threshold) is the card, written into
``metadata_props`` by ``ModelCard.to_metadata``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import torch

from motifcli.atomic import atomic_path
from motifcli.contract import ModelCard
from motifcli.encoding import EncodingSpec
from training.model import EmbeddingHead, Encoder

OPSET = 17


def _write_with_metadata(model: onnx.ModelProto, card: ModelCard, path: Path) -> None:
    del model.metadata_props[:]
    for k, v in card.to_metadata().items():
        entry = model.metadata_props.add()
        entry.key, entry.value = k, str(v)
    onnx.checker.check_model(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        onnx.save(model, str(tmp))


def export_encoder(encoder: Encoder, path: Path, card: ModelCard) -> Path:
    """Trace ``EmbeddingHead(encoder)`` to ONNX (opset 17, dynamic batch) and attach the card."""
    spec = card.spec
    head = EmbeddingHead(encoder).eval()
    example = torch.zeros(2, *spec.shape)
    tmp = path.with_suffix(".tmp.onnx")
    torch.onnx.export(
        head, (example,), str(tmp), input_names=[card.input_name], output_names=[card.output_name],
        dynamic_axes={card.input_name: {0: "N"}, card.output_name: {0: "N"}}, opset_version=OPSET, dynamo=False,
    )
    model = onnx.load(str(tmp))
    tmp.unlink()
    _write_with_metadata(model, card, path)
    return path


def export_raw_roll(path: Path, card: ModelCard) -> Path:
    """The untrained baseline as a model: the flattened roll, L2-normalised (cosine)."""
    from onnx import TensorProto, helper

    spec = card.spec
    dim = spec.steps * spec.pitch_count
    nodes = [
        helper.make_node("Flatten", [card.input_name], ["flat"], axis=1),
        helper.make_node("LpNormalization", ["flat"], [card.output_name], axis=1, p=2),
    ]
    graph = helper.make_graph(
        nodes, "raw_roll",
        [helper.make_tensor_value_info(card.input_name, TensorProto.FLOAT, ["N", spec.steps, spec.pitch_count])],
        [helper.make_tensor_value_info(card.output_name, TensorProto.FLOAT, ["N", dim])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="motif")
    model.ir_version = 8
    _write_with_metadata(model, card, path)
    return path


def read_card(path: Path) -> ModelCard:
    """The card of an exported file, as the runtime reads it."""
    model = onnx.load(str(path))
    return ModelCard.from_metadata({p.key: p.value for p in model.metadata_props})


def write_card(path: Path, card: ModelCard) -> Path:
    """Replace the card of an exported file in place (atomically); the weights stay as they are."""
    model = onnx.load(str(path))
    _write_with_metadata(model, card, path)
    return path


def parity(encoder: Encoder, path: Path, rolls: np.ndarray) -> float:
    """Max absolute difference between torch and the runtime's embeddings of the same rolls.

    The ONNX side runs through ``motifcli.model.load_model``, so the exported file also passes the
    runtime's card, graph and probe checks; the rolls come from ``motifcli.encoding``.
    """
    head = EmbeddingHead(encoder).eval()
    with torch.no_grad():
        expected = head(torch.from_numpy(rolls)).numpy()
    from motifcli.model import load_model

    got = load_model(path, provider="cpu", threads=1).embed(rolls)
    return float(np.abs(expected - got).max())


PARITY_TOLERANCE = 1e-4  # the most an export's embeddings may differ from torch's (max absolute difference)


def export_checked(encoder: Encoder, path: Path, card: ModelCard, rolls: np.ndarray, name: str = "") -> float:
    """:func:`export_encoder`, then :func:`parity` on ``rolls``: a file that the runtime would embed
    differently from torch (by more than :data:`PARITY_TOLERANCE`) is an error, not a model. Returns the difference."""
    export_encoder(encoder, path, card)
    diff = parity(encoder, path, rolls)
    if diff > PARITY_TOLERANCE:
        of = f" of {name}" if name else ""
        raise RuntimeError(f"ONNX export{of} differs from torch by {diff:.2e} > {PARITY_TOLERANCE}")
    return diff
