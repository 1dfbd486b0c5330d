"""Which tune-half pieces a meter setting changes, and how (issue 9 phase 11): one line per changed piece.

For each MTC-ANN (or BPS-motif) tune-half piece, the estimate with the defaults and with ``--set``
(``module.NAME=VALUE``, ``a=1;b=2`` for both, as ``meter_tune.py``): the estimated sections, "right" (first
section, by the estimate's name), the main meter and bar-line F (``meter_truths``), and whether the written
first section is a one-bar opening (``meter_ambiguous``). Tune halves only, through ``meter_tune.load``.

Usage (PYTHONPATH=.):
    python benchmarks/meter_piece_diff.py --set meter_sections.CHANGE_PENALTY=4.0 [--corpus mtc|bps] [--cache /tmp/meter_tune.pkl]
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from benchmarks import meter as bench  # noqa: E402
from benchmarks import meter_truths  # noqa: E402
from benchmarks.meter_ambiguous import one_bar_opening  # noqa: E402
from benchmarks.meter_tune import apply, load  # noqa: E402
from motifcli.meter_estimate import estimate_meter  # noqa: E402


def rows(pieces: list) -> dict[str, dict]:
    """Per piece: sections (written and estimated), right, main meter right, bar-line F, one-bar opening."""
    out = {}
    for name, score, truth in pieces:
        end = score.end_beat
        est = estimate_meter(score)
        est_map = est.to_meter_map(end)
        bar = truth.bars[0].nominal_length
        out[name] = {
            "written": ";".join(f"{s['time_signature']}@{s['start_beat']:g}" for s in truth.sections()),
            "est": ";".join(f"{s['time_signature']}@{s['start_beat']:g}" for s in est_map.sections()),
            "right": abs(est.beats_per_bar - bar) < 1e-6
            and bench.phase_ok(est.first_downbeat, truth.first_downbeat, bar, tol=0.01),
            "main_ok": meter_truths.main_meter(meter_truths.map_sections(truth), est_map)["main_ok"],
            "line_f": meter_truths.agreement(meter_truths.bar_lines(truth), meter_truths.bar_lines(est_map), end)["line_f"],
            "one_bar_opening": one_bar_opening(truth),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", required=True, help="module.NAME=VALUE[;module.NAME=VALUE]")
    ap.add_argument("--corpus", choices=["mtc", "bps"], default="mtc")
    ap.add_argument("--cache")
    args = ap.parse_args(argv)
    pieces = load(args.cache)[args.corpus]
    before = rows(pieces)
    undo = [apply(one) for one in args.set.split(";") if one]
    try:
        after = rows(pieces)
    finally:
        for module, attr, old in reversed(undo):
            setattr(module, attr, old)
    for name, a in before.items():
        b = after[name]
        if a["est"] != b["est"] or a["right"] != b["right"]:
            print(f"{name} {'one-bar-opening ' if a['one_bar_opening'] else ''}written {a['written'][:48]} | "
                  f"est {a['est']} -> {b['est']} | right {a['right']} -> {b['right']} | "
                  f"main {a['main_ok']} -> {b['main_ok']} | F {a['line_f']} -> {b['line_f']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
