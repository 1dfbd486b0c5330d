"""How well a one-track keyboard part's notes are split into hands (phase19-hand19.md).

    PYTHONPATH=$PWD python -m benchmarks.hands_probe OUT/one/*.mid      # benchmarks.hands_inputs' files
    PYTHONPATH=$PWD python -m benchmarks.hands_probe --bps tune         # BPS movements, their staff tracks merged

Per input: notes, the truth's share in the right hand (upper staff), and the share of notes given
their true hand by motif's split (:func:`motifcli.hands.hands`) and by a fixed cut at middle C (the
MusicXML writer's grand staff); which hand leads (1.5x the other's notes: ``texture_lead``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from motifcli.hands import hands, split


def row(name: str, onsets: np.ndarray, offsets: np.ndarray, pitches: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    got = hands(onsets, offsets, pitches)
    raw = split(onsets, offsets, pitches)
    fixed = np.where(pitches >= 60, 1, 2)
    acc, acc60 = float((raw == truth).mean()), float((fixed == truth).mean())
    r, l = int((raw == 1).sum()), int((raw == 2).sum())
    lead = "right" if r >= 1.5 * l else "left" if l >= 1.5 * r else "none"
    tr, tl = int((truth == 1).sum()), int((truth == 2).sum())
    tlead = "right" if tr >= 1.5 * tl else "left" if tl >= 1.5 * tr else "none"
    print(f"{name}: {len(pitches)} notes, truth right {tr / len(truth):.2f} (leads {tlead}); split right"
          f" {r / len(raw):.2f} (leads {lead}{'' if got is not None else ', not two hands'}); correct {acc:.3f}"
          f" (middle C {acc60:.3f})", flush=True)
    return acc, acc60


def main(args: list[str]) -> None:
    rows = []
    if args[0] == "--bps":
        from benchmarks.discovery_sweep import pieces

        for p in pieces("bps", args[1]):
            tracks = [t for t in p.score.pitched_tracks() if t.notes]
            on, off, pi = (np.concatenate([t.arrays()[k] for t in tracks]) for k in range(3))
            truth = np.concatenate([np.full(len(t.notes), k + 1) for k, t in enumerate(tracks)])
            rows.append(row(p.name, on, off, pi, truth))
    else:
        import motifcli

        for path in map(Path, args):
            score = motifcli.read_score(path)
            (track,) = [t for t in score.pitched_tracks() if t.notes]
            truth_of = json.loads(path.with_suffix(".hands.json").read_text())
            tpb = 480 if score.ticks_per_beat is None else score.ticks_per_beat
            on, off, pi = track.arrays()
            truth = np.array([truth_of.get(f"{round(o * tpb)},{p}", 0) for o, p in zip(on.tolist(), pi.tolist())])
            rows.append(row(path.stem, on, off, pi, truth))
    a = np.array(rows)
    print(f"mean correct: split {a[:, 0].mean():.3f}, middle C {a[:, 1].mean():.3f} ({len(a)} inputs)")


if __name__ == "__main__":
    main(sys.argv[1:])
