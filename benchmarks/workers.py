"""When do ``--workers`` pay off? Wall time of ``motif annotate`` on few and many files, 1 vs 2 workers.

    python benchmarks/workers.py                       # 3, 5 and 50 POP909 songs, --workers 1 and 2, 3 runs
    python benchmarks/workers.py --counts 3 50 --runs 5 --workers 1 2

Each measurement is one real CLI process (interpreter start, imports, model check, forkserver and
worker start-up included), MIDI -> MIDI + JSON into a fresh temporary folder:
``python -m motifcli annotate SONGS... -o OUT -f midi -f json --workers W --model MODEL --json``
with SONGS = POP909 songs 100, 101, ... Runs are interleaved (1, 2, 1, 2 ...) so that a change of
machine load hits both alike; medians are reported with the 1-minute load average. Writes
``benchmarks/workers-results.json`` and prints a markdown table.
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


def data_root() -> Path:
    """The POP909 folder, found by the one data-folder lookup (training/datafolder.py)."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from training.datafolder import data_root as find

    try:
        return find() / "pop909"
    except FileNotFoundError as exc:
        raise SystemExit(str(exc)) from None


def songs(count: int) -> list[Path]:
    root = data_root()
    found = [root / f"{n:03d}" / f"{n:03d}.mid" for n in range(100, 1000)]
    return [p for p in found if p.is_file()][:count]


def one_run(files: list[Path], workers: int, model: Path) -> tuple[float, dict]:
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with tempfile.TemporaryDirectory() as out:
        args = [sys.executable, "-m", "motifcli", "annotate", *map(str, files), "-o", out, "-f", "midi", "-f",
                "json", "--workers", str(workers), "--model", str(model), "--json"]
        started = time.perf_counter()
        proc = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
        seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"motif annotate failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return seconds, json.loads(proc.stdout)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[3, 5, 50])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--model", type=Path, default=REPO / "exported_models" / "motif-default.onnx")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "workers-results.json")
    args = parser.parse_args(argv)

    rows = []
    for count in args.counts:
        files = songs(count)
        times: dict[int, list[float]] = {w: [] for w in args.workers}
        loads: list[float] = []
        used: dict[int, int] = {}
        for _ in range(args.runs):
            for w in args.workers:
                loads.append(os.getloadavg()[0])
                seconds, summary = one_run(files, w, args.model)
                times[w].append(seconds)
                used[w] = summary["workers"]
        for w in args.workers:
            rows.append({"files": len(files), "workers": w, "workers_started": used[w],
                         "median_s": round(statistics.median(times[w]), 2), "runs_s": [round(t, 2) for t in times[w]],
                         "load_1min_median": round(statistics.median(loads), 2)})
            print(rows[-1], file=sys.stderr)
    result = {
        "command": " ".join(["python benchmarks/workers.py", *(argv if argv is not None else sys.argv[1:])]),
        "date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "model": str(args.model.relative_to(REPO) if args.model.is_relative_to(REPO) else args.model),
        "rows": rows,
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"`{result['command'].strip()}` ({result['date_utc']} UTC, {result['usable_cores']} usable cores)\n")
    print("| files | --workers | started | median wall s | runs (s) | load (1 min) |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['files']} | {r['workers']} | {r['workers_started']} | **{r['median_s']}** | "
              f"{', '.join(map(str, r['runs_s']))} | {r['load_1min_median']} |")


if __name__ == "__main__":
    main()
