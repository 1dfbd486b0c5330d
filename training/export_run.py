"""Export a finished run: its encoder to ONNX with its model card, parity checked; then calibrate it."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from motifcli.contract import ModelCard
from motifcli.encoding import render_rolls
from training.config import RunConfig
from training.data import Split, all_songs
from training.export import export_checked
from training.pipeline import load_encoder, split_bars

VERSION = "0.1.0"


def _training_data(cfg: RunConfig, split: Split) -> str:
    parts = []
    if cfg.pretrain.epochs:
        held_out = set(split.val) | set(split.test)
        n = len([s for s in all_songs() if s not in held_out])
        n = min(n, cfg.pretrain.max_songs) if cfg.pretrain.max_songs else n
        parts.append(f"VICReg on unlabelled {cfg.track} bars of {n} POP909 songs (val/test songs excluded)")
    if cfg.finetune.epochs:
        parts.append(f"triplets on the Wu et al. 2023 motif labels of {len(split.train)} POP909 songs "
                     "(training/splits/pop909_labels.json, train split)")
    return "; ".join(parts) or "untrained"


def run_card(cfg: RunConfig, split: Split, threshold: float | None = None) -> ModelCard:
    """The card of this run's model (``threshold`` None: left for the calibrate stage)."""
    dim = cfg.model.latent + (cfg.encoding.steps * cfg.encoding.pitch_count if cfg.model.residual_roll > 0 else 0)
    return ModelCard(cfg.encoding, distance="cosine", grouping_threshold=threshold, method=cfg.method,
                     training_data=_training_data(cfg, split), version=VERSION, embedding_dim=dim,
                     residual_roll=float(cfg.model.residual_roll))


def export_run(cfg: RunConfig, out_dir: Path, onnx_path: Path | None, threshold: float | None) -> tuple[Path, float]:
    """Write ``onnx_path`` (default <run>/model.onnx); fail if the runtime and torch disagree.

    The parity rolls are validation bars drawn by the runtime's renderer (motifcli.encoding).
    """
    split = Split.load()
    path = onnx_path or out_dir / "model.onnx"
    encoder = load_encoder(cfg, out_dir)
    bars = split_bars(cfg, split.val[:2])[:64]
    rolls = render_rolls([b.notes for b in bars], cfg.encoding) if bars else np.zeros((4, *cfg.encoding.shape), np.float32)
    return path, export_checked(encoder, path, run_card(cfg, split, threshold), rolls, cfg.name)


def calibrate_run(cfg: RunConfig, out_dir: Path, onnx_path: Path | None) -> tuple[Path, float]:
    """Choose the grouping threshold of the exported model on the config's calibration songs."""
    from training.calibrate import calibrate_model

    path = onnx_path or out_dir / "model.onnx"
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: run the export stage first")
    songs = list(getattr(Split.load(), cfg.calibrate.split))
    if cfg.calibrate.max_songs:
        songs = songs[: cfg.calibrate.max_songs]
    return path, calibrate_model(path, songs, out_dir / "calibration.json")
