"""Are the bars of a notation program's MIDI read right? (session 28, benchmarks/phase28-scoremidi28.md)

    PYTHONPATH=$TREE python benchmarks/score_midi28.py WORKDIR OUT.tsv

Each piece (music21's corpus; no BPS, no MTC) is written as MusicXML by music21 and exported to MIDI by
MuseScore 3 (``mscore3 -j``, one process for all; ``QT_QPA_PLATFORM=offscreen``), and, for comparison,
written as MIDI by music21 (as benchmarks/pickup_midi.py does). The files are made once in WORKDIR and
reused, so two trees score the very same files. Each MIDI is read with motif and given ``meter_map_for``'s
map; the truth is the written measures:

- ``open``: the first full bar's length and the first downbeat (the pickup's length, 0 without one;
  within 1/8 beat) are the score's (pickup27's "right");
- ``lines``: every written bar line of the first 16 measures (before the first repeat or ending:
  MuseScore plays repeats out, music21 does not) is a bar line of the map (within 1/8 beat) and the
  map's bar there has the number MuseScore shows (by place: a pickup "0", then 1, 2, ...);

and the map's source (``midi``/``estimated``). One row per piece and file, counts at the end.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, os.environ.get("PYTHONPATH", "") or str(Path(__file__).resolve().parents[1]))

from benchmarks.pickup_midi import NO_PICKUP, PICKUP, PICKUP_LATER, parse, written  # noqa: E402

# pickup27's lists (benchmarks/pickup_midi.py), then other meters: 3/2, 6/8, 6/4, 3/1, changes
PIECES = PICKUP + PICKUP_LATER + NO_PICKUP + (
    # session 28: more meters (3/2, 6/8, 6/4, 3/1, 6/2; changes), chorales with a meter change, a sonata
    "essenFolksong/altdeu10.abc:6", "essenFolksong/altdeu10.abc:10", "essenFolksong/altdeu10.abc:26",
    "essenFolksong/altdeu10.abc:30", "essenFolksong/altdeu10.abc:31", "essenFolksong/altdeu10.abc:33",
    "essenFolksong/altdeu10.abc:39", "essenFolksong/altdeu10.abc:41", "essenFolksong/altdeu10.abc:51",
    "bach/bwv304", "bach/bwv130.6", "bach/bwv171.6", "mozart/k545/movement1", "beethoven/opus59no1/movement1",
    "bach/bwv4.8", "bach/bwv248.42-4",
)
# a second batch, picked by rule after the changes were made (every 14th chorale of music21's sorted list from
# the 6th, less those above; Essen altdeu20 nos. 1-20; Aird's book 1 nos. 60-75; quartet and sonata openings):
# a check on pieces the changes were not shaped on
LATER = tuple(f"bach/{n}" for n in (
    "bwv121.6", "bwv139.6", "bwv154.8", "bwv188.6", "bwv227.3", "bwv244.54", "bwv248.28", "bwv260", "bwv273",
    "bwv286", "bwv299", "bwv310", "bwv323", "bwv336", "bwv350", "bwv364", "bwv39.7", "bwv412", "bwv425",
    "bwv438", "bwv60.5", "bwv72.6")) + tuple(f"essenFolksong/altdeu20.abc:{k}" for k in range(1, 21)) + tuple(
    f"airdsAirs/book1.abc:{k}" for k in range(60, 76)) + (
    "haydn/opus1no1/movement1", "beethoven/opus18no3/movement1", "mozart/k156/movement1",
    "beethoven/opus18no4/movement1", "haydn/opus64no5/movement1")
LINES = 16  # written bar lines checked (before the first repeat or ending)


def truth(s) -> dict:
    """The written opening (first full bar's length, pickup) and bar lines up to the first repeat."""
    from music21 import bar as m21bar
    from music21 import spanner

    m = list(s.parts[0].getElementsByClass("Measure"))
    bar, pickup = written(s)
    in_ending = {id(x) for sp in s.parts[0].recurse().getElementsByClass(spanner.RepeatBracket)
                 for x in sp.getSpannedElements()}
    lines: list[tuple[float, str]] = []
    for k, meas in enumerate(m[:LINES]):
        if id(meas) in in_ending:
            break
        lines.append((float(meas.offset), str(meas.number)))
        left, right = meas.leftBarline, meas.rightBarline
        if isinstance(left, m21bar.Repeat) and k > 0:
            lines.pop()
            break
        if isinstance(right, m21bar.Repeat):
            break
    return {"bar": bar, "pickup": pickup, "lines": lines}


def export(names: tuple[str, ...], work: Path) -> None:
    """MusicXML and music21 MIDI per piece, then MuseScore's MIDI of every MusicXML in one mscore3 run."""
    work.mkdir(parents=True, exist_ok=True)
    jobs = []
    for name in names:
        stem = name.replace("/", "_").replace(":", "_")
        xml, m21, ms = work / f"{stem}.musicxml", work / f"{stem}.m21.mid", work / f"{stem}.mscore.mid"
        if not (work / f"{stem}.truth.json").exists():
            try:
                s = parse(name)
                s.write("musicxml", fp=str(xml))
                s.write("midi", fp=str(m21))
                (work / f"{stem}.truth.json").write_text(json.dumps(truth(s)))
            except Exception as exc:  # a corpus piece music21 cannot parse or write: say so, go on
                print(f"{name}\tskipped: {type(exc).__name__}: {exc}", file=sys.stderr)
                continue
        if not ms.exists():
            jobs.append({"in": str(xml), "out": str(ms)})
    if jobs:
        (work / "job.json").write_text(json.dumps(jobs))
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        subprocess.run(["mscore3", "-j", str(work / "job.json")], env=env, capture_output=True, timeout=1800)


def score(path: Path, t: dict) -> dict:
    from motifcli.meter_estimate import meter_map_for
    from motifcli.readers.midi import read_midi

    midi = read_midi(path)
    mm = meter_map_for(midi)
    full = mm.bars[1] if mm.has_pickup else mm.bars[0]
    opening = abs(full.length - t["bar"]) < 1e-6 and abs(mm.first_downbeat - t["pickup"]) <= 0.125
    # numbered by place, as MuseScore shows them (a pickup 0, then 1, 2, ...; music21 numbers a tune's
    # full first bar 0 and both halves of a split measure alike)
    base = 0 if t["pickup"] else 1
    lines = all(abs(mm.bars[mm.bar_index_at(b)].start - b) <= 0.125 and mm.bar_number_at(b) == str(k + base)
                for k, (b, _) in enumerate(t["lines"]) if b < float(midi.end_beat) - 0.25)  # a line the notes reach
    return {"bar": full.length, "first": mm.first_downbeat, "source": mm.source, "open": opening,
            "lines": lines and opening}


def main(work: str, out: str) -> None:
    work_dir = Path(work)
    export(PIECES + LATER, work_dir)
    rows = ["piece\tfile\tpickup\twritten_bar\twritten_first\tfound_bar\tfound_first\tsource\topen\tlines"]
    counts: dict[tuple[str, str, bool], list[int]] = {}
    for name in PIECES + LATER:
        stem = name.replace("/", "_").replace(":", "_")
        if not (work_dir / f"{stem}.truth.json").exists():
            continue
        t = json.loads((work_dir / f"{stem}.truth.json").read_text())
        for kind in ("mscore", "m21"):
            path = work_dir / f"{stem}.{kind}.mid"
            if not path.exists():
                print(f"{name}\t{kind}: no file", file=sys.stderr)
                continue
            r = score(path, t)
            rows.append(f"{name}\t{kind}\t{t['pickup'] > 0}\t{t['bar']:g}\t{t['pickup']:g}\t{r['bar']:g}\t"
                        f"{r['first']:g}\t{r['source']}\t{r['open']}\t{r['lines']}")
            batch = "second batch" if name in LATER else "first list"
            c = counts.setdefault((batch, kind, t["pickup"] > 0), [0, 0, 0, 0])
            c[0] += 1
            c[1] += r["open"]
            c[2] += r["lines"]
            c[3] += r["source"] == "midi"
    for (batch, kind, pickup), (n, op, ln, midi) in sorted(counts.items()):
        rows.append(f"# {batch}, {kind}, {'pickup' if pickup else 'no pickup'}: {n} pieces, opening right {op}, "
                    f"bar lines and numbers right {ln}, source midi {midi}")
    Path(out).write_text("\n".join(rows) + "\n")
    print("\n".join(rows))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
