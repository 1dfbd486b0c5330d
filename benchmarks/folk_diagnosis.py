"""Why note-level discovery scores low on MTC-ANN (folk songs): what the references are and what we output.

    PYTHONPATH=$PWD python -m benchmarks.folk_diagnosis [--corpus mtc] [--split tune] [--set k=v ...] [--songs]

Reports, for one split (MTC tune by default; never run it on a test split):

- reference patterns by number of occurrences in the song (1 = a motif class the annotators marked
  once in this song, because it returns in *other* songs of the tune family: not findable by
  repetition inside the song) and by notes per occurrence;
- whether a 1-occurrence reference's shape (intervals and rhythm) sounds again elsewhere in the song,
  unlabelled (one line: MTC's songs are);
- how the >= 2-occurrence references repeat: every occurrence the same intervals and rhythm
  (exact / transposed), the same rhythm only, or varied;
- the official mean scores beside a diagnostic restricted to references with >= 2 occurrences
  (songs left with none are dropped from that mean; the count is printed): a diagnostic only;
- our families: count per song, notes per statement, statements per family, songs with none.

``--songs`` prints one line per song (notes, references with their occurrence counts and lengths,
our families with theirs) for reading songs against their labels.
"""

from __future__ import annotations

import argparse
import statistics
from collections import Counter

from benchmarks.discovery_errors import clean, fast_scores
from benchmarks.discovery_sweep import parse_set, pieces
from motifcli.discovery import DiscoverySettings, discover


def shape(occ: list[tuple[float, int]]) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """Intervals and inter-onset intervals of one occurrence (its notes in onset order)."""
    occ = sorted(occ)
    ints = tuple(b[1] - a[1] for a, b in zip(occ, occ[1:]))
    iois = tuple(round(b[0] - a[0], 4) for a, b in zip(occ, occ[1:]))
    return ints, iois


def repeat_kind(pattern: list) -> str:
    """How a >= 2-occurrence reference repeats: "exact" (same pitches), "transposed", "rhythm" (same
    rhythm, other intervals), "varied" (notes or rhythm differ)."""
    first = sorted(pattern[0])
    shapes = [shape(o) for o in pattern]
    if all(s == shapes[0] for s in shapes):
        same_pitch = all(sorted(o)[0][1] == first[0][1] for o in pattern)
        return "exact" if same_pitch else "transposed"
    if all(len(o) == len(first) and s[1] == shapes[0][1] for o, s in zip(pattern, shapes)):
        return "rhythm"
    return "varied"


def recurs(pattern: list, points: list[tuple[float, int]]) -> str:
    """Whether a reference's first occurrence's shape sounds again at another place of the one-line song,
    unlabelled: "same" (intervals and rhythm, any transposition), "intervals" (its intervals only), "no"."""
    occ = sorted(pattern[0])
    k, own = len(occ), {tuple(sorted(o)) for o in pattern}
    ints, iois = shape(occ)
    found = "no"
    for s in range(len(points) - k + 1):
        window = points[s:s + k]
        if tuple(window) in own:
            continue
        w_ints, w_iois = shape(window)
        if w_ints == ints:
            if w_iois == iois:
                return "same"
            found = "intervals"
    return found


