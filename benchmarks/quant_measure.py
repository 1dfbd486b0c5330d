"""Fidelity, speed, size and start-up of quantised / distilled encoders against the shipped fp32 model.

For each candidate ONNX file (phase 8, issue 10 item 2; ``training/quantise.py``, ``training/distil.py``):

- fidelity on the PIANO bars of the POP909 *val* songs: cosine between the reference's and the
  candidate's embeddings (whole output, and its learned latent alone: the first ``latent`` columns,
  the rest is the raw-roll skip, which no quantisation touches), per bar, median and minimum;
- grouping agreement: each val song through the real runtime (``training.calibrate.PipelineMethod``:
  read, segment on the labels' bar grid, embed, group at the card's threshold), the adjusted Rand
  index between the candidate's and the reference's families of the labelled bars, mean over songs;
  and the usual ARI against the motif labels (the calibration criterion);
- speed: onnxruntime on one intra-op thread (as the batch workers run it), ms per 100 bars embedding
  the val bars in the runtime's batches of 64, CPU time, median of ``--runs`` interleaved rounds
  after a warm-up; session open (``load_model``: session, card check, probe batch), CPU ms, median
  of ``--runs``; file size;
- with ``--songs N``: bars embedded and CPU ms spent inside the model per POP909 song of the batch
  benchmark (songs 100, 101, ...), annotated as a worker does (interleaved rounds, median).

    python -m benchmarks.quant_measure --model exported_models/motif-default.onnx \
        --model /tmp/q8/dynamic.onnx --json benchmarks/results/quant8-measure.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from motifcli.encoding import render_rolls  # noqa: E402
from motifcli.model import load_model  # noqa: E402

LATENT = 128  # the shipped model's learned part (exported_models/README.md: 128-d latent, then the roll)


def val_rolls(spec) -> np.ndarray:  # noqa: ANN001
    """Every PIANO bar (>= 1 note, duplicates kept) of the POP909 val songs, on the downbeat grid."""
    from training.data import Split, unlabelled_bars

    bars = unlabelled_bars(list(Split.load().val), spec, min_notes=1, dedupe=False)
    return render_rolls([b.notes for b in bars], spec)


def _cos(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)
    b = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-12)
    return (a * b).sum(axis=1)


def timings(paths: list[Path], rolls: np.ndarray, rounds: int) -> dict[str, dict[str, float]]:
    """Per model: median CPU ms per 100 bars (1 thread, batches of 64) and median CPU ms to open it.

    Interleaved (every round times every model once), and CPU time (``time.process_time``) rather
    than wall time: on the shared 2-core machine the load changes within a minute, and wall time
    measured one model after another mostly measures the neighbours."""
    opens: dict[Path, list[float]] = {p: [] for p in paths}
    runs: dict[Path, list[float]] = {p: [] for p in paths}
    models = {}
    for _ in range(rounds):
        for path in paths:
            t0 = time.process_time()
            models[path] = load_model(path, provider="cpu", threads=1)
            opens[path].append((time.process_time() - t0) * 1000)
    for path in paths:
        models[path].embed(rolls[:64])  # warm-up
    for _ in range(rounds):
        for path in paths:
            t0 = time.process_time()
            models[path].embed(rolls)
            runs[path].append((time.process_time() - t0) * 1000 / len(rolls) * 100)
    return {str(p): {"ms_per_100_bars": statistics.median(runs[p]), "ms_per_100_bars_runs": runs[p],
                     "open_ms": statistics.median(opens[p]), "open_ms_runs": opens[p]} for p in paths}


class TimedSession:
    """An onnxruntime session that adds up the CPU time and the rows of its runs (a worker's model share)."""

    def __init__(self, session) -> None:  # noqa: ANN001
        self.session, self.cpu, self.rows = session, 0.0, 0

    def run(self, outputs, feed):  # noqa: ANN001, ANN201
        t0 = time.process_time()
        result = self.session.run(outputs, feed)
        self.cpu += time.process_time() - t0
        self.rows += len(next(iter(feed.values())))
        return result

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self.session, name)


