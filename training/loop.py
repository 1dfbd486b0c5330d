"""The training loop for both stages: sampling, optimisation, checkpoints, resume, DDP.

Determinism: every epoch draws its batches from ``numpy.random.default_rng([seed, stage, epoch,
rank])`` and reseeds torch the same way, and the learning rate is a pure function of the global
step, so a run killed after epoch k and resumed from its checkpoint ends with exactly the weights
of an uninterrupted run. Checkpoints are written atomically with a SHA-256 sidecar; a checkpoint
that does not match its digest is reported, never loaded.

DDP: under ``torchrun`` (WORLD_SIZE > 1) the process group uses gloo, each rank draws its own
batches and gradients are averaged by DistributedDataParallel. VICReg's variance and covariance
terms are computed on each rank's local batch (the official code gathers across ranks; with the
batch sizes here the difference is small, and it keeps the loop simple).
"""

from __future__ import annotations

import csv
import json
import math
import os
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.distributed as dist
from torch import nn

from motifcli.atomic import atomic_path
from motifcli.encoding import EncodingSpec, render_roll, render_rolls
from motifcli.run_record import file_sha256
from training.data import Bar
from training.losses import triplet_loss, vicreg_loss
from training.model import Encoder, Expander
from training.views import BAR_VIEWS, random_view

STAGES = {"pretrain": 1, "finetune": 2}


class CheckpointError(RuntimeError):
    """A checkpoint is corrupt or does not belong to this run."""


# ----------------------------------------------------------------------------------------------
# distributed helpers


