"""The model's log-odds on the opening bars only, the CV ranker's path elsewhere (issue 9, s21; a probe, not kept).

    python benchmarks/beatseq21/opening.py /tmp/bs21/data.pkl PREDS.pkl [--main]

Emission = CV ranker's ranked log-odds + w * model log-odds on the first ``bars`` bars (beats 0 .. 4 bars),
w in 1, 3; beyond them the ranker's alone. What differs from phase 7's OPENING_BARS (a shorter ranker
window): the opening's evidence is a learned per-beat model with 31 beats of context.
"""

from __future__ import annotations

import os
import pickle
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fit import path, ranked, scores  # noqa: E402

from motifcli import phase_ranker as pr  # noqa: E402


def main(data: str, preds: str, main_weights: bool = False) -> None:
    d = pickle.load(open(data, "rb"))
    rows, table = d["rows"], d["table"]
    p = pickle.load(open(preds, "rb"))
    use = [i for i in p["nn_lo"] if not table[i]["quant"] and not table[i]["mono"]]
    if main_weights:  # the product's ranker (fitted on all tune songs: in-sample) instead of the fold's
        base = {i: pr.ranked_logodds(table[i]["feats"], table[i]["lo"]) for i in use}
    else:
        base = {i: ranked(table[i]["feats"], table[i]["lo"], p["weights_base"][i]) for i in use}
    ref = scores(rows, {rows[i]["song"]: path(table[i], base[i]) for i in use})
    rd, rf = np.array(ref["dom_list"]), np.array(ref["first_list"])
    print(f"baseline {'main' if main_weights else 'CV'} ranker: dominant {ref['dominant']:.4f} first {ref['first']:.4f}")
    h = np.array([int(r["song"]) < 250 for r in rows])
    for bars in (1, 2, 4, 8):
        for w in (1.0, 3.0):
            est = {}
            for i in use:
                lo = base[i].copy()
                n = min(4 * bars, len(lo))
                lo[:n] += w * p["nn_lo"][i][:n]
                est[rows[i]["song"]] = path(table[i], lo)
            sc = scores(rows, est)
            dl, fl = np.array(sc["dom_list"]), np.array(sc["first_list"])
            print(f"opening {bars} bars, w {w:g}: dominant {sc['dominant']:.4f} (+{np.sum(dl & ~rd)} -{np.sum(rd & ~dl)}) "
                  f"first {sc['first']:.4f} (+{np.sum(fl & ~rf)} -{np.sum(rf & ~fl)}) found {sc['found']:.4f} "
                  f"| first, halves <250 / >=250: {fl[h].mean() - rf[h].mean():+.3f} / {fl[~h].mean() - rf[~h].mean():+.3f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], "--main" in sys.argv[3:])
