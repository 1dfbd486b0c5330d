"""Phase 24: what a bar model costs on the CPU runtime: the shipped model, the paper-size teacher, its student.

Per model: embedding time of every PIANO bar of the 10 POP909 val songs (one onnxruntime session, the
runtime's ``load_model`` on the CPU with its default threads; median of ``--runs``), and the wall time of
``motif annotate`` on one POP909 song, MIDI -> MIDI + JSON (median of ``--runs`` fresh processes).

    python -m benchmarks.gpu24_speed --model exported_models/motif-default.onnx --model /tmp/g24/paper-long-s0.onnx
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def bar_rolls():  # noqa: ANN201 - numpy array
    from motifcli.encoding import render_rolls
    from training.config import load_config
    from training.data import Split, unlabelled_bars

    spec = load_config("motif_default").encoding
    return render_rolls([b.notes for b in unlabelled_bars(list(Split.load().val), spec, min_notes=1, dedupe=False)], spec)


def embed_seconds(path: Path, rolls, runs: int) -> float:  # noqa: ANN001
    from motifcli.model import load_model

    model = load_model(path, provider="cpu")
    model.embed(rolls[:64])  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        model.embed(rolls)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def annotate_seconds(path: Path, song: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(song), "--model", str(path), "-o", out, "-q"],
                           check=True, cwd=REPO, capture_output=True)
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    from training.data import song_path

    ap = argparse.ArgumentParser(prog="python -m benchmarks.gpu24_speed", description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", action="append", type=Path, required=True)
    ap.add_argument("--song", default="023", help="POP909 song for the annotate timing (a val song)")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    rolls = bar_rolls()
    print(f"| model | file | embed {len(rolls)} val bars (median of {args.runs}) | annotate song {args.song} (median of {args.runs}) |")
    print("|---|---|---|---|")
    for path in args.model:
        e = embed_seconds(path, rolls, args.runs)
        a = annotate_seconds(path, song_path(args.song), args.runs)
        print(f"| {path.name} | {path.stat().st_size / 1e6:.1f} MB | {e * 1000:.0f} ms | {a:.2f} s |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
