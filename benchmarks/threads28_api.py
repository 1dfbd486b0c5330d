"""A notebook's loop, ``motifcli.annotate(path)`` over POP909 songs 100.. in one process: wall and CPU time
and onnxruntime sessions opened, this tree against another (``--before DIR``), one fresh process per run,
the trees taking turns.

Why (benchmarks/phase28-threads28.md): the API wrapped ``None`` in a new LazyModel per call, so every song
whose texture bars use the model opened a new session (14-24 ms each, phase28-speed28.md).

    python benchmarks/threads28_api.py --before /tmp/main [--songs 20] [--runs 5] [--limit]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

CHILD = """
import json, sys, time
import onnxruntime as ort
opened = []
class Counting(ort.InferenceSession):
    def __init__(self, path, *a, **k):
        opened.append(str(path)); super().__init__(path, *a, **k)
ort.InferenceSession = Counting
import motifcli
songs = json.loads(sys.argv[1])
motifcli.annotate(songs[0])  # imports and the first session: not what the loop repeats
opened.clear()
c0, w0 = time.process_time(), time.perf_counter()
if sys.argv[2] == "limit":  # what docs/cli.md suggests to a library user: one BLAS thread around the loop
    from threadpoolctl import threadpool_limits
    with threadpool_limits(1, user_api="blas"):
        for song in songs[1:]:
            motifcli.annotate(song)
else:
    for song in songs[1:]:
        motifcli.annotate(song)
print(json.dumps({"cpu": time.process_time() - c0, "wall": time.perf_counter() - w0, "sessions": len(opened)}))
"""


def one_run(code: Path, songs: list[str], limit: bool) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(code))
    argv = [sys.executable, "-c", CHILD, json.dumps(songs), "limit" if limit else "as is"]
    out = subprocess.run(argv, env=env, cwd=code, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="the other tree (e.g. a git archive of main)")
    parser.add_argument("--songs", type=int, default=20, help="songs in the loop after the first (warm-up) one")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--limit", action="store_true", help="the loop inside threadpool_limits(1, user_api='blas')")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from training.datafolder import data_root  # the one data-folder lookup, no torch

    songs = [str(data_root() / "pop909" / f"{n:03d}" / f"{n:03d}.mid") for n in range(100, 101 + args.songs)]
    trees = {"this tree": REPO, "before": args.before.resolve()}
    runs: dict[str, list[dict[str, float]]] = {t: [] for t in trees}
    load0, started = os.getloadavg()[0], time.strftime("%H:%M UTC", time.gmtime())
    for r in range(args.runs):
        for name in (list(trees) if r % 2 == 0 else list(trees)[::-1]):
            runs[name].append(one_run(trees[name], songs, args.limit))
    limit = " --limit" if args.limit else ""
    print(f"# python benchmarks/threads28_api.py --before {args.before} --songs {args.songs} --runs {args.runs}{limit}; "
          f"{started} - {time.strftime('%H:%M UTC', time.gmtime())}, load {load0:.2f} before, "
          f"{os.getloadavg()[0]:.2f} after")
    for name, values in runs.items():
        cpu = [1000 * v["cpu"] / args.songs for v in values]
        wall = [1000 * v["wall"] / args.songs for v in values]
        sessions = sorted({int(v["sessions"]) for v in values})
        print(f"{name:>10}: CPU ms/song median {statistics.median(cpu):.1f} ({' '.join(f'{x:.1f}' for x in cpu)}); "
              f"wall ms/song median {statistics.median(wall):.1f} ({' '.join(f'{x:.1f}' for x in wall)}); "
              f"sessions opened in the loop {sessions}")


if __name__ == "__main__":
    main()
