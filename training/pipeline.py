"""The stages as functions over a run folder: pretrain → finetune → evaluate (→ export → calibrate).

Each stage reads what the previous one left in ``out_dir`` (checkpoints), so stages can be run one
at a time from the CLI, resumed after an interruption, or all at once.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch

from motifcli.atomic import atomic_path
from motifcli.encoding import EncodingSpec, render_rolls
from training.config import RunConfig
from training.data import Bar, Split, all_songs, labelled_bars, unlabelled_bars
from training.evaluate import BASELINES, raw_roll_features, retrieval_scores, shifted_roll_features
from training.loop import (DistInfo, TripletSampler, latest_checkpoint, load_checkpoint, resolve_device, run_stage,
                           triplet_step, vicreg_step, write_json)
from training.model import Encoder, Expander

CACHE_ENV = "MOTIF_TRAINING_CACHE"


def cache_dir() -> Path:
    """Where parsed training bars are cached: $MOTIF_TRAINING_CACHE, else the user's cache folder.

    Never inside the repository (a test run once left runs/cache/*.npz in the working tree).
    """
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "motif" / "training"


def build_encoder(cfg: RunConfig) -> Encoder:
    torch.manual_seed(cfg.seed)
    return Encoder(cfg.encoding.steps, cfg.encoding.pitch_count, cfg.model)


def _spec_key(spec: EncodingSpec) -> str:
    return f"{spec.encoding}-{spec.steps_per_beat}-{spec.segment_beats:g}-{spec.pitch_low}-{spec.pitch_count}"


def pretraining_bars(cfg: RunConfig, split: Split) -> list[Bar]:
    """Unlabelled PIANO bars of every POP909 song outside val/test (cached as npz by spec)."""
    held_out = set(split.val) | set(split.test)
    songs = [s for s in all_songs() if s not in held_out]
    if cfg.pretrain.max_songs:
        songs = songs[: cfg.pretrain.max_songs]
    cache = cache_dir() / f"unlabelled-{_spec_key(cfg.encoding)}-{cfg.track}-{cfg.pretrain.min_notes}-{len(songs)}-{songs[0]}-{songs[-1]}.npz"
    if cache.exists():
        d = np.load(cache)
        notes = np.split(d["notes"], d["splits"])
        return [Bar(str(s), float(st), n) for s, st, n in zip(d["songs"], d["starts"], notes)]
    bars = unlabelled_bars(songs, cfg.encoding, cfg.track, cfg.pretrain.min_notes)
    cache.parent.mkdir(parents=True, exist_ok=True)
    lens = np.cumsum([len(b.notes) for b in bars])[:-1]
    with atomic_path(cache) as tmp, open(tmp, "wb") as fh:  # parallel runs never read half a cache
        np.savez_compressed(fh, notes=np.concatenate([b.notes for b in bars]), splits=lens,
                            songs=np.array([b.song for b in bars]), starts=np.array([b.start for b in bars]))
    return bars


def split_bars(cfg: RunConfig, songs: list[str]) -> list[Bar]:
    return [b for s in songs for b in labelled_bars(s, cfg.encoding, cfg.track, cfg.bar_phase)]


def load_encoder(cfg: RunConfig, out_dir: Path, stage: str | None = None) -> Encoder:
    """The encoder of the latest checkpoint in ``out_dir`` (or of the last epoch of ``stage``)."""
    enc = build_encoder(cfg)
    ckpt_dir = out_dir / "checkpoints"
    if stage is not None:
        epochs = getattr(cfg, stage).epochs
        path = ckpt_dir / f"{stage}-epoch{epochs}.pt"
        if not path.exists():
            raise FileNotFoundError(f"{path} not found: run the {stage} stage first")
    else:
        path = latest_checkpoint(ckpt_dir)
        if path is None:
            return enc.eval()  # untrained
    enc.load_state_dict(load_checkpoint(path)["encoder"])
    return enc.eval()


def wrap_ddp(module: torch.nn.Module, info: DistInfo) -> torch.nn.Module:
    if info.world > 1:
        return torch.nn.parallel.DistributedDataParallel(module)
    return module


def pretrain(cfg: RunConfig, out_dir: Path, info: DistInfo, resume: bool = False, progress: bool = True) -> float:
    p = cfg.pretrain
    if p.epochs <= 0:
        return 0.0
    split = Split.load()
    bars = pretraining_bars(cfg, split)
    dev = resolve_device(cfg.device)
    enc = build_encoder(cfg).to(dev)
    exp = Expander(cfg.model.latent, cfg.model.expander).to(dev)
    enc_d, exp_d = wrap_ddp(enc, info), wrap_ddp(exp, info)
    step = vicreg_step(enc_d, exp_d, bars, cfg.encoding, p)
    res = run_stage("pretrain", enc_d, exp_d, step, epochs=p.epochs, steps_per_epoch=p.steps_per_epoch, lr=p.lr,
                    weight_decay=p.weight_decay, seed=cfg.seed, out_dir=out_dir, resume=resume, info=info,
                    progress=progress)
    return res.seconds


def finetune(cfg: RunConfig, out_dir: Path, info: DistInfo, resume: bool = False, progress: bool = True) -> float:
    f = cfg.finetune
    if f.epochs <= 0:
        return 0.0
    split = Split.load()
    enc = load_encoder(cfg, out_dir, "pretrain") if cfg.pretrain.epochs > 0 else build_encoder(cfg)
    enc.to(resolve_device(cfg.device)).train()
    sampler = TripletSampler(split_bars(cfg, split.train), cfg.encoding, f.same_song_negatives, f.augment_positives)
    enc_d = wrap_ddp(enc, info)
    step = triplet_step(enc_d, sampler, f)
    res = run_stage("finetune", enc_d, None, step, epochs=f.epochs, steps_per_epoch=f.steps_per_epoch, lr=f.lr,
                    weight_decay=f.weight_decay, seed=cfg.seed, out_dir=out_dir, resume=resume, info=info,
                    progress=progress)
    return res.seconds


@torch.no_grad()
def embed_bars(encoder: Encoder, rolls: np.ndarray, batch: int = 512) -> np.ndarray:
    encoder.eval()
    out = [encoder.embed(torch.from_numpy(rolls[i:i + batch])).numpy() for i in range(0, len(rolls), batch)]
    return np.concatenate(out) if out else np.zeros((0, encoder.cfg.latent), np.float32)


def evaluate(cfg: RunConfig, out_dir: Path, split_name: str | None = None, baselines: bool = True) -> dict[str, dict]:
    """Retrieval scores of this run (and of the raw-roll baselines) on a split; writes metrics.json."""
    split = Split.load()
    name = split_name or cfg.eval_split
    songs = getattr(split, name)
    bars = split_bars(cfg, songs)
    rolls = render_rolls((b.notes for b in bars), cfg.encoding)
    song_ids = [b.song for b in bars]
    motifs = [b.motif for b in bars]
    results: dict[str, dict] = {}
    curves: dict[str, tuple[np.ndarray, np.ndarray, float]] = {}
    candidates: dict[str, np.ndarray] = {}
    if baselines:
        raw, shifted = BASELINES
        candidates[raw] = raw_roll_features(rolls)
        candidates[shifted] = shifted_roll_features(rolls)
    if latest_checkpoint(out_dir / "checkpoints") is not None:
        if cfg.pretrain.epochs > 0 and cfg.finetune.epochs > 0:
            candidates[f"{cfg.name} (after pretraining)"] = embed_bars(load_encoder(cfg, out_dir, "pretrain"), rolls)
        candidates[cfg.name] = embed_bars(load_encoder(cfg, out_dir), rolls)
    for label, emb in candidates.items():
        scores, (precision, recall) = retrieval_scores(emb, song_ids, motifs, "cosine")
        results[label] = scores.as_dict()
        curves[label] = (precision, recall, scores.auc_pr)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_json(out_dir / f"metrics-{name}.json", {"split": name, "songs": songs, "results": results})
    np.savez_compressed(out_dir / f"curves-{name}.npz", **{f"{k}|{part}": v for k, (p, r, a) in curves.items()
                                                            for part, v in (("precision", p), ("recall", r))})
    return results


def run_info(cfg: RunConfig, out_dir: Path, seconds: dict[str, float]) -> None:
    write_json(out_dir / "run.json", {"config": _cfg_dict(cfg), "seconds": seconds, "finished": time.time()})


def _cfg_dict(cfg: RunConfig) -> dict:
    d = asdict(cfg)
    return json.loads(json.dumps(d, default=str))
