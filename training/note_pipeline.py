"""The note-level run: VICReg on note-anchored windows, then triplets on planted and labelled motifs.

Reuses the bar-level machinery (``loop.run_stage``, ``vicreg_step``, ``triplet_step``,
``TripletSampler``, ``export.export_checked``); what differs is the data
(``note_data``: windows anchored at note onsets of one voice, several lengths), the views
(``views.NOTE_VIEWS``: the paper's four plus a small time shift) and the positives:

- *planted motifs*: a motif (the first 1-4 beats of a real window) is planted at the start of two
  different real contexts; the copy is transposed (1..``transpose_max`` semitones, always) and may
  lose a note or have one moved. The negative is another motif in the anchor's *own* context, so
  the model must look at the motif, not at what follows it;
- *POP909 labels*: one window per label span (``note_data.labelled_note_windows``), train songs only;
  positives are other spans of the same motif in the same song (``loop.TripletSampler``).

Against the collapsed cone of the first run (benchmarks/NOTE-MODEL.md), two switches, both off by
default so the first recipe reproduces: ``model.centre_latent`` (BatchNorm on the latent, exported)
and ``notes.latent_spread`` (VICReg's variance/covariance terms on the latent, ``loop.vicreg_step``'s ``latent_loss``).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

from motifcli.contract import ModelCard
from motifcli.encoding import EncodingSpec, render_rolls
from training.config import NotesConfig, RunConfig
from training.data import Bar, Split
from training.export import export_checked
from training.loop import DistInfo, TripletSampler, run_stage, triplet_step, vicreg_step, write_json
from training.losses import LatentSpreadLoss
from training.model import Encoder, Expander
from training.note_data import (cached, dedupe, labelled_note_windows, music21_windows, pop909_windows,
                                pretraining_songs)
from training.pipeline import build_encoder, cache_dir, load_encoder, wrap_ddp
from training.views import NOTE_VIEWS, NOTE_VIEWS_NO_TRANSPOSE, VIEWS, transpose

VERSION = "0.1.0-note"


def _key(spec: EncodingSpec, n: NotesConfig) -> str:
    lengths = "_".join(f"{x:g}" for x in n.lengths)
    return (f"{spec.encoding}-{spec.steps_per_beat}-{spec.segment_beats:g}-{spec.pitch_low}-{spec.pitch_count}"
            f"-L{lengths}-s{n.stride}-m{n.min_notes}")


def pretraining_windows(cfg: RunConfig) -> list[Bar]:
    """Unlabelled windows of POP909 (val/test songs excluded) and music21's Bach corpus, deduplicated, cached."""
    n, spec = cfg.notes, cfg.encoding
    songs = pretraining_songs(n.pop909_songs)
    pop = cached(cache_dir() / f"notes-pop909-{_key(spec, n)}-{len(songs)}-{songs[0]}-{songs[-1]}.npz",
                 lambda: dedupe(pop909_windows(songs, spec, n.lengths, n.stride, n.min_notes)))
    bach = cached(cache_dir() / f"notes-music21-{_key(spec, n)}-{n.music21_files}.npz",
                  lambda: dedupe(music21_windows(spec, n.lengths, n.stride, n.music21_files, n.min_notes)))
    return pop + bach


def labelled_windows(cfg: RunConfig, songs: Sequence[str]) -> list[Bar]:
    n, spec = cfg.notes, cfg.encoding
    name = f"notes-labels-{_key(spec, n)}-{len(songs)}-{songs[0]}-{songs[-1]}.npz"
    return cached(cache_dir() / name,
                  lambda: [b for s in songs for b in labelled_note_windows(s, spec, cfg.track, max(n.lengths))])


def _shift_in_time(notes: np.ndarray, steps: int, spec: EncodingSpec) -> np.ndarray:
    out = notes.astype(np.int16).copy()
    out[:, :2] += steps
    out[:, 1] = np.minimum(out[:, 1], spec.steps)
    return out[out[:, 0] < spec.steps]


