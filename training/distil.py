"""Distil the shipped bar encoder into a smaller student for the CPU runtime (issue 10 item 2).

The teacher is an exported ONNX file (default ``exported_models/motif-default.onnx``), run through
the runtime's own ``load_model``, or a run's checkpoint (``teacher = "runs/x/checkpoints/...pt"``
with ``teacher_config`` naming its run config), run in torch on the training ``device``: a
paper-size teacher (4.8M parameters) is too slow through onnxruntime on a CPU (phase 24 distilled
the shipped 0.2 model from one on a GPU). Its embedding is the normalised latent
beside ``residual_roll`` x the normalised raw roll; the roll part is arithmetic, so the student
(``training.model.Encoder``, fewer layers / narrower, same ``residual_roll``) only has to learn the
latent: the teacher's first ``latent`` columns, renormalised, are the target. Loss per batch:

- ``1 - cos(student latent, teacher latent)`` (point-wise: the same vector), plus
- ``relational`` x the mean squared difference of the two batch cosine-similarity matrices
  (the grouping cuts pairwise distances at a threshold, so the distances are what must survive).

Half of each batch are bars, the other half views of the same bars (``training.views.BAR_VIEWS``,
the paper's four), so near pairs, which sit around the grouping threshold, are in every batch.
Bars: PIANO bars of POP909 songs outside val/test (``training.pipeline.pretraining_bars``, as VICReg
pretraining loads them) and parts of music21's Bach corpus; never BPS or MTC. The export goes
through ``training.export.export_checked`` (torch/onnxruntime parity) and keeps the teacher's
card (encoding, threshold: the student is trained to reproduce the teacher's distances), with
``method`` and ``source_model`` saying it is distilled and from what.

    python -m training.distil -c distil_small -o exported_models/ablations/motif-distil-small.onnx
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np
import torch
from torch import nn

from motifcli.contract import ModelCard
from motifcli.encoding import render_rolls
from training.config import _build, read_toml
from training.loop import lr_at
from training.model import Encoder, ModelConfig

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True, slots=True)
class DistilConfig:
    """A distillation run: the student's size, the data, the optimiser, the loss."""

    name: str = "distil"
    seed: int = 0
    threads: int = 1
    teacher: str = "exported_models/motif-default.onnx"  # relative to the repository, or absolute
    teacher_config: str = ""  # the run config of a checkpoint (.pt) teacher; unused for an ONNX teacher
    device: str = "cpu"  # cpu, cuda or auto (training.loop.resolve_device)
    model: ModelConfig = field(default_factory=lambda: ModelConfig(d_model=64, layers=2, heads=4, ff=128, latent=128,
                                                                   dropout=0.0, residual_roll=0.75))
    pop909_songs: int = 400  # POP909 songs outside val/test (0 = all), PIANO bars, >= 3 notes, deduplicated
    music21_files: int = 30  # music21 Bach corpus files (0 = none)
    steps: int = 1200
    batch_size: int = 128  # bars per step; as many views of them join the batch
    lr: float = 2e-3
    weight_decay: float = 1e-4
    warmup: int = 100
    relational: float = 1.0  # weight of the pairwise-similarity term
    view_probability: float = 0.5
    log_every: int = 100


def load_distil_config(path: str | Path) -> DistilConfig:
    """A TOML file (or a name in training/configs/) with top-level keys and a [model] section."""
    raw = read_toml(path)
    model = _build(ModelConfig, raw.pop("model", {})) if "model" in raw else DistilConfig().model
    return _build(DistilConfig, {**raw, "model": model})


def _teacher_path(cfg: DistilConfig) -> Path:
    p = Path(cfg.teacher)
    return p if p.is_absolute() else REPO / p


def training_notes(cfg: DistilConfig, spec) -> list[np.ndarray]:  # noqa: ANN001
    """Note arrays of the distillation bars: POP909 (outside val/test) and music21 Bach; never BPS/MTC."""
    from training.config import load_config
    from training.data import Split, music21_corpus_bars
    from training.pipeline import pretraining_bars

    run = load_config("motif_default")
    run = replace(run, encoding=spec, pretrain=replace(run.pretrain, max_songs=cfg.pop909_songs))
    bars = pretraining_bars(run, Split.load())
    if cfg.music21_files:
        bars += music21_corpus_bars(spec, limit=cfg.music21_files)
    return [b.notes for b in bars]


