"""Where do separated MIDI lines leave their vocal part? (phase 15, midilines15)

    PYTHONPATH=$TREE python benchmarks/midi_lines_probe.py [chorales|palestrina]

Each chorale of benchmarks/written_voices.py (or Palestrina piece of benchmarks/midi_lines.py) is
written by music21 as the two-staff reduction in MIDI (parts 1+2, 3+4) and as the four parts
(MusicXML). Each separated line of a staff is labelled with the part holding most of its notes;
a note of the line not in that part is an error, classed by what its two parts do at its onset:
``cross`` (the upper part sounds below the lower one), ``unison`` (the two parts sounded one pitch
at this or the previous onset of the line), ``rest`` (one of the two parts is silent there), else
``other``. Prints per piece the lines, their notes, errors by class, and lines equal to a part.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, os.environ.get("PYTHONPATH", "") or str(Path(__file__).resolve().parents[1]))


def sounding(part: list[tuple[float, float, int]], t: float) -> int | None:
    """The pitch the part sounds at time ``t`` (its note starting last at or before t), or None."""
    best = None
    for on, off, p in part:
        if on <= t + 1e-6 < off:
            best = p
    return best


def main() -> None:
    import music21

    import motifcli
    from benchmarks.written_voices import CHORALES, reduction, vocal_parts
    from motifcli.voices import split_voices

    import motifcli.streams as streams
    for pair in os.environ.get("PROBE_SET", "").split():  # e.g. PROBE_SET="BEAM=0 CROSSED=6": module constants to try
        key, value = pair.split("=")
        setattr(streams, key, type(getattr(streams, key))(value))
    which = sys.argv[1] if len(sys.argv) > 1 else "chorales"
    if which == "chorales":
        names = list(CHORALES)
        get = lambda n: vocal_parts(music21.corpus.parse(n))  # noqa: E731
    else:
        from benchmarks.midi_lines import pieces
        names = pieces()
        get = lambda n: list(music21.corpus.parse(n).parts)  # noqa: E731
    tmp = Path(tempfile.mkdtemp())
    total: Counter = Counter()
    for name in names:
        parts = get(name)
        dest = tmp / f"{Path(name).stem}.mid"
        reduction(parts).write("midi", fp=str(dest))
        score = motifcli.read_score(dest)
        refs = []
        for p in parts:
            refs.append([(round(float(n.offset), 4), round(float(n.offset + n.quarterLength), 4), n.pitch.midi)
                         for n in p.flatten().notes if not n.isChord and (n.tie is None or n.tie.type == "start")])
        counts: Counter = Counter()
        staves = [t.index for t in score.pitched_tracks()]
        for v in split_voices(score):
            notes = score.tracks[v.track].notes
            pair = (0, 1) if v.track == staves[0] else (2, 3)
            line = [(round(notes[i].onset, 4), notes[i].pitch) for i in v.note_indices]
            sets = [{(on, p) for on, _, p in refs[k]} for k in pair]
            own = max(range(2), key=lambda j: len(sets[j] & set(line)))
            counts["lines"] += 1
            counts["notes"] += len(line)
            bad = [x for x in line if x not in sets[own]]
            if not bad and len(line) == len(sets[own]):
                counts["exact"] += 1
            counts["missing"] += len(sets[own] - set(line))
            for on, p in bad:
                hi, lo = (sounding(refs[pair[0]], on), sounding(refs[pair[1]], on))
                prev = [x for x in line if x[0] < on]
                before = prev[-1][0] if prev else None
                was = (sounding(refs[pair[0]], before), sounding(refs[pair[1]], before)) if before is not None else (None, None)
                if hi is None or lo is None:
                    kind = "rest"
                elif hi < lo:
                    kind = "cross"
                elif hi == lo or (was[0] is not None and was[0] == was[1]):
                    kind = "unison"
                else:
                    kind = "other"
                counts[kind] += 1
                if os.environ.get("PROBE_VERBOSE"):
                    print(f"  {Path(name).stem} track {v.track} voice {v.voice} own {pair[own]} at {on} pitch {p}: {kind} (hi {hi} lo {lo})")
        print(Path(name).stem, dict(counts), flush=True)
        total.update(counts)
    print("total", dict(total))


if __name__ == "__main__":
    main()
