"""The ONNX encoder: finding the model file, opening a session, checking the metadata contract.

The model is the only part of motif that comes from training, so everything that can go wrong with
it (missing file, a truncated download, somebody else's ONNX, a model for another piano-roll grid)
is caught here, when it is loaded, and reported as one :class:`ModelError` naming the file. After
``load_model`` succeeds, ``embed`` can only fail on a bug. onnxruntime is imported lazily so that
``motif --help`` stays fast.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from motifcli.encoding import EncodingSpec
from motifcli.errors import ModelError

if TYPE_CHECKING:  # pragma: no cover
    import onnxruntime

DEFAULT_MODEL_NAME = "motif-default.onnx"
INPUT_NAME = "pianoroll"
OUTPUT_NAME = "embedding"
CONTRACT_VERSION = "1"
DISTANCES = ("cosine", "euclidean")
PROVIDERS = ("auto", "cpu", "cuda")
DEFAULT_BATCH = 64  # rolls per run: on CPU 32-64 beat 256 by ~8% (activations stay in cache)

_CUDA = "CUDAExecutionProvider"
_CPU = "CPUExecutionProvider"


def default_model_path() -> Path:
    """The shipped model: package data ``motifcli._models`` when installed, else ``exported_models/``."""
    try:
        from importlib.resources import files

        candidate = files("motifcli._models") / DEFAULT_MODEL_NAME
        if candidate.is_file():
            return Path(str(candidate))
    except (ModuleNotFoundError, TypeError, ValueError):
        pass
    return Path(__file__).resolve().parent.parent / "exported_models" / DEFAULT_MODEL_NAME


def available_providers() -> list[str]:
    import onnxruntime as ort

    return list(ort.get_available_providers())


def resolve_providers(provider: str) -> list[str]:
    """Provider names for the session; ``cuda`` without CUDA is an error, ``auto`` falls back to CPU."""
    provider = provider.lower()
    if provider not in PROVIDERS:
        raise ModelError(f"unknown provider {provider!r}; choose one of {', '.join(PROVIDERS)}")
    available = available_providers()
    if provider == "cpu":
        return [_CPU]
    if _CUDA in available:
        return [_CUDA, _CPU]
    if provider == "cuda":
        raise ModelError(
            "provider 'cuda' asked for, but this onnxruntime has no CUDAExecutionProvider "
            f"(available: {', '.join(available)}); install onnxruntime-gpu or use --provider cpu"
        )
    return [_CPU]


def default_threads() -> int:
    """Intra-op threads: the cores there are, at most 4 (small batches gain nothing beyond)."""
    return max(1, min(4, os.cpu_count() or 1))


@dataclass(slots=True)
class MotifModel:
    """An open encoder: ``embed`` turns piano rolls into vectors, ``spec`` says how to make the rolls."""

    path: Path
    session: onnxruntime.InferenceSession = field(repr=False)
    metadata: dict[str, str]
    spec: EncodingSpec
    distance: str
    grouping_threshold: float | None
    embedding_dim: int | None
    batch_size: int = DEFAULT_BATCH

    @property
    def providers(self) -> list[str]:
        return list(self.session.get_providers())

    def card(self) -> dict[str, str]:
        """What to record next to results: the file, the provider and the model's own metadata."""
        return {"path": str(self.path), "provider": self.providers[0], **self.metadata}

    def embed(self, rolls: np.ndarray) -> np.ndarray:
        """Embeddings [N, D] float32 of rolls [N, steps, pitches], run ``batch_size`` rows at a time."""
        rolls = np.asarray(rolls, dtype=np.float32)
        if rolls.ndim != 3 or rolls.shape[1:] != self.spec.shape:
            raise ModelError(
                f"rolls of shape {rolls.shape} do not fit the model's grid [N, {self.spec.steps}, {self.spec.pitch_count}]",
                self.path,
            )
        if rolls.shape[0] == 0:
            return np.zeros((0, self._dim()), dtype=np.float32)
        parts = [
            self._run(rolls[i : i + self.batch_size]) for i in range(0, rolls.shape[0], self.batch_size)
        ]
        out = np.concatenate(parts, axis=0)
        if self.embedding_dim is None:
            self.embedding_dim = int(out.shape[1])
        return out

    def _run(self, batch: np.ndarray) -> np.ndarray:
        (out,) = self.session.run([OUTPUT_NAME], {INPUT_NAME: np.ascontiguousarray(batch)})
        out = np.asarray(out, dtype=np.float32)
        if out.ndim != 2 or out.shape[0] != batch.shape[0]:
            raise ModelError(f"model returned shape {out.shape} for {batch.shape[0]} rolls; expected [N, D]", self.path)
        return out

    def _dim(self) -> int:
        if self.embedding_dim is None:
            self.embedding_dim = int(self._run(np.zeros((1, *self.spec.shape), dtype=np.float32)).shape[1])
        return self.embedding_dim


