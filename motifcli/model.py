"""The ONNX encoder: finding the model file, opening a session, checking it against its card.

The model is the only part of motif that comes from training, so everything that can go wrong with
it (missing file, a truncated download, somebody else's ONNX, a model for another piano-roll grid)
is caught here, when it is loaded, and reported as one :class:`ModelError` naming the file: the
card (``contract.py``) must be sound, the graph must match it, and a probe batch must come back
as finite, non-zero vectors of the card's width. ``embed`` checks every batch for NaN/Inf too. onnxruntime is imported lazily so that
``motif --help`` stays fast.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from motifcli.contract import INPUT_NAME, OUTPUT_NAME, ModelCard
from motifcli.encoding import EncodingSpec, encode_notes
from motifcli.errors import ModelError

if TYPE_CHECKING:  # pragma: no cover
    import onnxruntime

DEFAULT_MODEL_NAME = "motif-default.onnx"
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


def check_provider_name(provider: str) -> str:
    """``provider`` in lower case, if it is one of :data:`PROVIDERS` (else a ModelError); imports nothing."""
    provider = provider.lower()
    if provider not in PROVIDERS:
        raise ModelError(f"unknown provider {provider!r}; choose one of {', '.join(PROVIDERS)}")
    return provider


def resolve_providers(provider: str) -> list[str]:
    """Provider names for the session; ``cuda`` without CUDA is an error, ``auto`` falls back to CPU."""
    provider = check_provider_name(provider)
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
    model_card: ModelCard
    embedding_dim: int
    batch_size: int = DEFAULT_BATCH

    @property
    def spec(self) -> EncodingSpec:
        return self.model_card.spec

    @property
    def distance(self) -> str:
        return self.model_card.distance

    @property
    def grouping_threshold(self) -> float | None:
        return self.model_card.grouping_threshold

    @property
    def providers(self) -> list[str]:
        return list(self.session.get_providers())

    def card(self) -> dict[str, str]:
        """What to record next to results: the file, the provider and the model's own metadata."""
        return {"path": str(self.path), "provider": self.providers[0], **self.metadata}

    def __repr__(self) -> str:
        """One line, as a ``LazyModel``'s: the dataclass's own repr printed the whole metadata and model card
        twice over (2,052 characters for the shipped model) where a notebook shows ``load_model()``."""
        return (f"MotifModel(path={str(self.path)!r}, provider={self.providers[0]!r}, "
                f"version={self.model_card.version!r}, embedding_dim={self.embedding_dim})")

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled as how to open it again (its file, the provider it runs on, its batch size): an
        onnxruntime session cannot be pickled, and joblib / multiprocessing pickle what a call is given."""
        provider = "cuda" if self.providers[:1] == [_CUDA] else "cpu"
        return load_model, (self.path, provider, None, self.batch_size)

    def embed(self, rolls: np.ndarray) -> np.ndarray:
        """Embeddings [N, D] float32 of rolls [N, steps, pitches], run ``batch_size`` rows at a time."""
        rolls = np.asarray(rolls, dtype=np.float32)
        if rolls.ndim != 3 or rolls.shape[1:] != self.spec.shape:
            raise ModelError(
                f"rolls of shape {rolls.shape} do not fit the model's grid [N, {self.spec.steps}, {self.spec.pitch_count}]",
                self.path,
            )
        if rolls.shape[0] == 0:
            return np.zeros((0, self.embedding_dim), dtype=np.float32)
        parts = [
            self._run(rolls[i : i + self.batch_size]) for i in range(0, rolls.shape[0], self.batch_size)
        ]
        return np.concatenate(parts, axis=0)

    def _run(self, batch: np.ndarray) -> np.ndarray:
        (out,) = self.session.run([OUTPUT_NAME], {INPUT_NAME: np.ascontiguousarray(batch)})
        out = np.asarray(out, dtype=np.float32)
        if out.ndim != 2 or out.shape[0] != batch.shape[0] or out.shape[1] != self.embedding_dim:
            raise ModelError(
                f"model returned shape {out.shape} for {batch.shape[0]} rolls; expected [N, {self.embedding_dim}]",
                self.path,
            )
        if not np.isfinite(out).all():  # cheap next to inference, and NaN would poison every distance
            raise ModelError("model returned NaN or infinite values; it cannot be used", self.path)
        return out


def probe_rolls(spec: EncodingSpec) -> np.ndarray:
    """Three small real rolls (a held note, a scale, a chord) for the load-time check of the output."""
    beats = spec.segment_beats
    scale = np.arange(8) * beats / 8
    notes = [
        (np.array([0.0]), np.array([beats]), np.array([60])),
        (scale, scale + beats / 8, np.array([60, 62, 64, 65, 67, 69, 71, 72])),
        (np.zeros(3), np.full(3, beats / 2), np.array([48, 52, 55])),
    ]
    return np.stack([encode_notes(on, off, p, 0.0, spec) for on, off, p in notes])


def check_output(model: MotifModel) -> None:
    """Refuse a model whose vectors are NaN/Inf, all zero, or not as wide as its card says."""
    try:
        out = model.embed(probe_rolls(model.spec))
    except ModelError:
        raise
    except Exception as exc:  # onnxruntime's own errors: a graph that cannot run on a real batch
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelError(f"model fails on a probe batch ({reason[:300]})", model.path) from exc
    if not (np.linalg.norm(out.astype(np.float64), axis=1) > 1e-12).all():
        raise ModelError("model returned all-zero vectors for real piano rolls; it cannot be used", model.path)


def load_model(
    path: str | os.PathLike[str] | None = None,
    provider: str = "auto",
    threads: int | None = None,
    batch_size: int = DEFAULT_BATCH,
) -> MotifModel:
    """Open an ONNX encoder (default: the shipped model), check it follows its card, probe its output."""
    model_path = Path(path) if path is not None else default_model_path()
    if not model_path.is_file():
        hint = "" if path is not None else " (the default model is not installed; pass --model FILE)"
        raise ModelError(f"model file not found{hint}", model_path)
    providers = resolve_providers(provider)
    session = _open_session(model_path, providers, threads or default_threads())
    if provider.lower() == "cuda" and _CUDA not in session.get_providers():
        raise ModelError("CUDA provider could not be started (check the CUDA/cuDNN libraries)", model_path)
    meta = dict(session.get_modelmeta().custom_metadata_map)
    card, dim = check_contract(session, meta, model_path)
    model = MotifModel(model_path, session, meta, card, dim, max(1, batch_size))
    check_output(model)
    return model


def _open_session(path: Path, providers: list[str], threads: int) -> onnxruntime.InferenceSession:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.log_severity_level = 3  # errors only: warnings would break the CLI's one-line output
    # Idle intra-op threads sleep instead of spinning: a short run (one song, a plugin click) spends
    # most of its CPU otherwise in threads that wait for work, and on a busy machine the spinning
    # steals the core the main thread needs. Same arithmetic, same outputs.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    try:
        return ort.InferenceSession(str(path), sess_options=options, providers=providers)
    except Exception as exc:  # onnxruntime raises its own untyped errors for bad files
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelError(f"not a loadable ONNX model ({reason[:300]})", path) from exc


def check_contract(session: Any, meta: dict[str, str], path: Path) -> tuple[ModelCard, int]:
    """Read the card from the metadata and check the graph's inputs and outputs against it.

    Returns the card and the embedding width (from the graph, else the card, else one probe run).
    """
    try:
        card = ModelCard.from_metadata(meta)
    except ModelError as exc:
        raise ModelError(exc.message, path) from exc
    spec = card.spec
    inputs = {i.name: i for i in session.get_inputs()}
    outputs = {o.name: o for o in session.get_outputs()}
    if card.input_name not in inputs or len(inputs) != 1:
        raise ModelError(f"model inputs are {sorted(inputs)}; expected exactly {card.input_name!r}", path)
    if card.output_name not in outputs:
        raise ModelError(f"model outputs are {sorted(outputs)}; expected {card.output_name!r}", path)
    inp = inputs[card.input_name]
    if inp.type != "tensor(float)":
        raise ModelError(f"input {card.input_name!r} is {inp.type}; expected tensor(float)", path)
    shape = list(inp.shape or [])
    expected = [None, spec.steps, spec.pitch_count]
    if len(shape) != 3 or any(isinstance(s, int) and e is not None and s != e for s, e in zip(shape, expected)):
        raise ModelError(
            f"input {card.input_name!r} has shape {shape}; the metadata's grid needs [N, {spec.steps}, {spec.pitch_count}]",
            path,
        )
    out_shape = list(outputs[card.output_name].shape or [])
    if out_shape and len(out_shape) != 2:
        raise ModelError(f"output {card.output_name!r} has shape {out_shape}; expected [N, D]", path)
    dim = out_shape[1] if len(out_shape) == 2 and isinstance(out_shape[1], int) else None
    if card.embedding_dim is not None and dim is not None and card.embedding_dim != dim:
        raise ModelError(f"embedding_dim={card.embedding_dim} in metadata but the output has {dim} columns", path)
    dim = dim if dim is not None else card.embedding_dim
    if dim is None:  # neither says: ask the model once
        (out,) = session.run([card.output_name], {card.input_name: np.zeros((1, *spec.shape), np.float32)})
        dim = int(np.asarray(out).shape[-1])
    return card, int(dim)


_SHIPPED: dict[tuple[int, str, int | None, int], MotifModel] = {}
_SHIPPED_LOCK = threading.Lock()


def shipped_model(provider: str = "auto", threads: int | None = None, batch_size: int = DEFAULT_BATCH) -> MotifModel:
    """The shipped model, opened once per process (and per provider, threads and batch size) and shared.

    Why: ``annotate(score)`` in a notebook loop wraps ``None`` in a new :class:`LazyModel` per call, and
    each song with a leading chordal track opened a new onnxruntime session (14-24 ms: phase28-speed28.md;
    20-32 ms of CPU a song in a loop: phase28-threads28.md). One session serves every call:
    ``session.run`` may be called from several threads at once, and each call's LazyModel still counts
    its own uses. A forked child opens its own (the process id is in the key: a session's thread pool
    does not survive a fork)."""
    key = (os.getpid(), check_provider_name(provider), threads, max(1, batch_size))
    with _SHIPPED_LOCK:
        model = _SHIPPED.get(key)
        if model is None:
            model = _SHIPPED[key] = load_model(None, provider=provider, threads=threads, batch_size=batch_size)
        return model


class LazyModel:
    """A model that is opened (onnxruntime imported, session started, card and probe checked) only on
    first use: the note level may need the bar model only for the texture bars of a chordal track
    that leads (a pop song's piano), so a chorale or a folk song never pays ~0.3 s for onnxruntime.

    ``path`` is known without opening; ``spec``/``embed``/``grouping_threshold``/... open it and count
    as a use (``uses``), so a run can tell afterwards whether discovery touched the model at all and
    record its card only then. Wraps an already loaded :class:`MotifModel` too (``loaded``).
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, provider: str = "auto",
                 threads: int | None = None, batch_size: int = DEFAULT_BATCH,
                 loaded: MotifModel | None = None) -> None:
        if path is not None:
            self.path = Path(path)
        else:
            self.path = Path(getattr(loaded, "path", "")) if loaded is not None else default_model_path()
        self.explicit = path is not None or loaded is not None
        self.provider = check_provider_name(provider)
        self.threads = threads
        self.batch_size = batch_size
        self.uses = 0
        self._model = loaded

    @property
    def opened(self) -> bool:
        """Whether the session is open (this object opened it, or wraps a loaded model)."""
        return self._model is not None

    def open(self) -> MotifModel:
        """The open model; the first call loads and checks it (a :class:`ModelError` if it is bad). The
        shipped model (no path given) is opened once per process and shared (:func:`shipped_model`)."""
        if self._model is None:
            if self.explicit:
                self._model = load_model(self.path, provider=self.provider, threads=self.threads,
                                         batch_size=self.batch_size)
            else:
                self._model = shipped_model(self.provider, self.threads, self.batch_size)
        return self._model

    def _use(self) -> MotifModel:
        self.uses += 1
        return self.open()

    @property
    def spec(self) -> EncodingSpec:
        return self._use().spec

    @property
    def distance(self) -> str:
        return self._use().distance

    @property
    def grouping_threshold(self) -> float | None:
        return self._use().grouping_threshold

    @property
    def model_card(self) -> ModelCard:
        return self._use().model_card

    @property
    def embedding_dim(self) -> int:
        return self._use().embedding_dim

    @property
    def metadata(self) -> dict[str, str]:
        return self._use().metadata

    @property
    def providers(self) -> list[str]:
        return self.open().providers

    def card(self) -> dict[str, str]:
        return self.open().card()

    def embed(self, rolls: np.ndarray) -> np.ndarray:
        return self._use().embed(rolls)

    def __repr__(self) -> str:
        return f"LazyModel(path={str(self.path)!r}, provider={self.provider!r}, opened={self.opened})"

    def __getstate__(self) -> dict[str, Any]:
        """Pickled unopened (an onnxruntime session cannot be pickled): a worker that gets it opens the
        same file on its first use, as this one did."""
        return {**self.__dict__, "_model": None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)


