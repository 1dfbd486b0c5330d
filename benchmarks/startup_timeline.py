"""Where a ``--workers 2`` batch's fixed cost goes: start-up timeline of two trees, interleaved.

    PYTHONPATH=$PWD python benchmarks/startup_timeline.py --before /tmp/speed7/before --count 6 --rounds 5

Copies each tree (this one and ``--before``) into a temporary folder and inserts time marks into the
copies' source (CLI entry, model check, pool start, worker start, each file done, batch done; a
mark is one line appended to ``$MOTIF_TRACE``), then runs ``motif annotate SONGS -o OUT -f midi -f
json --workers 2 --model MODEL --json`` (POP909 100, 101, ...) from each copy in turn. Per run:
``main_cpu`` (CPU seconds of the CLI process when it starts the pool), ``fs_cpu`` (CPU seconds of
the forkserver when it forks the first worker: its start-up and preload), and wall seconds from
the CLI's start to: ``entry`` (the annotate command runs), ``model`` (the --model is checked),
``pool`` (the pool starts), ``init1``/``init2`` (each worker starts), ``first_done`` (a worker's
first file is written), ``batch`` (all done), ``wall`` (the process and its pipes closed).
Medians per tree at the end. On a quiet machine the pool's workers start at about
``main_cpu + fs_cpu`` when the forkserver starts with the pool, at about ``max(main_cpu, entry +
fs_cpu)`` when it starts first thing (benchmarks/phase7-speed7.md).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

TRACE = """import os, time
def mark(what):
    with open(os.environ.get("MOTIF_TRACE", "/dev/null"), "a") as f:
        f.write(f"{time.time():.4f} {os.getpid()} {what}\\n")
"""


def traced_copy(src: Path, dest: Path) -> Path:
    """``src``'s files in ``dest`` with the marks inserted (an AssertionError if the code moved)."""
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".git", "__pycache__", ".venv", "*.onnx.data"))
    os.chdir(dest)
    try:
        (dest / "motifcli" / "_trace.py").write_text(TRACE)

        def patch(p: str, old: str, new: str) -> None:
            text = Path(p).read_text()
            assert old in text, (p, old)
            Path(p).write_text(text.replace(old, new, 1))

        patch('motifcli/cli.py', '"""Find the motifs of each score and write annotated copies (default: the input\'s format + JSON)."""\n',
              '"""Find the motifs of each score and write annotated copies (default: the input\'s format + JSON)."""\n    from motifcli._trace import mark; mark("annotate-entry")\n')
        patch('motifcli/cli.py','        loaded = _model_if_used(settings, model, provider, threads)\n','        mark("jobs-planned")\n        loaded = _model_if_used(settings, model, provider, threads)\n        mark("model-loaded")\n')
        patch('motifcli/cli.py','        _report(summary, as_json, debug, quiet)\n','        mark("batch-done")\n        _report(summary, as_json, debug, quiet)\n')
        patch('motifcli/cli.py','        with contextlib.suppress(Exception):  # write to a pipe a stopped pool closed (a traceback)\n            multiprocessing.util._exit_function()\n','        from motifcli._trace import mark; mark("exit-function")\n        with contextlib.suppress(Exception):  # write to a pipe a stopped pool closed (a traceback)\n            multiprocessing.util._exit_function()\n        mark("exit-function-done")\n')
        patch('motifcli/cli.py','        if summary.failures:\n            raise typer.Exit(EXIT_FAILED)\n','        mark("reported")\n        if summary.failures:\n            raise typer.Exit(EXIT_FAILED)\n')
        patch('motifcli/batch_pool.py','    pool.shutdown(wait=True)\n','    mark("shutdown"); pool.shutdown(wait=True); mark("shutdown-done")\n')
        patch('motifcli/batch_pool.py','    global _WORKER_MODEL\n','    global _WORKER_MODEL\n    from motifcli._trace import mark\n    _f = open(f"/proc/{os.getppid()}/stat").read().rsplit(")", 1)[1].split()\n    mark("worker-init fs_cpu=%.3f" % ((int(_f[11]) + int(_f[12])) / os.sysconf("SC_CLK_TCK")))\n')
        patch('motifcli/batch_pool.py','    provider = _worker_provider(model)\n','    from motifcli._trace import mark; mark("run-pool main_cpu=%.3f" % time.process_time())\n    provider = _worker_provider(model)\n')
        patch('motifcli/batch.py','    with job_scope() as model:\n        return process(job, model, settings)','    from motifcli._trace import mark\n    with job_scope() as model:\n        r = process(job, model, settings)\n    mark("job-end " + " ".join(f"{k}={v:.3f}" for k,v in r.times.items()))\n    return r')
        patch('motifcli/model.py','    providers = resolve_providers(provider)\n','    from motifcli._trace import mark; mark("load-model")\n    providers = resolve_providers(provider)\n')
        patch('motifcli/model.py','    check_output(model)\n    return model','    check_output(model)\n    mark("probe-done")\n    return model')
    finally:
        os.chdir(REPO)
    return dest


def one_run(tree: Path, songs: list[str]) -> dict[str, float]:
    trace = Path(tempfile.mktemp(suffix=".trace"))
    with tempfile.TemporaryDirectory() as out:
        env = dict(os.environ, PYTHONPATH=str(tree), MOTIF_TRACE=str(trace))
        t0 = time.time()
        proc = subprocess.run([sys.executable, "-m", "motifcli", "annotate", *songs, "-o", out, "-f", "midi", "-f",
                               "json", "--workers", "2", "--model", str(tree / "exported_models" / "motif-default.onnx"),
                               "--json"], env=env, cwd=tree, capture_output=True, text=True, check=False)
        t1 = time.time()
    if proc.returncode != 0:
        raise SystemExit(f"{tree}: motif annotate failed: {proc.stderr[-1500:]}")
    events = [(float(t) - t0, what.strip()) for t, _, what in (line.split(" ", 2) for line in trace.read_text().splitlines())]
    trace.unlink()

    def first(prefix: str) -> float:
        return next(t for t, what in events if what.startswith(prefix))

    inits = sorted(t for t, what in events if what.startswith("worker-init"))
    return {
        "main_cpu": next(float(w.split("=")[1]) for _, w in events if w.startswith("run-pool")),
        "fs_cpu": max(float(w.split("=")[1]) for _, w in events if w.startswith("worker-init")),
        "entry": first("annotate-entry"), "model": first("model-loaded"), "pool": first("run-pool"),
        "init1": inits[0], "init2": inits[-1], "first_done": first("job-end"), "batch": first("batch-done"),
        "wall": t1 - t0, "load": os.getloadavg()[0],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="the other motifcli tree")
    parser.add_argument("--count", type=int, default=6, help="POP909 songs")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from benchmarks.workers import songs

    files = [str(p) for p in songs(args.count)]
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"this tree": traced_copy(REPO, Path(tmp) / "this"),
                 "before": traced_copy(args.before.resolve(), Path(tmp) / "before")}
        rows: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
        for _ in range(args.rounds):
            for name, tree in trees.items():
                rows[name].append(one_run(tree, files))
                print(name, " ".join(f"{k} {v:.2f}" for k, v in rows[name][-1].items()), flush=True)
    for name, runs in rows.items():
        print(f"{name} median:", " ".join(f"{k} {statistics.median(r[k] for r in runs):.2f}" for k in runs[0]))


if __name__ == "__main__":
    main()