def load_model(
    path: str | os.PathLike[str] | None = None,
    provider: str = "auto",
    threads: int | None = None,
    batch_size: int = DEFAULT_BATCH,
) -> MotifModel:
    """Open an ONNX encoder (default: the shipped model) and check it follows the contract."""
    model_path = Path(path) if path is not None else default_model_path()
    if not model_path.is_file():
        hint = "" if path is not None else " (the default model is not installed; pass --model FILE)"
        raise ModelError(f"model file not found{hint}", model_path)
    providers = resolve_providers(provider)
    session = _open_session(model_path, providers, threads or default_threads())
    if provider.lower() == "cuda" and _CUDA not in session.get_providers():
        raise ModelError("CUDA provider could not be started (check the CUDA/cuDNN libraries)", model_path)
    meta = dict(session.get_modelmeta().custom_metadata_map)
    spec, distance, threshold, dim = check_contract(session, meta, model_path)
    return MotifModel(model_path, session, meta, spec, distance, threshold, dim, max(1, batch_size))


def _open_session(path: Path, providers: list[str], threads: int) -> onnxruntime.InferenceSession:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.log_severity_level = 3  # errors only: warnings would break the CLI's one-line output
    try:
        return ort.InferenceSession(str(path), sess_options=options, providers=providers)
    except Exception as exc:  # onnxruntime raises its own untyped errors for bad files
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelError(f"not a loadable ONNX model ({reason[:300]})", path) from exc


def check_contract(
    session: Any, meta: dict[str, str], path: Path
) -> tuple[EncodingSpec, str, float | None, int | None]:
    """Validate inputs, outputs and metadata against docs/architecture.md; return what embed needs."""
    if not meta:
        raise ModelError("model has no metadata; it was not exported for motif (see docs/architecture.md)", path)
    contract = meta.get("motif_contract", CONTRACT_VERSION)
    if contract != CONTRACT_VERSION:
        raise ModelError(f"model follows motif_contract {contract!r}; this motif reads {CONTRACT_VERSION!r}", path)
    try:
        spec = EncodingSpec.from_metadata(meta)
    except ModelError as exc:
        raise ModelError(exc.message, path) from exc
    distance = meta.get("distance")
    if distance not in DISTANCES:
        raise ModelError(f"model metadata distance={distance!r}; expected one of {', '.join(DISTANCES)}", path)
    threshold = _optional_float(meta, "grouping_threshold", path)
    if threshold is not None and not 0 < threshold <= 2:
        raise ModelError(f"grouping_threshold={threshold} is not a cosine distance in (0, 2]", path)

    inputs = {i.name: i for i in session.get_inputs()}
    outputs = {o.name: o for o in session.get_outputs()}
    if INPUT_NAME not in inputs or len(inputs) != 1:
        raise ModelError(f"model inputs are {sorted(inputs)}; expected exactly {INPUT_NAME!r}", path)
    if OUTPUT_NAME not in outputs:
        raise ModelError(f"model outputs are {sorted(outputs)}; expected {OUTPUT_NAME!r}", path)
    inp = inputs[INPUT_NAME]
    if inp.type != "tensor(float)":
        raise ModelError(f"input {INPUT_NAME!r} is {inp.type}; expected tensor(float)", path)
    shape = list(inp.shape or [])
    expected = [None, spec.steps, spec.pitch_count]
    if len(shape) != 3 or any(isinstance(s, int) and e is not None and s != e for s, e in zip(shape, expected)):
        raise ModelError(
            f"input {INPUT_NAME!r} has shape {shape}; the metadata's grid needs [N, {spec.steps}, {spec.pitch_count}]",
            path,
        )
    out_shape = list(outputs[OUTPUT_NAME].shape or [])
    if out_shape and len(out_shape) != 2:
        raise ModelError(f"output {OUTPUT_NAME!r} has shape {out_shape}; expected [N, D]", path)
    dim = out_shape[1] if len(out_shape) == 2 and isinstance(out_shape[1], int) else None
    meta_dim = _optional_float(meta, "embedding_dim", path)
    if meta_dim is not None and dim is not None and int(meta_dim) != dim:
        raise ModelError(f"embedding_dim={int(meta_dim)} in metadata but the output has {dim} columns", path)
    if dim is None and meta_dim is not None:
        dim = int(meta_dim)
    return spec, distance, threshold, dim


def _optional_float(meta: dict[str, str], key: str, path: Path) -> float | None:
    raw = meta.get(key)
    if raw is None or raw == "":
        return None
    try:
        return float(raw)
    except ValueError as exc:
        raise ModelError(f"model metadata {key}={raw!r} is not a number", path) from exc
