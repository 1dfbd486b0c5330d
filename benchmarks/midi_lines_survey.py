"""Which MIDI staves does the line rule take? (phase 15, midilines15)

    PYTHONPATH=$TREE python benchmarks/midi_lines_survey.py [WINDOW ...]

For each WINDOW (beats; 0 = the sounding count at each onset, main's rule) prints how many staves
:func:`motifcli.streams.line_count` makes 2-4 lines, by corpus: BPS-motif dev (32 staves), POP909
(all songs, 3 tracks each), the 13 chorale reductions of benchmarks/written_voices.py as MIDI (26
staves), the 8 Palestrina pieces of benchmarks/midi_lines.py as MIDI reduction (16) and as one track
(8), Josquin's four-part pieces as MIDI reduction, and bwv846 (WTC I Prelude) as MIDI. BPS and
POP909 staves that fire are named.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, os.environ.get("PYTHONPATH", "") or str(Path(__file__).resolve().parents[1]))


def staves() -> dict[str, list[tuple[str, tuple]]]:
    """corpus -> [(name, (onsets, offsets, pitches))] of every pitched MIDI track."""
    import music21

    import motifcli
    from benchmarks.midi_lines import one_track, pieces
    from benchmarks.workers import data_root
    from benchmarks.written_voices import CHORALES, reduction, satb, vocal_parts
    from motifcli.readers.midi import read_midi

    out: dict[str, list] = {"bps": [], "pop909": [], "chorales": [], "palestrina": [], "palestrina_one": [],
                            "josquin": [], "bwv846": []}
    for path in sorted((data_root().parent / "bps_motif_dev" / "scores").glob("*.mid")):
        out["bps"] += [(f"{path.stem}:{t.index}", t.arrays()) for t in read_midi(path).pitched_tracks()]
    for song in sorted(p for p in data_root().iterdir() if p.is_dir()):
        score = read_midi(song / f"{song.name}.mid")
        out["pop909"] += [(f"{song.name}:{t.name}", t.arrays()) for t in score.pitched_tracks()]
    tmp = Path(tempfile.mkdtemp())
    for name in CHORALES:
        reduction(vocal_parts(music21.corpus.parse(name))).write("midi", fp=str(tmp / "c.mid"))
        out["chorales"] += [(f"{name}:{t.index}", t.arrays()) for t in motifcli.read_score(tmp / "c.mid").pitched_tracks()]
    for name in pieces():
        parts = list(music21.corpus.parse(name).parts)
        reduction(parts).write("midi", fp=str(tmp / "p.mid"))
        out["palestrina"] += [(f"{Path(name).stem}:{t.index}", t.arrays()) for t in motifcli.read_score(tmp / "p.mid").pitched_tracks()]
        satb(parts).write("midi", fp=str(tmp / "s.mid"))
        one_track(tmp / "s.mid", tmp / "o.mid")
        out["palestrina_one"] += [(Path(name).stem, t.arrays()) for t in motifcli.read_score(tmp / "o.mid").pitched_tracks()]
    for path in music21.corpus.getComposer("josquin"):
        work = music21.corpus.parse(path)
        parts = list(work.parts) if hasattr(work, "parts") else []
        if len(parts) != 4:
            continue
        reduction(parts).write("midi", fp=str(tmp / "j.mid"))
        out["josquin"] += [(f"{Path(path).stem}:{t.index}", t.arrays()) for t in motifcli.read_score(tmp / "j.mid").pitched_tracks()]
    music21.corpus.parse("bach/bwv846").write("midi", fp=str(tmp / "b.mid"))
    out["bwv846"] += [(f"bwv846:{t.index}", t.arrays()) for t in motifcli.read_score(tmp / "b.mid").pitched_tracks()]
    return out


def cut_share(arrays: tuple, k: int) -> float:
    """Share of the staff's notes that start while the previous note of their separated line still
    sounds (the separation cut it): near 0 for lines, high for held broken chords and pedalled piano."""
    import numpy as np

    import motifcli.streams as streams

    onsets, offsets, _ = arrays
    lines = streams.separate(*arrays, k, 0.05)
    cut = sum(int(np.sum(onsets[line][1:] < offsets[line][:-1] - 0.05)) for line in lines if len(line) > 1)
    return cut / max(len(onsets), 1)


def main() -> None:
    import motifcli.streams as streams

    windows = [float(w) for w in sys.argv[1:]] or [0.0]
    corpora = staves()
    for w in windows:
        streams.WINDOW = w
        for corpus, items in corpora.items():
            ks = [(name, streams.line_count(*arrays, 0.05), arrays) for name, arrays in items]
            fired = [f"{n}={k}/{cut_share(arrays, k):.2f}" for n, k, arrays in ks if k]
            named = fired if corpus in ("bps", "pop909", "josquin", "bwv846") else ""
            print(f"window {w}: {corpus}: {len(fired)} of {len(ks)} {' '.join(named)}", flush=True)


if __name__ == "__main__":
    main()
