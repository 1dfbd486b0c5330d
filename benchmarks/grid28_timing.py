"""How long ``meter_map_for`` takes on each path through a MIDI file's time signatures, and how many accent
grids, quantised checks, note extractions and ranker scorings one call makes (session 28, benchmarks/phase28-grid28.md).

    PYTHONPATH=$TREE python benchmarks/grid28_timing.py WORKDIR [RUNS]

WORKDIR is ``benchmarks/score_midi28.py``'s (music21's and MuseScore's MIDI of corpus pieces); POP909 song
107 (a tune song: its 3/4 is refused) is read from /work/shared/data. Each file is read once; one warm-up
call, then RUNS (default 7) timed calls in this process: the median in ms, the map's source, and the counts
of ``accent_grid``, ``is_quantised``, ``note_arrays`` and ``meter_ranker.score`` calls in one call (counting
wrappers, installed after the timed calls).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, os.environ.get("PYTHONPATH", "") or str(Path(__file__).resolve().parents[1]))

FILES = (  # (path in WORKDIR or absolute, the path meter_map_for takes)
    ("mozart_k545_movement1.m21.mid", "accepted from tick 0"),
    ("bach_bwv86.6.mscore.mid", "accepted, declared pickup"),
    ("bach_bwv86.6.m21.mid", "missed pickup"),
    ("joplin_maple_leaf_rag.m21.mid", "shifted"),
    ("/work/shared/data/pop909/107/107.mid", "refused (POP909)"),
)


def counts(score, scores_only: bool = False):  # -> (dict[str, int], MeterMap)
    """Calls of the grid, the quantised check, the note extraction and the ranker's scoring in one
    ``meter_map_for`` call, and the map it gave. ``scores_only``: count ``note_arrays`` only where it reads a Score (its calls on
    arrays already cleaned are cheap copies), as tests/test_meter_grid_once.py asks."""
    from unittest import mock

    from motifcli import downbeats, meter_estimate, meter_ranker, meter_signatures

    seen = {"accent_grid": 0, "is_quantised": 0, "note_arrays": 0, "ranker": 0}

    def wrap(name, fn, only_scores=False):
        def counted(*a, **k):
            if not only_scores or hasattr(a[0], "tracks"):
                seen[name] += 1
            return fn(*a, **k)
        return counted

    with mock.patch.object(meter_estimate, "accent_grid", wrap("accent_grid", meter_estimate.accent_grid)), \
            mock.patch.object(meter_signatures, "accent_grid", wrap("accent_grid", meter_signatures.accent_grid)), \
            mock.patch.object(meter_estimate, "is_quantised", wrap("is_quantised", meter_estimate.is_quantised)), \
            mock.patch.object(meter_signatures, "is_quantised", wrap("is_quantised", meter_signatures.is_quantised)), \
            mock.patch.object(downbeats, "note_arrays", wrap("note_arrays", downbeats.note_arrays, scores_only)), \
            mock.patch.object(meter_ranker, "score", wrap("ranker", meter_ranker.score)):
        got = meter_signatures.meter_map_for(score)
    return seen, got


def main(work: str, runs: int = 7) -> None:
    from motifcli.meter_signatures import meter_map_for
    from motifcli.readers.midi import read_midi

    for name, path in FILES:
        score = read_midi(name if name.startswith("/") else str(Path(work) / name))
        meter_map_for(score)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            m = meter_map_for(score)
            times.append(time.perf_counter() - t)
        c, _ = counts(score)
        print(f"{Path(name).name:32s} {path:26s} {statistics.median(times) * 1000:6.1f} ms  {m.source:9s} "
              f"grids {c['accent_grid']}  quantised {c['is_quantised']}  note_arrays {c['note_arrays']}  "
              f"ranker scores {c['ranker']}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 7)
