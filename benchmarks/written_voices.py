"""Does a chorale set on two staves find what its four parts find? (phase 14, voices14)

    PYTHONPATH=$TREE python benchmarks/written_voices.py OUT.json   # run in each tree, then compare
    PYTHONPATH=$PWD python benchmarks/written_voices.py --survey    # which corpus staves take written voices
    PYTHONPATH=$TREE python benchmarks/written_voices.py --midi OUT.json  # the reduction as MIDI (phase14-midivoices14.md)

For each chorale of :data:`CHORALES` (music21's corpus), two MusicXML files are written by music21:
the four vocal parts alone (``satb``), and a keyboard reduction (``keys``, :func:`reduction`): one
part on two staves, soprano voice 1 + alto voice 2 in the treble staff, tenor voice 1 + bass voice 2
in the bass staff, stems up and down. Both are read by motif's reader and discovered with the
defaults, as ``motif annotate`` does (the shipped model, lazily). An occurrence is its notes as
(onset, pitch); an occurrence of the four-part score is *found* in the reduction when one of the
reduction's occurrences holds at least 75% of its notes (and the reverse for ``keys_in_satb``).
The tree under ``PYTHONPATH`` decides how the reduction's staves become lines, so running it in
main (skyline + bass per staff) and in this tree (written voices) gives the before and after.
With ``--midi`` the reduction is written by music21 as MIDI instead (a track per staff, no voices), so
its staves' lines are what the tree separates from pitches alone (:mod:`motifcli.streams`);
``keys_parts_exact`` counts the reduction's lines that are one vocal part note for note.
"""

from __future__ import annotations

import copy
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, os.environ.get("PYTHONPATH", "") or str(Path(__file__).resolve().parents[1]))

CHORALES = (
    "bach/bwv1.6", "bach/bwv11.6", "bach/bwv130.6", "bach/bwv10.7", "bach/bwv101.7", "bach/bwv102.7",
    "bach/bwv103.6", "bach/bwv104.6", "bach/bwv108.6", "bach/bwv110.7", "bach/bwv113.8", "bach/bwv114.7",
    "bach/bwv115.6",
)
VOICES = ("soprano", "alto", "tenor", "bass")
FOUND = 0.75  # share of an occurrence's notes another occurrence must hold


def vocal_parts(score: Any) -> list[Any] | None:
    """The soprano, alto, tenor and bass parts (by name), or None where a chorale lacks one."""
    named = {}
    for part in score.parts:
        name = (part.partName or "").strip().lower()
        for voice in VOICES:
            if name.startswith(voice) and voice not in named:
                named[voice] = part
    return [named[v] for v in VOICES] if len(named) == 4 else None


def satb(parts: list[Any]) -> Any:
    """The four vocal parts as a score of their own."""
    from music21 import stream

    out = stream.Score()
    for part in parts:
        out.insert(0, copy.deepcopy(part))
    return out


def reduction(parts: list[Any]) -> Any:
    """A keyboard reduction: one part on two staves (music21 ``PartStaff``s joined by a brace),
    soprano/alto as voices 1/2 of the treble staff, tenor/bass as voices 1/2 of the bass staff."""
    from music21 import clef, layout, stream

    out = stream.Score()
    staves = []
    for upper, lower, staff_clef in ((parts[0], parts[1], clef.TrebleClef()), (parts[2], parts[3], clef.BassClef())):
        staff = stream.PartStaff()
        pairs = list(zip(upper.getElementsByClass(stream.Measure), lower.getElementsByClass(stream.Measure)))
        for k, (top, bottom) in enumerate(pairs):
            measure = stream.Measure(number=top.number)
            measure.paddingLeft, measure.paddingRight = top.paddingLeft, top.paddingRight  # pickups, split bars
            for mark in top.getElementsByClass(["TimeSignature", "KeySignature"]):
                measure.insert(mark.offset, copy.deepcopy(mark))
            if k == 0:
                measure.insert(0, copy.deepcopy(staff_clef))
            for number, source in ((1, top), (2, bottom)):
                voice = stream.Voice()
                voice.id = str(number)
                for element in source.flatten().notesAndRests:
                    element_copy = copy.deepcopy(element)
                    element_copy.lyrics = []
                    element_copy.stemDirection = "up" if number == 1 else "down"
                    voice.insert(element.offset, element_copy)
                measure.insert(0, voice)
            staff.insert(top.offset, measure)
        staves.append(staff)
        out.insert(0, staff)
    out.insert(0, layout.StaffGroup(staves, symbol="brace"))
    return out


def statements(families: list[Any]) -> list[tuple[int, frozenset[tuple[float, int]]]]:
    """(family number, notes as (onset, pitch)) of every occurrence."""
    return [(k, frozenset((round(n.onset, 4), n.pitch) for n in o.notes))
            for k, f in enumerate(families) for o in f.occurrences]


