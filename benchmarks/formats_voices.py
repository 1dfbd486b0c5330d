"""Every output of `motif annotate` on polyphonic input, checked against its JSON report (phase 15, formats15).

    PYTHONPATH=$TREE python benchmarks/formats_voices.py OUTDIR    # run in each tree, compare the tables

Inputs written by music21 from its corpus (the way a notebook or DAW user makes them): a chorale
(bach/bwv1.6) and Palestrina's Agnus Dei (palestrina/Agnus_01, its first four voices) as keyboard
reductions (benchmarks/written_voices.py: two staves, two voices each) in MIDI (a track per staff:
discovery separates each into lines, JSON voice 100 + r) and in MusicXML (written voices, 10 + n), the
Palestrina's five parts as MIDI, and bach/bwv846 as MIDI. Each is annotated by the CLI of the tree on
PYTHONPATH with every format and ``--lyrics``; per file one row:

- ``mirex``: occurrences whose MIREX notes (onset, pitch) differ from the JSON's;
- ``csv`` / ``labels``: rows whose note count, track or times differ from the JSON's occurrence;
- ``lyric``: statements named by a MIDI lyric (one lyric names every statement starting on its note since session 26) not on the first note's track at that note's tick; ``shared``: lyrics at a tick
  where their track starts two or more notes (a lyric names a tick, not a note); ``named``: of those,
  the lyrics that say their line ("Motif A1 (line 2 from the top)");
- ``xml_extra`` / ``xml_missed``: MusicXML input only: notes coloured that no occurrence holds, and
  occurrence notes left uncoloured, each note by (onset, pitch, staff, written voice): a unison of two
  voices is two notes;
- ``line``: the first occurrence's ``line`` (JSON; absent before phase 15).
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, os.environ.get("PYTHONPATH", "") or str(Path(__file__).resolve().parents[1]))

if TYPE_CHECKING:
    import mido

_STEPS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


def inputs(folder: Path) -> list[Path]:
    import music21

    from benchmarks.written_voices import reduction, vocal_parts

    folder.mkdir(parents=True, exist_ok=True)
    agnus = music21.corpus.parse("palestrina/Agnus_01")
    pieces = {"bwv1.6-keys": reduction(vocal_parts(music21.corpus.parse("bach/bwv1.6"))),
              "agnus-keys": reduction(list(agnus.parts)[:4])}
    out = []
    for name, score in pieces.items():
        for form, suffix in (("midi", "mid"), ("musicxml", "musicxml")):
            out.append(folder / f"{name}.{suffix}")
            score.write(form, fp=str(out[-1]))
    for name, score in (("agnus", agnus), ("bwv846", music21.corpus.parse("bach/bwv846"))):
        out.append(folder / f"{name}.mid")
        score.write("midi", fp=str(out[-1]))
    return out


def coloured_notes(data: bytes) -> set[tuple[Fraction, int, int, int]]:
    """(onset, pitch, staff, voice) of every coloured note of the first part (a tie's later pieces left out)."""
    import xml.etree.ElementTree as ET

    part = ET.fromstring(data).find("part")
    divisions = Fraction(int(re.search(rb"<divisions>(\d+)</divisions>", data).group(1)))
    out, start = set(), Fraction(0)
    for measure in part.findall("measure"):
        cursor = top = last = Fraction(0)
        for el in measure:
            dur = Fraction(el.findtext("duration") or 0)
            if el.tag == "note":
                at = last if el.find("chord") is not None else cursor
                if el.find("chord") is None:
                    last, cursor = cursor, cursor + dur
                stop = any(t.get("type") == "stop" for t in el.findall("tie"))
                if el.get("color") and el.find("pitch") is not None and not stop:
                    pitch = ((int(el.findtext("pitch/octave")) + 1) * 12 + _STEPS[el.findtext("pitch/step")]
                             + int(float(el.findtext("pitch/alter") or 0)))
                    out.add(((start + at) / divisions, pitch, int(el.findtext("staff") or 1), int(el.findtext("voice") or 0)))
            elif el.tag == "backup":
                cursor -= dur
            elif el.tag == "forward":
                cursor += dur
            top = max(top, cursor)
        start += top
    return out


def lyric_labels(text: str) -> list[str]:
    """The statement names of one lyric: "Motif A1 + B1 = C2 (line 2 from the top); D1 (top line)" ->
    ["A1", "B1", "C2", "D1"]
    (a doubled statement "B1 = C2" is one statement of two families: both names)."""
    return [name for place in text.removeprefix("Motif ").split("; ")
            for names in place.split(" (")[0].split(" + ") for name in names.split(" = ")]


def starts_and_lyrics(midi: mido.MidiFile) -> tuple[dict[tuple[int, int], list[int]], list[tuple[str, int, int]]]:
    """The pitches starting at each (track number, tick) (a unison of two lines starts two notes) and
    every lyric as (text, track number, tick): what a lyric stands under."""
    starts: dict[tuple[int, int], list[int]] = {}
    lyrics = []
    for number, track in enumerate(midi.tracks):
        tick = 0
        for msg in track:
            tick += msg.time
            if msg.type == "note_on" and msg.velocity > 0:
                starts.setdefault((number, tick), []).append(msg.note)
            elif msg.type == "lyrics":
                lyrics.append((msg.text, number, tick))
    return starts, lyrics


def check(src: Path, out: Path) -> dict:
    import mido
    from mir_eval.io import load_patterns

    import motifcli

    proc = subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(src), "-f",
                           "midi,json,csv,mirex,labels,musicxml", "--lyrics", "-o", f"{out}/", "-q"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    stem = out / f"{src.stem}.motifs"
    report = json.loads(Path(f"{stem}.json").read_text())
    occs = {o["label"]: o for m in report["motifs"] for o in m["occurrences"]}
    row: dict = {"file": src.name, "families": len(report["motifs"]), "occurrences": len(occs)}
    ranked = sorted(report["motifs"], key=lambda m: m["rank"])
    want = [sorted((round(n["onset"], 4), n["pitch"]) for n in o["notes"])
            for m in ranked for o in sorted(m["occurrences"], key=lambda o: (o["start_beat"], o["track"], o["number"]))]
    got = [sorted((round(t, 4), int(p)) for t, p in occ) for pat in load_patterns(f"{stem}.mirex.txt") for occ in pat]
    row["mirex"] = sum(a != b for a, b in zip(want, got)) + abs(len(want) - len(got))
    rows = list(csv.DictReader(open(f"{stem}.csv", newline="", encoding="utf-8")))
    row["csv"] = sum(int(r["note_count"]) != len(occs[r["label"]]["notes"]) or int(r["track"]) != occs[r["label"]]["track"]
                     for r in rows) + abs(len(rows) - len(occs))
    bad = 0
    for line in Path(f"{stem}.labels.txt").read_text().splitlines():
        start, end, text = line.split("\t")
        o = occs[text.split()[1]]
        bad += abs(float(start) - o["start_seconds"]) > 1e-5 or abs(float(end) - o["end_seconds"]) > 1e-5
    row["labels"] = bad
    midi = mido.MidiFile(f"{stem}.mid")
    starts, lyrics = starts_and_lyrics(midi)
    score = motifcli.read_score(src)
    wrong = shared = named = 0
    named_count = 0
    for text, number, tick in lyrics:
        labels = lyric_labels(text)  # since session 26 one lyric names every statement starting on its note
        named_count += len(labels)
        for label in labels:
            first = min(occs[label]["notes"], key=lambda n: (n["onset"], n["pitch"]))
            at = starts.get((number, tick), [])
            home = score.tracks[first["track"]].source_index if score.format == "midi" else number
            wrong += number != home or tick != round(first["onset"] * midi.ticks_per_beat) or first["pitch"] not in at
        at = starts.get((number, tick), [])
        shared += len(at) > 1
        named += len(at) > 1 and text.endswith(")")
    row["lyric"], row["shared"], row["named"] = wrong + abs(named_count - len(occs)), shared, named
    if score.format == "musicxml":
        mine = set()
        for o in occs.values():
            for n in o["notes"]:
                note = score.tracks[n["track"]].notes[n["index"]]
                mine.add((Fraction(round(note.onset * 960), 960), note.pitch, note.staff, note.voice))
        shown = coloured_notes(Path(f"{stem}.musicxml").read_bytes())
        row["xml_extra"], row["xml_missed"] = len(shown - mine), len(mine - shown)
    row["line"] = next(iter(occs.values())).get("line", "(none)")
    return row


def main() -> None:
    out = Path(sys.argv[1])
    rows = [check(src, out / src.name) for src in inputs(out / "in")]
    keys = ["file", "families", "occurrences", "mirex", "csv", "labels", "lyric", "shared", "named", "xml_extra", "xml_missed", "line"]
    print("| " + " | ".join(keys) + " |\n|" + "---|" * len(keys))
    for r in rows:
        print("| " + " | ".join(str(r.get(k, "")) for k in keys) + " |")
    (out / "formats_voices.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
