"""Which selection rule drops the family holding each untouched labelled pattern (phase13-rank13.md).

    PYTHONPATH=$PWD python -m benchmarks.rank13_trace [--corpus bps --split tune] [--all-but]

For each labelled pattern whose best establishment score at the defaults is < .3, discovery is rerun
with one rule relaxed at a time; the pattern's best score, the holding family's rank, statement length
and count are printed per relaxation, so the rule that cuts it (and what is ranked above it) shows.
``--all-but``: instead every rule is relaxed but one, left at its default (rules acting together).
"""

from __future__ import annotations

import argparse

import numpy as np

from benchmarks.discovery_errors import clean
from benchmarks.discovery_sweep import parse_set, pieces
from benchmarks.occ_errors import card_matrix
from motifcli.discovery import DiscoverySettings, discover

RELAX = {
    "defaults": "",
    "caps off": "max_families=80 notes_per_family=20 relative_salience=0",
    "redundancy .95": "redundancy=0.95",
    "caps off + redundancy .95": "max_families=80 notes_per_family=20 relative_salience=0 redundancy=0.95",
    "grown_redundancy 0": "grown_redundancy=0",
    "subfigure 0": "subfigure=0",
    "accompaniment off": "accompaniment_below=0 accompaniment_pivot=0",
    "doubled 0": "doubled=0",
    "all off": "max_families=80 notes_per_family=20 relative_salience=0 redundancy=0.95 grown_redundancy=0 "
               "subfigure=0 accompaniment_below=0 accompaniment_pivot=0 doubled=0",
}


ALL_OFF = dict(item.split("=") for item in RELAX["all off"].split())


def all_but() -> dict[str, str]:
    """Every rule relaxed but one (``ALL_OFF`` less that key), plus all relaxed."""
    return {"all off": RELAX["all off"],
            **{f"all off but {k}": " ".join(f"{a}={b}" for a, b in ALL_OFF.items() if a != k) for k in ALL_OFF}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default="bps")
    ap.add_argument("--split", default="tune")
    ap.add_argument("--all-but", action="store_true")
    args = ap.parse_args()
    relax = {"defaults": "", **all_but()} if args.all_but else RELAX
    for piece in pieces(args.corpus, args.split):
        refs = clean(piece.patterns)
        runs = {}
        for name, spec in relax.items():
            found = discover(piece.score, settings=DiscoverySettings(**parse_set(spec.split())))
            est = clean([[o.points() for o in f.occurrences] for f in found])
            S = np.array([[card_matrix(r, e).max() for e in est] for r in refs])
            runs[name] = (found, S)
        found0, S0 = runs["defaults"]
        for i in range(len(refs)):
            if S0[i].max() >= 0.3:
                continue
            label = piece.pattern_names[i] if i < len(piece.pattern_names) else str(i)
            print(f"{piece.name} {label}: {len(refs[i])} occs x {int(np.median([len(o) for o in refs[i]]))} notes, "
                  f"onsets {[round(o[0][0], 2) for o in refs[i]][:10]}")
            for name, (found, S) in runs.items():
                j = int(S[i].argmax())
                f = found[j]
                print(f"    {name:28s} best={S[i, j]:.2f} rank={j} n={f.notes_per_occurrence} "
                      f"statements={len(f.occurrences)} families={len(found)}")


if __name__ == "__main__":
    main()
