"""The written-meter benchmark on the tune halves only (MTC-ANN tune families, BPS-motif tune pieces),
with module settings overridden: for sweeps that must never read the test halves (issue 9 phase 5).

Same measures as ``benchmarks/meter.py written`` (right = the first section's bar length + exact
downbeat phase; written bar lines found; pieces without written changes given a false change), as
counts, one line per setting tried. The pieces are read once and cached (pickle, ``--cache``).

Usage (PYTHONPATH=.):
    python benchmarks/meter_tune.py [--cache /tmp/meter_tune.pkl] \
        --set meter_estimate.NOTATED_RANKER_BARS=None --set meter_estimate.NOTATED_RANKER_BARS=2,3,4,4.5 \
        --set meter_sections.POLYPHONIC_FACTOR=4 --set "meter_sections.SAME_BEAT=False;meter_sections.DOWNBEAT_WEIGHT=8"
Each ``--set`` is one run (settings as they were otherwise; ``a=1;b=2`` sets both); none: the defaults.
"""

from __future__ import annotations

import argparse
import ast
import collections
import importlib
import json
import os
import pickle
import sys
from collections.abc import Callable

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from benchmarks import meter as bench  # noqa: E402
from benchmarks import meter_truths  # noqa: E402
from motifcli import meter_sections  # noqa: E402
from motifcli.meter_estimate import estimate_meter  # noqa: E402


def load(cache: str | None) -> dict[str, list]:
    """(piece, score, written bars) of every tune-half piece, cached."""
    if cache and os.path.exists(cache):
        with open(cache, "rb") as f:
            return pickle.load(f)
    out: dict[str, list] = {}
    for corpus, folder in (("mtc", "mtc_ann_dev"), ("bps", "bps_motif_dev")):
        out[corpus] = [(path.stem, *bench.load_written(path)[:2])
                       for path in sorted((bench.DATA / folder / "scores").glob("*.mid"))
                       if bench.split_of(corpus, path.stem) == "tune"]
    if cache:
        with open(cache, "wb") as f:
            pickle.dump(out, f)
    return out


def evaluate(pieces: list) -> dict:
    """Counts of the written benchmark's measures over these pieces."""
    rows = []
    for name, score, truth in pieces:
        end = score.end_beat
        bar = truth.bars[0].nominal_length
        est = estimate_meter(score)
        est_map = est.to_meter_map(end)
        lines = truth.starts[truth.starts < end - 1e-6]
        found = [np.min(np.abs(est_map.starts - b)) <= bench.TOL for b in lines]
        meter_ok = abs(est.beats_per_bar - bar) < 1e-6
        rows.append({"piece": name, "written": truth.sections()[0]["time_signature"], "est": est.name,
                     "changes": len(truth.sections()) - 1, "meter_ok": meter_ok,
                     "right": meter_ok and bench.phase_ok(est.first_downbeat, truth.first_downbeat, bar, tol=0.01),
                     "est_changes": meter_sections.change_count(est_map.bars),
                     "map_right": bench._map_first_bar_ok(est_map, bar, truth.first_downbeat),  # phase 12 (TOL 1/4 beat)
                     "found": float(np.mean(found)) if found else 0.0,
                     # phase 11: the main meter and bar-line agreement (benchmarks/meter_truths.py)
                     **meter_truths.main_meter(meter_truths.map_sections(truth), est_map),
                     **meter_truths.agreement(meter_truths.bar_lines(truth), meter_truths.bar_lines(est_map), end)})
    steady = [r for r in rows if not r["changes"]]
    changed = [r for r in rows if r["changes"]]
    return {"pieces": len(rows), "right": sum(r["right"] for r in rows), "bar_length": sum(r["meter_ok"] for r in rows),
            "bar_lines_found": round(float(np.mean([r["found"] for r in rows])), 4),
            "false_change_pieces": f"{sum(r['est_changes'] > 0 for r in steady)} of {len(steady)}",
            "change_found_pieces": f"{sum(r['est_changes'] > 0 for r in changed)} of {len(changed)}",
            "right_by_map": sum(r["map_right"] for r in rows),
            "main_right": sum(r["main_ok"] for r in rows),
            "line_f_pooled": meter_truths.summarise(rows)["line_f_pooled"],
            "line_p_r_pooled": [meter_truths.summarise(rows)["line_precision_pooled"], meter_truths.summarise(rows)["line_recall_pooled"]],
            "confusions": collections.Counter(f"{r['written']}->{r['est']}" for r in rows if not r["meter_ok"]).most_common()}


def apply(setting: str) -> tuple[object, str, object]:
    """Set ``module.NAME=VALUE`` (a Python literal; ``a,b`` is a tuple); returns what to restore."""
    target, value = setting.split("=", 1)
    module_name, attr = target.rsplit(".", 1)
    module = importlib.import_module(f"motifcli.{module_name}")
    parsed = ast.literal_eval(value) if value not in ("inf", "-inf") else float(value)
    old = getattr(module, attr)
    setattr(module, attr, parsed)
    return module, attr, old


def main(argv: list[str] | None = None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache")
    ap.add_argument("--set", action="append", default=[], help="module.NAME=VALUE (one run each)")
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    data = load(args.cache)
    return sweep(args.set, lambda: {"mtc_tune": evaluate(data["mtc"]), "bps_tune": evaluate(data["bps"])}, args.json)


def sweep(settings: list[str], run: Callable[[], dict], json_path: str | None) -> list[dict]:
    """``run()`` once per setting (``module.NAME=VALUE``, several at once as ``a;b``; none: the
    defaults), each undone afterwards; one JSON line printed per run (without its ``rows``), all
    results written to ``json_path`` when given. Shared by the meter sweeps."""
    results = []
    for setting in settings or [""]:
        undo = [apply(one) for one in setting.split(";") if one]
        try:
            res = {"setting": setting or "defaults", **run()}
        finally:
            for u in reversed(undo):
                setattr(*u)
        print(json.dumps({k: v for k, v in res.items() if k != "rows"}))
        results.append(res)
    if json_path:
        with open(json_path, "w") as f:
            json.dump(results, f, indent=1)
    return results


if __name__ == "__main__":
    main()
