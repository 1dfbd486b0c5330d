"""Discovery time on one BPS movement with and without growing statements (discovery/extent.py).

    PYTHONPATH=$PWD python -m benchmarks.extent_speed [--piece 09-1] [--runs 5]

Prints the median and the best of ``--runs`` runs of ``discover`` per setting (reading excluded).
"""

from __future__ import annotations

import argparse
import statistics
import time

from training.datafolder import data_root
from motifcli import read_score
from motifcli.discovery import DiscoverySettings, discover


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--piece", default="09-1")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    score = read_score(data_root() / "bps_motif_dev" / "scores" / f"{args.piece}.mid")
    for grow in (0.0, DiscoverySettings().grow_share):
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            discover(score, settings=DiscoverySettings(grow_share=grow))
            times.append(time.perf_counter() - t0)
        print(f"grow_share={grow}: median {statistics.median(times):.2f} s, best {min(times):.2f} s "
              f"over {args.runs} runs ({args.piece}, {sum(len(t.notes) for t in score.tracks)} notes)")


if __name__ == "__main__":
    main()
