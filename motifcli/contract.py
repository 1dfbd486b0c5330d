"""The model contract: what an exported encoder promises the runtime, spelled in one place.

Training writes a :class:`ModelCard` into the ONNX file's ``metadata_props`` (``to_metadata``);
the runtime reads it back (``from_metadata``) and checks the graph against it. No other module
names a metadata key, the tensor names or the contract version, so the two sides cannot drift.
A card that cannot be honoured (a grid of ``nan`` beats, a roll of a million steps, a threshold
out of range) is a :class:`ModelError` here, once, when the model is loaded.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from motifcli.encoding import EncodingSpec
from motifcli.errors import ModelError

CONTRACT_VERSION = "1"
INPUT_NAME = "pianoroll"  # float32 [N, steps, pitches], dynamic N
OUTPUT_NAME = "embedding"  # float32 [N, D]
DISTANCES = ("cosine", "euclidean")
MAX_EMBEDDING_DIM = 1 << 16

# metadata keys (all values are strings)
K_CONTRACT = "motif_contract"
K_DISTANCE = "distance"
K_METHOD = "method"
K_TRAINING_DATA = "training_data"
K_VERSION = "version"
K_EMBEDDING_DIM = "embedding_dim"
K_THRESHOLD = "grouping_threshold"
K_RESIDUAL = "residual_roll"
K_INPUT_PITCH = "input_pitch"
K_QUANTISATION = "quantisation"  # informative: how the weights were quantised (training/quantise.py); absent: fp32
K_SOURCE_MODEL = "source_model"  # informative: the file a quantised or distilled model was made from (name, sha256)
INPUT_PITCHES = ("normalised", "absolute")  # how note-level discovery places a window's pitches (None: normalised)
SPEC_KEYS = tuple(f.name for f in fields(EncodingSpec))  # encoding, steps_per_beat, segment_beats, pitch_low, pitch_count
_INT_SPEC_KEYS = ("steps_per_beat", "pitch_low", "pitch_count")


@dataclass(frozen=True, slots=True)
class ModelCard:
    """Everything the runtime needs to know about a model, and what a report records of it."""

    spec: EncodingSpec
    distance: str = "cosine"
    grouping_threshold: float | None = None  # calibrated distance threshold at sensitivity 0.5
    method: str = ""
    training_data: str = ""
    version: str = ""
    embedding_dim: int | None = None
    residual_roll: float | None = None  # informative: weight of the raw roll in the embedding
    # note-level discovery (discovery/embed.py): "normalised" windows start at a fixed pitch (the
    # default, also when absent); "absolute" keeps the score's pitches, for a model that was
    # trained without transposition views (the no-invariance ablation) and so saw absolute pitch
    input_pitch: str | None = None
    quantisation: str | None = None  # informative (training/quantise.py): e.g. "dynamic int8 (MatMul, Gemm)"
    source_model: str | None = None  # informative: the model it was quantised or distilled from
    contract_version: str = CONTRACT_VERSION
    input_name: str = field(default=INPUT_NAME)
    output_name: str = field(default=OUTPUT_NAME)

    def __post_init__(self) -> None:
        if self.contract_version != CONTRACT_VERSION:
            raise ModelError(f"model follows {K_CONTRACT} {self.contract_version!r}; this motif reads {CONTRACT_VERSION!r}")
        if self.distance not in DISTANCES:
            raise ModelError(f"model metadata {K_DISTANCE}={self.distance!r}; expected one of {', '.join(DISTANCES)}")
        t = self.grouping_threshold
        if t is not None:
            top = 2.0 if self.distance == "cosine" else math.inf
            if not (math.isfinite(t) and 0 < t <= top):
                what = "a cosine distance in (0, 2]" if self.distance == "cosine" else "a positive finite distance"
                raise ModelError(f"{K_THRESHOLD}={t} is not {what}")
        d = self.embedding_dim
        if d is not None and not 1 <= d <= MAX_EMBEDDING_DIM:
            raise ModelError(f"{K_EMBEDDING_DIM}={d} is outside 1..{MAX_EMBEDDING_DIM}")
        r = self.residual_roll
        if r is not None and not (math.isfinite(r) and r >= 0):
            raise ModelError(f"{K_RESIDUAL}={r} is not a finite weight >= 0")
        if self.input_pitch is not None and self.input_pitch not in INPUT_PITCHES:
            raise ModelError(f"model metadata {K_INPUT_PITCH}={self.input_pitch!r}; expected one of {', '.join(INPUT_PITCHES)}")

    def to_metadata(self) -> dict[str, str]:
        """String key/values for ONNX ``metadata_props``."""
        meta = {k: _fmt(v) for k, v in self.spec.to_dict().items()}
        meta.update({
            K_DISTANCE: self.distance,
            K_METHOD: self.method,
            K_TRAINING_DATA: self.training_data,
            K_VERSION: self.version,
            K_CONTRACT: self.contract_version,
        })
        if self.embedding_dim is not None:
            meta[K_EMBEDDING_DIM] = str(self.embedding_dim)
        if self.grouping_threshold is not None:
            meta[K_THRESHOLD] = f"{self.grouping_threshold:.4f}"
        if self.residual_roll is not None:
            meta[K_RESIDUAL] = _fmt(self.residual_roll)
        if self.input_pitch is not None:
            meta[K_INPUT_PITCH] = self.input_pitch
        if self.quantisation is not None:
            meta[K_QUANTISATION] = self.quantisation
        if self.source_model is not None:
            meta[K_SOURCE_MODEL] = self.source_model
        return meta

    @classmethod
    def from_metadata(cls, meta: Mapping[str, str]) -> ModelCard:
        """Rebuild and check the card; a missing, unparsable or absurd value is a :class:`ModelError`."""
        if not meta:
            raise ModelError("model has no metadata; it was not exported for motif (see docs/architecture.md)")
        contract = meta.get(K_CONTRACT, CONTRACT_VERSION)
        if contract != CONTRACT_VERSION:
            raise ModelError(f"model follows {K_CONTRACT} {contract!r}; this motif reads {CONTRACT_VERSION!r}")
        spec_args: dict[str, object] = {}
        for key in SPEC_KEYS:
            if key not in meta:
                raise ModelError(f"model metadata lacks {key!r}")
            if key == "encoding":
                spec_args[key] = meta[key]
            elif key in _INT_SPEC_KEYS:
                spec_args[key] = _whole(meta, key)
            else:
                spec_args[key] = _number(meta, key)
        try:
            spec = EncodingSpec(**spec_args)  # type: ignore[arg-type]
        except ValueError as exc:
            raise ModelError(f"model metadata: {exc}") from exc
        dim = _number(meta, K_EMBEDDING_DIM, optional=True)
        if dim is not None and not dim.is_integer():
            raise ModelError(f"model metadata {K_EMBEDDING_DIM}={meta[K_EMBEDDING_DIM]!r} is not a whole number")
        return cls(
            spec=spec,
            distance=meta.get(K_DISTANCE, ""),
            grouping_threshold=_number(meta, K_THRESHOLD, optional=True),
            method=meta.get(K_METHOD, ""),
            training_data=meta.get(K_TRAINING_DATA, ""),
            version=meta.get(K_VERSION, ""),
            embedding_dim=int(dim) if dim is not None else None,
            residual_roll=_number(meta, K_RESIDUAL, optional=True),
            input_pitch=meta.get(K_INPUT_PITCH),
            quantisation=meta.get(K_QUANTISATION),
            source_model=meta.get(K_SOURCE_MODEL),
            contract_version=contract,
        )

    def with_threshold(self, threshold: float) -> ModelCard:
        """The same card with a calibrated grouping threshold (the training ``calibrate`` stage)."""
        from dataclasses import replace

        return replace(self, grouping_threshold=float(threshold))

    def to_dict(self) -> dict[str, object]:
        """Plain data for JSON reports and ``motif info``."""
        return {
            "contract_version": self.contract_version,
            "input": self.input_name,
            "output": self.output_name,
            "encoding": self.spec.to_dict(),
            "distance": self.distance,
            "grouping_threshold": self.grouping_threshold,
            "method": self.method,
            "training_data": self.training_data,
            "version": self.version,
            "embedding_dim": self.embedding_dim,
            "residual_roll": self.residual_roll,
            "input_pitch": self.input_pitch,
            # only on derived models, so the shipped model's dict (and motif info) is as before
            **({"quantisation": self.quantisation} if self.quantisation is not None else {}),
            **({"source_model": self.source_model} if self.source_model is not None else {}),
        }


def _fmt(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _number(meta: Mapping[str, str], key: str, optional: bool = False) -> float | None:
    raw = meta.get(key)
    if raw is None or (optional and raw == ""):
        if optional:
            return None
        raise ModelError(f"model metadata lacks {key!r}")
    try:
        value = float(raw)
    except ValueError as exc:
        raise ModelError(f"model metadata {key}={raw[:40]!r} is not a number") from exc
    if not math.isfinite(value):
        raise ModelError(f"model metadata {key}={raw[:40]!r} is not a finite number")
    return value


def _whole(meta: Mapping[str, str], key: str) -> int:
    value = _number(meta, key)
    assert value is not None
    if not value.is_integer():
        raise ModelError(f"model metadata {key}={meta[key][:40]!r} is not a whole number")
    return int(value)
