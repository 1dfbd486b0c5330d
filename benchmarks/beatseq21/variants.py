"""Path variants on saved cross-validated log-odds (fit.py --save), no refitting (issue 9, session 21).

    python benchmarks/beatseq21/variants.py /tmp/bs21/data.pkl PREDS.pkl [PREDS2.pkl ...]

Several prediction files are averaged (log-odds): an ensemble of independently trained folds' models, the
same songs held out in each (fit.py deals folds the same way). Prints dominant phase / first mark / marks
found on the 479 tune songs for: the CV ranker (baseline), the model's log-odds alone through the path at a
few scales and jump penalties, and the CV ranker's log-odds plus the model's.
"""

from __future__ import annotations

import os
import pickle
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from fit import ranked, scores  # noqa: E402
from pop_phase_dev import on_lines  # noqa: E402

from benchmarks import meter as bench  # noqa: E402
from motifcli.readers.midi import read_midi  # noqa: E402

from motifcli.downbeats import viterbi_downbeats  # noqa: E402


def main(data: str, preds: list[str]) -> None:
    d = pickle.load(open(data, "rb"))
    rows, table = d["rows"], d["table"]
    ps = [pickle.load(open(p, "rb")) for p in preds]
    nn = {i: np.mean([p["nn_lo"][i] for p in ps], axis=0) for i in ps[0]["nn_lo"]}
    wb = ps[0]["weights_base"]
    use = [i for i in nn if not table[i]["quant"] and not table[i]["mono"]]
    base_lo = {i: ranked(table[i]["feats"], table[i]["lo"], wb[i]) for i in use}

    labels = {}
    for path in sorted((bench.DATA / "pop909_motif_labels").glob("*.mid")):
        labels[path.stem] = np.array(sorted(n.onset for t in read_midi(path).tracks for n in t.notes))

    def run(name, lo_fn, pen=6.0):
        est = {}
        for i in use:
            idx = viterbi_downbeats(lo_fn(i), 4, pen)
            est[rows[i]["song"]] = table[i]["beats"][idx] if len(idx) else table[i]["beats"][:1]
        sc = scores(rows, est)
        # the hand-made motif labels (60 tune songs): share of label onsets within 0.75 beat of a bar line
        sc["labels"] = float(np.mean([on_lines(labels[r["song"]], est.get(r["song"], r["est_downbeats"]))
                                      for r in rows if r["song"] in labels]))
        return name, sc

    out = [run("baseline CV ranker", lambda i: base_lo[i])]
    for pen in (3.0, 6.0, 10.0, 20.0):
        out.append(run(f"baseline CV ranker, jump {pen:g}", lambda i: base_lo[i], pen))
        for a in (0.5, 1.0, 2.0):
            out.append(run(f"nn x{a:g}, jump {pen:g}", lambda i: a * nn[i], pen))
        for a in (0.5, 1.0):
            out.append(run(f"CV ranker + {a:g} nn, jump {pen:g}", lambda i: base_lo[i] + a * nn[i], pen))
    ref = out[0][1]
    halves = [np.array([int(r["song"]) < 250 for r in rows])]
    for name, sc in out:
        dl, fl = np.array(sc["dom_list"]), np.array(sc["first_list"])
        rd, rf = np.array(ref["dom_list"]), np.array(ref["first_list"])
        h = halves[0]
        print(f"{name:34s} dominant {sc['dominant']:.4f} (+{np.sum(dl & ~rd)} -{np.sum(rd & ~dl)}) "
              f"first {sc['first']:.4f} (+{np.sum(fl & ~rf)} -{np.sum(rf & ~fl)}) found {sc['found']:.4f} "
              f"labels {sc['labels']:.4f} | "
              f"halves <250 / >=250: dom {dl[h].mean() - rd[h].mean():+.3f} / {dl[~h].mean() - rd[~h].mean():+.3f} "
              f"first {fl[h].mean() - rf[h].mean():+.3f} / {fl[~h].mean() - rf[~h].mean():+.3f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
