"""Export a finished run: its encoder (or the raw-roll baseline) to ONNX, with parity checked."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from training.config import RunConfig
from training.data import Split, all_songs, render_many
from training.export import export_encoder, model_metadata, parity
from training.pipeline import load_encoder, split_bars

PARITY_TOLERANCE = 1e-4
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


def export_run(cfg: RunConfig, out_dir: Path, onnx_path: Path | None, threshold: float | None) -> tuple[Path, float]:
    """Write ``onnx_path`` (default <run>/model.onnx); fail if onnxruntime and torch disagree."""
    split = Split.load()
    path = onnx_path or out_dir / "model.onnx"
    encoder = load_encoder(cfg, out_dir)
    dim = cfg.model.latent + (cfg.encoding.steps * cfg.encoding.pitch_count if cfg.model.residual_roll > 0 else 0)
    extra = {"grouping_threshold": f"{threshold:.4f}"} if threshold is not None else {}
    extra["residual_roll"] = str(cfg.model.residual_roll)
    meta = model_metadata(
        cfg.encoding, method=cfg.method, version=VERSION, embedding_dim=dim,
        training_data=_training_data(cfg, split),
        extra=extra,
    )
    export_encoder(encoder, cfg.encoding, path, meta)
    bars = split_bars(cfg, split.val[:2])[:64]
    rolls = render_many((b.notes for b in bars), cfg.encoding) if bars else np.zeros((4, *cfg.encoding.shape), np.float32)
    diff = parity(encoder, path, rolls)
    if diff > PARITY_TOLERANCE:
        raise RuntimeError(f"ONNX export of {cfg.name} differs from torch by {diff:.2e} > {PARITY_TOLERANCE}")
    return path, diff
