"""Fit the downbeat-accent weights of motifcli/meter_estimate.py (ACCENT_WEIGHTS) on POP909's tune split.

    PYTHONPATH=. python benchmarks/meter_train.py [--max-id 500]

A logistic regression over ``beat_features`` at every beat of ``beat_midi.txt`` (positive: the
beat is a downbeat) of songs with id < --max-id; songs >= 500 stay out for the test split. Prints
the weights (then the bias) to paste into ACCENT_WEIGHTS. scikit-learn is used here only, never
at run time.
"""

from __future__ import annotations

import argparse

import numpy as np
from sklearn.linear_model import LogisticRegression

from meter import DATA, pop909_downbeats  # benchmarks/meter.py, run as a script from this folder
from motifcli.meter_estimate import CONTEXT, FEATURES, beat_features, with_context
from motifcli.readers.midi import read_midi


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-id", type=int, default=500)
    parser.add_argument("--melody", action="store_true", help="the MELODY track alone (weights for one-line input)")
    parser.add_argument("--context", action="store_true", help="also the features of the beats CONTEXT away")
    args = parser.parse_args()
    xs, ys = [], []
    for song in sorted(p for p in (DATA / "pop909").iterdir() if p.is_dir() and int(p.name) < args.max_id):
        score = read_midi(song / f"{song.name}.mid")
        _, downbeats, beats = pop909_downbeats(song, score)
        if args.melody:
            score.tracks = [t for t in score.tracks if t.name.upper() == "MELODY"]
        beats = beats[beats >= 0]
        feats = beat_features(score, beats)
        xs.append(with_context(feats) if args.context else feats)
        ys.append(np.isin(np.round(beats, 3), np.round(downbeats, 3)).astype(np.int64))
    x, y = np.concatenate(xs), np.concatenate(ys)
    model = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced").fit(x, y)
    print(f"{len(xs)} songs, {len(y)} beats, {y.mean():.3f} downbeats; train accuracy {model.score(x, y):.3f}")
    names = [*FEATURES, *(f"{f}@{c:+d}" for c in CONTEXT for f in FEATURES)] if args.context else FEATURES
    for name, w in zip(names, model.coef_[0]):
        print(f"  {name:20s} {w:+.3f}")
    weights = [*model.coef_[0].tolist(), float(model.intercept_[0])]
    print(("MELODY_WEIGHTS" if args.melody else "ACCENT_WEIGHTS") + " = (" + ", ".join(f"{w:.3f}" for w in weights) + ")")


if __name__ == "__main__":
    main()
