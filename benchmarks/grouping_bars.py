"""Issue 9: the POP909 grouping ARI with the product's own bars, before and after the meter map.

Same scoring as ``benchmarks/grouping.py`` (labelled PIANO bars on the labels' own bar grid, ARI
per song averaged over songs), the model at its calibrated threshold (no re-tuning), windows from:

- ``labels``: a 4-beat grid on the labels' own bar phase (an oracle: what RESULTS.md's table uses);
- ``tick0``: a 4-beat grid from beat 0, the MIDI default before the meter map (``--window 4``);
- ``meter``: the default now: one window per bar of the song's meter map (MIDI time signatures
  when they fit the notes, else estimated), with the default ``bar_fit`` (resample);
- ``meter-resample``: the same, ``bar_fit`` given explicitly (kept from when ``pad`` was the
  default: the labelled POP909 songs are all in 4/4, so the two fits give the same windows here;
  benchmarks/bar_fit_bps.py compares them where bars differ).

    python benchmarks/grouping_bars.py --splits val test --json benchmarks/grouping-bars.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from training.calibrate import PipelineMethod, evaluate, load_song  # noqa: E402
from training.data import Split  # noqa: E402

MODES: dict[str, dict[str, object]] = {
    "labels": {},
    "tick0": {"origin": 0.0},
    "meter": {"origin": None, "window": None},
    "meter-resample": {"origin": None, "window": None, "bar_fit": "resample"},
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path, default=REPO / "exported_models" / "motif-default.onnx")
    ap.add_argument("--splits", nargs="+", default=["val", "test"])
    ap.add_argument("--modes", nargs="+", default=list(MODES))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    split = Split.load()
    out: dict[str, object] = {"model": str(args.model), "rows": {}}
    for mode in args.modes:
        method = PipelineMethod(args.model, **MODES[mode])
        threshold = float(method.model.grouping_threshold or 0.45)
        for name in args.splits:
            songs = [load_song(s, method.model.spec) for s in getattr(split, name)]
            t0 = time.perf_counter()
            r = evaluate(method.predict, songs, threshold)
            m = r["mean"]
            out["rows"][f"{mode}/{name}"] = r
            print(f"| {mode} | {name} ({len(songs)}) | {threshold:.2f} | {m['ari']:.3f} | {m['v_measure']:.3f} | "
                  f"{m['pairwise_f']:.3f} | {time.perf_counter() - t0:.0f} s |", flush=True)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, default=float))
    _ = np


if __name__ == "__main__":
    main()
