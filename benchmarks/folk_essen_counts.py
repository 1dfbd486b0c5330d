"""Unlabelled sanity check of DiscoverySettings.short_piece_notes on other folk tunes: Essen tunes from music21's corpus.

    PYTHONPATH=$PWD python -m benchmarks.folk_essen_counts [--per-collection 12]

The first N tunes of han1, han2 and kinder0 (music21's corpus, written to MusicXML as the corpus sweep
does), discovered with the rule off (0) and on (120): families per tune, tunes with none, families of
3-note statements, share of notes inside a statement, most statements in one family. There are no
labels: this says whether the short-tune rule floods a tune with chance figures, not whether it is right.
"""

from __future__ import annotations

import argparse
import pathlib
import statistics
import tempfile

import music21

import motifcli
from motifcli.discovery import DiscoverySettings, discover

WORKS = ("essenFolksong/han1.abc", "essenFolksong/han2.abc", "essenFolksong/kinder0.abc")


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--per-collection", type=int, default=12)
    args = ap.parse_args()
    tmp = pathlib.Path(tempfile.mkdtemp())
    rows: dict[int, list[tuple[int, int, float, int]]] = {0: [], 120: []}
    lengths = []
    for work in WORKS:
        opus = music21.converter.parse(music21.corpus.getWork(work))
        for k, sc in enumerate(opus.scores[: args.per_collection]):
            path = tmp / f"{pathlib.Path(work).stem}_{k}.musicxml"
            sc.write("musicxml", fp=path)
            score = motifcli.read_score(path)
            notes = sum(len(t.notes) for t in score.pitched_tracks())
            lengths.append(notes)
            for limit in rows:
                fams = discover(score, settings=DiscoverySettings(short_piece_notes=limit))
                held = {(n.track, n.index) for f in fams for o in f.occurrences for n in o.notes}
                rows[limit].append((len(fams), sum(f.notes_per_occurrence <= 3 for f in fams), len(held) / max(notes, 1),
                                    max((len(f.occurrences) for f in fams), default=0)))
    print(f"{len(lengths)} tunes; notes median {statistics.median(lengths):g} (min {min(lengths)}, max {max(lengths)}), "
          f"under 120: {sum(n < 120 for n in lengths)}")
    print("| short_piece_notes | families / tune | tunes with none | 3-note families / tune | notes covered | most statements in a family (median, max) |")
    print("|---|---|---|---|---|---|")
    for limit, r in rows.items():
        print(f"| {limit} | {statistics.fmean(x[0] for x in r):.2f} | {sum(x[0] == 0 for x in r)} | "
              f"{statistics.fmean(x[1] for x in r):.2f} | {statistics.fmean(x[2] for x in r):.2f} | "
              f"{statistics.median(x[3] for x in r):g}, {max(x[3] for x in r)} |")


if __name__ == "__main__":
    main()