def relational_loss(student: torch.Tensor, teacher: torch.Tensor) -> torch.Tensor:
    """Mean squared difference of the two (already normalised) batches' cosine-similarity matrices."""
    return ((student @ student.T - teacher @ teacher.T) ** 2).mean()


def distil_loss(student: torch.Tensor, teacher: torch.Tensor, relational: float) -> tuple[torch.Tensor, dict[str, float]]:
    """Point-wise cosine loss plus ``relational`` x the similarity-matrix loss; both inputs [N, latent]."""
    s = nn.functional.normalize(student, dim=1)
    t = nn.functional.normalize(teacher, dim=1)
    point = (1 - (s * t).sum(dim=1)).mean()
    rel = relational_loss(s, t)
    return point + relational * rel, {"cosine": float(point.detach()), "relational": float(rel.detach())}


class Teacher:
    """The exported teacher through the runtime: rolls -> its normalised latent (the first ``latent`` columns)."""

    def __init__(self, path: Path, latent: int) -> None:
        from motifcli.model import load_model

        self.model = load_model(path, provider="cpu", threads=1)
        self.card = self.model.model_card
        self.latent = latent
        if (self.card.residual_roll or 0) > 0 and self.model.embedding_dim <= latent:
            raise ValueError(f"{path}: embedding of {self.model.embedding_dim} columns has no {latent}-d latent in front")

    def __call__(self, rolls: np.ndarray) -> torch.Tensor:
        out = self.model.embed(rolls)[:, : self.latent]
        return torch.from_numpy(out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12))


class CheckpointTeacher:
    """A run's checkpoint in torch on ``device``: rolls -> its normalised latent; card from its run config."""

    def __init__(self, path: Path, run_config: str, latent: int, device: torch.device) -> None:
        from training.config import load_config
        from training.data import Split
        from training.export_run import run_card
        from training.loop import load_checkpoint

        run = load_config(run_config)
        if run.model.latent != latent:
            raise ValueError(f"{path}: teacher latent {run.model.latent} differs from the student's {latent}")
        encoder = Encoder(run.encoding.steps, run.encoding.pitch_count, run.model)
        encoder.load_state_dict(load_checkpoint(path)["encoder"])
        self.encoder, self.device = encoder.to(device).eval(), device
        self.card = run_card(run, Split.load())  # no grouping threshold: calibrate the student

    @torch.no_grad()
    def __call__(self, rolls: np.ndarray) -> torch.Tensor:
        return nn.functional.normalize(self.encoder(torch.from_numpy(rolls).to(self.device)), dim=1)


def load_teacher(cfg: DistilConfig, device: torch.device) -> Teacher | CheckpointTeacher:
    """An ONNX teacher through the runtime, or a ``.pt`` checkpoint in torch (needs ``teacher_config``)."""
    path = _teacher_path(cfg)
    if path.suffix == ".pt":
        if not cfg.teacher_config:
            raise ValueError(f"{path}: a checkpoint teacher needs teacher_config (its run config)")
        return CheckpointTeacher(path, cfg.teacher_config, cfg.model.latent, device)
    return Teacher(path, cfg.model.latent)


def batch_rolls(notes: list[np.ndarray], rng: np.random.Generator, spec, cfg: DistilConfig) -> np.ndarray:  # noqa: ANN001
    """``batch_size`` random bars and a view of each (``training.views.random_view``)."""
    from training.views import random_view

    idx = rng.integers(len(notes), size=cfg.batch_size)
    plain = [notes[i] for i in idx]
    views = [random_view(n, rng, spec, cfg.view_probability) for n in plain]
    return render_rolls(plain + views, spec)


