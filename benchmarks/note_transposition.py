"""How far a transposed copy embeds from its original, for shipped models fed as the runtime feeds them.

Issue 10 item 2 asks for transposition invariance "within a stated distance". This measures it on
real windows, with the runtime's own code, no labels and no BPS/MTC data:

* **note models** (``exported_models/ablations/note-*.onnx``): note windows of every voice of the
  bundled examples (``examples/pop909-*.mid``) and music21's ``bach/bwv1.6`` and Mozart K. 545/1
  (``motifcli.voices.split_voices`` -> ``discovery.candidates.build_lines``), ``WINDOW`` notes of one
  voice from every ``STRIDE``-th note, drawn by ``discovery.embed.window_rolls`` and embedded by
  ``motifcli.load_model(...).embed`` (onnxruntime). Each window gets a seeded shift of 1-6 semitones
  up or down. Two feeds: ``runtime`` (what ``discovery/embed.cosine_to_nearest`` gives the model: the
  first note moved to mid-range unless the card says ``input_pitch="absolute"``, so a transposition
  is undone before the model sees it) and ``written`` (the window at its written pitch, as an
  ``absolute`` model is fed: the model's own, learned invariance).
* **the bar model** (``motif-default.onnx``): ``motifcli.embed`` (the ``--unit bar`` windows) of each
  piece and of the piece transposed by each shift; a window's copy is the same window of the
  transposed piece.

Reported per model and feed: median and 95th percentile of d(transposed) (cosine distance of a
window to its transposed copy), median and 5th percentile of d(other) (to the other windows of the
same piece) and ``closer`` (share of (window, other window) pairs where the copy is nearer).

    PYTHONPATH=$PWD python -m benchmarks.note_transposition [--model PATH ...] [--out FILE]
"""

from __future__ import annotations

import argparse
import copy
import json
import shlex
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
ABLATIONS = REPO / "exported_models" / "ablations"
NOTE_MODELS = ("note-centred-bn.onnx", "note-vicreg.onnx", "note-variant.onnx", "note-noinv.onnx")
SOURCES = ("examples/pop909-101.mid", "examples/pop909-202.mid", "examples/pop909-303.mid",
           "corpus:bach/bwv1.6", "corpus:mozart/k545/movement1_exposition.mxl")
WINDOW = 6  # notes per window (the runtime's statements are 4-12 notes of one voice)
STRIDE = 3  # a window from every third note of each voice
MAX_SHIFT = 6
SEED = 0


def source_path(name: str) -> Path:
    if name.startswith("corpus:"):
        import music21

        return Path(str(music21.corpus.getWork(name[len("corpus:"):])))
    return REPO / name


def note_windows(score: object) -> tuple[object, list[np.ndarray]]:
    """The runtime's lines of ``score`` and every ``WINDOW``-note window of one voice (positions)."""
    from motifcli.discovery.candidates import build_lines
    from motifcli.voices import split_voices

    lines = build_lines(split_voices(score))
    windows = []
    for v in range(len(lines.voices)):
        pos = np.flatnonzero(lines.voice_id == v)
        windows += [pos[i:i + WINDOW] for i in range(0, len(pos) - WINDOW + 1, STRIDE)]
    return lines, windows


def shifts(n: int, seed: int = SEED) -> np.ndarray:
    """A nonzero shift in [-MAX_SHIFT, MAX_SHIFT] per window, seeded."""
    rng = np.random.default_rng(seed)
    return rng.integers(1, MAX_SHIFT + 1, size=n) * np.where(rng.random(n) < 0.5, 1, -1)


def unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64).reshape(len(x), -1)
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def note_distances(model: object, lines: object, windows: list[np.ndarray], feed: str) -> tuple[np.ndarray, np.ndarray]:
    """d(transposed) per window and the window-by-window distance matrix, for one piece and feed."""
    from motifcli.discovery.embed import absolute_input, window_rolls

    normalise = feed == "runtime" and not absolute_input(model)
    k = shifts(len(windows))
    a = unit(model.embed(window_rolls(lines, windows, model.spec, normalise=normalise)))
    copies = []
    for shift in sorted(set(k.tolist())):
        idx = np.flatnonzero(k == shift)
        shifted = replace(lines, pitches=lines.pitches + shift)
        copies.append((idx, window_rolls(shifted, [windows[i] for i in idx], model.spec, normalise=normalise)))
    rolls = np.concatenate([r for _, r in copies])
    order = np.concatenate([i for i, _ in copies])
    moved = np.zeros_like(a)
    moved[order] = unit(model.embed(rolls))
    return 1.0 - np.sum(a * moved, axis=1), 1.0 - a @ a.T


