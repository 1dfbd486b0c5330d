"""Time of what phase 14 (voices14) touched: MusicXML read + discovery, MIDI read + voice split.

    PYTHONPATH=$TREE python benchmarks/written_voices_speed.py [RUNS]   # run in each tree, compare

Prints the median over RUNS (default 3) of the CPU time of this process (``time.process_time``: on
a machine shared with other jobs, wall time moved 2-3x between runs of the same code) of: reading each MusicXML score of :data:`SCORES` (music21's
corpus) with motif's reader, and discovering on it with the defaults (the shipped model, loaded
once before timing); and reading POP909 songs 100-199 (MIDI) and splitting them into voices.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, os.environ.get("PYTHONPATH", "") or str(Path(__file__).resolve().parents[1]))

SCORES = ("weber/concertino_clarinet", "beach/prayer_of_a_tired_child", "bach/bwv846")


def main() -> None:
    import music21

    import motifcli
    from benchmarks.workers import data_root
    from motifcli.discovery import discover
    from motifcli.readers.midi import read_midi
    from motifcli.voices import split_voices

    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    model = motifcli.load_model()
    for work in SCORES:
        path = str(music21.corpus.getWork(work))
        reads, finds = [], []
        for _ in range(runs):
            t0 = time.process_time()
            score = motifcli.read_score(path)
            t1 = time.process_time()
            families = discover(score, model)
            t2 = time.process_time()
            reads.append(t1 - t0)
            finds.append(t2 - t1)
        print(f"{work}: {score.note_count} notes, read {statistics.median(reads):.3f} s, "
              f"discover {statistics.median(finds):.3f} s, {len(families)} families", flush=True)
    songs = [data_root() / f"{n:03d}" / f"{n:03d}.mid" for n in range(100, 200)]
    split = []
    for _ in range(runs):
        t0 = time.process_time()
        for song in songs:
            split_voices(read_midi(song))
        split.append(time.process_time() - t0)
    print(f"POP909 100-199 read + split_voices: {statistics.median(split):.3f} s", flush=True)
    scores = [read_midi(song) for song in songs]
    alone = []
    for _ in range(runs):
        t0 = time.process_time()
        for score in scores:
            split_voices(score)
        alone.append(time.process_time() - t0)
    print(f"POP909 100-199 split_voices alone: {statistics.median(alone) * 1000:.1f} ms", flush=True)


if __name__ == "__main__":
    main()
