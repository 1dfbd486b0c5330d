"""Typed run configurations, one TOML file per run (training/configs/).

A config names the encoding, the model size and the two stages; a stage with ``epochs = 0`` is
skipped, which is how the ablations (CL only, VICReg only, VICReg then CL) differ.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from motifcli.encoding import EncodingSpec
from training.model import ModelConfig

CONFIG_DIR = Path(__file__).resolve().parent / "configs"


@dataclass(frozen=True, slots=True)
class PretrainConfig:
    """VICReg stage on unlabelled POP909 PIANO bars."""

    epochs: int = 0
    steps_per_epoch: int = 100
    batch_size: int = 256
    lr: float = 1e-3
    weight_decay: float = 1e-4
    invariance: float = 25.0
    variance: float = 25.0
    covariance: float = 1.0
    view_probability: float = 0.5
    max_songs: int = 0  # 0 = every song not in val/test
    min_notes: int = 3


@dataclass(frozen=True, slots=True)
class FinetuneConfig:
    """Triplet stage on labelled bars of the training songs."""

    epochs: int = 0
    steps_per_epoch: int = 100
    batch_size: int = 128
    lr: float = 3e-4
    weight_decay: float = 1e-4
    margin: float = 1.0
    same_song_negatives: float = 0.5  # share of negatives drawn from other motifs of the same song
    augment_positives: float = 0.0  # chance a positive is an augmented view of the anchor instead
    residual_in_loss: bool = True  # train on the exported embedding (with the roll skip) or the latent alone


@dataclass(frozen=True, slots=True)
class CalibrateConfig:
    """The grouping-threshold stage (training/calibrate.py): which labelled songs choose it."""

    split: str = "val"  # train, val or test; the shipped 0.45 was chosen on val (never test)
    max_songs: int = 0  # 0 = every song of the split


@dataclass(frozen=True, slots=True)
class NotesConfig:
    """Note-anchored windows (training/note_data.py, note_pipeline.py); unused by bar-level runs."""

    lengths: tuple[float, ...] = (2.0, 4.0, 8.0)  # window lengths in beats (<= encoding.segment_beats)
    stride: int = 4  # anchor every stride-th onset of a voice
    min_notes: int = 3
    pop909_songs: int = 200  # POP909 songs outside val/test (0 = all)
    music21_files: int = 120  # music21 corpus files (Bach)
    planted_share: float = 0.7  # share of triplets from planted synthetic motifs (rest: POP909 labels)
    motif_beats: tuple[float, ...] = (1.0, 2.0, 3.0, 4.0)  # lengths of planted motifs
    transpose_max: int = 7  # planted copies are transposed by 1..transpose_max semitones either way
    vary_probability: float = 0.3  # each of drop_note / shift_note on a planted copy
    # False: the "no invariance" ablation (issue 10): no transpose view in VICReg, planted copies keep
    # their pitch, and the card tells the runtime to feed absolute-pitch windows (input_pitch="absolute")
    transpose_views: bool = True
    latent_spread: float = 0.0  # weight of VICReg's variance+covariance terms on the latent too (losses.py)


@dataclass(frozen=True, slots=True)
class VariantConfig:
    """The variant-similarity run (training/variant_pipeline.py, phase 7); unused by the other runs."""

    songs_per_batch: int = 16  # pieces drawn per batch
    windows_per_song: int = 8  # windows per piece: each other's hard negatives
    min_gap_beats: float = 8.0  # windows of one piece in a batch start at least this far apart (no overlap)
    temperature: float = 0.1  # InfoNCE temperature
    max_views: int = 2  # a positive is the window under 1..max_views of ``views``
    views: tuple[str, ...] = ()  # names in training.views.VIEWS; () = training.views.VARIANT_VIEWS


@dataclass(frozen=True, slots=True)
class RunConfig:
    name: str = "run"
    seed: int = 0
    bar_phase: str = "labels"  # "labels" (the labels' own bar grid) or "zero" (paper's literal recipe)
    track: str = "PIANO"
    encoding: EncodingSpec = field(default_factory=EncodingSpec)
    model: ModelConfig = field(default_factory=ModelConfig)
    pretrain: PretrainConfig = field(default_factory=PretrainConfig)
    finetune: FinetuneConfig = field(default_factory=FinetuneConfig)
    calibrate: CalibrateConfig = field(default_factory=CalibrateConfig)
    notes: NotesConfig = field(default_factory=NotesConfig)
    variant: VariantConfig = field(default_factory=VariantConfig)
    eval_split: str = "val"
    export_fp16: bool = False
    threads: int = 2
    device: str = "cpu"  # cpu, cuda or auto (training.loop.resolve_device); export and evaluation stay on the CPU

    @property
    def method(self) -> str:
        parts = []
        if self.pretrain.epochs:
            parts.append("vicreg")
        if self.finetune.epochs:
            parts.append("triplet")
        if self.model.residual_roll > 0:
            parts.append("roll-skip")
        return "+".join(parts) or "untrained"


def _build(cls: type, data: dict[str, Any]) -> Any:
    known = {f.name for f in fields(cls)}
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"unknown {cls.__name__} keys: {sorted(unknown)}")
    data = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}  # TOML arrays -> tuples
    return cls(**data)


def read_toml(path: str | Path) -> dict[str, Any]:
    """A config file's TOML: ``path`` itself, else a file or a name (without .toml) in training/configs/."""
    path = Path(path)
    if not path.exists():
        for candidate in (CONFIG_DIR / path, CONFIG_DIR / f"{path}.toml"):
            if candidate.exists():
                path = candidate
                break
        else:
            raise FileNotFoundError(f"config {path} not found (nor in {CONFIG_DIR})")
    return tomllib.loads(path.read_text())


def load_config(path: str | Path, overrides: dict[str, Any] | None = None) -> RunConfig:
    """Read a TOML run config; sections [encoding], [model], [pretrain], [finetune], [calibrate], [notes], [variant]."""
    raw = read_toml(path)
    raw.update(overrides or {})
    sections = {"encoding": EncodingSpec, "model": ModelConfig, "pretrain": PretrainConfig, "finetune": FinetuneConfig,
                "calibrate": CalibrateConfig, "notes": NotesConfig, "variant": VariantConfig}
    kwargs = {k: v for k, v in raw.items() if k not in sections}
    for key, cls in sections.items():
        kwargs[key] = _build(cls, raw.get(key, {}))
    cfg = _build(RunConfig, kwargs)
    return cfg


def with_stage(cfg: RunConfig, **changes: Any) -> RunConfig:
    return replace(cfg, **changes)
