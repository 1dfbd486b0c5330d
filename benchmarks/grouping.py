"""Grouping quality on labelled POP909 songs: does `annotate` put bars of one motif in one family?

For every song of a split, the labelled PIANO-track bars (a label span covering > 75% of the bar,
on the labels' own bar grid) are scored: true label = motif id, predicted = the family of the
occurrence holding the bar (a bar in no occurrence is its own singleton). Unlabelled bars are left
out. Figures: adjusted Rand index per song averaged over songs (chance-corrected: the main figure),
V-measure (scikit-learn) and the pairwise F of ``mir_eval.segment.pairwise`` (one frame per bar).

Methods: a model through the real `annotate` pipeline (all pitched tracks clustered together, as
the CLI does), the raw-roll model through the same pipeline, exact repetition (bars whose
transposition-normalised rolls are equal), and everything in one family. Thresholds are tuned on
one split (mean ARI over a grid) and reported on another: the tuning is training's calibrate
stage (training/calibrate.py), so this table and `python -m training calibrate` agree.

    python benchmarks/grouping.py --model exported_models/motif-default.onnx --tune val --report test
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from motifcli.contract import ModelCard  # noqa: E402
from motifcli.encoding import EncodingSpec  # noqa: E402
from training.calibrate import LabelledSong, evaluate, load_song, tune  # noqa: E402
from training.calibrate import PipelineMethod as ModelMethod  # noqa: E402
from training.data import Split  # noqa: E402
from training.evaluate import shifted_roll_features  # noqa: E402

Song = LabelledSong


def exact_repetition(song: Song, _: float = 0.0) -> np.ndarray:
    keys = [r.tobytes() for r in shifted_roll_features(song.rolls)]
    return np.array([keys.index(k) for k in keys])


def one_family(song: Song, _: float = 0.0) -> np.ndarray:
    return np.zeros(len(song.starts), dtype=int)


def rawroll_model(spec: EncodingSpec, folder: Path) -> Path:
    from training.export import export_raw_roll

    card = ModelCard(spec, method="raw-roll", training_data="none (untrained baseline)", version="0",
                     embedding_dim=spec.steps * spec.pitch_count)
    return export_raw_roll(folder / "rawroll.onnx", card)


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