@dataclass(frozen=True, slots=True)
class DistInfo:
    rank: int = 0
    world: int = 1

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def init_distributed() -> DistInfo:
    """Join the torchrun process group (gloo) when launched by torchrun; otherwise single process."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return DistInfo()
    if not dist.is_initialized():
        dist.init_process_group("gloo")
    return DistInfo(dist.get_rank(), dist.get_world_size())


def barrier(info: DistInfo) -> None:
    if info.world > 1:
        dist.barrier()


# ----------------------------------------------------------------------------------------------
# checkpoints


def save_checkpoint(path: Path, state: dict) -> None:
    """Write ``state`` atomically, then its digest beside it (``.sha256``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        torch.save(state, tmp)
    with atomic_path(path.with_suffix(path.suffix + ".sha256")) as tmp:
        tmp.write_text(file_sha256(path))


def load_checkpoint(path: Path) -> dict:
    """Load a checkpoint after checking its digest; raise :class:`CheckpointError` when it fails."""
    sidecar = path.with_suffix(path.suffix + ".sha256")
    if not sidecar.exists():
        raise CheckpointError(f"{path}: no digest file {sidecar.name}; refusing to load an unverified checkpoint")
    if file_sha256(path) != sidecar.read_text().strip():
        raise CheckpointError(f"{path}: contents do not match the recorded SHA-256 (corrupt or truncated)")
    try:
        return torch.load(path, map_location="cpu", weights_only=False)
    except Exception as exc:  # noqa: BLE001 - any unpickling failure means corrupt
        raise CheckpointError(f"{path}: cannot be loaded ({exc})") from exc


def latest_checkpoint(ckpt_dir: Path) -> Path | None:
    """The most advanced finished checkpoint (later stage, then later epoch) in a run folder.

    ``save_checkpoint`` writes the digest right after the checkpoint, so a checkpoint without its
    digest is a save that was killed in between: it is passed over, and the run resumes from the
    one before (a checkpoint *with* a digest that does not match is still refused on load).
    """
    best, key = None, (-1, -1)
    for p in ckpt_dir.glob("*-epoch*.pt"):
        if not p.with_suffix(p.suffix + ".sha256").exists():
            continue
        stage, _, ep = p.stem.partition("-epoch")
        if stage in STAGES and ep.isdigit() and (STAGES[stage], int(ep)) > key:
            best, key = p, (STAGES[stage], int(ep))
    return best


# ----------------------------------------------------------------------------------------------
# batches


def resolve_device(name: str) -> torch.device:
    """``cpu``, ``cuda`` (fails clearly when there is none) or ``auto`` (CUDA where present).

    On CUDA, float32 matrix products may use TF32 tensor cores: training only; the exported model
    and every evaluation run in float32 on the CPU.
    """
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    if name.startswith("cuda"):
        if not torch.cuda.is_available():
            raise RuntimeError(f"device {name!r} asked for, but torch sees no CUDA device")
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    elif name != "cpu":
        raise ValueError(f"unknown device {name!r}: cpu, cuda or auto")
    return torch.device(name)


def module_device(module: nn.Module) -> torch.device:
    """Where a module's weights live (batches are built on the CPU and moved there)."""
    return next(module.parameters()).device


def _unwrap(module: nn.Module) -> nn.Module:
    """The module inside a DistributedDataParallel wrapper (checkpoints hold the bare weights)."""
    return module.module if hasattr(module, "module") else module


def epoch_rng(seed: int, stage: str, epoch: int, rank: int) -> np.random.Generator:
    """The epoch's batch sampler; also reseeds torch (dropout) so a resumed epoch replays exactly."""
    torch.manual_seed(hash((seed, STAGES[stage], epoch, rank)) % (2**31))
    return np.random.default_rng([seed, STAGES[stage], epoch, rank])


def vicreg_batch(bars: Sequence[Bar], rng: np.random.Generator, spec: EncodingSpec, size: int, p: float,
                 views: tuple[str, ...] = BAR_VIEWS) -> tuple[torch.Tensor, torch.Tensor]:
    """Two augmented views of ``size`` random bars (or note-anchored windows)."""
    idx = rng.integers(len(bars), size=size)
    a = render_rolls((random_view(bars[i].notes, rng, spec, p, views) for i in idx), spec)
    b = render_rolls((random_view(bars[i].notes, rng, spec, p, views) for i in idx), spec)
    return torch.from_numpy(a), torch.from_numpy(b)


class TripletSampler:
    """Anchor/positive from one motif of one song; negative from another motif (same song or not)."""

    def __init__(self, bars: Sequence[Bar], spec: EncodingSpec, same_song: float, augment: float) -> None:
        self.bars = list(bars)
        self.spec = spec
        self.same_song = same_song
        self.augment = augment
        groups: dict[tuple[str, int], list[int]] = defaultdict(list)
        for i, b in enumerate(self.bars):
            groups[(b.song, b.motif)].append(i)
        self.groups = groups
        self.by_song: dict[str, list[int]] = defaultdict(list)
        for i, b in enumerate(self.bars):
            self.by_song[b.song].append(i)
        self.anchors = np.array([i for g in groups.values() if len(g) >= 2 for i in g])
        if len(self.anchors) == 0:
            raise ValueError("no motif has two labelled bars: nothing to fine-tune on")
        self.rolls = render_rolls((b.notes for b in self.bars), spec)

    def batch(self, rng: np.random.Generator, size: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        a_idx = rng.choice(self.anchors, size=size)
        anchors, positives, negatives = [], [], []
        for i in a_idx.tolist():
            bar = self.bars[i]
            group = self.groups[(bar.song, bar.motif)]
            if rng.random() < self.augment:
                positives.append(render_roll(random_view(bar.notes, rng, self.spec), self.spec))
            else:
                j = i
                while j == i:
                    j = int(rng.choice(group))
                positives.append(self.rolls[j])
            same = [k for k in self.by_song[bar.song] if self.bars[k].motif != bar.motif]
            if same and rng.random() < self.same_song:
                k = int(rng.choice(same))
            else:
                k = i
                while self.bars[k].song == bar.song:
                    k = int(rng.integers(len(self.bars)))
            negatives.append(self.rolls[k])
            anchors.append(self.rolls[i])
        return (torch.from_numpy(np.stack(anchors)), torch.from_numpy(np.stack(positives)), torch.from_numpy(np.stack(negatives)))


# ----------------------------------------------------------------------------------------------
# the loop


def lr_at(step: int, total: int, base: float, warmup: int) -> float:
    """Linear warm-up then cosine decay to 1% of ``base``: a pure function of the step."""
    if step < warmup:
        return base * (step + 1) / warmup
    t = (step - warmup) / max(1, total - warmup)
    return base * (0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * min(t, 1.0))))


@dataclass
class StageResult:
    epochs_done: int
    seconds: float
    last_loss: float


