"""POP909 meter measures per module setting, tune or test half (issue 9, phase 12, branch ``odd12``).

Usage (from the repository root, PYTHONPATH=.):
    python benchmarks/pop_meter_probe.py cache --split tune [--out /tmp/odd12/tune.pkl]
    python benchmarks/pop_meter_probe.py score --cache /tmp/odd12/tune.pkl [--set phase_ranker.LOCAL_SHARE=0.7 ...] [--json out.json]

``cache`` reads the split's songs once (the Score, beat_midi's downbeats, the
motif labels' onsets where a song has them). ``score`` runs the product's ``estimate_meter`` on them with
module constants set (``--set module.NAME=VALUE``, module under ``motifcli``) and prints the measures of
``benchmarks/meter.py pop909`` (first mark, dominant phase, beats per bar, bar-line R/P/F against
beat_midi's marks, ``meter_truths``) plus phase 7's label measure: the mean share of label onsets within
0.75 beat of an estimated bar line (the estimate's downbeats; ``pop_phase_dev.py labels``), and the
median wall and CPU time of the estimate per song.
Phase 12 measured its option ``odd_bars`` with it (removed after measurement; ``git checkout 1fc4f23`` has
it, its ``consistency`` command and ``odd_bars_sweep.sh``: benchmarks/phase12-odd12.md). Tune = song id < 500, test = the rest.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import json
import os
import pickle
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from benchmarks import meter as bench  # noqa: E402
from benchmarks import meter_truths  # noqa: E402
from benchmarks.pop_phase_dev import STEADY_SHARE, half_songs, on_lines  # noqa: E402
from motifcli.meter import MeterMap  # noqa: E402
from motifcli.readers.midi import read_midi  # noqa: E402


def cache(split: str, out: str) -> None:
    labels = {p.stem: p for p in (bench.DATA / "pop909_motif_labels").glob("*.mid")}
    rows = []
    for song, score, bar, downbeats, _ in half_songs(split):
        lab = labels.get(song.name)
        rows.append({"song": song.name, "score": score, "bar": bar, "downbeats": downbeats,
                     "end": float(score.end_beat),
                     "labels": None if lab is None else
                     np.array(sorted(n.onset for t in read_midi(lab).tracks for n in t.notes))})
    with open(out, "wb") as f:
        pickle.dump(rows, f)
    print(f"{len(rows)} songs -> {out}")


def apply(settings: list[str]) -> None:
    """``module.NAME=VALUE`` (module under motifcli) set in-process."""
    for item in settings:
        key, value = item.split("=", 1)
        mod, name = key.rsplit(".", 1)
        module = importlib.import_module(f"motifcli.{mod}")
        assert hasattr(module, name), key
        setattr(module, name, ast.literal_eval(value))


def score(path: str, settings: list[str], out: str | None) -> dict:
    apply(settings)
    from motifcli.meter_estimate import estimate_meter
    rows = pickle.load(open(path, "rb"))
    per = []
    times: list[float] = []
    cpu: list[float] = []
    for r in rows:
        t0, c0 = time.perf_counter(), time.process_time()
        est = estimate_meter(r["score"])
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        bar, db, end = r["bar"], r["downbeats"], r["end"]
        est_map: MeterMap = est.to_meter_map(end)
        dom = bench.dominant_phase(db, bar)
        steady = float(np.mean([bench.phase_ok(d % bar, dom, bar) for d in db])) >= STEADY_SHARE
        row = {"song": r["song"], "steady": steady,
               "bar_ok": abs(est.beats_per_bar - bar) < 1e-6,
               "first_ok": bench.phase_ok(est.first_downbeat, float(db[0]), bar),
               "dominant_ok": bench.phase_ok(bench.dominant_phase(est.downbeats, est.beats_per_bar), dom, bar),
               "odd_bars": int(sum(abs(b.length - b.nominal_length) > 1e-6 for b in est_map.bars[1:-1])),
               **meter_truths.agreement(db, meter_truths.bar_lines(est_map), end)}
        if r["labels"] is not None:
            row["labels_on_lines"] = round(on_lines(r["labels"], np.asarray(est.downbeats)), 4)
        per.append(row)
    n = len(per)
    lab = [x for x in per if "labels_on_lines" in x]

    def mean(sel: list[dict], key: str) -> float:
        return round(float(np.mean([x[key] for x in sel])), 4) if sel else float("nan")

    wr = sum(x["written_found"] for x in per) / sum(x["lines_written"] for x in per)
    ep = sum(x["estimated_written"] for x in per) / sum(x["lines_estimated"] for x in per)
    summary = {
        "settings": settings, "songs": n,
        "first_mark": round(sum(x["first_ok"] for x in per) / n, 4),
        "dominant_phase": round(sum(x["dominant_ok"] for x in per) / n, 4),
        "beats_per_bar": round(sum(x["bar_ok"] for x in per) / n, 4),
        "lines_R_P_F_pooled": [round(wr, 4), round(ep, 4), round(2 * wr * ep / (wr + ep), 4)],
        "lines_F_mean": mean(per, "line_f"),
        "lines_F_mean_steady_unsteady": [mean([x for x in per if x["steady"]], "line_f"),
                                         mean([x for x in per if not x["steady"]], "line_f")],
        "labels_on_lines_all_steady_unsteady": [mean(lab, "labels_on_lines"),
                                                mean([x for x in lab if x["steady"]], "labels_on_lines"),
                                                mean([x for x in lab if not x["steady"]], "labels_on_lines")],
        "label_songs": len(lab),
        "odd_bars_per_song": round(float(np.mean([x["odd_bars"] for x in per])), 3),
        "median_ms": round(1000 * statistics.median(times), 2),
        "median_cpu_ms": round(1000 * statistics.median(cpu), 2),
    }
    print(json.dumps(summary))
    if out:
        with open(out, "w") as f:
            json.dump({"summary": summary, "songs": per}, f, indent=1)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("cache")
    c.add_argument("--split", choices=["tune", "test"], default="tune")
    c.add_argument("--out", default="/tmp/odd12/tune.pkl")
    s = sub.add_parser("score")
    s.add_argument("--cache", default="/tmp/odd12/tune.pkl")
    s.add_argument("--set", action="append", default=[])
    s.add_argument("--json")
    args = parser.parse_args(argv)
    if args.cmd == "cache":
        cache(args.split, args.out)
    else:
        score(args.cache, args.set, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
