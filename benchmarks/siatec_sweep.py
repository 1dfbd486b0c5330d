"""Choose the SIATEC baseline's settings on the BPS tune split (never on test): a small grid, mean metrics.

    python -m benchmarks.siatec_sweep

Writes benchmarks/results/siatec-sweep-bps-tune.json; the chosen row becomes SiatecSettings' defaults.
"""

from __future__ import annotations

import dataclasses
import json
import statistics
import sys
import time

from benchmarks.baselines.siatec import SiatecSettings, siatec_patterns
from benchmarks.discovery_eval import RESULTS, aggregate, score
from benchmarks.motif_corpora import load_corpus

GRID = [
    {},
    {"max_patterns": 5},
    {"max_patterns": 20},
    {"min_size": 5},
    {"min_match": 0.75},
    {"max_span": 4.0},
    {"window": 8.0},
]


def main() -> int:
    pieces = load_corpus("bps", "tune")
    rows = []
    for change in GRID:
        settings = dataclasses.replace(SiatecSettings(), **change)
        per_piece, seconds = [], []
        for piece in pieces:
            t0 = time.perf_counter()
            est = siatec_patterns(piece, settings)
            seconds.append(time.perf_counter() - t0)
            per_piece.append(score(est, piece.patterns))
        mean = aggregate(per_piece)
        rows.append({"change": change, "mean": mean, "median_seconds": statistics.median(seconds)})
        print(f"{json.dumps(change):28s} F_est {mean['F_est']:.3f} F_occ.75 {mean['F_occ.75']:.3f} "
              f"F_3 {mean['F_3']:.3f} FFP {mean['FFP']:.3f}  {statistics.median(seconds):.2f} s/piece", flush=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "siatec-sweep-bps-tune.json").write_text(json.dumps(rows, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
