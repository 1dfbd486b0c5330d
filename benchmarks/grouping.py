"""Grouping quality on labelled POP909 songs: does `annotate` put bars of one motif in one family?

For every song of a split, the labelled PIANO-track bars (a label span covering > 75% of the bar,
on the labels' own bar grid) are scored: true label = motif id, predicted = the family of the
occurrence holding the bar (a bar in no occurrence is its own singleton). Unlabelled bars are left
out. Figures: adjusted Rand index per song averaged over songs (chance-corrected: the main figure),
V-measure (scikit-learn) and the pairwise F of ``mir_eval.segment.pairwise`` (one frame per bar).

Methods: a model through the real `annotate` pipeline (all pitched tracks clustered together, as
the CLI does), the raw-roll model through the same pipeline, exact repetition (bars whose
transposition-normalised rolls are equal), and everything in one family. Thresholds are tuned on
one split (mean ARI over a grid) and reported on another.

    python benchmarks/grouping.py --model exported_models/motif-default.onnx --tune val --report test
"""

from __future__ import annotations

import argparse
import json
import warnings
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import mir_eval  # noqa: E402
from sklearn.metrics import adjusted_rand_score, v_measure_score  # noqa: E402

import motifcli  # noqa: E402
from motifcli.embedding import embed_score  # noqa: E402
from motifcli.encoding import EncodingSpec  # noqa: E402
from motifcli.grouping import group  # noqa: E402
from motifcli.settings import Settings  # noqa: E402
from motifcli.readers.midi import read_midi  # noqa: E402
from training.data import Split, label_phase, label_spans, labelled_bars, render, song_path  # noqa: E402
from training.evaluate import shifted_roll_features  # noqa: E402

THRESHOLDS = [round(x, 3) for x in np.concatenate([np.arange(0.02, 0.2, 0.02), np.arange(0.2, 0.81, 0.05)])]


@dataclass
class Song:
    song: str
    phase: int
    starts: np.ndarray  # labelled PIANO bar starts
    truth: np.ndarray  # motif ids
    rolls: np.ndarray  # their rolls (for exact repetition)


def load_song(song: str, spec: EncodingSpec) -> Song:
    bars = labelled_bars(song, spec)
    return Song(song, label_phase(label_spans(song)), np.array([b.start for b in bars]),
                np.array([b.motif for b in bars]), np.stack([render(b.notes, spec) for b in bars]))


