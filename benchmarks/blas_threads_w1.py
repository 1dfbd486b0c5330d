"""CPU and wall time of ``motif annotate`` with ``--workers 1`` (the CLI's default: the work runs in the
CLI process), OpenBLAS threads as numpy sets them vs ``OPENBLAS_NUM_THREADS=1``, runs interleaved.

Why: batch workers limit BLAS to one thread (``batch_pool._limit_blas_threads``), the in-process path
does not; phase 28 (benchmarks/phase28-speed28.md) found the in-process path using ~70 % more CPU per
POP909 song. This measures that gap; it changes nothing.

    python benchmarks/blas_threads_w1.py [--songs 40] [--runs 3] [--code DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CASES = {"blas as is": {}, "OPENBLAS_NUM_THREADS=1": {"OPENBLAS_NUM_THREADS": "1"}}


def one_run(code: Path, songs: list[str], extra: dict[str, str]) -> tuple[float, float]:
    """CPU seconds (this process's waited-for children) and wall seconds of one batch."""
    with tempfile.TemporaryDirectory(prefix="motif-blas-") as tmp:
        env = dict(os.environ, PYTHONPATH=str(code), **extra)
        before, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        subprocess.run([sys.executable, "-m", "motifcli", "annotate", *songs, "-o", tmp + "/", "-f", "midi,json",
                        "-q", "--unit", "note"], env=env, cwd=code, check=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--songs", type=int, default=40, help="POP909 songs 100.. (from the data folder)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--code", type=Path, default=REPO, help="the motifcli tree measured")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from training.datafolder import data_root  # the one data-folder lookup, no torch

    songs = [str(data_root() / "pop909" / f"{n:03d}" / f"{n:03d}.mid") for n in range(100, 100 + args.songs)]
    cpu: dict[str, list[float]] = {k: [] for k in CASES}
    wall: dict[str, list[float]] = {k: [] for k in CASES}
    load0 = os.getloadavg()[0]
    for _ in range(args.runs):
        for name, extra in CASES.items():
            c, w = one_run(args.code.resolve(), songs, extra)
            cpu[name].append(1000 * c / len(songs))
            wall[name].append(w)
    print(f"# python benchmarks/blas_threads_w1.py --songs {args.songs} --runs {args.runs}; "
          f"{time.strftime('%H:%M UTC', time.gmtime())}, load {load0:.2f} before, {os.getloadavg()[0]:.2f} after")
    for name in CASES:
        print(f"{name}: CPU ms/song median {statistics.median(cpu[name]):.1f} "
              f"(runs {' '.join(f'{x:.0f}' for x in cpu[name])}); wall s median {statistics.median(wall[name]):.2f} "
              f"(runs {' '.join(f'{x:.2f}' for x in wall[name])})")


if __name__ == "__main__":
    main()
