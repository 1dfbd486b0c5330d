"""Time ``discover`` over a split with the pivot rule off and on (phase13-acc13.md).

    PYTHONPATH=$PWD python -m benchmarks.acc_speed bps tune|pop909 val

Three rounds, off then on in each (so load drifts hit both), the shipped model for POP909; prints the
seconds per round and the median per setting.
"""

from __future__ import annotations

import statistics
import sys
import time

from benchmarks.discovery_sweep import pieces
from motifcli.discovery import DiscoverySettings, discover


def main() -> None:
    corpus, split = sys.argv[1], sys.argv[2]
    model = None
    if corpus == "pop909":
        import motifcli

        model = motifcli.load_model()
    ps = pieces(corpus, split)
    runs: dict[int, list[float]] = {0: [], 3: []}
    for _ in range(3):
        for pivot in runs:
            settings = DiscoverySettings(accompaniment_pivot=pivot)
            t = time.perf_counter()
            for p in ps:
                discover(p.score, model, settings=settings)
            runs[pivot].append(time.perf_counter() - t)
    for pivot, v in runs.items():
        print(corpus, split, f"accompaniment_pivot={pivot}", [round(x, 2) for x in v], f"median {statistics.median(v):.2f} s")


if __name__ == "__main__":
    main()
