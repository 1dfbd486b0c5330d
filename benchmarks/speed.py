"""Speed of ``motif annotate`` (issue 3, "Speed"), measured through the real CLI in subprocesses.

(a) batch: 100 POP909 songs (ids 100-199, the first 100 ids >= 100), MIDI to MIDI + JSON, with
    ``--workers 2``. Reports songs per second (songs / wall time of the whole ``motif annotate``
    process, start-up, imports, model loading and worker spawning included) and the seconds per
    stage (read, encode, inference, grouping, write) from the CLI's ``--json`` summary, which
    ``motifcli.batch`` records per file. Target: at least 4 songs/s on the 2-core machine.
(b) musicxml: MIDI to annotated MusicXML (``--format musicxml``) for 5 songs (100, 120, 140, 160,
    180). Reports seconds per song two ways: inside one batch run (the CLI's per-file stage times
    summed; the first file of a run also pays for importing music21) and as a one-file
    ``motif annotate song.mid --format musicxml -o out.musicxml`` process, start-up included.
    Target: under 3 s per song.

Every measurement is repeated (``--runs``) and the median is reported, with the load average
before each run and the CPU seconds the CLI process tree used (``RUSAGE_CHILDREN``), which is far
less sensitive to other work on the machine than the wall time. Results go to
``benchmarks/speed-results.json``; a markdown table goes to stdout.

    python benchmarks/speed.py                                   # shipped model, 3 runs
    python benchmarks/speed.py --model runs/cl/model.onnx --runs 5
    python benchmarks/speed.py --code /tmp/old-checkout --label before   # another motifcli tree
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
STAGES = ("read", "encode", "inference", "grouping", "write")
BATCH_SONGS = list(range(100, 200))
XML_SONGS = [100, 120, 140, 160, 180]
TARGET_SONGS_PER_S = 4.0
TARGET_XML_SECONDS = 3.0


def data_root() -> Path:
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from training.datafolder import data_root as find

    try:
        return find()
    except FileNotFoundError as exc:
        raise SystemExit(str(exc)) from None


def song_file(root: Path, number: int) -> Path:
    path = root / "pop909" / f"{number:03d}" / f"{number:03d}.mid"
    if not path.is_file():
        raise SystemExit(f"missing song {path}")
    return path


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def become_subreaper() -> bool:
    """Adopt orphaned descendants (Linux), so their CPU time is counted when they are reaped.

    A forkserver (and the worker processes it forks) outlives the CLI by a moment and is nobody's
    child once the CLI has exited; without this its CPU time would be missing from the totals.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def reap_orphans() -> None:
    """Wait for adopted descendants that are still exiting (this script starts no other children)."""
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def run_cli(args: list[str], code: Path) -> dict[str, Any]:
    """Run ``python -m motifcli ARGS``; wall seconds, CPU seconds of the process tree, load, stdout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(code) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(NO_COLOR="1", COLUMNS="200", PYTHONDONTWRITEBYTECODE="1")
    load = os.getloadavg()[0]
    cpu0, t0 = cpu_seconds(), time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "motifcli", *args], env=env, cwd=code, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    reap_orphans()
    cpu = cpu_seconds() - cpu0
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-3000:])
        raise SystemExit(f"motif {' '.join(args[:3])} ... exited {proc.returncode}")
    return {"wall_s": wall, "cpu_s": cpu, "load_1min_before": load, "stdout": proc.stdout}


def shown(args: list[str], files: list[Path]) -> str:
    """The command line as recorded: the song list written once as a pattern."""
    names = {str(f) for f in files}
    kept = [a for a in args if a not in names]
    if not files:
        return "python -m motifcli " + " ".join(kept)
    numbers = [f.parent.name for f in files]
    pattern = str(files[0].parent.parent / "NNN" / "NNN.mid") + f" (NNN = {', '.join(numbers)})" if len(files) <= 5 \
        else str(files[0].parent.parent / "NNN" / "NNN.mid") + f" (NNN = {numbers[0]}..{numbers[-1]})"
    return "python -m motifcli " + " ".join([kept[0], pattern, *kept[1:]])


# ---------------------------------------------------------------- (a) the batch


def bench_batch(model: Path, code: Path, runs: int, workers: int, files: list[Path], unit: str = "bar",
                pass_model: bool = True) -> dict[str, Any]:
    results = []
    for k in range(runs):
        with tempfile.TemporaryDirectory(prefix="motif-speed-") as tmp:
            args = ["annotate", *map(str, files), "-o", tmp, "--format", "midi", "--format", "json",
                    "--workers", str(workers), *(["--model", str(model)] if pass_model else []), "--json", "--unit", unit]
            r = run_cli(args, code)
            summary = json.loads(r.pop("stdout"))
        ok = summary["ok"]
        if summary["failed"]:
            raise SystemExit(f"{summary['failed']} songs failed: {[x for x in summary['results'] if x['status'] == 'failed'][:3]}")
        run = {
            **r,
            "songs": ok,
            "songs_per_s": ok / r["wall_s"],
            "cpu_s_per_song": r["cpu_s"] / ok,
            "batch_seconds": summary["seconds"],  # run_batch alone: no interpreter start-up, no model check
            "stage_seconds": summary["stage_seconds"],  # summed over files (two workers: ~2x the wall time)
            "motifs": summary["motifs"],
            "occurrences": summary["occurrences"],
        }
        results.append(run)
        print(f"  batch run {k + 1}/{runs}: {run['songs_per_s']:.2f} songs/s, wall {run['wall_s']:.1f} s, "
              f"cpu {run['cpu_s']:.1f} s, load {run['load_1min_before']:.2f}", file=sys.stderr)
    med = {
        "songs_per_s": statistics.median(x["songs_per_s"] for x in results),
        "wall_s": statistics.median(x["wall_s"] for x in results),
        "cpu_s_per_song": statistics.median(x["cpu_s_per_song"] for x in results),
        "load_1min_before": statistics.median(x["load_1min_before"] for x in results),
        "stage_ms_per_song": {
            s: 1000 * statistics.median(x["stage_seconds"][s] / x["songs"] for x in results) for s in STAGES
        },
    }
    # What the CPU time alone allows on an otherwise idle machine with this many cores.
    med["idle_estimate_songs_per_s"] = min(os.cpu_count() or 1, workers) / med["cpu_s_per_song"]
    return {
        "songs": [f.parent.name for f in files],
        "command": shown(args, files).replace(str(model), "MODEL").replace(tmp, "OUT"),
        "workers": workers,
        "runs": results,
        "median": med,
        "target_songs_per_s": TARGET_SONGS_PER_S,
        "meets_target": med["songs_per_s"] >= TARGET_SONGS_PER_S,
    }


# ---------------------------------------------------------------- (b) MIDI -> MusicXML


def bench_musicxml(model: Path, code: Path, runs: int, files: list[Path], unit: str = "bar") -> dict[str, Any]:
    in_batch: dict[str, list[float]] = {f.parent.name: [] for f in files}
    first_file: list[float] = []
    one_shot: dict[str, list[float]] = {f.parent.name: [] for f in files}
    loads: list[float] = []
    batch_cpu: list[float] = []  # CPU seconds of the whole batch process tree / songs
    one_cpu: list[float] = []  # CPU seconds of each one-file process
    for k in range(runs):
        with tempfile.TemporaryDirectory(prefix="motif-speed-") as tmp:
            args = ["annotate", *map(str, files), "-o", tmp, "--format", "musicxml", "--workers", "1", "--model", str(model), "--json", "--unit", unit]
            r = run_cli(args, code)
            loads.append(r["load_1min_before"])
            batch_cpu.append(r["cpu_s"] / len(files))
            summary = json.loads(r["stdout"])
            for i, res in enumerate(summary["results"]):
                if res["status"] != "ok":
                    raise SystemExit(f"{res['path']}: {res.get('reason')}")
                seconds = sum(res["times"].values())
                in_batch[Path(res["path"]).parent.name].append(seconds)
                if i == 0:
                    first_file.append(seconds)
            batch_cmd = shown(args, files).replace(str(model), "MODEL").replace(tmp, "OUT")
            for f in files:
                out = Path(tmp) / f"{f.parent.name}.musicxml"
                single = ["annotate", str(f), "--format", "musicxml", "-o", str(out), "--model", str(model), "--unit", unit]
                r1 = run_cli(single, code)
                one_shot[f.parent.name].append(r1["wall_s"])
                one_cpu.append(r1["cpu_s"])
                single_cmd = (shown(single, [f]).replace(str(model), "MODEL").replace(str(out), "OUT/NNN.musicxml")
                              .replace(f"(NNN = {f.parent.name})", "(NNN = each of the songs, one process each)"))
        print(f"  musicxml run {k + 1}/{runs}: in batch {statistics.median(v[-1] for v in in_batch.values()):.2f} s/song, "
              f"one file {statistics.median(v[-1] for v in one_shot.values()):.2f} s/song", file=sys.stderr)
    per_song = {name: statistics.median(v) for name, v in in_batch.items()}
    per_song_one = {name: statistics.median(v) for name, v in one_shot.items()}
    median_batch = statistics.median(x for v in in_batch.values() for x in v)
    median_one = statistics.median(x for v in one_shot.values() for x in v)
    return {
        "songs": list(in_batch),
        "batch_command": batch_cmd,
        "one_file_command": single_cmd,
        "in_batch_seconds": in_batch,
        "first_file_of_batch_seconds": first_file,
        "one_file_seconds": one_shot,
        "median": {
            "in_batch_s_per_song": median_batch,
            "one_file_s_per_song": median_one,
            "per_song_in_batch": per_song,
            "per_song_one_file": per_song_one,
            "in_batch_cpu_s_per_song": statistics.median(batch_cpu),
            "one_file_cpu_s": statistics.median(one_cpu),
            "load_1min_before": statistics.median(loads),
        },
        "target_s_per_song": TARGET_XML_SECONDS,
        "meets_target": median_batch < TARGET_XML_SECONDS,
    }


# ---------------------------------------------------------------- context and report


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu": cpu, "platform": platform.platform(), "python": platform.python_version(),
            "booted": _boot_time(), "load_1min_before": os.getloadavg()[0], "packages": _package_versions()}


# what the runtime's speed depends on beyond motif's code: phase 24's and session 27's CPU per song differed by
# 27% with equal code, on two VMs with unrecorded package versions (benchmarks/phase28-speed28.md)
SPEED_PACKAGES = ("numpy", "onnxruntime", "music21", "mido", "scipy", "scikit-learn")


def _package_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in SPEED_PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "absent"
    return found


def _boot_time() -> str:
    """When this machine booted (UTC): runs of one sitting share it; a new VM shows a new one."""
    try:
        for line in Path("/proc/stat").read_text().splitlines():
            if line.startswith("btime "):
                return datetime.fromtimestamp(int(line.split()[1]), timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    except OSError:
        pass
    return ""


def code_info(code: Path) -> dict[str, Any]:
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=code, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return ""

    commit = git("rev-parse", "HEAD")
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "motifcli")
    return {"path": str(code), "commit": commit or None, "motifcli_modified": bool(dirty) if commit else None}


def model_info(path: Path) -> dict[str, Any]:
    info: dict[str, Any] = {"path": str(path), "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    try:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.log_severity_level = 3
        meta = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"]).get_modelmeta()
        from motifcli.contract import ModelCard

        card = ModelCard.from_metadata(dict(meta.custom_metadata_map))
        info.update(method=card.method, version=card.version, encoding=card.spec.encoding,
                    embedding_dim=card.embedding_dim)
        info["onnxruntime"] = ort.__version__
    except Exception as exc:  # noqa: BLE001 - the CLI will say what is wrong with the model
        info["error"] = str(exc)[:200]
    return info


def markdown(res: dict[str, Any]) -> str:
    lines = []
    b, x = res.get("batch"), res.get("musicxml")
    label = f" ({res['label']})" if res.get("label") else ""
    lines.append(f"Model `{res['model']['path']}` ({res['model'].get('method')}, {res['model'].get('version')}); "
                 f"{res['machine']['cpus']} CPUs ({res['machine']['cpu']}); {res['when']}{label}.")
    lines.append("")
    lines.append("| benchmark | median | target | met | runs | load (1 min) |")
    lines.append("|---|---|---|---|---|---|")
    if b:
        m = b["median"]
        lines.append(f"| 100 songs MIDI → MIDI + JSON, `--workers {b['workers']}` | **{m['songs_per_s']:.2f} songs/s** "
                     f"({m['wall_s']:.1f} s wall) | ≥ {b['target_songs_per_s']:g} songs/s | "
                     f"{'yes' if b['meets_target'] else 'no'} | {len(b['runs'])} | {m['load_1min_before']:.2f} |")
        lines.append(f"| same, CPU time of the process tree | {1000 * m['cpu_s_per_song']:.0f} ms/song "
                     f"(idle-machine bound ≈ {m['idle_estimate_songs_per_s']:.1f} songs/s) | | | | |")
    if x:
        m = x["median"]
        lines.append(f"| MIDI → annotated MusicXML, per song in a batch | **{m['in_batch_s_per_song']:.2f} s** | "
                     f"< {x['target_s_per_song']:g} s | {'yes' if x['meets_target'] else 'no'} | "
                     f"{len(x['first_file_of_batch_seconds'])} × {len(x['songs'])} songs | {m['load_1min_before']:.2f} |")
        if "in_batch_cpu_s_per_song" in m:
            lines.append(f"| same, CPU time of the batch process tree / songs | {m['in_batch_cpu_s_per_song']:.2f} s | | | | |")
        lines.append(f"| same, one `motif annotate song.mid` process (start-up included) | {m['one_file_s_per_song']:.2f} s | "
                     f"| | {len(x['first_file_of_batch_seconds'])} × {len(x['songs'])} songs | |")
        if "one_file_cpu_s" in m:
            lines.append(f"| same, CPU time of that process | {m['one_file_cpu_s']:.2f} s | | | | |")
    if b:
        lines.append("")
        lines.append("Time per stage, batch (a): milliseconds per song, summed over the two workers, median of runs")
        lines.append("")
        lines.append("| " + " | ".join(STAGES) + " | total |")
        lines.append("|" + "---|" * (len(STAGES) + 1))
        st = b["median"]["stage_ms_per_song"]
        lines.append("| " + " | ".join(f"{st[s]:.0f}" for s in STAGES) + f" | {sum(st.values()):.0f} |")
        lines.append("| " + " | ".join(f"{100 * st[s] / sum(st.values()):.0f} %" for s in STAGES) + " | 100 % |")
        lines.append("")
        lines.append("(Stage times are wall-clock time inside the workers, so on a loaded machine they include the")
        lines.append("time spent waiting for a CPU; the shares are the useful part there.)")
    lines.append("")
    lines.append("Commands:")
    lines.append("")
    if b:
        lines.append(f"    {b['command']}")
    if x:
        lines.append(f"    {x['batch_command']}")
        lines.append(f"    {x['one_file_command']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=REPO / "exported_models" / "motif-default.onnx",
                        help="ONNX model (default: the shipped exported_models/motif-default.onnx)")
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each measurement (median reported)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--unit", choices=("bar", "note"), default="bar", help="what an occurrence is (the CLI's --unit)")
    parser.add_argument("--only", choices=("batch", "musicxml"), help="run one of the two benchmarks")
    parser.add_argument("--no-model-flag", action="store_true",
                        help="batch: leave --model out of the command (as a user of the default note level runs it: "
                        "the CLI then opens no model at all; an explicit --model is loaded once to check it)")
    parser.add_argument("--code", type=Path, default=REPO, help="the tree whose motifcli is measured (default: this one)")
    parser.add_argument("--label", default="", help="a note stored with the results (e.g. 'before')")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "speed-results.json")
    args = parser.parse_args(argv)
    model = args.model.resolve()
    if not model.is_file():
        raise SystemExit(f"model {model} not found; train/export it or pass --model FILE")
    root = data_root()
    subreaper = become_subreaper()
    res: dict[str, Any] = {
        "benchmark": "motif annotate speed (issue 3)",
        "when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "label": args.label,
        "unit": args.unit,
        "machine": machine(),
        "code": code_info(args.code.resolve()),
        "model": model_info(model),
        "cpu_accounting": "whole process tree (subreaper)" if subreaper else "CLI and its waited-for children only",
        "script": "python benchmarks/speed.py " + " ".join(argv if argv is not None else sys.argv[1:]),
    }
    if args.only in (None, "batch"):
        print("batch: 100 songs, MIDI -> MIDI + JSON", file=sys.stderr)
        res["batch"] = bench_batch(model, args.code.resolve(), args.runs, args.workers,
                                   [song_file(root, n) for n in BATCH_SONGS], args.unit, not args.no_model_flag)
    if args.only in (None, "musicxml"):
        print("MIDI -> annotated MusicXML", file=sys.stderr)
        res["musicxml"] = bench_musicxml(model, args.code.resolve(), args.runs, [song_file(root, n) for n in XML_SONGS], args.unit)
    res["load_1min_after"] = os.getloadavg()[0]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(args.out.name + ".tmp")
    tmp.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, args.out)
    print(markdown(res))


if __name__ == "__main__":
    main()
