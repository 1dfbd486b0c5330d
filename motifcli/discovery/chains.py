"""Phrases made of motifs: two families whose statements follow each other, again and again, are one longer pattern.

The analyst's references on BPS hold both the short motif and the phrase it opens (a theme of
12-28 notes whose statements are "motif A, then motif B"); the window caps and growing
(:mod:`motifcli.discovery.extent`) cut such phrases (the "long references" bucket,
benchmarks/phase6-est6.md). Here, after the families are final, each ordered pair of voice
families (A, B) whose statements follow each other in the same voice (B's first note within
``chain_gap`` beats after A's last, no note shared) at least ``chain_min`` times gives one more
family, A+B, whose occurrences are the unions; A and B stay. Chains of chains are built the same
way up to ``chain_depth`` parts. Works on :class:`~motifcli.discovery.types.Family` only, so it
runs after voice, texture and cell families are judged, before the output order and cap.
"""

from __future__ import annotations

import numpy as np

from motifcli.discovery.types import DiscoverySettings, Family, NoteRef, Occurrence
from motifcli.voices import TEXTURE

Key = tuple[int, int]  # (track, note index)


def with_chains(families: list[Family], settings: DiscoverySettings) -> list[Family]:
    """``families`` plus their phrase chains (see the module doc); unchanged when ``chain_min`` is 0."""
    if settings.chain_min <= 0:
        return families
    parts = [f for f in families if _chainable(f, settings)]
    known = [_note_sets(f) for f in families]
    out: list[Family] = []
    level = parts
    for _ in range(max(settings.chain_depth, 2) - 1):
        found: list[Family] = []
        for a in level:
            for b in parts:
                if a is b:
                    continue
                chain = _chain(a, b, settings)
                if chain is None or _known(chain, known):
                    continue
                found.append(chain)
                known.append(_note_sets(chain))
        found.sort(key=lambda f: -f.salience)
        out.extend(found[: max(settings.chain_per_level, 0) or None])
        level = found
        if not level:
            break
    return [*families, *out]


def _chainable(f: Family, settings: DiscoverySettings) -> bool:
    """Voice families with enough statements (texture bars and 2-3-note cells are no phrase parts)."""
    return (f.prototype.notes[0].voice != TEXTURE and f.notes_per_occurrence >= settings.min_notes
            and len(f.occurrences) >= settings.chain_min)


def _chain(a: Family, b: Family, settings: DiscoverySettings) -> Family | None:
    """A+B when at least ``chain_min`` statements of A are followed by one of B in the same voice."""
    b_occ = sorted(b.occurrences, key=lambda o: o.start)
    b_starts = np.array([o.start for o in b_occ])
    pairs: list[tuple[Occurrence, Occurrence]] = []
    for x in a.occurrences:
        last = x.notes[-1]
        j = int(np.searchsorted(b_starts, last.onset, side="right"))
        if j >= len(b_occ):
            continue
        y = b_occ[j]
        if (y.track != x.track or y.notes[0].voice != last.voice or y.start - last.offset > settings.chain_gap
                or {(n.track, n.index) for n in y.notes} & {(n.track, n.index) for n in x.notes}):
            continue
        if len(x.notes) + len(y.notes) > settings.chain_max_notes:
            continue
        pairs.append((x, y))
    if len(pairs) < settings.chain_min:
        return None
    occs = _non_overlapping([_union(x, y) for x, y in pairs])
    if len(occs) < settings.chain_min:
        return None
    base = occs[0].transposition
    occs = [Occurrence(o.notes, o.transposition - base, o.diatonic, o.similarity) for o in occs]
    total = sum(len(o.notes) for o in a.occurrences) / max(a.coverage, 1e-12)
    coverage = sum(len(o.notes) for o in occs) / total
    similarity = float(np.mean([o.similarity for o in occs]))
    salience = settings.chain_salience * coverage * similarity * float(np.log2(1 + len(occs)))
    return Family("", tuple(occs), salience, coverage, int(np.median([len(o.notes) for o in occs])))


def _union(x: Occurrence, y: Occurrence) -> Occurrence:
    notes: tuple[NoteRef, ...] = tuple(sorted({*x.notes, *y.notes}, key=lambda n: (n.onset, n.pitch)))
    return Occurrence(notes, x.transposition, x.diatonic, min(x.similarity, y.similarity))


def _non_overlapping(occs: list[Occurrence]) -> list[Occurrence]:
    """In time order, each occurrence that shares no note with one kept before it."""
    kept, used = [], set()
    for o in sorted(occs, key=lambda o: o.start):
        keys = {(n.track, n.index) for n in o.notes}
        if keys & used:
            continue
        kept.append(o)
        used |= keys
    return kept


def _note_sets(f: Family) -> list[frozenset[Key]]:
    return [frozenset((n.track, n.index) for n in o.notes) for o in f.occurrences]


def _known(chain: Family, known: list[list[frozenset[Key]]]) -> bool:
    """True when one family already states most of the chain's occurrences (cardinality >= .75)."""
    mine = _note_sets(chain)
    for sets in known:
        hits = sum(any(len(m & s) >= 0.75 * max(len(m), len(s)) for s in sets) for m in mine)
        if hits >= 0.5 * len(mine):
            return True
    return False
