"""Are a separated MIDI staff's lines written as its voices? (phase 15, notation15)

    PYTHONPATH=$TREE python benchmarks/notation_voices.py OUTDIR FILE.mid ...   # run in each tree, compare

Per MIDI file: discovery's lines (``split_voices`` with the default settings; a staff separated into
lines gives JSON voice 100 + r, :mod:`motifcli.streams`), then ``motif annotate -f musicxml`` (the
tree under PYTHONPATH) and the output read back by motif's reader. A note of line r counts as
*in its voice* when it is written in the staff holding most of its line's notes and its written
``<voice>`` is that staff's r-th voice (the staff's voice numbers in ascending order; r counted among
the lines written on that staff, highest first): the soprano voice 1, the alto voice 2. Notes are
matched by (track, onset on the sixteenth grid, pitch), so of two lines' notes at one key (a unison,
``unison_notes``) only one can count. Prints one JSON row per file and the total.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, os.environ.get("PYTHONPATH", "") or str(Path(__file__).resolve().parents[1]))


def count(src: Path, out: Path) -> dict:
    import motifcli
    from motifcli.discovery import DiscoverySettings
    from motifcli.voice_ids import SEPARATED
    from motifcli.voices import split_voices

    score = motifcli.read_score(src)
    lines = [v for v in split_voices(score, by_staff=DiscoverySettings().staff_voices) if v.voice > SEPARATED]
    folder = out / src.stem
    folder.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "motifcli", "annotate", str(src.resolve()), "-f", "musicxml", "-o", f"{folder}/", "-q"]
    subprocess.run(cmd, check=True, cwd=folder, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    written = motifcli.read_score(folder / f"{src.stem}.motifs.musicxml")
    pitched = [t.index for t in score.pitched_tracks()]
    where: dict[tuple, tuple[int, int]] = {}  # (track position, sixteenth, pitch) -> (staff, voice)
    staff_voices: dict[tuple[int, int], list[int]] = {}
    for k, track in enumerate(written.pitched_tracks()):
        for n in track.notes:
            where[(k, round(n.onset * 4), n.pitch)] = (n.staff, n.voice)
            staff_voices.setdefault((k, n.staff), [])
            if n.voice not in staff_voices[(k, n.staff)]:
                staff_voices[(k, n.staff)].append(n.voice)
    rank = {key: {v: r for r, v in enumerate(sorted(vs), 1)} for key, vs in staff_voices.items()}
    by_track: dict[int, list] = {}
    for line in lines:
        by_track.setdefault(line.track, []).append(line)
    notes = hits = 0
    seen = Counter((pitched.index(line.track), round(score.tracks[line.track].notes[i].onset * 4),
                    score.tracks[line.track].notes[i].pitch) for line in lines for i in line.note_indices.tolist())
    unisons = sum(n for n in seen.values() if n > 1)  # two lines' notes on one key: one written note
    for track_index, track_lines in by_track.items():
        k = pitched.index(track_index)
        track = score.tracks[track_index]
        homes = []
        for line in sorted(track_lines, key=lambda v: v.voice):
            keys = [(k, round(track.notes[i].onset * 4), track.notes[i].pitch) for i in line.note_indices.tolist()]
            staffs = Counter(where[key][0] for key in keys if key in where)
            homes.append((keys, staffs.most_common(1)[0][0] if staffs else 1))
        for keys, staff in homes:
            r = 1 + sum(1 for other, s in homes[: homes.index((keys, staff))] if s == staff)
            for key in keys:
                notes += 1
                got = where.get(key)
                hits += got is not None and got[0] == staff and rank[(k, staff)].get(got[1]) == r
    return {"file": src.name, "lines": len(lines), "line_notes": notes, "in_their_voice": hits, "unison_notes": unisons}


def main() -> None:
    out = Path(sys.argv[1])
    rows = [count(Path(a), out) for a in sys.argv[2:]]
    for row in rows:
        print(json.dumps(row))
    print(json.dumps({"total_line_notes": sum(r["line_notes"] for r in rows),
                      "total_in_their_voice": sum(r["in_their_voice"] for r in rows),
                      "total_unison_notes": sum(r["unison_notes"] for r in rows)}))


if __name__ == "__main__":
    main()
