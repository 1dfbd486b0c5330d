"""One statement, one family: a statement held by two families stays in one of them.

Families are chosen pattern by pattern, and varied statements join by alignment, so the same
notes of one line can end up a statement of two families (a short varied statement aligned into
two families of longer ones; benchmarks/phase16-audit16.md counted 106 of 236 music21-corpus
inputs). ``core._distinct`` only keeps two families from holding the same *set* of statements. A
musician sees those notes bracketed and coloured twice under two names. This output rule gives
each such statement to one family ("salient": the more salient, i.e. earlier one; "similar": the
one it is most similar to, ties to the more salient; "varied": every family it is most similar to, so it
leaves only families where it is a looser variant) and drops a family left with fewer than two
statements. A family's prototype stays with it. benchmarks/phase16-shared16.md measures it.
"""

from __future__ import annotations

import dataclasses

from motifcli.discovery.types import Family


def _key(notes: tuple) -> frozenset[tuple[int, int]]:
    return frozenset((n.track, n.index) for n in notes)


def owners(families: list[Family], rule: str) -> dict[frozenset[tuple[int, int]], set[int]]:
    """Statement (its notes) -> indices of the families that keep it, for statements held by 2+ families
    ("varied": every family it is most similar to, so a statement exact in two families stays in both)."""
    held: dict[frozenset[tuple[int, int]], list[tuple[int, int]]] = {}  # key -> [(family, occurrence)]
    for i, f in enumerate(families):
        for j, o in enumerate(f.occurrences):
            held.setdefault(_key(o.notes), []).append((i, j))
    out = {}
    for key, where in held.items():
        fams = sorted({i for i, _ in where})
        if len(fams) < 2:
            continue
        protos = [i for i, j in where if j == 0]
        if protos:  # a family keeps its prototype (the most salient family whose prototype it is)
            out[key] = {min(protos)}
        elif rule in ("similar", "varied"):
            sim = {i: max(families[i].occurrences[j].similarity for k, j in where if k == i) for i in fams}
            best = max(sim.values())
            out[key] = {i for i in fams if sim[i] == best} if rule == "varied" else {min(fams, key=lambda i: (-sim[i], i))}
        else:
            out[key] = {fams[0]}
    return out


def one_family_each(families: list[Family], rule: str) -> list[Family]:
    """``families`` (most salient first) with every shared statement kept by one family only;
    families left with fewer than two statements are dropped (the caller relabels)."""
    own = owners(families, rule)
    if not own:
        return families
    out = []
    for i, f in enumerate(families):
        kept = tuple(o for o in f.occurrences if i in own.get(_key(o.notes), {i}))
        if len(kept) == len(f.occurrences):
            out.append(f)
        elif len(kept) >= 2:
            notes = sum(len(o.notes) for o in f.occurrences)
            coverage = f.coverage * sum(len(o.notes) for o in kept) / notes
            out.append(dataclasses.replace(f, occurrences=kept, coverage=coverage))
    return out
