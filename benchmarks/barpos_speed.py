"""Time of discover() on each BPS tune movement, defaults against ``bar_position`` (phase10-barpos10.md).

    PYTHONPATH=$PWD python -m benchmarks.barpos_speed [--runs 3] ["bar_position=off"]

Each run reads the movement afresh (not timed), so the meter map's first use is inside the timed
discover() call as in ``motif annotate``. Prints the median over runs per movement and the largest.
"""

from __future__ import annotations

import argparse
import statistics
import time

from benchmarks.discovery_sweep import parse_set
from benchmarks.motif_corpora import split_pieces
from motifcli import read_score
from motifcli.discovery import DiscoverySettings, discover
from training.datafolder import data_root


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("variant", nargs="?", default="bar_position=off")
    args = ap.parse_args()
    specs = {"default": DiscoverySettings(), args.variant: DiscoverySettings(**parse_set(args.variant.split()))}
    for name in split_pieces("bps", "tune"):
        path = data_root() / "bps_motif_dev" / "scores" / f"{name}.mid"
        row = []
        for label, settings in specs.items():
            secs = []
            for _ in range(args.runs):
                score = read_score(path)
                t0 = time.perf_counter()
                discover(score, None, settings)
                secs.append(time.perf_counter() - t0)
            row.append(f"{label}: {statistics.median(secs):.3f} s")
        print(name, " | ".join(row), flush=True)


if __name__ == "__main__":
    main()
