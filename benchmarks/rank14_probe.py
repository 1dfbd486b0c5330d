"""Which families make our first five, and which labelled patterns only families ranked 6th or later establish.

    PYTHONPATH=$PWD python -m benchmarks.rank14_probe --corpus bps --split tune [--model] [--set k=v ...] [--per-piece]

For every family: its rank, whether it establishes a labelled pattern (best cardinality >= .75, mir_eval's
establishment) and what it is: statements x notes, texture / cell / line, share of transposed statements,
voices (track, voice) it is stated in, first statement's onset as a share of the piece, span (first to last
statement) as a share of the piece. Summaries: labelled patterns established in the first five, only at 6+,
or not at all; the features of first-five families against labelled families at 6+ and unlabelled ones.
"""

from __future__ import annotations

import statistics
from collections import defaultdict

from benchmarks.discovery_errors import card, clean
from benchmarks.discovery_sweep import parse_set, pieces, probe_parser
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.types import Family


def features(f: Family, start: float, length: float) -> dict[str, float]:
    occ = f.occurrences
    firsts = [o.start for o in occ]
    return {
        "stmts": len(occ), "notes": f.notes_per_occurrence,
        "texture": float(f.is_texture),
        "cell": float(f.notes_per_occurrence <= 3),
        "transposed": sum(o.transposition != 0 for o in occ[1:]) / max(len(occ) - 1, 1),
        "voices": len({(o.track, o.notes[0].voice) for o in occ}),
        "first": (min(firsts) - start) / length, "span": (max(firsts) - min(firsts)) / length,
    }


def main() -> None:
    ap = probe_parser(__doc__, model=True)
    args = ap.parse_args()
    model = None
    if args.model:
        import motifcli

        model = motifcli.load_model()
    settings = DiscoverySettings(**parse_set(args.set or []))
    groups: dict[str, list[dict]] = defaultdict(list)
    counts = defaultdict(int)
    ref_first = []
    for p in pieces(args.corpus, args.split):
        refs = clean(p.patterns)
        found = discover(p.score, model, settings=settings)
        est = clean([[o.points() for o in f.occurrences] for f in found])
        notes = [n for t in p.score.tracks for n in t.notes]
        start = min(n.onset for n in notes)
        length = max(n.offset for n in notes) - start
        ref_first += [(min(min(x for x, _ in o) for o in r) - start) / length for r in refs]
        best = [[max(card(a, b) for a in r for b in e) for e in est] for r in refs]  # refs x families
        lines = []
        for i, row in enumerate(best):
            top5 = max(row[:5], default=0)
            k = max(range(len(row)), key=lambda j: (row[j], -j)) if row else None
            where = "first5" if top5 >= 0.75 else ("later" if row and row[k] >= 0.75 else "none")
            counts[where] += 1
            if where == "later":
                lines.append(f"    ref {i} ({len(refs[i])}x{len(refs[i][0])}) only at rank {k + 1} ({row[k]:.2f}); "
                             f"first five best {top5:.2f}")
        for j, f in enumerate(found):
            labelled = any(best[i][j] >= 0.75 for i in range(len(refs)))
            g = "first five" if j < 5 else ("6+ labelled" if labelled else "6+ unlabelled")
            ft = features(f, start, length)
            groups[g].append(ft)
            if j < 5:
                groups["first five labelled" if labelled else "first five unlabelled"].append(ft)
        if args.per_piece:
            print(p.name)
            for j, f in enumerate(found[:8]):
                ft = features(f, start, length)
                hit = max((best[i][j] for i in range(len(refs))), default=0)
                print(f"  {j + 1:>2} {f.label} best {hit:.2f} " + " ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}"
                                                                   for k, v in ft.items()))
            print("\n".join(lines))
    print(f"labelled patterns: established by the first five {counts['first5']}, only at 6+ {counts['later']}, "
          f"by none {counts['none']}")
    print(f"labelled patterns' first statement at mean {statistics.fmean(ref_first):.2f} of the piece "
          f"(median {statistics.median(ref_first):.2f})")
    keys = list(next(iter(groups.values()))[0])
    print("| group | n | " + " | ".join(keys) + " |")
    for g in ("first five labelled", "first five unlabelled", "6+ labelled", "6+ unlabelled"):
        rows = groups.get(g, [])
        if rows:
            print(f"| {g} | {len(rows)} | " + " | ".join(f"{statistics.fmean(r[k] for r in rows):.2f}" for k in keys) + " |")


if __name__ == "__main__":
    main()
