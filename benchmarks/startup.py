"""Whole-process time of ``motif annotate song.mid`` (MIDI -> MIDI + JSON), as a user waits for it.

The MuseScore plugin starts the CLI on every click, so this is what its users wait for: Python's
start, the imports, reading, the model, grouping and writing, all together. Each case runs as a
fresh process ``--runs`` times; the median wall time and median CPU time (user + system, from
``getrusage``) are reported. CPU time barely moves with other load on the machine; wall time does,
so the load average is printed with the results.

Cold file cache: the page cache is dropped before each run (``echo 3 > /proc/sys/vm/drop_caches``)
when that is permitted (root on a machine, not a container); otherwise the script says why not and
reports warm runs only (the first, unmeasured run warms the cache).

``--before DIR`` also measures another motifcli tree (e.g. a checkout of the previous commit) in the
same script, its runs interleaved with this tree's, so that both meet the same load.

``--unit bar|note`` adds ``--unit`` to the annotate command (default: none, the CLI's default unit,
note since issue 10), so that both units' start-up can be measured with the same script.

Usage::

    python benchmarks/startup.py [--runs 7] [--cold-runs 3] [--song examples/pop909-101.mid]
                                 [--unit bar|note] [--before DIR] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DROP_CACHES = Path("/proc/sys/vm/drop_caches")


def run_once(argv: list[str], cwd: Path, cold: bool, code: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one fresh process running the motifcli tree ``code``."""
    if cold:
        os.sync()
        DROP_CACHES.write_text("3\n")
    env = {**os.environ, "PYTHONPATH": str(code)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def can_drop_caches() -> str | None:
    """None when the page cache can be dropped here, else the reason it cannot."""
    if os.geteuid() != 0:
        return "not root"
    try:
        with open(DROP_CACHES, "w") as fh:
            fh.write("3\n")
    except OSError as exc:
        return f"{DROP_CACHES} is not writable here ({exc.strerror or exc}; a container)"
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="warm runs per case")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold runs per case (each drops the page cache)")
    parser.add_argument("--song", type=Path, default=REPO / "examples" / "pop909-101.mid")
    parser.add_argument("--before", type=Path, default=None, help="another motifcli tree to compare with")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument("--unit", choices=("bar", "note"), default=None,
                        help="pass --unit to motif annotate (default: none, the CLI's default unit)")
    args = parser.parse_args()

    env_python = sys.executable
    work = Path(tempfile.mkdtemp(prefix="motif-startup-"))
    song = work / args.song.name
    song.write_bytes(args.song.read_bytes())
    unit = ["--unit", args.unit] if args.unit else []
    cases = {
        "python -c pass": [env_python, "-c", "pass"],
        "motif --help": [env_python, "-m", "motifcli", "--help"],
        f"motif annotate song.mid{' ' + ' '.join(unit) if unit else ''} (MIDI + JSON)": [
            env_python, "-m", "motifcli", "annotate", str(song), "-o", str(work / "out") + "/", "--provider", "cpu", *unit],
    }
    cold_problem = can_drop_caches()
    modes = ["warm"] + ([] if cold_problem or args.cold_runs < 1 else ["cold"])
    trees = {"this tree": REPO} | ({"before": args.before.resolve()} if args.before else {})
    for code in trees.values():  # bytecode as `pip install` leaves it (it compiles every module): a
        # run must not compile motifcli's sources, even where PYTHONDONTWRITEBYTECODE stops Python
        # from caching them (this machine sets it: every run paid ~0.1-0.2 s of compiling before)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(code / "motifcli")], check=True)
    results: dict[str, dict[str, float]] = {}
    for name, argv in cases.items():
        for code in trees.values():
            run_once(argv, work, False, code)  # warm the file cache once
        for mode in modes:
            n = args.runs if mode == "warm" else args.cold_runs
            samples: dict[str, list[tuple[float, float]]] = {tree: [] for tree in trees}
            for _ in range(n):  # interleaved: every tree meets the same load
                for tree, code in trees.items():
                    samples[tree].append(run_once(argv, work, mode == "cold", code))
            for tree, runs in samples.items():
                walls, cpus = zip(*runs)
                label = f"{name} [{mode}]" + (f" ({tree})" if len(trees) > 1 else "")
                results[label] = {
                    "wall_median_s": round(statistics.median(walls), 3),
                    "wall_min_s": round(min(walls), 3),
                    "cpu_median_s": round(statistics.median(cpus), 3),
                }
    load = os.getloadavg()
    command = f"python benchmarks/startup.py --runs {args.runs} --cold-runs {args.cold_runs} --song {args.song}" + (
        f" --unit {args.unit}" if args.unit else "") + (f" --before {args.before}" if args.before else "")
    print(f"# {command}")
    print(f"# {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
          f"cold cache: {'measured' if not cold_problem else 'not measured: ' + cold_problem}")
    print("| case | wall median (s) | wall min (s) | CPU median (s) |")
    print("|---|---:|---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {r['wall_median_s']:.3f} | {r['wall_min_s']:.3f} | {r['cpu_median_s']:.3f} |")
    if args.json:
        args.json.write_text(json.dumps({"command": command, "load": load, "cold": cold_problem or "measured",
                                         "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
