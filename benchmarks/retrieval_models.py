"""The paper's bar-level retrieval (RESULTS.md section 1) for exported ONNX models of any grid.

``training evaluate`` scores a run folder's torch checkpoints on the grid it was trained on. The
note-level models of issue 10 (``exported_models/ablations/note-*.onnx``) were trained on another
grid (8 beats x 4 steps per beat, windows anchored at a note): this script puts them beside the
shipped model on the same task. Every labelled PIANO bar of the split (the labels' own 4-beat bar
grid, ``training.data.labelled_bars`` as in RESULTS.md) queries every other bar; relevant = same
motif, same song; cosine distance; AUC-PR, mAP, P@K from ``training.evaluate.retrieval_scores``.

A bar is drawn into each model's own roll (``ModelCard`` spec): its notes keep their onsets in beats
from the bar's start, so a 4-beat bar fills half of an 8-beat roll, as the note models' 4-beat
training windows did. ``--normalise`` adds, per model, the input the note-level discovery feeds
(``motifcli.discovery.embed.window_rolls``: first note moved to mid-range). The shipped model on its
own grid reproduces RESULTS.md's figures to within 0.0005 (onnxruntime vs torch; a check of this script).

    python -m benchmarks.retrieval_models --split test \
        --model exported_models/motif-default.onnx --model exported_models/ablations/note-vicreg.onnx --normalise
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from motifcli.encoding import EncodingSpec, render_rolls  # noqa: E402
from motifcli.model import load_model  # noqa: E402
from training.config import load_config  # noqa: E402
from training.data import Bar, Split, labelled_bars  # noqa: E402
from training.evaluate import raw_roll_features, retrieval_scores, shifted_roll_features  # noqa: E402


def regrid(bars: list[Bar], source: EncodingSpec, target: EncodingSpec, normalise: bool) -> list[np.ndarray]:
    """Note arrays of ``source``'s grid redrawn on ``target``'s (beats kept; optional first-note pitch shift)."""
    out = []
    for bar in bars:
        n = np.asarray(bar.notes, dtype=np.float64).reshape(-1, 3)
        on = np.floor(n[:, 0] / source.steps_per_beat * target.steps_per_beat + 0.5).astype(np.int64)
        off = np.floor(n[:, 1] / source.steps_per_beat * target.steps_per_beat + 0.5).astype(np.int64)
        pitch = n[:, 2].astype(np.int64) + source.pitch_low
        if normalise and len(n):
            first = int(np.lexsort((pitch, on))[0])
            pitch = pitch + (target.pitch_low + target.pitch_count // 2 - pitch[first])
        cols = np.clip(pitch - target.pitch_low, 0, target.pitch_count - 1)
        keep = on < target.steps
        out.append(np.stack([on[keep], np.minimum(np.maximum(off[keep], on[keep] + 1), target.steps), cols[keep]], axis=1))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", default="test", choices=("val", "test"))
    ap.add_argument("--model", action="append", type=Path, required=True)
    ap.add_argument("--normalise", action="store_true", help="also score each model on first-note-normalised input")
    ap.add_argument("--config", default="motif_default", help="run config whose bar grid and track are used")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    cfg = load_config(args.config)
    songs = getattr(Split.load(), args.split)
    bars = [b for s in songs for b in labelled_bars(s, cfg.encoding, cfg.track, cfg.bar_phase)]
    song_ids, motifs = [b.song for b in bars], [b.motif for b in bars]
    base = render_rolls((b.notes for b in bars), cfg.encoding)
    features = {"raw roll": raw_roll_features(base), "shifted roll": shifted_roll_features(base)}
    for path in args.model:
        model = load_model(path)
        for norm in (False, True) if args.normalise else (False,):
            rolls = render_rolls(regrid(bars, cfg.encoding, model.spec, norm), model.spec)
            features[f"{path.stem}{' (input normalised)' if norm else ''}"] = model.embed(rolls)
    rows = {}
    print(f"| representation ({args.split}: {len(songs)} songs, {len(bars)} bars) | AUC-PR | mAP | P@1 | P@5 | P@10 |")
    print("|---|---|---|---|---|---|")
    for name, emb in features.items():
        scores, _ = retrieval_scores(np.asarray(emb, dtype=np.float64), song_ids, motifs, "cosine")
        d = scores.as_dict()
        rows[name] = d
        print(f"| {name} | {d['auc_pr']:.4f} | {d['map']:.4f} | {d['p_at_1']:.3f} | {d['p_at_5']:.3f} | {d['p_at_10']:.3f} |")
    if args.json:
        cmd = "python -m benchmarks.retrieval_models " + " ".join(sys.argv[1:])
        args.json.write_text(json.dumps({"command": cmd, "split": args.split, "bars": len(bars), "results": rows}, indent=1))


if __name__ == "__main__":
    main()