def run_stage(
    stage: str,
    encoder: Encoder,
    expander: Expander | None,
    step_fn: Callable[[np.random.Generator], tuple[torch.Tensor, dict[str, float]]],
    *,
    epochs: int,
    steps_per_epoch: int,
    lr: float,
    weight_decay: float,
    seed: int,
    out_dir: Path,
    resume: bool,
    info: DistInfo,
    log_name: str = "log.csv",
    progress: bool = True,
) -> StageResult:
    """Train ``epochs`` epochs of ``steps_per_epoch`` steps, saving a checkpoint after each epoch.

    ``step_fn(rng)`` returns (loss, logged terms) for one batch, built from the modules passed here.
    """
    ckpt_dir = out_dir / "checkpoints"
    params = list(encoder.parameters()) + (list(expander.parameters()) if expander is not None else [])
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay)
    start_epoch = 0
    if resume:
        latest = latest_checkpoint(ckpt_dir)
        if latest is not None:
            state = load_checkpoint(latest)
            if state["stage"] == stage:
                encoder.load_state_dict(state["encoder"])
                if expander is not None and state.get("expander") is not None:
                    expander.load_state_dict(state["expander"])
                opt.load_state_dict(state["optimizer"])
                start_epoch = state["epoch"]
            elif STAGES[state["stage"]] > STAGES[stage]:
                return StageResult(epochs, 0.0, float("nan"))  # this stage is already behind us
    modules: list[nn.Module] = [encoder] + ([expander] if expander is not None else [])
    for m in modules:
        m.train()
    total = epochs * steps_per_epoch
    warmup = max(1, min(total // 10, 500))
    t0 = time.time()
    last = float("nan")
    log_path = out_dir / log_name
    bar_ctx = _progress(progress and info.is_main)
    with bar_ctx as bar:
        task = bar.add_task(stage, total=total, completed=start_epoch * steps_per_epoch) if bar else None
        for epoch in range(start_epoch, epochs):
            rng = epoch_rng(seed, stage, epoch, info.rank)
            sums: dict[str, float] = defaultdict(float)
            for s in range(steps_per_epoch):
                step = epoch * steps_per_epoch + s
                for g in opt.param_groups:
                    g["lr"] = lr_at(step, total, lr, warmup)
                loss, terms = step_fn(rng)
                opt.zero_grad(set_to_none=True)
                loss.backward()
                nn.utils.clip_grad_norm_(params, 5.0)
                opt.step()
                sums["loss"] += float(loss.detach())
                for k, v in terms.items():
                    sums[k] += v
                if bar:
                    bar.update(task, advance=1, description=f"{stage} e{epoch + 1}/{epochs} loss {float(loss.detach()):.3f}")
            last = sums["loss"] / steps_per_epoch
            if info.is_main:
                _log(log_path, {"stage": stage, "epoch": epoch + 1, "lr": opt.param_groups[0]["lr"],
                                "seconds": round(time.time() - t0, 2),
                                **{k: round(v / steps_per_epoch, 5) for k, v in sums.items()}})
                save_checkpoint(ckpt_dir / f"{stage}-epoch{epoch + 1}.pt", {
                    "stage": stage, "epoch": epoch + 1,
                    "encoder": _unwrap(encoder).state_dict(),
                    "expander": _unwrap(expander).state_dict() if expander is not None else None,
                    "optimizer": opt.state_dict(),
                })
            barrier(info)
    return StageResult(epochs, time.time() - t0, last)


def _log(path: Path, row: dict) -> None:
    new = not path.exists()
    with open(path, "a", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(row))
        if new:
            w.writeheader()
        w.writerow(row)


class _NoBar:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _progress(enabled: bool):
    if not enabled:
        return _NoBar()
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                    TimeElapsedColumn(), TimeRemainingColumn(), transient=False)


def vicreg_step(encoder: nn.Module, expander: nn.Module, bars: Sequence[Bar], spec: EncodingSpec, cfg,
                views: tuple[str, ...] = BAR_VIEWS, latent_loss: Callable | None = None) -> Callable:
    """One VICReg step on two views of a batch; ``latent_loss(h_a, h_b) -> (loss, terms)`` (optional,
    e.g. ``losses.LatentSpreadLoss``) adds a term on the encoder's latent, before the expander."""
    def step(rng: np.random.Generator) -> tuple[torch.Tensor, dict[str, float]]:
        a, b = vicreg_batch(bars, rng, spec, cfg.batch_size, cfg.view_probability, views)
        dev = module_device(encoder)
        a, b = a.to(dev), b.to(dev)
        h_a, h_b = encoder(a), encoder(b)
        loss, terms = vicreg_loss(expander(h_a), expander(h_b), cfg.invariance, cfg.variance, cfg.covariance)
        if latent_loss is not None:
            extra, extra_terms = latent_loss(h_a, h_b)
            loss, terms = loss + extra, {**terms, **extra_terms}
        return loss, terms
    return step


def triplet_step(encoder: nn.Module, sampler: TripletSampler | Any, cfg) -> Callable:
    def step(rng: np.random.Generator) -> tuple[torch.Tensor, dict[str, float]]:
        a, p, n = sampler.batch(rng, cfg.batch_size)
        batch = torch.cat([a, p, n]).to(module_device(encoder))
        if cfg.residual_in_loss:
            emb = encoder(batch, embedding=True)
        else:  # the learned latent alone; the roll skip is added only at export
            emb = nn.functional.normalize(encoder(batch), dim=1)
        ea, ep, en = emb.split(len(a))
        loss = triplet_loss(ea, ep, en, cfg.margin)
        with torch.no_grad():
            active = float(((ea - ep).norm(dim=1) - (ea - en).norm(dim=1) + cfg.margin > 0).float().mean())
        return loss, {"active": active}
    return step


def write_json(path: Path, data: dict) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, indent=2))