class PlantedSampler:
    """Triplets of planted synthetic motifs, mixed with POP909 label triplets (``TripletSampler``)."""

    def __init__(self, windows: Sequence[Bar], labelled: Sequence[Bar], spec: EncodingSpec, cfg: NotesConfig,
                 same_song: float = 0.5) -> None:
        self.windows = list(windows)
        self.spec = spec
        self.cfg = cfg
        self.labels = TripletSampler(labelled, spec, same_song, 0.0) if labelled and cfg.planted_share < 1 else None

    def motif(self, rng: np.random.Generator) -> tuple[np.ndarray, int]:
        """The first 1-4 beats (>= 3 notes) of a random window, and its length in steps."""
        while True:
            beats = float(rng.choice(self.cfg.motif_beats))
            steps = int(round(beats * self.spec.steps_per_beat))
            notes = self.windows[int(rng.integers(len(self.windows)))].notes
            m = notes[notes[:, 0] < steps].copy()
            if len(m) >= 3:
                m[:, 1] = np.minimum(m[:, 1], steps)
                return m, steps

    def context(self, rng: np.random.Generator, after: int) -> np.ndarray:
        return _shift_in_time(self.windows[int(rng.integers(len(self.windows)))].notes, after, self.spec)

    def vary(self, motif: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """The known transformation: always transposed, sometimes a note dropped or moved.

        With ``transpose_views`` off (the no-invariance ablation) the copy keeps its pitch.
        """
        out = motif.copy()
        for _ in range(5 if self.cfg.transpose_views else 0):  # a nonzero shift (transpose may draw 0)
            out = transpose(motif, rng, self.spec, self.cfg.transpose_max)
            if not np.array_equal(out, motif):
                break
        for name in ("drop_note", "shift_note"):
            if rng.random() < self.cfg.vary_probability:
                out = VIEWS[name](out, rng, self.spec)
        return out

    def planted(self, rng: np.random.Generator, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        anchors, positives, negatives = [], [], []
        for _ in range(size):
            m, steps = self.motif(rng)
            ctx_a, ctx_p = self.context(rng, steps), self.context(rng, steps)
            other, other_steps = self.motif(rng)
            anchors.append(np.concatenate([m, ctx_a]))
            positives.append(np.concatenate([self.vary(m, rng), ctx_p]))
            negatives.append(np.concatenate([other, _shift_in_time(ctx_a, other_steps - steps, self.spec)]))
        return (render_rolls(anchors, self.spec), render_rolls(positives, self.spec), render_rolls(negatives, self.spec))

    def batch(self, rng: np.random.Generator, size: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        n_label = int(rng.binomial(size, 1 - self.cfg.planted_share)) if self.labels is not None else 0
        a, p, n = (torch.from_numpy(x) for x in self.planted(rng, size - n_label))
        if n_label:
            la, lp, ln = self.labels.batch(rng, n_label)
            a, p, n = torch.cat([a, la]), torch.cat([p, lp]), torch.cat([n, ln])
        return a, p, n


def note_views(n: NotesConfig) -> tuple[str, ...]:
    """VICReg's views: ``NOTE_VIEWS``, or the same without transposition for the no-invariance ablation."""
    return NOTE_VIEWS if n.transpose_views else NOTE_VIEWS_NO_TRANSPOSE


def pretrain(cfg: RunConfig, out_dir: Path, info: DistInfo = DistInfo(), progress: bool = False,
             windows: Sequence[Bar] | None = None) -> float:
    """VICReg on note-anchored windows with ``NOTE_VIEWS``; returns seconds."""
    p = cfg.pretrain
    if p.epochs <= 0:
        return 0.0
    windows = list(windows) if windows is not None else pretraining_windows(cfg)
    enc = build_encoder(cfg)
    exp = Expander(cfg.model.latent, cfg.model.expander)
    enc_d, exp_d = wrap_ddp(enc, info), wrap_ddp(exp, info)
    spread = LatentSpreadLoss(cfg.notes.latent_spread, p.variance, p.covariance)
    step = vicreg_step(enc_d, exp_d, windows, cfg.encoding, p, note_views(cfg.notes), latent_loss=spread)
    return run_stage("pretrain", enc_d, exp_d, step, epochs=p.epochs, steps_per_epoch=p.steps_per_epoch, lr=p.lr,
                     weight_decay=p.weight_decay, seed=cfg.seed, out_dir=out_dir, resume=False, info=info,
                     progress=progress).seconds


def finetune(cfg: RunConfig, out_dir: Path, info: DistInfo = DistInfo(), progress: bool = False,
             windows: Sequence[Bar] | None = None, labelled: Sequence[Bar] | None = None) -> float:
    """Triplets on planted motifs (and POP909 train-split labels), from the pretrained encoder."""
    f = cfg.finetune
    if f.epochs <= 0:
        return 0.0
    windows = list(windows) if windows is not None else pretraining_windows(cfg)
    if labelled is None:
        labelled = labelled_windows(cfg, Split.load().train) if cfg.notes.planted_share < 1 else []
    enc = load_encoder(cfg, out_dir, "pretrain") if cfg.pretrain.epochs > 0 else build_encoder(cfg)
    enc.train()
    sampler = PlantedSampler(windows, labelled, cfg.encoding, cfg.notes, f.same_song_negatives)
    enc_d = wrap_ddp(enc, info)
    return run_stage("finetune", enc_d, None, triplet_step(enc_d, sampler, f), epochs=f.epochs,
                     steps_per_epoch=f.steps_per_epoch, lr=f.lr, weight_decay=f.weight_decay, seed=cfg.seed,
                     out_dir=out_dir, resume=False, info=info, progress=progress).seconds


def note_card(cfg: RunConfig, n_windows: int | None = None, stages: tuple[str, ...] = ("pretrain", "finetune")
              ) -> ModelCard:
    """The model card: what the model is and exactly what it was trained on (``stages`` that were run)."""
    n = cfg.notes
    vicreg = "pretrain" in stages and cfg.pretrain.epochs > 0
    triplet = "finetune" in stages and cfg.finetune.epochs > 0
    fixes = ([f"latent variance/covariance x{n.latent_spread:g}"] if vicreg and n.latent_spread > 0 else []) + (
        ["latent centred by BatchNorm"] if cfg.model.centre_latent else [])
    lengths = "/".join(f"{x:g}" for x in n.lengths)
    views = "transpose, drop/move a note" if n.transpose_views else "drop/move a note (no transpose)"
    planted = "transposed/varied" if n.transpose_views else "varied, not transposed"
    method = (f"note-anchored windows ({lengths} beats from a note onset of one voice, in a "
              f"{cfg.encoding.segment_beats:g}-beat roll); " + "+".join(
                  ([f"vicreg (views: {views}, duration, time shift)"] if vicreg else [])
                  + ([f"triplet (planted motifs, {planted}; POP909 labels)"] if triplet else []))
              + "".join(f"; {f}" for f in fixes) + "; no roll skip" + ("" if n.transpose_views else "; absolute-pitch input"))
    count = f"{n_windows} " if n_windows else ""
    data = (f"VICReg: {count}unlabelled windows of {n.pop909_songs or 'all'} POP909 songs (MIT; labelled val/test "
            f"songs excluded) and {n.music21_files} music21 corpus Bach files; "
            + (f"triplets: {n.planted_share:.0%} synthetic motifs planted into those windows, the rest POP909 motif "
               "labels (train split). " if triplet else "")
            + "No BPS-motif or MTC-ANN data.")
    return ModelCard(cfg.encoding, distance="cosine", grouping_threshold=None, method=method, training_data=data,
                     version=VERSION, embedding_dim=cfg.model.latent, residual_roll=0.0,
                     input_pitch="normalised" if n.transpose_views else "absolute")


def export(cfg: RunConfig, out_dir: Path, path: Path, windows: Sequence[Bar], n_windows: int | None = None,
           stage: str | None = None) -> float:
    """Export the run's latest encoder (or ``stage``'s last) with its card; fail when torch and onnxruntime disagree."""
    encoder: Encoder = load_encoder(cfg, out_dir, stage)
    stages = ("pretrain",) if stage == "pretrain" else ("pretrain", "finetune")
    rolls = render_rolls([w.notes for w in list(windows)[:64]], cfg.encoding)
    return export_checked(encoder, path, note_card(cfg, n_windows, stages), rolls)


def main(config: str, out_dir: str, onnx_path: str) -> None:
    """``python -m training.note_pipeline CONFIG OUT_DIR MODEL.onnx``: data, both stages, export; times in run.json."""
    from training.config import load_config

    cfg = load_config(config)
    torch.set_num_threads(cfg.threads)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    t = {}
    t0 = time.time()
    windows = pretraining_windows(cfg)
    t["data"] = time.time() - t0
    print(f"{len(windows)} windows ({t['data']:.0f} s)", flush=True)
    t["pretrain"] = pretrain(cfg, out, windows=windows, progress=False)
    print(f"pretrain {t['pretrain']:.0f} s", flush=True)
    if cfg.pretrain.epochs > 0 and cfg.finetune.epochs > 0:  # the VICReg-only encoder, for the ablation row
        export(cfg, out, out / "pretrain-only.onnx", windows, len(windows), stage="pretrain")
    t["finetune"] = finetune(cfg, out, windows=windows, progress=False)
    print(f"finetune {t['finetune']:.0f} s", flush=True)
    diff = export(cfg, out, Path(onnx_path), windows, len(windows))
    write_json(out / "run.json", {"config": config, "seconds": t, "windows": len(windows), "parity": diff,
                                  "model": onnx_path})
    print(f"exported {onnx_path} (parity {diff:.1e})", flush=True)


if __name__ == "__main__":
    import sys

    main(*sys.argv[1:4])
