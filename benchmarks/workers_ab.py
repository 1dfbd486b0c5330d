"""Interleaved A/B of benchmarks/workers.py's command between this tree and another motifcli tree.

On a shared, busy machine two back-to-back runs of ``workers.py`` differ by more than most changes
do; running both trees alternately in the same rounds lets the load hit both alike. Wall time of the
whole CLI process (workers included), medians of ``--runs`` rounds, and the 1-minute load average::

    PYTHONDONTWRITEBYTECODE=1 python benchmarks/workers_ab.py --before /tmp/lz/before --runs 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def one_run(tree: Path, songs: list[str], workers: int) -> float:
    """Seconds of ``motif annotate SONGS -f midi -f json --workers W --model MODEL`` run from ``tree``."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    with tempfile.TemporaryDirectory() as out:
        args = [sys.executable, "-m", "motifcli", "annotate", *songs, "-o", out, "-f", "midi", "-f", "json",
                "--workers", str(workers), "--model", str(tree / "exported_models" / "motif-default.onnx"), "--json"]
        t0 = time.perf_counter()
        proc = subprocess.run(args, capture_output=True, text=True, env=env, cwd=tree, check=False)
        seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{tree}: motif annotate failed ({proc.returncode}): {proc.stderr[-1000:]}")
    return seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="the other motifcli tree")
    parser.add_argument("--count", type=int, default=50, help="POP909 songs (100, 101, ...)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from benchmarks.workers import songs

    files = [str(p) for p in songs(args.count)]
    trees = {"this tree": REPO, "before": args.before.resolve()}
    walls: dict[str, list[float]] = {k: [] for k in trees}
    loads = []
    for _ in range(args.runs):
        for name, tree in trees.items():
            walls[name].append(round(one_run(tree, files, args.workers), 2))
            loads.append(os.getloadavg()[0])
    for name, runs in walls.items():
        med = statistics.median(runs)
        print(f"{name}: median {med:.2f} s ({len(files) / med:.2f} songs/s), runs {runs}")
    print(f"load (1 min) median {statistics.median(loads):.2f}")


if __name__ == "__main__":
    main()
