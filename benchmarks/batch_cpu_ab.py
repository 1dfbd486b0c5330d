"""CPU per song of one ``motif annotate`` batch process, this tree against another, runs interleaved.

``speed.py`` measures one tree at a time, so on a shared machine two of its runs meet different
loads; this runs both trees' batches alternately (``--workers 1``, so the CPU of the one process
and its children is all in ``RUSAGE_CHILDREN``) and prints the median CPU milliseconds per song.

Usage::

    python benchmarks/batch_cpu_ab.py --before DIR [--songs 40] [--runs 3] [--unit note]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="the other motifcli tree")
    parser.add_argument("--songs", type=int, default=40, help="POP909 songs 100.. (from $MOTIF_DATA or shared/data)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--unit", choices=("bar", "note"), default="note")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from training.datafolder import data_root  # the one data-folder lookup, no torch

    songs = [str(data_root() / "pop909" / f"{n:03d}" / f"{n:03d}.mid") for n in range(100, 100 + args.songs)]
    trees = {"this tree": REPO, "before": args.before.resolve()}
    cpu: dict[str, list[float]] = {name: [] for name in trees}
    for _ in range(args.runs):
        for name, code in trees.items():
            with tempfile.TemporaryDirectory(prefix="motif-ab-") as tmp:
                env = dict(os.environ, PYTHONPATH=str(code), PYTHONDONTWRITEBYTECODE="1")
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                subprocess.run([sys.executable, "-m", "motifcli", "annotate", *songs, "-o", tmp + "/", "-f", "midi,json",
                                "--workers", "1", "-q", "--unit", args.unit], env=env, cwd=code, check=True)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu[name].append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    load = os.getloadavg()
    print(f"# python benchmarks/batch_cpu_ab.py --before {args.before} --songs {args.songs} --runs {args.runs} "
          f"--unit {args.unit}")
    print(f"# {time.strftime('%H:%M UTC', time.gmtime())}, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    for name, values in cpu.items():
        per_song = [1000 * v / len(songs) for v in values]
        print(f"{name}: CPU ms/song median {statistics.median(per_song):.1f} (runs {' '.join(f'{x:.0f}' for x in per_song)})")


if __name__ == "__main__":
    main()
