"""Where the model's path and the CV baseline differ: steady vs phase-changing beat_midi songs (issue 9, s21).

    python benchmarks/beatseq21/buckets.py /tmp/bs21/data.pkl PREDS.pkl
"""

from __future__ import annotations

import collections
import os
import pickle
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from fit import path, ranked  # noqa: E402
from pop_phase_dev import STEADY_SHARE, steady_share  # noqa: E402

from benchmarks import meter as bench  # noqa: E402


def main(data: str, preds: str) -> None:
    d = pickle.load(open(data, "rb"))
    rows, table = d["rows"], d["table"]
    p = pickle.load(open(preds, "rb"))
    c = collections.Counter()
    for i, lo in p["nn_lo"].items():
        t, r = table[i], rows[i]
        if t["quant"] or t["mono"]:
            continue
        kind = "steady" if steady_share(r) >= STEADY_SHARE else "changes phase"
        truth, first = bench.dominant_phase(r["downbeats"], r["bar"]), float(r["downbeats"][0])
        opens_off = not bench.phase_ok(first % r["bar"], truth, r["bar"])
        for name, est in (("base", path(t, ranked(t["feats"], t["lo"], p["weights_base"][i]))), ("nn", path(t, lo))):
            c[(kind, name, "dominant")] += bench.phase_ok(bench.dominant_phase(est, 4.0), truth, r["bar"])
            c[(kind, name, "first")] += bench.phase_ok(float(est[0]) % r["bar"], first, r["bar"])
            c[(kind, name, "first, opening off the dominant")] += opens_off and bench.phase_ok(float(est[0]) % r["bar"], first, r["bar"])
        c[(kind, "songs", "")] += 1
        c[(kind, "songs opening off the dominant", "")] += opens_off
    for k in sorted(c):
        print(k, c[k])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
