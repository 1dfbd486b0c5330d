"""When do ``--workers`` pay off? Wall time of ``motif annotate`` on few and many files, 1 vs 2 workers.

    python benchmarks/workers.py                       # 3, 5 and 50 POP909 songs, --workers 1 and 2, 3 runs
    python benchmarks/workers.py --counts 3 50 --runs 5 --workers 1 2
    PYTHONDONTWRITEBYTECODE=1 python benchmarks/workers.py --counts 20 50 100 200 all --runs 3 --workers 2 \
        --out benchmarks/workers-results-phase8.json   # throughput against batch size (phase 8)

Each measurement is one real CLI process (interpreter start, imports, model check, forkserver and
worker start-up included), MIDI -> MIDI + JSON into a fresh temporary folder:
``python -m motifcli annotate SONGS... -o OUT -f midi -f json --workers W --model MODEL --json``
with SONGS = POP909 songs 100, 101, ...; the count ``all`` passes the POP909 folder itself (its
889 songs, found by the CLI's own folder walk: how a user runs it on the dataset, read in place).
Runs are interleaved (1, 2, 1, 2 ...) so that a change of machine load hits both alike; medians are
reported with the 1-minute load average, songs/s, and the CPU seconds per song of the whole process
tree (main process, forkserver, workers: ``workers_ab.REAPER``), the steadier figure on a shared
machine. Writes ``benchmarks/workers-results.json`` and prints a markdown table.
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


def one_run(files: list[Path], workers: int, model: Path) -> tuple[float, dict, float]:
    """Wall seconds, the ``--json`` summary and the CPU seconds of the whole process tree."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from benchmarks.workers_ab import REAPER

    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with tempfile.TemporaryDirectory() as out, tempfile.TemporaryDirectory() as side:
        summary_file = Path(side) / "summary.json"
        args = [sys.executable, "-m", "motifcli", "annotate", *map(str, files), "-o", out, "-f", "midi", "-f",
                "json", "--workers", str(workers), "--model", str(model), "--json"]
        script = REAPER.replace("stdout=subprocess.DEVNULL", f"stdout=open({str(summary_file)!r}, 'w')")
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env,
                              check=False)
        seconds = time.perf_counter() - started
        try:
            code, cpu = json.loads(proc.stdout.strip().splitlines()[-1])
        except (IndexError, ValueError):
            code, cpu = proc.returncode or 1, 0.0
        if code != 0:
            raise SystemExit(f"motif annotate failed ({code}): {proc.stderr[-2000:]}")
        return seconds, json.loads(summary_file.read_text()), cpu


def inputs(count: str) -> list[Path]:
    """POP909 songs 100, 101, ... (a number), or the POP909 folder itself (``all``)."""
    return [data_root()] if count == "all" else songs(int(count))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--counts", nargs="+", default=["3", "5", "50"], help="song counts, or 'all' (the folder)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--model", type=Path, default=REPO / "exported_models" / "motif-default.onnx")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "workers-results.json")
    args = parser.parse_args(argv)

    rows = []
    for count in args.counts:
        files = inputs(count)
        times: dict[int, list[float]] = {w: [] for w in args.workers}
        cpus: dict[int, list[float]] = {w: [] for w in args.workers}
        loads: list[float] = []
        used: dict[int, int] = {}
        done: dict[int, int] = {}
        for _ in range(args.runs):
            for w in args.workers:
                loads.append(os.getloadavg()[0])
                seconds, summary, cpu = one_run(files, w, args.model)
                times[w].append(seconds)
                cpus[w].append(cpu)
                used[w] = summary["workers"]
                done[w] = summary["files"]
        for w in args.workers:
            median = statistics.median(times[w])
            rows.append({"files": done[w], "input": count, "workers": w, "workers_started": used[w],
                         "median_s": round(median, 2), "runs_s": [round(t, 2) for t in times[w]],
                         "songs_per_s": round(done[w] / median, 2),
                         "cpu_ms_per_song": round(statistics.median(cpus[w]) / done[w] * 1000),
                         "cpu_runs_s": [round(c, 2) for c in cpus[w]],
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
    print("| files | --workers | started | median wall s | songs/s | runs (s) | CPU ms/song (tree) | load (1 min) |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['files']} | {r['workers']} | {r['workers_started']} | **{r['median_s']}** | {r['songs_per_s']} | "
              f"{', '.join(map(str, r['runs_s']))} | {r['cpu_ms_per_song']} | {r['load_1min_median']} |")


if __name__ == "__main__":
    main()
