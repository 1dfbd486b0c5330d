"""BPS duplicates, travel and 2-note cells against the labels (phase13-rank13.md).

    PYTHONPATH=$PWD python -m benchmarks.rank13_probe dups|travel|cells [--split tune] [--set key=value ...]

``dups``: every family with half its notes in one more salient family (est_probe's "duplicate"),
the labelled pattern each of the two establishes best (SAME: one labelled motif at another length or
offset; other: a labelled sub-motif) and whether the duplicate is that pattern's sole best family.
``travel``: share of statements in another voice line / transposed, by best score, for line families.
``cells``: 2-note cell families' intervals over their statements (cells are keyed by rhythm and contour).
"""

from __future__ import annotations

import argparse

import numpy as np

from benchmarks.discovery_errors import clean
from benchmarks.discovery_sweep import parse_set, pieces
from benchmarks.occ_errors import card_matrix
from motifcli.discovery import DiscoverySettings, discover


def scored(piece, settings):
    refs = clean(piece.patterns)
    found = discover(piece.score, settings=settings)
    est = clean([[o.points() for o in f.occurrences] for f in found])
    S = np.array([[card_matrix(r, e).max() for e in est] for r in refs])
    return found, est, S


def dups(piece, found, est, S) -> None:
    notes = [{p for o in e for p in o} for e in est]
    for j, e in enumerate(est):
        k = max(range(j), key=lambda k: len(notes[j] & notes[k]), default=None)
        if k is None or len(notes[j] & notes[k]) < 0.5 * len(notes[j]):
            continue
        i, ik = int(S[:, j].argmax()), int(S[:, k].argmax())
        sole = S[i, j] > max(S[i, m] for m in range(len(est)) if m != j) + 1e-9
        print(f"{piece.name} {found[j].label} (n={found[j].notes_per_occurrence}, {len(e)} st) in {found[k].label} "
              f"(n={found[k].notes_per_occurrence}): share {len(notes[j] & notes[k]) / len(notes[j]):.2f}; best "
              f"{piece.pattern_names[i]}={S[i, j]:.2f}, container's {piece.pattern_names[ik]}={S[ik, k]:.2f} "
              f"{'SAME' if i == ik else 'other'} sole={sole}")


def travel_rows(found, S) -> list[tuple[float, float, float]]:
    rows = []
    for j, f in enumerate(found):
        if f.notes_per_occurrence <= 3:
            continue
        lines = [(o.notes[0].track, o.notes[0].voice) for o in f.occurrences]
        main = max(set(lines), key=lines.count)
        rest = f.occurrences[1:]
        rows.append((float(S[:, j].max()), float(np.mean([x != main for x in lines])),
                     float(np.mean([o.transposition != 0 for o in rest])) if rest else 0.0))
    return rows


def cells(piece, found) -> None:
    for f in found:
        if f.notes_per_occurrence == 2:
            iv = [o.notes[1].pitch - o.notes[0].pitch for o in f.occurrences]
            print(f"{piece.name} {f.label}: {len(iv)} statements, step share "
                  f"{np.mean(np.abs(iv) <= 2):.2f}, intervals {sorted(set(iv))}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("what", choices=["dups", "travel", "cells"])
    ap.add_argument("--split", default="tune")
    ap.add_argument("--set", nargs="*", default=[])
    args = ap.parse_args()
    settings = DiscoverySettings(**parse_set(args.set))
    rows = []
    for piece in pieces("bps", args.split):
        found, est, S = scored(piece, settings)
        if args.what == "dups":
            dups(piece, found, est, S)
        elif args.what == "cells":
            cells(piece, found)
        else:
            rows += travel_rows(found, S)
    if rows:
        r = np.array(rows)
        for lo, hi in ((0, .3), (.3, .7), (.7, .999), (.999, 1.01)):
            m = (r[:, 0] >= lo) & (r[:, 0] < hi)
            print(f"best in [{lo}, {hi}): {int(m.sum())} families, other voice {r[m, 1].mean():.2f}, transposed {r[m, 2].mean():.2f}")
        print(f"correlation of best with other voice {np.corrcoef(r[:, 0], r[:, 1])[0, 1]:.2f}, "
              f"with transposed {np.corrcoef(r[:, 0], r[:, 2])[0, 1]:.2f}")


if __name__ == "__main__":
    main()
