"""Whole-process `motif annotate` time of a few files, this tree against another, interleaved.

    PYTHONPATH=$PWD python benchmarks/annotate_ab.py --before /tmp/wt-base --runs 5 FILE [FILE ...]

Each run annotates every file once with each tree (``PYTHONPATH`` = the tree, a fresh output folder),
alternating, so load from other jobs falls on both; prints each file's median and runs per tree
(SPEED.md "Phase 16").
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--before", required=True, type=Path, help="the other tree (a git worktree)")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    trees = {"this tree": Path(__file__).resolve().parent.parent, "before": args.before.resolve()}
    times: dict[tuple[str, str], list[float]] = {(f.name, t): [] for f in args.files for t in trees}
    with tempfile.TemporaryDirectory() as out:
        for run in range(args.runs):
            for f in args.files:
                for name, tree in trees.items():
                    env = dict(os.environ, PYTHONPATH=str(tree), PYTHONDONTWRITEBYTECODE="1")
                    dest = Path(out) / f"{run}-{f.stem}-{name.replace(' ', '-')}"
                    t0 = time.perf_counter()
                    subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(f.resolve()), "-o", f"{dest}/", "-q"],
                                   env=env, check=True, cwd=tree)
                    times[(f.name, name)].append(time.perf_counter() - t0)
    for (file, name), runs in times.items():
        print(f"{file} {name}: median {statistics.median(runs):.3f} s, runs {' '.join(f'{r:.2f}' for r in runs)}")
    print(f"load (1 min) {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
