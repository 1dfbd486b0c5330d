"""Wall and CPU time of one ``motif annotate`` process (``--workers 1``, the default) per input, with
numpy's OpenBLAS threads as it sets them or limited to one, and onnxruntime's intra-op threads at their
default or ``--threads 1``; cases interleaved, round after round (the case order turns each round).

Why (benchmarks/phase28-threads28.md): batch workers cap BLAS at one thread, the in-process path did not,
and phase 28 measured ~70 % more CPU a POP909 song there on a loaded machine. This decides whether the CLI
keeps a one-thread limit: wall time not worse (median), CPU lower.

    python benchmarks/threads28_cli.py --runs 5 INPUT... [--songs 40] [--code DIR] [--ab DIR]

Each INPUT is one run of ``motif annotate INPUT -f midi,json``; ``--songs N`` adds one run of POP909
songs 100..100+N-1 in one process (the 40-song loop). ``--ab DIR`` compares this tree (as is) with the
tree DIR (as is) instead of the thread cases: the fix itself against main. CPU is the child process's
user + system time (``RUSAGE_CHILDREN``).
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
CLEAN = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
CASES: dict[str, tuple[dict[str, str], list[str]]] = {
    "blas as is, ort default": ({}, []),
    "blas 1, ort default": ({"OPENBLAS_NUM_THREADS": "1"}, []),
    "blas 1, ort 1": ({"OPENBLAS_NUM_THREADS": "1"}, ["--threads", "1"]),
    "blas as is, ort 1": ({}, ["--threads", "1"]),
}


def one_run(code: Path, inputs: list[str], extra_env: dict[str, str], extra_args: list[str]) -> tuple[float, float]:
    """CPU seconds and wall seconds of one ``python -m motifcli annotate`` process."""
    with tempfile.TemporaryDirectory(prefix="motif-threads28-") as tmp:
        env = dict(CLEAN, PYTHONPATH=str(code), **extra_env)
        before, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        subprocess.run([sys.executable, "-m", "motifcli", "annotate", *inputs, "-o", tmp + "/", "-f", "midi,json",
                        "-q", *extra_args], env=env, cwd=code, check=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="*", help="files, each run alone")
    parser.add_argument("--songs", type=int, default=0, help="also POP909 songs 100.. in one process")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--code", type=Path, default=REPO, help="the motifcli tree measured")
    parser.add_argument("--ab", type=Path, default=None, help="compare --code with this tree, both as is")
    parser.add_argument("--cases", default="", help="comma-separated case names (default: all)")
    parser.add_argument("--json", type=Path, default=None, help="write every run here")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from training.datafolder import data_root  # the one data-folder lookup, no torch

    groups: dict[str, list[str]] = {Path(p).name: [str(Path(p).resolve())] for p in args.inputs}
    if args.songs:
        groups[f"{args.songs} POP909 songs"] = [str(data_root() / "pop909" / f"{n:03d}" / f"{n:03d}.mid")
                                                for n in range(100, 100 + args.songs)]
    if args.ab is not None:
        cases = {"this tree": (args.code.resolve(), {}, []), f"tree {args.ab}": (args.ab.resolve(), {}, [])}
    else:
        chosen = [c for c in args.cases.split(",") if c] or list(CASES)
        cases = {c: (args.code.resolve(), *CASES[c]) for c in chosen}
    runs: dict[str, dict[str, list[tuple[float, float]]]] = {g: {c: [] for c in cases} for g in groups}
    load0, started = os.getloadavg()[0], time.strftime("%H:%M UTC", time.gmtime())
    names = list(cases)
    for r in range(args.runs):
        order = names[r % len(names):] + names[: r % len(names)]
        for group, files in groups.items():
            for case in order:
                code, env, extra = cases[case]
                runs[group][case].append(one_run(code, files, env, extra))
    print(f"# python benchmarks/threads28_cli.py --runs {args.runs} {' '.join(args.inputs)}"
          f"{f' --songs {args.songs}' if args.songs else ''}{f' --ab {args.ab}' if args.ab else ''}; "
          f"{started} - {time.strftime('%H:%M UTC', time.gmtime())}, load {load0:.2f} before, "
          f"{os.getloadavg()[0]:.2f} after")
    for group, by_case in runs.items():
        per = max(1, len(groups[group]))
        for case, values in by_case.items():
            cpu = [c for c, _ in values]
            wall = [w for _, w in values]
            unit = "CPU ms/file" if per > 1 else "CPU s"
            scale = 1000 / per if per > 1 else 1.0
            print(f"{group:>22} | {case:<24} | {unit} {statistics.median(cpu) * scale:8.3f} "
                  f"({' '.join(f'{x * scale:.3f}' for x in cpu)}) | wall s {statistics.median(wall):6.3f} "
                  f"({' '.join(f'{x:.3f}' for x in wall)})")
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"started": started, "load_before": load0, "runs": runs}, indent=1))


if __name__ == "__main__":
    main()
