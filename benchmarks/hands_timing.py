"""Per one-track file: how often and how long the hand split runs in one run, and the median time of a run.

    PYTHONPATH=$PWD python -m benchmarks.hands_timing RUNS FILE...

Per file: ``motifcli.annotate`` (the defaults) and ``writers.musicxml.render`` in-process, RUNS times after a
warm-up run; ``motifcli.hands.split_counted`` is wrapped to count its calls and sum their time (session 19 split a
one-track keyboard file in discovery, the names and the notation: 3 calls; session 20 once: phase20-hands20.md).
Runs in any tree (``PYTHONPATH`` picks it).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

import motifcli
import motifcli.hands
from motifcli.settings import Settings
from motifcli.writers import musicxml

CALLS: list[float] = []  # seconds of each split call in the current run


def main(runs: int, files: list[str]) -> None:
    own = motifcli.hands.split_counted

    def counted(*args: Any, **kwargs: Any) -> Any:
        t = time.perf_counter()
        out = own(*args, **kwargs)
        CALLS.append(time.perf_counter() - t)
        return out

    motifcli.hands.split_counted = counted
    for name in files:
        score = motifcli.read_score(Path(name))
        motifcli.annotate(score, None, Settings())  # warm: imports, the model if the piece opens it
        annotate_s, total_s, split_s, calls = [], [], [], 0
        for _ in range(runs):
            CALLS.clear()
            t0 = time.perf_counter()
            annotation = motifcli.annotate(score, None, Settings())
            t1 = time.perf_counter()
            musicxml.render(annotation, score)
            annotate_s.append(t1 - t0)
            total_s.append(time.perf_counter() - t0)
            split_s.append(sum(CALLS))
            calls = len(CALLS)
        notes = sum(len(t.notes) for t in score.pitched_tracks())
        print(f"{Path(name).name}: {notes} notes, split calls per run {calls} ({statistics.median(split_s):.3f} s), "
              f"annotate {statistics.median(annotate_s):.3f} s, annotate + MusicXML "
              f"{statistics.median(total_s):.3f} s (median of {runs})", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2:])