def length_bin(n: float) -> str:
    return "<=3" if n <= 3 else "4-5" if n <= 5 else "6-8" if n <= 8 else "9+"


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--corpus", default="mtc")
    ap.add_argument("--split", default="tune")
    ap.add_argument("--set", nargs="*", default=[])
    ap.add_argument("--songs", action="store_true")
    args = ap.parse_args()
    if args.split == "test":
        raise SystemExit("folk_diagnosis: never on a test split")
    settings = DiscoverySettings(**parse_set(args.set))
    ps = [p for p in pieces(args.corpus, args.split) if clean(p.patterns)]
    by_occ: Counter = Counter()
    by_len: Counter = Counter()
    by_len_multi: Counter = Counter()
    kinds: Counter = Counter()
    again: Counter = Counter()
    official, restricted = [], []
    fam_counts, fam_notes, fam_stmts = [], [], []
    songs_single_only = 0
    for p in ps:
        refs = clean(p.patterns)
        multi = [r for r in refs if len(r) >= 2]
        songs_single_only += not multi
        points = [(round(n.onset, 4), n.pitch) for n in p.notes]
        for r in refs:
            by_occ["1" if len(r) == 1 else "2" if len(r) == 2 else "3+"] += 1
            med = statistics.median(len(o) for o in r)
            by_len[length_bin(med)] += 1
            if len(r) == 1:
                again[(length_bin(med), recurs(r, points))] += 1
            if len(r) >= 2:
                by_len_multi[length_bin(med)] += 1
                kinds[repeat_kind(r)] += 1
        found = discover(p.score, None, settings=settings)
        est = clean([[o.points() for o in f.occurrences] for f in found])
        s = fast_scores(est, refs)
        official.append(s)
        if multi:
            restricted.append(fast_scores(est, multi))
        fam_counts.append(len(est))
        for e in est:
            fam_notes.append(statistics.median(len(o) for o in e))
            fam_stmts.append(len(e))
        if args.songs:
            rtxt = " ".join(f"{n}:{len(r)}x{statistics.median(len(o) for o in r):g}"
                            for n, r in zip(p.pattern_names, clean(p.patterns)))
            etxt = " ".join(f"{len(e)}x{statistics.median(len(o) for o in e):g}" for e in est)
            print(f"{p.name} notes={len(p.notes)} F={s['F_est']:.2f}/{s['F_occ.75']:.2f}/{s['F_3']:.2f} "
                  f"refs[{rtxt}] ours[{etxt}]")
    n_refs = sum(by_occ.values())
    print(f"{args.corpus} {args.split}: {len(ps)} songs, {n_refs} reference patterns "
          f"({n_refs / len(ps):.2f} per song); settings {args.set or 'defaults'}")
    print("| occurrences in the song | patterns | share |\n|---|---|---|")
    for k in ("1", "2", "3+"):
        print(f"| {k} | {by_occ[k]} | {by_occ[k] / n_refs:.2f} |")
    print(f"songs whose every reference occurs once: {songs_single_only}")
    print("| notes per occurrence (median) | all patterns | patterns with >= 2 occurrences |\n|---|---|---|")
    for k in ("<=3", "4-5", "6-8", "9+"):
        print(f"| {k} | {by_len[k]} | {by_len_multi[k]} |")
    print("| 1-occurrence patterns, notes | its shape again, unlabelled: same intervals and rhythm | same intervals only | nowhere |")
    print("|---|---|---|---|")
    for k in ("<=3", "4-5", "6-8", "9+"):
        print(f"| {k} | {again[(k, 'same')]} | {again[(k, 'intervals')]} | {again[(k, 'no')]} |")
    print("| >= 2-occurrence patterns repeat | patterns |\n|---|---|")
    for k in ("exact", "transposed", "rhythm", "varied"):
        print(f"| {k} | {kinds[k]} |")
    keys = ("F_est", "P_est", "R_est", "F_occ.75", "F_3")
    print("| scored against | songs | " + " | ".join(keys) + " |\n|---|---|" + "---|" * len(keys))
    for name, rows in (("all references (official)", official), (">= 2-occurrence references (diagnostic)", restricted)):
        print(f"| {name} | {len(rows)} | " + " | ".join(f"{statistics.fmean(r[k] for r in rows):.3f}" for k in keys) + " |")
    print(f"our families: {statistics.fmean(fam_counts):.2f} per song, songs with none {fam_counts.count(0)}; "
          f"notes per statement median {statistics.median(fam_notes) if fam_notes else 0:g} "
          f"({dict(sorted(Counter(length_bin(n) for n in fam_notes).items()))}); statements per family median "
          f"{statistics.median(fam_stmts) if fam_stmts else 0:g}")


if __name__ == "__main__":
    main()
