"""Statements held by two or more families (same track, same notes), families per piece, and the fast scores.

    PYTHONPATH=$PWD python -m benchmarks.shared_counts [--model] CORPUS SPLIT "" "extend_kept=1"

Per variant: pieces with a shared statement, shared statements / all statements, pieces with 0 and 1
families, mean families, and (where the pieces have references) F_est / F_occ(.75) / F_3 as
discovery_fast_sweep prints them (phase16-shared16.md; its shared_statements rule, measured and not kept,
is in commit 4b2749f).
"""

from __future__ import annotations

import collections
import statistics
import sys

from benchmarks.discovery_errors import clean, fast_scores
from benchmarks.discovery_sweep import parse_set, pieces
from motifcli.discovery import DiscoverySettings, discover


def shared(found: list) -> tuple[int, int]:
    """(statements held by 2+ families, all statements)."""
    seen: dict[frozenset, set] = collections.defaultdict(set)
    total = 0
    for i, f in enumerate(found):
        for o in f.occurrences:
            seen[frozenset((n.track, n.index) for n in o.notes)].add(i)
            total += 1
    return sum(len(v) for v in seen.values() if len(v) > 1), total


def main() -> None:
    args = sys.argv[1:]
    model = None
    if args and args[0] == "--model":
        import motifcli

        model, args = motifcli.load_model(), args[1:]
    corpus, split, variants = args[0], args[1], args[2:] or [""]
    ps = pieces(corpus, split)
    for spec in variants:
        settings = DiscoverySettings(**parse_set(spec.split()))
        rows, fams, sh, tot, with_sh = [], [], 0, 0, 0
        for p in ps:
            found = discover(p.score, model, settings=settings)
            fams.append(len(found))
            s, t = shared(found)
            sh, tot, with_sh = sh + s, tot + t, with_sh + (s > 0)
            refs = clean(p.patterns)
            if refs:
                rows.append(fast_scores(clean([[o.points() for o in f.occurrences] for f in found]), refs))
        score = ""
        if rows:
            mean = {k: statistics.fmean(r[k] for r in rows) for k in ("F_est", "F_occ.75", "F_3")}
            score = " ".join(f"{k}={v:.3f}" for k, v in mean.items()) + f" (scored {len(rows)})"
        print(f"{corpus} {split} n={len(ps)} shared_pieces={with_sh} shared={sh}/{tot} zero={fams.count(0)} "
              f"one={fams.count(1)} fams={statistics.fmean(fams):.2f} {score} {spec!r}", flush=True)


if __name__ == "__main__":
    main()
