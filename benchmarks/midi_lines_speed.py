"""Is the separation of a MIDI staff into lines linear in its notes? (phase 15, midilines15)

    PYTHONPATH=$TREE python benchmarks/midi_lines_speed.py [RUNS]
    PYTHONPATH=$TREE python benchmarks/midi_lines_speed.py --pop909 [RUNS]   # line_count on POP909 100-199

A chorale reduction's lower staff (bwv1.6 tenor + bass, written as MIDI by music21, read by motif)
its four parts as one staff (4 lines), a four-voice Palestrina Agnus as one staff, and the lower staff
of its two-track reduction (``resting``: tenor + bass resting for bars, phase 16) are repeated
end to end to about 2,500 / 5,000 / 10,000 / 20,000 notes; prints, per size, the median CPU time
(``time.process_time``, RUNS runs, default 3) and the peak traced memory (``tracemalloc``) of
:func:`motifcli.voices.pitch_lines` (line count + separation), and the lines it gives.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, os.environ.get("PYTHONPATH", "") or str(Path(__file__).resolve().parents[1]))


def staff(kind: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(onsets, offsets, pitches) of the staff repeated below."""
    import music21

    import motifcli
    from benchmarks.written_voices import reduction, satb, vocal_parts

    tmp = Path(tempfile.mkdtemp())
    if kind == "chorale":
        reduction(vocal_parts(music21.corpus.parse("bach/bwv1.6"))).write("midi", fp=str(tmp / "x.mid"))
        track = motifcli.read_score(tmp / "x.mid").pitched_tracks()[1]
        return track.arrays()
    from benchmarks.midi_lines import one_track, pieces

    if kind == "resting":  # the lower staff of the first Palestrina piece's two-track reduction (phase 16: voices resting)
        reduction(list(music21.corpus.parse(pieces()[0]).parts)).write("midi", fp=str(tmp / "x.mid"))
        return motifcli.read_score(tmp / "x.mid").pitched_tracks()[1].arrays()
    parts = vocal_parts(music21.corpus.parse("bach/bwv1.6")) if kind == "chorale4" else list(music21.corpus.parse(pieces()[0]).parts)
    satb(parts).write("midi", fp=str(tmp / "s.mid"))
    one_track(tmp / "s.mid", tmp / "x.mid")
    return motifcli.read_score(tmp / "x.mid").pitched_tracks()[0].arrays()


def pop909(runs: int) -> None:
    """CPU time of :func:`motifcli.streams.line_count` on the 300 tracks of POP909 songs 100-199 (read
    once): what every MIDI track pays (median of RUNS, with each run's figure)."""
    from benchmarks.workers import data_root
    from motifcli.readers.midi import read_midi
    from motifcli.streams import line_count

    tracks = [t.arrays() for n in range(100, 200)
              for t in read_midi(data_root() / f"{n:03d}" / f"{n:03d}.mid").pitched_tracks()]
    cpu = []
    for _ in range(runs):
        t0 = time.process_time()
        fired = sum(line_count(*arrays, 0.05) > 0 for arrays in tracks)
        cpu.append(time.process_time() - t0)
    print(f"POP909 100-199, {len(tracks)} tracks: line_count {statistics.median(cpu) * 1000:.1f} ms CPU "
          f"(runs {' '.join(f'{c * 1000:.1f}' for c in cpu)}), {fired} fire", flush=True)


def main() -> None:
    from motifcli.voices import pitch_lines

    if sys.argv[1:2] == ["--pop909"]:
        pop909(int(sys.argv[2]) if len(sys.argv) > 2 else 7)
        return
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    for kind in ("chorale", "chorale4", "palestrina", "resting"):
        on, off, pi = staff(kind)
        span = float(off.max()) + 4.0
        for size in (2500, 5000, 10000, 20000):
            times = -(-size // len(on))
            o = np.concatenate([on + span * t for t in range(times)])[:size]
            f = np.concatenate([off + span * t for t in range(times)])[:size]
            p = np.tile(pi, times)[:size]
            cpu = []
            for _ in range(runs):
                t0 = time.process_time()
                lines = pitch_lines(0, o, f, p)
                cpu.append(time.process_time() - t0)
            tracemalloc.start()
            pitch_lines(0, o, f, p)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            print(f"{kind} {size} notes: {statistics.median(cpu):.3f} s CPU (runs {' '.join(f'{c:.3f}' for c in cpu)}), "
                  f"peak {peak / 2**20:.1f} MiB, lines {[(v.voice, len(v)) for v in lines]}", flush=True)


if __name__ == "__main__":
    main()
