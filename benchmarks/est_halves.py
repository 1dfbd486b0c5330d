"""Do settings chosen on half of BPS tune hold on the other half? (4-vs-4 check of a choice)

    PYTHONPATH=$PWD python -m benchmarks.est_halves [--corpus bps --split tune] [--metric F_est[,F_occ.75,F_3]] "" "k=v" "k=v k2=v2" ...

Each quoted argument is a variant of DiscoverySettings overrides ("" = defaults), scored per piece by
``discovery_errors.fast_scores``. For every split of the pieces into two halves (35 for 8 pieces,
each taken both ways), the variant with the best mean ``--metric`` on one half is "chosen" and its
gain over the defaults on the other half is recorded. A variant that wins on one half only because
of one or two pieces shows up as a held-out gain near zero or below; one that holds shows a
held-out gain close to its gain on all pieces.
"""

from __future__ import annotations

import argparse
import itertools
import statistics

from benchmarks.discovery_errors import clean, fast_scores
from benchmarks.discovery_sweep import parse_set, pieces
from motifcli.discovery import DiscoverySettings, discover


def per_piece(corpus: str, split: str, variants: list[str]) -> tuple[list[str], dict[str, list[dict]]]:
    ps = pieces(corpus, split)
    refs = [clean(p.patterns) for p in ps]
    out: dict[str, list[dict]] = {}
    for spec in variants:
        settings = DiscoverySettings(**parse_set(spec.split()))
        out[spec] = [fast_scores(clean([[o.points() for o in f.occurrences] for f in discover(p.score, settings=settings)]), r)
                     for p, r in zip(ps, refs)]
    return [p.name for p in ps], out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default="bps")
    ap.add_argument("--split", default="tune")
    ap.add_argument("--metric", default="F_est",
                    help="a fast_scores key (F_est, F_occ.75, F_3, FFTP_est, FFP, ...) or several, comma-separated:"
                         " one table and halves check each, from one scoring run")
    ap.add_argument("--base", default="", help="the variant gains are measured against (default: the defaults)")
    ap.add_argument("variants", nargs="+")
    args = ap.parse_args()
    base = args.base
    variants = [base, *[v for v in args.variants if v != base]]
    names, scores = per_piece(args.corpus, args.split, variants)
    for m in args.metric.split(","):
        report(names, scores, variants, base, m)


def report(names: list[str], scores: dict[str, list[dict]], variants: list[str], base: str, m: str) -> None:
    """The per-piece table of metric ``m`` and its 4-vs-4 held-out check against ``base``."""
    print("| variant | " + " | ".join(names) + f" | mean {m} | F_occ(.75) | F_3 |")
    print("|---" * (len(names) + 4) + "|")
    for v in variants:
        rows = scores[v]
        print(f"| `{v or 'defaults'}` | " + " | ".join(f"{r[m]:.3f}" for r in rows)
              + f" | {statistics.fmean(r[m] for r in rows):.3f} | {statistics.fmean(r['F_occ.75'] for r in rows):.3f}"
              f" | {statistics.fmean(r['F_3'] for r in rows):.3f} |")
    n = len(names)
    held, chosen = [], []
    for half in itertools.combinations(range(n), n // 2):
        other = [i for i in range(n) if i not in half]
        for a, b in ((list(half), other), (other, list(half))):
            best = max(variants, key=lambda v: (statistics.fmean(scores[v][i][m] for i in a), v == base))
            chosen.append(best)
            held.append(statistics.fmean(scores[best][i][m] - scores[base][i][m] for i in b))
    print(f"{len(held)} half-choices: held-out {m} gain over `{base}` mean {statistics.fmean(held):+.4f}, "
          f"min {min(held):+.4f}, max {max(held):+.4f}; chosen:",
          {v or "defaults": chosen.count(v) for v in variants if chosen.count(v)})
    for v in variants[1:]:  # each variant alone against the base: its held-out gain when a half picks it
        gains = []
        for half in itertools.combinations(range(n), n // 2):
            other = [i for i in range(n) if i not in half]
            for a, b in ((list(half), other), (other, list(half))):
                if statistics.fmean(scores[v][i][m] - scores[base][i][m] for i in a) > 0:
                    gains.append(statistics.fmean(scores[v][i][m] - scores[base][i][m] for i in b))
        print(f"`{v}`: chosen over `{base}` on {len(gains)} of {len(held)} halves; held-out gain then "
              + (f"mean {statistics.fmean(gains):+.4f}, below 0 on {sum(g < 0 for g in gains)}" if gains else "-"))
    lopo = []  # leave one piece out: the variant best on the other pieces, and its gain on the one left out
    for i in range(n):
        rest = [k for k in range(n) if k != i]
        best = max(variants, key=lambda v: (statistics.fmean(scores[v][k][m] for k in rest), v == base))
        lopo.append((names[i], best, scores[best][i][m] - scores[base][i][m]))
    print(f"leave one piece out ({m}): " + "; ".join(f"{p} `{v or 'defaults'}` {g:+.3f}" for p, v, g in lopo)
          + f"; mean {statistics.fmean(g for *_, g in lopo):+.4f}")
    print()


if __name__ == "__main__":
    main()
