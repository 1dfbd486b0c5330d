"""Unlabelled sanity check of cross-piece discovery on music21's corpus: does a collection flood its pieces?

    PYTHONPATH=$PWD python -m benchmarks.across_sanity [--essen 100] [--chorales 8] [--per-piece 0 8 ...] [--generic 1 --generic-notes 3]

Collections (written to MusicXML as the corpus sweep does, read by motifcli): the first N Essen tunes of
han1 (one line each), 12 tunes each of han1, han2 and kinder0 together, and N Bach chorales (four
parts). Per collection: families per piece within the piece (``discover``) and across the collection
(``discover_across``), pieces per family, statements per family in a piece, share of notes inside a
statement, seconds, and the peak of traced memory (tracemalloc, a second run).
"""

from __future__ import annotations

import argparse
import pathlib
import statistics
import tempfile
import time
import tracemalloc

import music21

import motifcli
from motifcli.discovery import discover
from motifcli.discovery.across import discover_across, statement_pieces


def essen(work: str, n: int, tmp: pathlib.Path) -> list[motifcli.Score]:
    opus = music21.converter.parse(music21.corpus.getWork(f"essenFolksong/{work}.abc"))
    out = []
    for k, sc in enumerate(opus.scores[:n]):
        path = tmp / f"{work}_{k}.musicxml"
        sc.write("musicxml", fp=path)
        out.append(motifcli.read_score(path))
    return out


def chorales(n: int, tmp: pathlib.Path) -> list[motifcli.Score]:
    out = []
    for k, path in enumerate(sorted(p for p in music21.corpus.getComposer("bach") if str(p).endswith(".mxl"))[:n]):
        target = tmp / f"chorale_{k}.musicxml"
        music21.converter.parse(path).write("musicxml", fp=target)
        out.append(motifcli.read_score(target))
    return out


def report(name: str, scores: list[motifcli.Score], per_piece: int | None = None, generic: float = 0.0,
           generic_notes: int = 0) -> None:
    within = [discover(s) for s in scores]
    t0 = time.perf_counter()
    found = discover_across(scores, per_piece=per_piece, generic=generic, generic_notes=generic_notes)
    secs = time.perf_counter() - t0
    tracemalloc.start()
    discover_across(scores, per_piece=per_piece, generic=generic, generic_notes=generic_notes)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    spread = list(statement_pieces(found).values())
    notes = [sum(len(t.notes) for t in s.pitched_tracks()) for s in scores]
    covered = [len({(n.track, n.index) for f in fams for o in f.occurrences for n in o.notes}) / max(k, 1)
               for fams, k in zip(found, notes)]
    per_family = [len(f.occurrences) for fams in found for f in fams]
    print(f"| {name} | {len(scores)} | {statistics.median(notes):g} | {statistics.fmean(map(len, within)):.1f} | "
          f"{statistics.fmean(map(len, found)):.1f} (max {max(map(len, found))}) | {len(spread)} | "
          f"{statistics.fmean(spread):.1f} (max {max(spread)}) | {statistics.fmean(per_family):.2f} | "
          f"{statistics.fmean(covered):.2f} | {secs:.1f} | {peak:.0f} |", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--essen", type=int, default=100)
    ap.add_argument("--chorales", type=int, default=8)
    ap.add_argument("--per-piece", type=int, nargs="*", default=[0], help="discover_across's per_piece (0: its default)")
    ap.add_argument("--generic", type=float, default=0.0, help="discover_across's generic (idf power; 0: off)")
    ap.add_argument("--generic-notes", type=int, default=0, help="discover_across's generic_notes (0: any length)")
    args = ap.parse_args()
    tmp = pathlib.Path(tempfile.mkdtemp())
    print("| collection | pieces | notes (median) | families / piece within | families / piece across | families | "
          "pieces / family | statements / family in a piece | notes covered | seconds | peak MiB (traced) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    collections = [(f"Essen han1, first {args.essen}", essen("han1", args.essen, tmp)),
                   ("Essen han1 + han2 + kinder0, 12 each", [s for w in ("han1", "han2", "kinder0") for s in essen(w, 12, tmp)]),
                   (f"Bach chorales, first {args.chorales}", chorales(args.chorales, tmp))]
    for cap in args.per_piece:
        for name, scores in collections:
            report(name + (f", per_piece {cap}" if cap else ""), scores, cap or None, args.generic, args.generic_notes)


if __name__ == "__main__":
    main()