def as_model(model: MotifModel | LazyModel | str | os.PathLike[str] | None,
             required: bool = False) -> MotifModel | LazyModel | None:
    """What ``annotate`` / ``embed`` take as a model: a loaded model or a :class:`LazyModel` as it is, an
    .onnx path as a LazyModel of that file (opened on first use), None (the shipped one; refused when
    ``required``). Anything else is a :class:`TypeError` before any work: a number there was silently
    taken for a model that a chorale never opened, so ``annotate(score, 0.3)`` ran at the default
    sensitivity."""
    if isinstance(model, (MotifModel, LazyModel)) or (model is None and not required):
        return model
    if isinstance(model, (str, os.PathLike)):
        return LazyModel(model)
    hint = (f" (a number is the sensitivity: sensitivity={model!r}, or annotate(score, None, {model!r}))"
            if isinstance(model, (int, float)) and not isinstance(model, bool) else "")
    raise TypeError(f"model must be a loaded model (motifcli.load_model()), a motifcli.model.LazyModel or an .onnx "
                    f"path, not {type(model).__name__}{hint}")


def lazy(model: MotifModel | LazyModel | None) -> LazyModel:
    """``model`` as a :class:`LazyModel`: itself, a loaded model wrapped, or the shipped model unopened."""
    if isinstance(model, LazyModel):
        return model
    if model is None:
        return LazyModel()
    return LazyModel(loaded=model)
