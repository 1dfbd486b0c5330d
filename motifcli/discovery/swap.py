"""A duplicate's slot goes to a family that states something new (``DiscoverySettings.duplicate_swap``).

Why: on BPS tune a third of our families have half their notes in one more salient family (the same
motif at another length or offset, benchmarks/phase13-rank13.md), while labelled motifs whose core
window is chosen just past the family cap (Waldstein's opening, 25-1 f) are never grown. Here a
duplicate inside the cap yields its slot to the next candidate past the cap that is no duplicate.
"""

from __future__ import annotations

from motifcli.discovery.salience import motif_salience
from motifcli.discovery.types import DiscoverySettings, Family


def _notes(f: Family) -> set[tuple[int, int]]:
    return {(n.track, n.index) for o in f.occurrences for n in o.notes}


def swapped(families: list[Family], cap: int, settings: DiscoverySettings) -> list[int]:
    """Indices (in the given order, which is choice order) of the families kept under ``cap``.

    ``families[:cap]`` are the ones the cap chose; each whose ``duplicate_swap`` share of notes lies
    in one more salient (ordering salience) kept family is replaced by the next family past the cap
    that is no such duplicate of the kept ones.
    """
    share = settings.duplicate_swap
    inside = sorted(range(min(cap, len(families))), key=lambda i: -motif_salience(families[i], settings))
    held: list[set[tuple[int, int]]] = []
    kept, dups = [], 0
    for i in inside:
        n = _notes(families[i])
        if any(len(n & h) >= share * len(n) for h in held):
            dups += 1
            continue
        held.append(n)
        kept.append(i)
    for i in range(cap, len(families)):
        if dups == 0:
            break
        n = _notes(families[i])
        if any(len(n & h) >= share * len(n) for h in held):
            continue
        held.append(n)
        kept.append(i)
        dups -= 1
    if dups:  # too few new candidates: duplicates keep their slots, most salient first
        kept += [i for i in inside if i not in kept][:dups]
    return sorted(kept)
