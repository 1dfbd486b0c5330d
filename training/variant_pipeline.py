"""A note-window encoder for *variant similarity* (issue 10 item 2, phase 7; benchmarks/phase7-varmodel7.md).

The job: tell a motif family's genuinely varied statements (diatonic sequences, ornaments, changed
intervals, re-divided rhythm, fragments) from *other material of the same piece*. So:

- inputs are first-note-normalised windows (``views.normalise_first``, as the runtime's
  ``discovery.embed.window_rolls`` draws a statement): chromatic transposition is in the input,
  and the model spends its capacity on variation;
- a positive is the window under 1..``max_views`` of ``views.VARIANT_VIEWS``;
- the negatives are the other windows of the batch, ``windows_per_song`` of them from the *same
  piece* (non-overlapping: ``min_gap_beats`` apart), so the hard negatives are the piece's own
  other material; symmetric InfoNCE (NT-Xent) over the batch;
- the latent keeps the BatchNorm centring (``model.centre_latent``, benchmarks/NOTE-MODEL.md).

Data: the note-anchored windows of ``note_pipeline.pretraining_windows`` (POP909 outside the
labelled val/test songs, music21's Bach corpus). Never BPS-motif or MTC-ANN.

    python -m training.variant_pipeline training/configs/note_variant.toml runs/note_variant runs/note_variant/model.onnx
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from torch import nn

from motifcli.contract import ModelCard
from motifcli.encoding import EncodingSpec, render_rolls
from training.config import RunConfig, VariantConfig
from training.data import Bar
from training.export import export_checked
from training.loop import DistInfo, load_checkpoint, latest_checkpoint, run_stage, write_json
from training.model import Encoder
from training.note_pipeline import pretraining_windows
from training.pipeline import build_encoder
from training.views import VARIANT_VIEWS, VIEWS, normalise_first

VERSION = "0.1.0-variant"


def variant(notes: np.ndarray, rng: np.random.Generator, spec: EncodingSpec, max_views: int,
            names: tuple[str, ...] = VARIANT_VIEWS) -> np.ndarray:
    """The window under 1..``max_views`` distinct variant views (in random order), normalised."""
    out = notes
    for k in rng.choice(len(names), size=min(len(names), int(rng.integers(1, max_views + 1))), replace=False):
        out = VIEWS[names[int(k)]](out, rng, spec)
    return normalise_first(out, spec)


class SamePieceSampler:
    """Batches of ``songs_per_batch`` pieces x ``windows_per_song`` non-overlapping windows, each with a variant."""

    def __init__(self, windows: Sequence[Bar], spec: EncodingSpec, cfg: VariantConfig) -> None:
        self.windows = list(windows)
        self.spec = spec
        self.cfg = cfg
        by_song: dict[str, list[int]] = defaultdict(list)
        for i, w in enumerate(self.windows):
            by_song[w.song].append(i)
        self.songs = [s for s, idx in by_song.items() if len({self.windows[i].start for i in idx}) >= 2]
        self.by_song = by_song
        if not self.songs:
            raise ValueError("no piece has windows at two different starts: no same-piece negatives")

    def pick(self, rng: np.random.Generator, song: str) -> list[int]:
        """Up to ``windows_per_song`` windows of ``song`` whose starts are ``min_gap_beats`` apart."""
        chosen: list[int] = []
        for i in rng.permutation(self.by_song[song]).tolist():
            s = self.windows[i].start
            if all(abs(s - self.windows[j].start) >= self.cfg.min_gap_beats for j in chosen):
                chosen.append(i)
                if len(chosen) == self.cfg.windows_per_song:
                    break
        return chosen

    def batch(self, rng: np.random.Generator) -> tuple[torch.Tensor, torch.Tensor, np.ndarray]:
        """(anchors, positives, piece id per row): anchors are the normalised windows, positives their variants."""
        songs = rng.choice(len(self.songs), size=min(self.cfg.songs_per_batch, len(self.songs)), replace=False)
        idx, piece = [], []
        for k in songs.tolist():
            got = self.pick(rng, self.songs[k])
            idx += got
            piece += [k] * len(got)
        a = [normalise_first(self.windows[i].notes, self.spec) for i in idx]
        names = self.cfg.views or VARIANT_VIEWS
        p = [variant(self.windows[i].notes, rng, self.spec, self.cfg.max_views, names) for i in idx]
        return torch.from_numpy(render_rolls(a, self.spec)), torch.from_numpy(render_rolls(p, self.spec)), np.array(piece)


def info_nce(za: torch.Tensor, zp: torch.Tensor, temperature: float) -> torch.Tensor:
    """Symmetric NT-Xent: each anchor's positive against every other row of both views (L2-normalised inputs)."""
    z = torch.cat([za, zp])
    sim = z @ z.T / temperature
    n = len(za)
    sim = sim.masked_fill(torch.eye(2 * n, dtype=torch.bool), float("-inf"))
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return nn.functional.cross_entropy(sim, target)