def found_share(mine: list[tuple[int, frozenset]], theirs: list[tuple[int, frozenset]]) -> tuple[int, int]:
    """How many of ``mine`` have ``FOUND`` of their notes in one of ``theirs``, of how many."""
    hit = sum(any(len(notes & other) >= FOUND * len(notes) for _, other in theirs) for _, notes in mine)
    return hit, len(mine)


def survey() -> None:
    """Every MusicXML score of music21's corpus with a part on two or more staves and two or more
    written voices: per staff, its written voices (notes, chord share) and the lines discovery uses."""
    import re
    import zipfile

    import music21
    import numpy as np

    import motifcli
    from motifcli.discovery import DiscoverySettings
    from motifcli.voices import chord_share, split_voices

    for path in sorted(str(p) for p in music21.corpus.getPaths(fileExtensions=("mxl", "xml", "musicxml"))):
        if path.endswith(".mxl"):
            with zipfile.ZipFile(path) as z:
                text = b"".join(z.read(n) for n in z.namelist() if not n.startswith("META")).decode("utf8", "ignore")
        else:
            text = Path(path).read_text(encoding="utf8", errors="ignore")
        if "<staves>2" not in text or len(set(re.findall(r"<voice>(\d+)</voice>", text))) < 2:
            continue
        score = motifcli.read_score(path)
        lines = split_voices(score, by_staff=DiscoverySettings().staff_voices)
        name = path.split("corpus/")[-1]
        for track in score.pitched_tracks():
            if track.staves() is None:
                continue
            used = sorted({(v.staff, v.voice) for v in lines if v.track == track.index})
            for staff in sorted({n.staff for n in track.notes}):
                written = {}
                for voice in sorted({n.voice for n in track.notes if n.staff == staff}):
                    on = np.array([n.onset for n in track.notes if n.staff == staff and n.voice == voice])
                    written[voice] = f"{len(on)} notes {chord_share(on, 0.05):.2f}"
                print(f"{name} | {track.name} | staff {staff} | {written} | lines (staff, voice) {used}", flush=True)


def main() -> None:
    if sys.argv[1] == "--survey":
        survey()
        return
    midi = sys.argv[1] == "--midi"
    out_path = sys.argv[2] if midi else sys.argv[1]
    import music21

    import motifcli
    from motifcli.discovery import discover
    from motifcli.model import LazyModel
    from motifcli.voices import split_voices

    lazy = LazyModel()
    tmp = Path(tempfile.mkdtemp())
    rows = []
    for name in CHORALES:
        parts = vocal_parts(music21.corpus.parse(name))
        if parts is None:
            rows.append({"chorale": name, "skipped": "no soprano, alto, tenor and bass parts"})
            continue
        found: dict[str, Any] = {}
        for kind, score in (("satb", satb(parts)), ("keys", reduction(parts))):
            form = "midi" if midi and kind == "keys" else "musicxml"
            dest = tmp / f"{name.replace('/', '_')}-{kind}.{'mid' if form == 'midi' else 'musicxml'}"
            score.write(form, fp=str(dest))
            read = motifcli.read_score(dest)
            families = discover(read, lazy)
            found[kind] = statements(families)
            found[kind + "_lines"] = len(split_voices(read))
            found[kind + "_families"] = len(families)
            found[kind + "_notes"] = sorted((round(n.onset, 4), n.pitch) for t in read.tracks for n in t.notes)
            found[kind + "_line_notes"] = [frozenset((round(t.notes[i].onset, 4), t.notes[i].pitch) for i in v.note_indices)
                                           for v in split_voices(read) for t in read.tracks if t.index == v.track]
        a, n = found_share(found["satb"], found["keys"])
        b, m = found_share(found["keys"], found["satb"])
        rows.append({"chorale": name, "satb_families": found["satb_families"], "keys_families": found["keys_families"],
                     "satb_lines": found["satb_lines"], "keys_lines": found["keys_lines"],
                     "same_notes": found["satb_notes"] == found["keys_notes"],
                     "satb_occurrences": n, "satb_in_keys": a, "keys_occurrences": m, "keys_in_satb": b,
                     "keys_parts_exact": sum(line in set(found["satb_line_notes"]) for line in found["keys_line_notes"])})
        print(json.dumps(rows[-1]), flush=True)
    done = [r for r in rows if "skipped" not in r]
    total = {k: sum(r[k] for r in done) for k in ("satb_families", "keys_families", "satb_occurrences",
                                                  "satb_in_keys", "keys_occurrences", "keys_in_satb", "keys_parts_exact")}
    total["satb_in_keys_share"] = total["satb_in_keys"] / max(total["satb_occurrences"], 1)
    total["keys_in_satb_share"] = total["keys_in_satb"] / max(total["keys_occurrences"], 1)
    print(json.dumps(total))
    Path(out_path).write_text(json.dumps({"rows": rows, "total": total}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
