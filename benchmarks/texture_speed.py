"""Cost of texture families on POP909 songs and BPS movements: discover() with and without them.

    PYTHONPATH=$PWD python -m benchmarks.texture_speed [--runs 3]

Prints, per file, the median wall time of ``discover(score)`` over ``--runs`` runs with the default
settings and with ``texture=False`` (reading excluded; the meter map is made once before timing),
and the median of ``motif annotate FILE --unit note -f midi -f json`` as a fresh process.
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

from motifcli import read_score
from motifcli.discovery import DiscoverySettings, discover
from training.datafolder import data_root

REPO = Path(__file__).resolve().parents[1]


def files() -> list[Path]:
    bps = data_root() / "bps_motif_dev" / "scores"
    return [REPO / "examples" / f"pop909-{n}.mid" for n in ("101", "202", "303")] + [bps / "09-1.mid", bps / "03-1.mid"]


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    print("| file | notes | discover (s) | texture=False (s) | families | CLI note MIDI+JSON (s) |")
    print("|---|---|---|---|---|---|")
    for path in files():
        score = read_score(path)
        score.meter_map  # noqa: B018 (made once, as the pipeline does before discovery)
        with_t = median_time(lambda: discover(score), args.runs)
        without = median_time(lambda: discover(score, settings=DiscoverySettings(texture=False)), args.runs)
        with tempfile.TemporaryDirectory() as out:
            cmd = [sys.executable, "-m", "motifcli", "annotate", str(path), "--unit", "note", "-f", "midi", "-f", "json",
                   "-o", out + "/"]
            cli = median_time(lambda: subprocess.run(cmd, check=True, capture_output=True, env=os.environ.copy()), args.runs)
        print(f"| {path.name} | {score.note_count} | {with_t:.2f} | {without:.2f} | {len(discover(score))} | {cli:.2f} |")


if __name__ == "__main__":
    main()
