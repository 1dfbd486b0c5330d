"""Count lyrics that share a tick with another lyric of the same track, in motif's --lyrics output (phase26-markers26.md).

    PYTHONPATH=$PWD python benchmarks/lyrics_at_one_tick.py FILE.mid...
"""
import subprocess, sys, tempfile
from collections import Counter
from pathlib import Path
import mido

for src in map(Path, sys.argv[1:]):
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(src), "-o", f"{tmp}/", "-q", "-f", "midi",
                        "--lyrics"], check=True)
        midi = mido.MidiFile(Path(tmp) / f"{src.stem}.motifs.mid")
    per = Counter()
    total = 0
    for i, track in enumerate(midi.tracks):
        tick = 0
        for msg in track:
            tick += msg.time
            if msg.type == "lyrics" and msg.text.startswith("Motif "):
                per[i, tick] += 1
                total += 1
    shared = sum(n for n in per.values() if n > 1)
    print(f"{src.name}: {total} lyrics, {shared} share their track's tick with another, "
          f"{sum(1 for n in per.values() if n > 1)} such ticks")
