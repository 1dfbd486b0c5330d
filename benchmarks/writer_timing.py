"""Writer time per format and JSON size, median of N runs, for the bar-level annotation of a few scores.

Run with one source tree on PYTHONPATH (e.g. before and after a writer change) and compare:

    PYTHONPATH=<tree> python benchmarks/writer_timing.py [--runs 5] [--dump families.json]

``--dump`` also writes every family (name, colour, occurrences: track, beats, bars, similarity,
note indices) so two trees can be checked for identical bar-level results with ``cmp``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import music21

import motifcli
from motifcli import writers

SONGS = ("021", "101", "250", "500", "909")
WORKS = ("bach/bwv1.6", "bach/bwv66.6", "joplin/maple_leaf_rag")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--data", type=Path, default=None, help="POP909 folder (default: the data folder's pop909/)")
    args = parser.parse_args()
    model = motifcli.load_model()
    if args.data is None:
        from training.datafolder import data_root

        args.data = data_root() / "pop909"
    paths = [str(args.data / s / f"{s}.mid") for s in SONGS] + [str(music21.corpus.getWork(w)) for w in WORKS]
    families = {}
    times: dict[str, list[float]] = {f: [] for f in writers.FORMATS}
    json_bytes = 0
    with tempfile.TemporaryDirectory() as tmp:
        for p in paths:
            score = motifcli.read_score(p)
            for sens in (0.3, 0.5):
                ann = motifcli.annotate(score, model, sensitivity=sens)
                families[f"{Path(p).name}@{sens}"] = [
                    (m.name, m.color, [(o.label, o.track, o.start, o.end, o.start_bar, o.end_bar,
                                        round(o.similarity, 9), list(o.note_indices)) for o in m.occurrences])
                    for m in ann.motifs
                ]
            ann = motifcli.annotate(score, model)
            for fmt in writers.FORMATS:
                dest = Path(tmp) / writers.output_name(p, fmt)
                runs = []
                for _ in range(args.runs):
                    t0 = time.perf_counter()
                    writers.write(ann, score, fmt, dest)
                    runs.append(time.perf_counter() - t0)
                times[fmt].append(statistics.median(runs))
                if fmt == "json":
                    json_bytes += dest.stat().st_size
    for fmt, per_score in times.items():
        print(f"{fmt:9s} total of per-score medians over {len(paths)} scores: {sum(per_score):.3f} s")
    print(f"json bytes (default sensitivity, {len(paths)} scores): {json_bytes}")
    print(f"families: {sum(len(v) for v in families.values())} in {len(families)} runs")
    if args.dump:
        args.dump.write_text(json.dumps(families))


if __name__ == "__main__":
    main()