def distil(cfg: DistilConfig, notes: list[np.ndarray] | None = None,
           teacher: Teacher | CheckpointTeacher | None = None) -> tuple[Encoder, list[dict[str, float]], ModelCard]:
    """Train the student; returns it (eval mode), the log (mean loss per ``log_every`` steps) and the teacher's card.

    ``teacher``: one already loaded (on ``cfg.device``) by the caller, else :func:`load_teacher`."""
    from training.loop import resolve_device

    torch.manual_seed(cfg.seed)
    torch.set_num_threads(cfg.threads)
    rng = np.random.default_rng(cfg.seed)
    dev = resolve_device(cfg.device)
    teacher = load_teacher(cfg, dev) if teacher is None else teacher
    card = teacher.card
    if (card.residual_roll or 0.0) != cfg.model.residual_roll:
        raise ValueError(f"student residual_roll {cfg.model.residual_roll} differs from the teacher's {card.residual_roll}")
    spec = card.spec
    notes = training_notes(cfg, spec) if notes is None else notes
    student = Encoder(spec.steps, spec.pitch_count, cfg.model).to(dev)
    opt = torch.optim.AdamW(student.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    log, window, t0 = [], [], time.perf_counter()
    student.train()
    for step in range(cfg.steps):
        for g in opt.param_groups:
            g["lr"] = lr_at(step, cfg.steps, cfg.lr, cfg.warmup)  # warm-up, cosine decay (training.loop)
        rolls = batch_rolls(notes, rng, spec, cfg)
        target = teacher(rolls).to(dev)
        loss, terms = distil_loss(student(torch.from_numpy(rolls).to(dev)), target, cfg.relational)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        window.append({"loss": float(loss.detach()), **terms})
        if (step + 1) % cfg.log_every == 0 or step + 1 == cfg.steps:
            row = {k: float(np.mean([w[k] for w in window])) for k in window[0]}
            row.update(step=step + 1, seconds=time.perf_counter() - t0)
            log.append(row)
            window = []
    return student.cpu().eval(), log, card


def student_card(cfg: DistilConfig, teacher: ModelCard, bars: int) -> ModelCard:
    """The teacher's card (encoding, threshold, width) re-labelled as this student's."""
    from training.quantise import source_tag

    params = "{d_model}-d, {layers} layers, {heads} heads, ff {ff}".format(**asdict(cfg.model))
    return replace(teacher, method=f"distilled ({params}) from {teacher.method}",
                   training_data=student_training_data(cfg, teacher, bars), source_model=source_tag(_teacher_path(cfg)))


def student_training_data(cfg: DistilConfig, teacher: ModelCard, bars: int) -> str:
    """The card's ``training_data`` of a student: its own bars, then what its teacher learned from."""
    sources = "PIANO bars of POP909 songs outside val/test" + (" and music21 Bach parts" if cfg.music21_files else "")
    return (f"the teacher's latent on {bars} unlabelled bars: {sources} (no labels, no BPS/MTC); "
            f"the teacher: {teacher.training_data}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.distil", description=__doc__.split("\n\n")[0])
    ap.add_argument("-c", "--config", default="distil_small")
    ap.add_argument("-o", "--output", type=Path, required=True, help="the student's ONNX file")
    ap.add_argument("--log", type=Path, default=None, help="JSON of the run (config, loss log, seconds)")
    ap.add_argument("--weights", type=Path, default=None, help="also save the student's state dict (torch) here")
    args = ap.parse_args(argv)
    from training.export import export_checked
    from training.loop import resolve_device

    cfg = load_distil_config(args.config)
    t0 = time.perf_counter()
    teacher = load_teacher(cfg, resolve_device(cfg.device))  # loaded once: its card gives the spec
    spec = teacher.card.spec
    notes = training_notes(cfg, spec)
    t_data = time.perf_counter() - t0
    student, log, card = distil(cfg, notes, teacher)
    t_train = time.perf_counter() - t0 - t_data
    if args.weights:  # kept before the export, which a foreign torch (a lent GPU machine's) may refuse
        torch.save({"encoder": student.state_dict(), "model": asdict(cfg.model)}, args.weights)
    parity_rolls = batch_rolls(notes, np.random.default_rng(1), spec, replace(cfg, batch_size=32))
    diff = export_checked(student, args.output, student_card(cfg, card, len(notes)), parity_rolls, cfg.name)
    params = sum(p.numel() for p in student.parameters())
    summary = {"command": "python -m training.distil " + " ".join(sys.argv[1:] if argv is None else argv),
               "config": asdict(cfg), "bars": len(notes), "parameters": params, "data_seconds": t_data,
               "train_seconds": t_train, "parity": diff, "log": log}
    if args.log:
        args.log.parent.mkdir(parents=True, exist_ok=True)
        args.log.write_text(json.dumps(summary, indent=1) + "\n")
    first, last = log[0]["loss"], log[-1]["loss"]
    print(f"wrote {args.output}: {params} parameters, {len(notes)} bars, loss {first:.4f} -> {last:.4f}, "
          f"data {t_data:.0f} s, training {t_train:.0f} s, parity {diff:.1e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
