"""Discovery time per POP909 song under two texture_roll_grid values (phase11-pop11.md, speed check).

    PYTHONPATH=$PWD python -m benchmarks.texture_grid_speed val --runs 5

Each song's pieces come from discovery_sweep's cache; ``discover`` runs with the shipped model already
open (as a warm CLI run has it), alternating the two settings so that load from other processes falls
on both alike. Prints, per setting, the sum over songs of each song's median time and the median
ratio onsets_bars / bar.
"""

from __future__ import annotations

import argparse
import statistics
import time

import motifcli
from benchmarks.discovery_sweep import pieces
from motifcli.discovery import DiscoverySettings, discover

VALUES = ("bar", "onsets_bars")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("split", default="val", nargs="?")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    model = motifcli.load_model()
    ps = pieces("pop909", args.split)
    settings = {v: DiscoverySettings(texture_roll_grid=v) for v in VALUES}
    times: dict[str, list[float]] = {v: [] for v in VALUES}
    for p in ps:
        discover(p.score, model, settings=settings["bar"])  # warm: meter map, voices, session
        runs: dict[str, list[float]] = {v: [] for v in VALUES}
        for _ in range(args.runs):
            for v in VALUES:
                t0 = time.perf_counter()
                discover(p.score, model, settings=settings[v])
                runs[v].append(time.perf_counter() - t0)
        for v in VALUES:
            times[v].append(statistics.median(runs[v]))
    for v in VALUES:
        print(f"pop909 {args.split} texture_roll_grid={v}: {sum(times[v]):.3f} s over {len(ps)} songs "
              f"(median of {args.runs} runs per song)")
    ratio = statistics.median(b / a for a, b in zip(times["bar"], times["onsets_bars"]))
    print(f"median per-song ratio onsets_bars / bar: {ratio:.3f}")


if __name__ == "__main__":
    main()
