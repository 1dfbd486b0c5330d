"""Does a MIDI keyboard reduction of four-voice polyphony find what its four parts find? (phase 14, midivoices14)

    PYTHONPATH=$TREE python benchmarks/midi_lines.py OUT.json [FIRST]  # run in each tree, then compare

music21's corpus has no fugue or invention (only WTC I's Prelude in C, ``bach/bwv846``), so the
contrapuntal case is Renaissance polyphony: the first ``COUNT`` four-part pieces of the corpus's
Palestrina masses (voices that rest, enter apart and cross more than a chorale's). Each is
written by music21 as the four parts (MusicXML) and as the reduction of
benchmarks/written_voices.py written as **MIDI** (a track per staff, parts 1+2 and 3+4, no voices),
and also as one MIDI track holding all four parts (``one``). Scored as written_voices.py does:
statements of the four parts found (75% of their notes) in the MIDI file's statements, and lines
that are one part note for note; ``in_one_line``: each part's notes (onset, pitch) found in the one
line holding most of them, summed (of ``parts_notes``: how whole the parts stay as lines). Also ``bach/bwv846`` as MIDI: the lines of each hand.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, os.environ.get("PYTHONPATH", "") or str(Path(__file__).resolve().parents[1]))

COUNT = 8


def pieces(first: int = 0) -> list[str]:
    """``COUNT`` Palestrina pieces of exactly four parts, in the corpus's order, from the ``first``-th
    (0: the pieces of phase 14; 8: the next eight, held out in phase 15)."""
    import music21

    out = []
    for path in sorted(str(p) for p in music21.corpus.getPaths() if "/palestrina/" in str(p)):
        if len(music21.corpus.parse(path).parts) == 4:
            out.append(path)
        if len(out) == first + COUNT:
            break
    return out[first:]


def one_track(src: Path, dest: Path) -> None:
    """The MIDI file's tracks merged into one (tempo and notes alike): four voices, one staff."""
    import mido

    mid = mido.MidiFile(src)
    out = mido.MidiFile(ticks_per_beat=mid.ticks_per_beat)
    out.tracks.append(mido.merge_tracks(mid.tracks))
    out.save(dest)


def main() -> None:
    import music21

    import motifcli
    from benchmarks.written_voices import found_share, reduction, satb, statements
    from motifcli.discovery import discover
    from motifcli.model import LazyModel
    from motifcli.voices import split_voices

    lazy = LazyModel()
    tmp = Path(tempfile.mkdtemp())
    rows: list[dict[str, Any]] = []
    for path in pieces(int(sys.argv[2]) if len(sys.argv) > 2 else 0):
        parts = list(music21.corpus.parse(path).parts)
        name = Path(path).stem
        four = tmp / f"{name}-satb.musicxml"
        satb(parts).write("musicxml", fp=str(four))
        reduction(parts).write("midi", fp=str(tmp / f"{name}-keys.mid"))
        satb(parts).write("midi", fp=str(tmp / f"{name}-satb.mid"))
        one_track(tmp / f"{name}-satb.mid", tmp / f"{name}-one.mid")
        ref = motifcli.read_score(four)
        theirs = statements(discover(ref, lazy))
        part_sets = [frozenset((round(n.onset, 4), n.pitch) for n in t.notes) for t in ref.tracks]
        part_notes = set(part_sets)
        row: dict[str, Any] = {"piece": name, "parts_statements": len(theirs), "parts_notes": sum(map(len, part_sets))}
        for kind in ("keys", "one"):
            score = motifcli.read_score(tmp / f"{name}-{kind}.mid")
            lines = split_voices(score)
            line_sets = [frozenset((round(score.tracks[v.track].notes[i].onset, 4), score.tracks[v.track].notes[i].pitch)
                                   for i in v.note_indices) for v in lines]
            exact = sum(line in part_notes for line in line_sets)
            kept = sum(max((len(part & line) for line in line_sets), default=0) for part in part_sets)
            row[kind] = {"lines": [v.voice for v in lines], "parts_exact": exact, "in_one_line": kept,
                         "found": found_share(theirs, statements(discover(score, lazy)))[0]}
        rows.append(row)
        print(json.dumps(row), flush=True)
    total = {k: {key: sum(r[k][key] for r in rows) for key in ("found", "parts_exact", "in_one_line")}
             for k in ("keys", "one")}
    total["parts_statements"] = sum(r["parts_statements"] for r in rows)
    total["parts_notes"] = sum(r["parts_notes"] for r in rows)
    prelude = motifcli.read_score(tmp / "bwv846.mid") if music21.corpus.parse("bach/bwv846").write(
        "midi", fp=str(tmp / "bwv846.mid")) else None
    total["bwv846_lines"] = [(v.track, v.voice, len(v)) for v in split_voices(prelude)]
    print(json.dumps(total))
    Path(sys.argv[1]).write_text(json.dumps({"rows": rows, "total": total}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
