"""Where the meter estimate's name and the bars of its map disagree (issue 9, phase 12): a consistency check.

``estimate_meter`` names one meter and downbeat phase (``MeterEstimate.name``/``first_downbeat``, what
``benchmarks/meter.py written`` scores as "right"); the bars the product draws are its map's
(``to_meter_map``), which the change search (``meter_sections``) or the opening split may lay in another
meter or at another phase. This lists, for every BPS/MTC piece (tune and test alike: a check, not a score),
the pieces whose map's first full bar has another bar length than the name, or bar lines at another
phase (mod the name's bar, beyond 1e-6 beat).

Usage (PYTHONPATH=.): python benchmarks/meter_name_map.py [bps|mtc ...] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from benchmarks.meter import DATA, load_written, phase_ok, split_of
from motifcli.meter import MeterMap
from motifcli.meter_estimate import MeterEstimate, estimate_meter

_EPS = 1e-6


def disagreement(est: MeterEstimate, est_map: MeterMap) -> str:
    """'' when the map's first full bar is the name's bar length at the name's phase, else what differs."""
    first = est_map.bars[1] if est_map.has_pickup else est_map.bars[0]
    bar = est.beats_per_bar
    if abs(first.nominal_length - bar) > _EPS:
        return f"bar {first.numerator}/{first.denominator} under the name {est.name}"
    if not phase_ok(est_map.first_downbeat, est.first_downbeat, bar, tol=_EPS):
        return f"phase {est_map.first_downbeat:g} vs the name's {est.first_downbeat:g} (mod {bar:g})"
    return ""


def run(corpus: str) -> list[dict]:
    """One row per piece of ``corpus`` (bps|mtc) whose name and map disagree."""
    folder = DATA / ("bps_motif_dev" if corpus == "bps" else "mtc_ann_dev") / "scores"
    rows = []
    for path in sorted(folder.glob("*.mid")):
        score, truth, _ = load_written(path)
        est = estimate_meter(score)
        est_map = est.to_meter_map(score.end_beat)
        why = disagreement(est, est_map)
        if why:
            rows.append({"corpus": corpus, "piece": path.stem, "split": split_of(corpus, path.stem),
                         "written": ";".join(f"{s['time_signature']}@{s['start_beat']:g}" for s in truth.sections()),
                         "name": f"{est.name}@{est.first_downbeat:g}", "confidence": round(est.confidence, 3),
                         "map": ";".join(f"{s['time_signature']}@{s['start_beat']:g}" for s in est_map.sections()),
                         "map_first_downbeat": est_map.first_downbeat, "why": why})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", help="bps, mtc (default: both)")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    rows = [r for c in (args.corpora or ["mtc", "bps"]) for r in run(c)]
    for r in rows:
        print(f"{r['corpus']} {r['split']:4} {r['piece']:14} written {r['written']:34} name {r['name']:7} "
              f"map {r['map']:28} conf {r['confidence']:.3f}  {r['why']}")
    print(f"{len(rows)} pieces where name and map disagree")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