def scores(truth: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    n = len(truth)
    intervals = np.stack([np.arange(n), np.arange(n) + 1], axis=1).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        _, _, f = mir_eval.segment.pairwise(intervals, [str(t) for t in truth], intervals, [str(p) for p in pred],
                                            frame_size=1.0)
    # mir_eval's pairwise precision is 0/0 when no two bars share a predicted family: count that as F = 0
    f = 0.0 if not np.isfinite(f) else float(f)
    return {"ari": adjusted_rand_score(truth, pred), "v_measure": v_measure_score(truth, pred), "pairwise_f": f}


def predicted_from_annotation(ann, piano: int, song: Song) -> np.ndarray:
    pred = np.empty(len(song.starts), dtype=object)
    for i, start in enumerate(song.starts):
        pred[i] = f"single{i}"
        for occ in ann.occurrences:
            if occ.track == piano and occ.start - 1e-6 <= start < occ.end - 1e-6:
                pred[i] = occ.family
                break
    return pred


class ModelMethod:
    """A model through the real pipeline: embed once per song, group at any threshold."""

    def __init__(self, model_path: Path) -> None:
        self.model = motifcli.load_model(model_path, provider="cpu")
        self.cache: dict[str, tuple] = {}

    def predict(self, song: Song, threshold: float) -> np.ndarray:
        if song.song not in self.cache:
            score = read_midi(song_path(song.song))
            embedded = embed_score(score, self.model, Settings(origin=float(song.phase)))
            self.cache[song.song] = (score, embedded, score.track_named("PIANO").index)
        score, embedded, piano = self.cache[song.song]
        run = Settings(threshold=threshold, origin=float(song.phase)).resolve(self.model)
        ann = group(score, embedded, run)
        return predicted_from_annotation(ann, piano, song)


def exact_repetition(song: Song, _: float = 0.0) -> np.ndarray:
    keys = [r.tobytes() for r in shifted_roll_features(song.rolls)]
    return np.array([keys.index(k) for k in keys])


def one_family(song: Song, _: float = 0.0) -> np.ndarray:
    return np.zeros(len(song.starts), dtype=int)


def evaluate(predict: Callable[[Song, float], np.ndarray], songs: Sequence[Song], threshold: float) -> dict:
    per_song = {s.song: scores(s.truth, predict(s, threshold)) for s in songs}
    mean = {k: float(np.mean([v[k] for v in per_song.values()])) for k in ("ari", "v_measure", "pairwise_f")}
    return {"threshold": threshold, "mean": mean, "per_song": per_song}


def tune(predict: Callable[[Song, float], np.ndarray], songs: Sequence[Song]) -> tuple[float, list]:
    curve = [(t, evaluate(predict, songs, t)["mean"]["ari"]) for t in THRESHOLDS]
    return max(curve, key=lambda c: c[1])[0], curve


def rawroll_model(spec: EncodingSpec, folder: Path) -> Path:
    from training.export import export_raw_roll, model_metadata

    meta = model_metadata(spec, method="raw-roll", training_data="none (untrained baseline)", version="0",
                          embedding_dim=spec.steps * spec.pitch_count)
    return export_raw_roll(spec, folder / "rawroll.onnx", meta)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path, default=REPO / "exported_models" / "motif-default.onnx")
    ap.add_argument("--tune", default="val", help="split whose mean ARI picks the thresholds")
    ap.add_argument("--report", default="test", help="split the table reports")
    ap.add_argument("--raw-tune", default="train", help="split that tunes the raw-roll threshold (issue: training songs)")
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "grouping-results.json")
    args = ap.parse_args()

    split = Split.load()
    model = ModelMethod(args.model)
    spec = model.model.spec
    songs = {name: [load_song(s, spec) for s in getattr(split, name)] for name in {args.tune, args.report, args.raw_tune}}
    with tempfile.TemporaryDirectory() as tmp:
        raw = ModelMethod(rawroll_model(spec, Path(tmp)))
        t_model, curve_model = tune(model.predict, songs[args.tune])
        t_raw, curve_raw = tune(raw.predict, songs[args.raw_tune])
        t_raw_same, _ = tune(raw.predict, songs[args.tune])
        rows = {
            f"motif model ({args.model.name})": evaluate(model.predict, songs[args.report], t_model),
            f"raw roll, threshold tuned on {args.raw_tune}": evaluate(raw.predict, songs[args.report], t_raw),
            f"raw roll, threshold tuned on {args.tune}": evaluate(raw.predict, songs[args.report], t_raw_same),
            "exact repetition (transposition-normalised)": evaluate(exact_repetition, songs[args.report], 0.0),
            "everything in one family": evaluate(one_family, songs[args.report], 0.0),
        }
        tuned = {f"motif model on {args.tune}": evaluate(model.predict, songs[args.tune], t_model)["mean"]}
    result = {"tune": args.tune, "report": args.report, "model": str(args.model), "model_threshold": t_model,
              "raw_threshold": t_raw, "rows": rows, "tuning_curve_model": curve_model, "tuning_curve_raw": curve_raw,
              "model_on_tune_split": tuned}
    args.out.write_text(json.dumps(result, indent=1, default=float))
    print(f"| method ({args.report} songs) | threshold | ARI | V-measure | pairwise F |")
    print("|---|---|---|---|---|")
    for name, r in rows.items():
        m = r["mean"]
        print(f"| {name} | {r['threshold']:.2f} | {m['ari']:.3f} | {m['v_measure']:.3f} | {m['pairwise_f']:.3f} |")


if __name__ == "__main__":
    main()
