"""Interleaved A/B of benchmarks/workers.py's command between this tree and another motifcli tree.

On a shared, busy machine two back-to-back runs of ``workers.py`` differ by more than most changes
do; running both trees alternately in the same rounds lets the load hit both alike. Wall time of the
whole CLI process (workers included), medians of ``--runs`` rounds, and the 1-minute load average.
Also the CPU seconds (user + system) of the whole process tree (main process, forkserver, workers),
the steadier figure when the machine is shared: each run goes through a small wrapper that makes
itself the subreaper of its descendants (Linux ``PR_SET_CHILD_SUBREAPER``), waits for every one of
them (the forkserver outlives the main process) and reports ``RUSAGE_CHILDREN``::

    PYTHONDONTWRITEBYTECODE=1 python benchmarks/workers_ab.py --before /tmp/lz/before --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


# Runs argv[1:] as a child subreaper, reaps every descendant, prints their CPU seconds and the exit code.
REAPER = r"""
import ctypes, json, os, resource, subprocess, sys
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER: orphans (the forkserver) come to us
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps([code, u.ru_utime + u.ru_stime]))
"""


def one_run(tree: Path, songs: list[str], workers: int) -> tuple[float, float]:
    """Wall and CPU seconds of ``motif annotate SONGS -f midi -f json --workers W --model MODEL`` run from ``tree``."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    with tempfile.TemporaryDirectory() as out:
        args = [sys.executable, "-m", "motifcli", "annotate", *songs, "-o", out, "-f", "midi", "-f", "json",
                "--workers", str(workers), "--model", str(tree / "exported_models" / "motif-default.onnx"), "--json"]
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", REAPER, *args], capture_output=True, text=True, env=env,
                              cwd=tree, check=False)
        seconds = time.perf_counter() - t0
    try:
        code, cpu = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        code, cpu = proc.returncode or 1, 0.0
    if code != 0:
        raise SystemExit(f"{tree}: motif annotate failed ({code}): {proc.stderr[-1000:]}")
    return seconds, cpu


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
    cpus: dict[str, list[float]] = {k: [] for k in trees}
    loads = []
    for _ in range(args.runs):
        for name, tree in trees.items():
            wall, cpu = one_run(tree, files, args.workers)
            walls[name].append(round(wall, 2))
            cpus[name].append(round(cpu, 2))
            loads.append(os.getloadavg()[0])
    for name, runs in walls.items():
        med = statistics.median(runs)
        cpu = statistics.median(cpus[name])
        print(f"{name}: median {med:.2f} s ({len(files) / med:.2f} songs/s), runs {runs}; "
              f"CPU median {cpu:.2f} s ({cpu / len(files) * 1000:.0f} ms/song), runs {cpus[name]}")
    print(f"load (1 min) median {statistics.median(loads):.2f}")


if __name__ == "__main__":
    main()