def song_share(paths: list[Path], count: int, rounds: int) -> dict[str, dict[str, float]]:
    """Per model: bars embedded and CPU ms inside the model per POP909 song of the batch benchmark
    (``benchmarks.workers.songs``: 100, 101, ...), annotating as a worker does (default settings, one
    intra-op thread); median over ``rounds`` interleaved rounds of the per-song mean."""
    from benchmarks.workers import songs
    from motifcli.model import LazyModel
    from motifcli.options import build_settings
    from motifcli.pipeline import annotate
    from motifcli.readers import read_score

    settings = build_settings()
    scores = [read_score(p, settings.limits) for p in songs(count)]
    models = {p: load_model(p, provider="cpu", threads=1) for p in paths}
    ms: dict[Path, list[float]] = {p: [] for p in paths}
    bars: dict[Path, float] = {}
    for _ in range(rounds):
        for path, model in models.items():
            timed = TimedSession(model.session)
            model.session = timed
            for score in scores:
                annotate(score, LazyModel(loaded=model), settings)
            model.session = timed.session
            ms[path].append(timed.cpu * 1000 / len(scores))
            bars[path] = timed.rows / len(scores)
    return {str(p): {"model_ms_per_song": statistics.median(ms[p]), "model_ms_per_song_runs": ms[p],
                     "bars_per_song": bars[p]} for p in paths}


def grouping(reference: Path, candidate: Path, songs: list) -> dict[str, float]:  # noqa: ANN001
    """Mean ARI (candidate vs reference families; candidate vs labels) at each model's own threshold."""
    from sklearn.metrics import adjusted_rand_score

    from training.calibrate import PipelineMethod

    ref, cand = PipelineMethod(reference), PipelineMethod(candidate)
    vs_ref, vs_truth = [], []
    for song in songs:
        a = ref.predict(song, ref.model.grouping_threshold)
        b = cand.predict(song, cand.model.grouping_threshold)
        vs_ref.append(adjusted_rand_score(a.astype(str), b.astype(str)))
        vs_truth.append(adjusted_rand_score(song.truth, b.astype(str)))
    return {"ari_vs_reference": float(np.mean(vs_ref)), "ari_vs_reference_min": float(np.min(vs_ref)),
            "ari_vs_labels": float(np.mean(vs_truth))}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", action="append", type=Path, required=True, help="candidates (the first is also scored)")
    ap.add_argument("--reference", type=Path, default=REPO / "exported_models" / "motif-default.onnx")
    ap.add_argument("--runs", type=int, default=7, help="interleaved timing rounds")
    ap.add_argument("--no-grouping", action="store_true")
    ap.add_argument("--songs", type=int, default=0, help="also the model's CPU ms per POP909 song (this many songs)")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    from training.calibrate import load_song
    from training.data import Split

    ref = load_model(args.reference, provider="cpu", threads=1)
    rolls = val_rolls(ref.spec)
    ref_emb = ref.embed(rolls)
    songs = [load_song(s, ref.spec) for s in Split.load().val]
    rows = {}
    speed = timings(args.model, rolls, args.runs)
    share = song_share(args.model, args.songs, args.runs) if args.songs else {}
    print(f"{len(rolls)} PIANO bars of {len(songs)} POP909 val songs; reference {args.reference.name}")
    print("| model | size KB | open CPU ms | CPU ms/100 bars (1 thread) | cos median | cos min | latent cos median | "
          "latent cos min | ARI vs fp32 | ARI vs labels | bars/song | model CPU ms/song |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for path in args.model:
        model = load_model(path, provider="cpu", threads=1)
        emb = model.embed(rolls)
        row: dict[str, object] = {"size_kb": path.stat().st_size / 1024, "metadata": model.metadata}
        if emb.shape == ref_emb.shape:
            whole, latent = _cos(emb, ref_emb), _cos(emb[:, :LATENT], ref_emb[:, :LATENT])
            row.update(cos_median=float(np.median(whole)), cos_min=float(whole.min()),
                       latent_cos_median=float(np.median(latent)), latent_cos_min=float(latent.min()))
        row.update(speed[str(path)])
        row.update(share.get(str(path), {}))
        if not args.no_grouping:
            row.update(grouping(args.reference, path, songs))
        rows[str(path)] = row
        g = lambda k, f: format(row[k], f) if k in row else "-"  # noqa: E731
        print(f"| {path.name} | {g('size_kb', '.0f')} | {g('open_ms', '.1f')} | {g('ms_per_100_bars', '.2f')} | "
              f"{g('cos_median', '.5f')} | {g('cos_min', '.5f')} | {g('latent_cos_median', '.4f')} | "
              f"{g('latent_cos_min', '.4f')} | {g('ari_vs_reference', '.3f')} | {g('ari_vs_labels', '.3f')} | "
              f"{g('bars_per_song', '.0f')} | {g('model_ms_per_song', '.1f')} |")
    if args.json:
        cmd = "python -m benchmarks.quant_measure " + " ".join(sys.argv[1:])
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"command": cmd, "bars": len(rolls), "songs": [s.song for s in songs],
                                         "results": rows}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
