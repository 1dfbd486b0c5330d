"""How often do phase 25's two discovery changes fire on tunes nobody tuned them on (fixes25)?

    PYTHONPATH=$PWD python benchmarks/fixes25/folk_probe.py [EVERY]   # every EVERY-th tune (default 8)

Tunes from music21's Essen folk songs and Ryan's Mammoth Collection (fiddle tunes, where a phrase is often
played back to back), each written to MusicXML as a notation program would export it and read by motif;
families by today's defaults against ``extend_tiled=0 figuration_above=0`` (before phase 25). Prints one
line per tune whose families differ and a summary: tunes, changed, families and statements before/after,
notes per statement. No benchmark data is read.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

import music21

import motifcli
from motifcli.discovery import DiscoverySettings, discover

BEFORE = DiscoverySettings(extend_tiled=0, figuration_above=0)


def tunes(every: int):  # noqa: ANN201
    """(name, score) of every ``every``-th tune of the collections."""
    paths = [p for p in music21.corpus.getPaths() if "essenFolksong" in str(p) and not Path(p).name.startswith("test")]
    paths += [p for p in music21.corpus.getPaths() if "ryansMammoth" in str(p)][:2]
    k = 0
    for path in sorted(paths, key=str):
        try:
            opus = music21.converter.parse(path)
        except Exception:  # noqa: BLE001 - a collection music21 cannot read is skipped
            continue
        scores = list(opus.scores) if hasattr(opus, "scores") else [opus]
        for i, s in enumerate(scores):
            k += 1
            if k % every == 0:
                yield f"{Path(path).stem}#{i}", s


def shape(families: list) -> list[tuple[int, float]]:
    return [(len(f.occurrences), statistics.mean(len(o.notes) for o in f.occurrences)) for f in families]


def main() -> None:
    every = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    tmp = Path(tempfile.mkdtemp())
    rows = []
    for name, s in tunes(every):
        path = tmp / "tune.musicxml"
        try:
            s.write("musicxml", fp=str(path))
            score = motifcli.read_score(path)
            now, before = shape(discover(score)), shape(discover(score, settings=BEFORE))
        except Exception as exc:  # noqa: BLE001 - a tune music21 cannot write or motif cannot read
            print(f"{name}: skipped ({type(exc).__name__})")
            continue
        rows.append((name, before, now))
        if before != now:
            print(f"{name}: before {before} -> now {now}")
    changed = [r for r in rows if r[1] != r[2]]
    print(f"tunes {len(rows)}, changed {len(changed)}")
    for label, i in (("before", 1), ("now", 2)):
        fams = [len(r[i]) for r in changed]
        stat = [n for r in changed for n, _ in r[i]]
        notes = [m for r in changed for _, m in r[i]]
        print(f"  changed tunes {label}: families {sum(fams)}, statements {sum(stat)}, "
              f"notes per statement (mean over families) {statistics.mean(notes) if notes else 0:.2f}, "
              f"tunes with no family {sum(1 for f in fams if f == 0)}")


if __name__ == "__main__":
    main()
