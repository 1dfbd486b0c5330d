"""Which part's statements does a MIDI Palestrina find? (phase 15, midilines15)

    PYTHONPATH=$TREE python benchmarks/midi_lines_parts.py

For the pieces of benchmarks/midi_lines.py (first eight), the four parts' statements (MusicXML,
discovered with the defaults) counted per part, and how many of them are found (75% of their notes
in one statement) in the two-track MIDI reduction (``k``) and in the one-track MIDI file (``o``):
why one track of four voices found more than its two-track reduction (phase15-midilines15.md).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, os.environ.get("PYTHONPATH", "") or str(Path(__file__).resolve().parents[1]))


def main() -> None:
    import music21

    import motifcli
    from benchmarks.midi_lines import one_track, pieces
    from benchmarks.written_voices import reduction, satb
    from motifcli.discovery import discover
    from motifcli.model import LazyModel

    lazy = LazyModel()
    tmp = Path(tempfile.mkdtemp())
    total: Counter = Counter()
    for path in pieces():
        parts = list(music21.corpus.parse(path).parts)
        satb(parts).write("musicxml", fp=str(tmp / "s.musicxml"))
        reduction(parts).write("midi", fp=str(tmp / "k.mid"))
        satb(parts).write("midi", fp=str(tmp / "s.mid"))
        one_track(tmp / "s.mid", tmp / "o.mid")
        ref = motifcli.read_score(tmp / "s.musicxml")
        theirs = [(o.track, frozenset((round(n.onset, 4), n.pitch) for n in o.notes))
                  for f in discover(ref, lazy) for o in f.occurrences]
        for kind in ("k", "o"):
            ours = [frozenset((round(n.onset, 4), n.pitch) for n in o.notes)
                    for f in discover(motifcli.read_score(tmp / f"{kind}.mid"), lazy) for o in f.occurrences]
            for part, notes in theirs:
                total[(kind, "part", part)] += 1
                total[(kind, "found", part)] += any(len(notes & m) >= 0.75 * len(notes) for m in ours)
    for kind in ("k", "o"):
        print(kind, "found / statements per part:",
              [f"{total[(kind, 'found', p)]}/{total[(kind, 'part', p)]}" for p in sorted({p for _, _, p in total})])


if __name__ == "__main__":
    main()
