"""BPS-motif scores of motifcli.discovery (mir_eval.pattern), per piece and mean, with timings.

    PYTHONPATH=$PWD python benchmarks/discovery_algo.py --split tune [--set key=value ...]

Split until benchmarks/splits/ lands: tune = 01-1..15-1, test = 17-1..31-1 (odd pieces of the
dev half). Reports establishment/occurrence/three-layer F and the discovery time (median of
``--runs`` runs) per piece.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import statistics
import time
from collections import defaultdict
from pathlib import Path

import mir_eval.pattern

from motifcli import read_score
from motifcli.discovery import DiscoverySettings, discover
from training.datafolder import data_root

BPS = data_root() / "bps_motif_dev"
SPLITS = {
    "tune": ["01-1", "03-1", "05-1", "07-1", "09-1", "11-1", "13-1", "15-1"],
    "test": ["17-1", "19-1", "21-1", "23-1", "25-1", "27-1", "29-1", "31-1"],
}
KEYS = ["F_est", "P_est", "R_est", "F_occ.75", "F_occ.5", "F_3", "FFTP_est", "FFP"]


def reference(piece: str) -> list[list[list[tuple[float, int]]]]:
    """labels.csv rows of one piece as mir_eval patterns (families of occurrences of points)."""
    fams: dict[str, dict[str, list[tuple[float, int]]]] = defaultdict(lambda: defaultdict(list))
    with open(BPS / "labels.csv", newline="") as f:
        for r in csv.DictReader(f):
            if r["piece"] == piece:
                fams[r["motif"]][r["occurrence"]].append((float(r["onset_beats"]), int(r["pitch"])))
    return [[sorted(o) for o in occ.values()] for occ in fams.values()]


def evaluate(piece: str, settings: DiscoverySettings, runs: int) -> dict[str, float]:
    score = read_score(BPS / "scores" / f"{piece}.mid")
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fams = discover(score, settings=settings)
        times.append(time.perf_counter() - t0)
    est = [[sorted(o.points()) for o in f.occurrences] for f in fams]
    ref = reference(piece)
    m = dict(mir_eval.pattern.evaluate(ref, est)) if est else {k: 0.0 for k in KEYS}
    out = {k: float(m[k]) for k in KEYS}
    out.update(families=len(fams), ref_families=len(ref), notes=score.note_count, seconds=statistics.median(times))
    return out


def parse_set(items: list[str]) -> dict[str, object]:
    fields = {f.name: f for f in dataclasses.fields(DiscoverySettings)}
    out: dict[str, object] = {}
    for item in items:
        k, v = item.split("=", 1)
        t = type(getattr(DiscoverySettings(), k))
        out[k] = (v.lower() in ("1", "true", "yes")) if t is bool else t(v)
        assert k in fields
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--split", choices=sorted(SPLITS), default="tune")
    ap.add_argument("--set", nargs="*", default=[], help="DiscoverySettings overrides key=value")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    settings = DiscoverySettings(**parse_set(args.set))
    rows = {p: evaluate(p, settings, args.runs) for p in SPLITS[args.split]}
    cols = ["F_est", "P_est", "R_est", "F_occ.75", "F_3", "FFP", "families", "ref_families", "notes", "seconds"]
    print("piece  " + "  ".join(f"{c[:12]:>12}" for c in cols))
    for p, r in rows.items():
        print(f"{p:6} " + "  ".join(f"{r[c]:12.3f}" for c in cols))
    mean = {c: statistics.mean(r[c] for r in rows.values()) for c in cols}
    print("mean   " + "  ".join(f"{mean[c]:12.3f}" for c in cols))
    if args.json:
        args.json.write_text(json.dumps({"settings": dataclasses.asdict(settings), "pieces": rows, "mean": mean}, indent=1))


if __name__ == "__main__":
    main()
