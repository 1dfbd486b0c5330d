"""Per-piece fast scores of two DiscoverySettings variants side by side (phase10-barpos10.md).

    PYTHONPATH=$PWD python -m benchmarks.barpos_pieces bps tune "bar_position=off" ""

Scores are ``discovery_errors.fast_scores`` (equal to mir_eval's F_est, P_est, R_est, F_occ(.75), F_3);
``n`` is the number of families. No model (as the product on BPS, where no chordal track leads).
"""

from __future__ import annotations

import sys

from benchmarks.discovery_errors import clean, fast_scores
from benchmarks.discovery_sweep import parse_set, pieces
from motifcli.discovery import DiscoverySettings, discover


def main() -> None:
    corpus, split, *specs = sys.argv[1:]
    for p in pieces(corpus, split):
        refs = clean(p.patterns)
        cols = []
        for spec in specs:
            found = discover(p.score, None, settings=DiscoverySettings(**parse_set(spec.split())))
            s = fast_scores(clean([[o.points() for o in f.occurrences] for f in found]), refs)
            cols.append(" ".join(f"{k}={v:.3f}" for k, v in s.items()) + f" n={len(found)}")
        print(p.name, " | ".join(cols), flush=True)


if __name__ == "__main__":
    main()
