"""Discovery time per POP909 song under two texture_roll_grid values (phase11-pop11.md, speed check).

    PYTHONPATH=$PWD python -m benchmarks.texture_grid_speed val --runs 5
    PYTHONPATH=$PWD python -m benchmarks.texture_grid_speed val --runs 5 --against "texture_cut=gap"

``--against SPEC`` (KEY=VALUE overrides of DiscoverySettings) compares the defaults with SPEC instead
(phase11-stable11.md).

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
    ap.add_argument("--against", default=None, help="KEY=VALUE ... compared with the defaults")
    args = ap.parse_args()
    if args.against is not None:
        from benchmarks.discovery_sweep import parse_set

        names = ("defaults", args.against)
        settings = {"defaults": DiscoverySettings(), args.against: DiscoverySettings(**parse_set(args.against.split()))}
    else:
        names = VALUES
        settings = {v: DiscoverySettings(texture_roll_grid=v) for v in VALUES}
    model = motifcli.load_model()
    ps = pieces("pop909", args.split)
    times: dict[str, list[float]] = {v: [] for v in names}
    for p in ps:
        discover(p.score, model, settings=settings[names[0]])  # warm: meter map, voices, session
        runs: dict[str, list[float]] = {v: [] for v in names}
        for _ in range(args.runs):
            for v in names:
                t0 = time.perf_counter()
                discover(p.score, model, settings=settings[v])
                runs[v].append(time.perf_counter() - t0)
        for v in names:
            times[v].append(statistics.median(runs[v]))
    label = "" if args.against is not None else "texture_roll_grid="
    for v in names:
        print(f"pop909 {args.split} {label}{v}: {sum(times[v]):.3f} s over {len(ps)} songs "
              f"(median of {args.runs} runs per song)")
    ratio = statistics.median(b / a for a, b in zip(times[names[0]], times[names[1]]))
    print(f"median per-song ratio {names[1]} / {names[0]}: {ratio:.3f}")


if __name__ == "__main__":
    main()