def variant_step(encoder: nn.Module, sampler: SamePieceSampler, cfg: VariantConfig):
    """One InfoNCE step; logs how often the variant beats the hardest same-piece window (``same_piece_win``)."""
    def step(rng: np.random.Generator) -> tuple[torch.Tensor, dict[str, float]]:
        a, p, piece = sampler.batch(rng)
        z = nn.functional.normalize(encoder(torch.cat([a, p])), dim=1)
        za, zp = z.split(len(a))
        loss = info_nce(za, zp, cfg.temperature)
        with torch.no_grad():
            sim = za @ za.T
            same = torch.from_numpy(piece[:, None] == piece[None, :]) & ~torch.eye(len(a), dtype=torch.bool)
            hardest = sim.masked_fill(~same, -2.0).max(dim=1).values
            win = float(((za * zp).sum(1) > hardest).float().mean())
        return loss, {"same_piece_win": win}
    return step


def train(cfg: RunConfig, out_dir: Path, windows: Sequence[Bar], progress: bool = False) -> float:
    """The one InfoNCE stage (``cfg.pretrain``'s epochs, steps, lr), checkpointed per epoch; returns seconds."""
    p = cfg.pretrain
    out_dir.mkdir(parents=True, exist_ok=True)
    enc = build_encoder(cfg)
    sampler = SamePieceSampler(windows, cfg.encoding, cfg.variant)
    return run_stage("pretrain", enc, None, variant_step(enc, sampler, cfg.variant), epochs=p.epochs,
                     steps_per_epoch=p.steps_per_epoch, lr=p.lr, weight_decay=p.weight_decay, seed=cfg.seed,
                     out_dir=out_dir, resume=True, info=DistInfo(), progress=progress).seconds


def variant_card(cfg: RunConfig, n_windows: int | None = None, epochs: int | None = None) -> ModelCard:
    """What the model is and exactly what it was trained on."""
    n, v = cfg.notes, cfg.variant
    lengths = "/".join(f"{x:g}" for x in n.lengths)
    method = (f"note-anchored windows ({lengths} beats from a note onset of one voice, in a "
              f"{cfg.encoding.segment_beats:g}-beat roll), first note normalised; InfoNCE (t={v.temperature:g}) "
              f"of a window against its variant (1-{v.max_views} of: {', '.join(v.views or VARIANT_VIEWS)}) with "
              f"{v.windows_per_song - 1} other windows of the same piece among the negatives"
              + (f"; {epochs} of {cfg.pretrain.epochs} epochs" if epochs is not None and epochs < cfg.pretrain.epochs else "")
              + ("; latent centred by BatchNorm" if cfg.model.centre_latent else "") + "; no roll skip")
    count = f"{n_windows} " if n_windows else ""
    data = (f"{count}unlabelled windows of {n.pop909_songs or 'all'} POP909 songs (MIT; labelled val/test songs "
            f"excluded) and {n.music21_files} music21 corpus Bach files. No BPS-motif or MTC-ANN data.")
    return ModelCard(cfg.encoding, distance="cosine", grouping_threshold=None, method=method, training_data=data,
                     version=VERSION, embedding_dim=cfg.model.latent, residual_roll=0.0, input_pitch="normalised")


def export(cfg: RunConfig, out_dir: Path, path: Path, windows: Sequence[Bar]) -> float:
    """Export the run's latest checkpoint with its card; fail when torch and onnxruntime disagree."""
    latest = latest_checkpoint(out_dir / "checkpoints")
    if latest is None:
        raise FileNotFoundError(f"{out_dir}: no checkpoint to export")
    state = load_checkpoint(latest)
    encoder: Encoder = build_encoder(cfg)
    encoder.load_state_dict(state["encoder"])
    encoder.eval()
    rolls = render_rolls([normalise_first(w.notes, cfg.encoding) for w in list(windows)[:64]], cfg.encoding)
    return export_checked(encoder, path, variant_card(cfg, len(windows), int(state["epoch"])), rolls)


def main(config: str, out_dir: str, onnx_path: str, only_export: str = "") -> None:
    """``python -m training.variant_pipeline CONFIG OUT_DIR MODEL.onnx [export]``: data, train (resumes), export."""
    from training.config import load_config

    cfg = load_config(config)
    torch.set_num_threads(cfg.threads)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    windows = pretraining_windows(cfg)
    t = {"data": time.time() - t0}
    print(f"{len(windows)} windows ({t['data']:.0f} s)", flush=True)
    if only_export != "export":
        t["train"] = train(cfg, out, windows)
        print(f"train {t['train']:.0f} s", flush=True)
    diff = export(cfg, out, Path(onnx_path), windows)
    write_json(out / "run.json", {"config": config, "seconds": t, "windows": len(windows), "parity": diff,
                                  "model": onnx_path, "cpu_seconds": time.process_time()})
    print(f"exported {onnx_path} (parity {diff:.1e})", flush=True)


if __name__ == "__main__":
    import sys

    main(*sys.argv[1:5])
