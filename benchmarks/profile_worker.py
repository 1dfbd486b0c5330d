"""Where one batch worker's CPU goes on POP909: cProfile over the exact per-song path of ``--workers 2``.

    PYTHONPATH=$PWD python benchmarks/profile_worker.py --count 20 --top 40
    PYTHONPATH=$PWD python benchmarks/profile_worker.py --count 20 --no-profile   # plain timing only
    PYTHONPATH=/tmp/speed6/before python benchmarks/profile_worker.py --no-profile  # another tree
    PYTHONPATH=$PWD python benchmarks/profile_worker.py --stages       # CPU ms/song of each stage
    PYTHONPATH=$PWD python benchmarks/profile_worker.py --stages --model CANDIDATE.onnx  # another encoder

Sets a worker up as ``batch_pool._init_worker`` does for two workers on two cores (BLAS limited to
one thread, a ``LazyModel`` of the shipped model with one intra-op thread, provider cpu), then runs
``batch.process`` (read, annotate, write MIDI + JSON into a temporary folder) on POP909 songs
100, 101, ... in one process. Prints the per-stage seconds of the FileResults, the wall and CPU
time per song, and (unless ``--no-profile``) the top cumulative and self-time entries, timed by
CPU (``time.process_time``), since wall time on a shared machine mostly measures the neighbours.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--sort", default="cumulative", help="pstats key for the first table")
    parser.add_argument("--stages", action="store_true", help="CPU per stage (read, annotate, JSON, MIDI), no files")
    parser.add_argument("--model", type=Path, default=None, help="this ONNX encoder instead of the shipped one")
    args = parser.parse_args(argv)
    sys.path.append(str(REPO))  # after PYTHONPATH: profile whichever tree PYTHONPATH names
    if args.stages:
        stage_cpu(args.count, args.model)
        return
    from benchmarks.workers import songs
    from motifcli import batch
    from motifcli.batch_plan import Source, plan
    from motifcli.batch_pool import _limit_blas_threads
    from motifcli.model import LazyModel, default_model_path
    from motifcli.options import build_settings

    files = songs(args.count)
    _limit_blas_threads(1)
    model = LazyModel(args.model or default_model_path(), provider="cpu", threads=1)
    settings = build_settings()
    with tempfile.TemporaryDirectory() as out:
        jobs = plan([Source(p, p.parent) for p in files], ["midi", "json"], Path(out))
        profiler = None if args.no_profile else cProfile.Profile(time.process_time)  # CPU: the machine is shared
        wall0, cpu0 = time.perf_counter(), time.process_time()
        if profiler is not None:
            profiler.enable()
        results = [batch.process(job, model, settings) for job in jobs]
        if profiler is not None:
            profiler.disable()
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    bad = [r for r in results if r.status != "ok"]
    if bad:
        raise SystemExit(f"failed: {bad[0].path}: {bad[0].reason}")
    stages: dict[str, float] = {}
    for r in results:
        for k, v in r.times.items():
            stages[k] = stages.get(k, 0.0) + v
    n = len(results)
    print(f"{n} songs: wall {wall:.2f} s ({wall / n * 1000:.0f} ms/song), CPU {cpu:.2f} s ({cpu / n * 1000:.0f} ms/song)")
    print("stages (ms/song): " + ", ".join(f"{k} {v / n * 1000:.1f}" for k, v in stages.items()))
    if profiler is not None:
        for key in (args.sort, "tottime"):
            buf = io.StringIO()
            pstats.Stats(profiler, stream=buf).sort_stats(key).print_stats(args.top)
            print(buf.getvalue())


def stage_cpu(count: int, model_path: Path | None = None) -> None:
    """CPU ms per song of reading, annotating (discovery, texture, model), rendering the JSON and
    rendering + encoding the MIDI, in memory (no files, no fsync), in a worker's set-up."""
    import io

    from benchmarks.workers import songs
    from motifcli.batch_pool import _limit_blas_threads
    from motifcli.model import LazyModel, default_model_path
    from motifcli.options import build_settings
    from motifcli.pipeline import annotate
    from motifcli.readers import read_score
    from motifcli.writers import json_out
    from motifcli.writers import midi as midi_out

    _limit_blas_threads(1)
    model = LazyModel(model_path or default_model_path(), provider="cpu", threads=1)
    settings = build_settings()
    spent: dict[str, float] = {}

    def timed(name: str, work):  # noqa: ANN001, ANN202
        t0 = time.process_time()
        result = work()
        spent[name] = spent.get(name, 0.0) + time.process_time() - t0
        return result

    def midi_bytes(annotation, score):  # noqa: ANN001, ANN202 - what writers.midi.write does, minus the file
        midi = midi_out.render(annotation, score)
        fast = getattr(midi_out, "encode_fast", None)  # absent before speed6
        if fast is not None and (data := fast(midi)) is not None:
            return data
        buf = io.BytesIO()
        midi.save(file=buf)
        return buf.getvalue()

    files = songs(count)
    for path in files:
        score = timed("read", lambda: read_score(path, settings.limits))
        annotation = timed("annotate", lambda: annotate(score, model, settings))
        timed("json", lambda: json_out.render(annotation, score))
        timed("midi", lambda: midi_bytes(annotation, score))
    total = sum(spent.values())
    print(f"{len(files)} songs, CPU ms/song: " + ", ".join(f"{k} {v / len(files) * 1000:.1f}" for k, v in spent.items())
          + f", total {total / len(files) * 1000:.1f} (the annotate figure holds the model's one-time open)")


if __name__ == "__main__":
    main()