def bar_distances(model: object, score: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """d(transposed) per bar window (the piece moved by one shift per window's group), distances,
    and the track of each window."""
    import motifcli

    base = motifcli.embed(score, model)
    a = unit(base.vectors)
    k = shifts(len(a))
    moved = np.zeros_like(a)
    for shift in sorted(set(k.tolist())):
        other = copy.deepcopy(score)
        for track in other.tracks:
            if track.is_pitched:
                track.notes = [replace(n, pitch=n.pitch + shift) for n in track.notes]
        res = motifcli.embed(other, model)
        assert len(res.vectors) == len(a)
        idx = np.flatnonzero(k == shift)
        moved[idx] = unit(res.vectors)[idx]
    return 1.0 - np.sum(a * moved, axis=1), 1.0 - a @ a.T, np.asarray(base.track)


def summary(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> dict[str, float]:
    """Pooled over pieces: (d_transposed, distance matrix, group of each window; pairs within a group)."""
    d_t = np.concatenate([p[0] for p in parts])
    others, closer = [], []
    for d_tr, d_all, group in parts:
        same = (group[:, None] == group[None, :]) & ~np.eye(len(group), dtype=bool)
        others.append(d_all[same])
        closer.append((d_all > d_tr[:, None])[same])
    d_o, c = np.concatenate(others), np.concatenate(closer)
    return {"windows": int(len(d_t)), "d_transposed_median": float(np.median(d_t)),
            "d_transposed_p95": float(np.percentile(d_t, 95)), "d_transposed_max": float(d_t.max()),
            "d_other_median": float(np.median(d_o)), "d_other_p05": float(np.percentile(d_o, 5)),
            "closer": float(c.mean())}


def run(model_paths: Sequence[Path]) -> dict:
    import motifcli
    from motifcli.readers import read_score

    scores = {name: read_score(source_path(name)) for name in SOURCES}
    out: dict[str, dict] = {}
    for path in model_paths:
        model = motifcli.load_model(path, provider="cpu")
        for feed in ("runtime", "written"):
            parts = []
            for score in scores.values():
                lines, windows = note_windows(score)
                d_t, d_all = note_distances(model, lines, windows, feed)
                parts.append((d_t, d_all, np.zeros(len(windows), dtype=int)))
            out[f"{path.name} [{feed}]"] = summary(parts)
    bar = motifcli.load_model(provider="cpu")
    out["motif-default.onnx [runtime: --unit bar windows]"] = summary([bar_distances(bar, s) for s in scores.values()])
    return {"command": "PYTHONPATH=$PWD python -m benchmarks.note_transposition " + shlex.join(sys.argv[1:]),
            "sources": list(SOURCES), "window_notes": WINDOW, "stride": STRIDE, "max_shift": MAX_SHIFT,
            "seed": SEED, "results": out}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.note_transposition", description=__doc__.split("\n")[0])
    ap.add_argument("--model", action="append", type=Path, default=[],
                    help="note model (default: the shipped note ablations in exported_models/ablations)")
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "note-transposition.json")
    args = ap.parse_args(argv)
    paths = args.model or [ABLATIONS / name for name in NOTE_MODELS if (ABLATIONS / name).exists()]
    result = run(paths)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    print("| model [feed] | windows | median d(transposed) | p95 | max | median d(other) | p5 d(other) | closer |")
    print("|---|---|---|---|---|---|---|---|")
    for key, r in result["results"].items():
        print(f"| {key} | {r['windows']} | {r['d_transposed_median']:.4f} | {r['d_transposed_p95']:.4f} | "
              f"{r['d_transposed_max']:.4f} | {r['d_other_median']:.3f} | {r['d_other_p05']:.3f} | {r['closer']:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
