"""Why compression (MDL) choice loses on BPS-motif: how much the annotators' patterns overlap, and whether a
family's compression ratio tells labelled from unlabelled families (phase22-mdl22.md).

    PYTHONPATH=$PWD python -m benchmarks.mdl22_probe bps tune [k=v ...]
    PYTHONPATH=$PWD python -m benchmarks.mdl22_probe mtc tune

The k=v settings of the compression options (choose_by=compress ...) need commit 83c7f96, where their code lives.

Per piece: the share of its notes in reference patterns and in our families; the share of each reference pattern's notes (points, all occurrences) that lie in another reference
pattern's notes (what compression cannot explain twice), and the same for our families at the given settings.
Over all our families: AUC of the compression ratio (:func:`compression_ratio`) and of the ordering
salience for "matches a reference at .5" (establishment, as discovery_errors).
"""

from __future__ import annotations

import statistics
import sys

from benchmarks.discovery_errors import clean, establishment
from benchmarks.discovery_sweep import parse_set, pieces
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.types import Family


def compression_ratio(family: Family) -> float:
    """Notes the family explains (each once) over what describes it: its notes per statement and one
    translator per statement (SIATECCompress's compression ratio; salience.compression_ratio at 277b5ec)."""
    notes = len({(n.track, n.index) for o in family.occurrences for n in o.notes})
    return notes / max(family.notes_per_occurrence + len(family.occurrences), 1)


def shared(groups: list[set]) -> list[float]:
    """Per group, the share of its points that lie in another group."""
    out = []
    for i, g in enumerate(groups):
        others = set().union(*(h for j, h in enumerate(groups) if j != i))
        out.append(len(g & others) / max(len(g), 1))
    return out


def auc(pos: list[float], neg: list[float]) -> float:
    """P(a positive scores above a negative), ties half."""
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def main() -> None:
    corpus, split, *kv = sys.argv[1:]
    settings = DiscoverySettings(**parse_set(kv))
    ref_shared, our_shared, labelled, unlabelled = [], [], ([], []), ([], [])
    ref_cover, our_cover = [], []
    for piece in pieces(corpus, split):
        refs = clean(piece.patterns)
        if not refs:
            continue
        found = discover(piece.score, settings=settings)
        est = clean([[o.points() for o in f.occurrences] for f in found])
        ref_sets = [set().union(*map(set, r)) for r in refs]
        est_sets = [set().union(*map(set, e)) for e in est]
        rs, es = shared(ref_sets), shared(est_sets) if est_sets else []
        notes = {(float(n.onset), int(n.pitch)) for t in piece.score.pitched_tracks() for n in t.notes}
        ref_cover.append(len(set().union(*ref_sets) & notes) / max(len(notes), 1))
        our_cover.append(len(set().union(*est_sets) & notes) / max(len(notes), 1) if est_sets else 0.0)
        ref_shared += rs
        our_shared += es
        for f, e in zip(found, est):
            side = labelled if max(establishment(r, e) for r in refs) >= 0.5 else unlabelled
            side[0].append(compression_ratio(f))
            side[1].append(f.salience)
        print(f"{piece.name:>12} refs={len(refs)} ref shared={statistics.fmean(rs):.2f} "
              f"ours={len(est)} our shared={statistics.fmean(es) if es else float('nan'):.2f} "
              f"notes in refs={ref_cover[-1]:.2f} in ours={our_cover[-1]:.2f}", flush=True)
    print(f"reference patterns: {len(ref_shared)}, mean share of notes in another reference pattern "
          f"{statistics.fmean(ref_shared):.3f}, >= .5: {sum(s >= 0.5 for s in ref_shared)}")
    print(f"share of the piece's notes in reference patterns {statistics.fmean(ref_cover):.3f}, "
          f"in our families {statistics.fmean(our_cover):.3f}")
    print(f"our families: {len(our_shared)}, mean share in another of ours {statistics.fmean(our_shared):.3f}, "
          f">= .5: {sum(s >= 0.5 for s in our_shared)}")
    print(f"labelled {len(labelled[0])} / unlabelled {len(unlabelled[0])}: compression ratio median "
          f"{statistics.median(labelled[0]):.2f} / {statistics.median(unlabelled[0]):.2f}, "
          f"AUC {auc(labelled[0], unlabelled[0]):.3f}; salience AUC {auc(labelled[1], unlabelled[1]):.3f}")


if __name__ == "__main__":
    main()
