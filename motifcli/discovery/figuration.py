"""Figuration in place: a chord-outlining figure restated back to back at a pitch it already sounded.

Arpeggiated figuration (BPS 17-1's right-hand broken chords over the tenor's melody, 21-1's triplet
and sixteenth arpeggios) sits on top, so neither the register rule nor "a line sounds above it"
catches it, and arpeggios are also labelled motifs (09-1 J, L; 25-1 E). What differs is what the
figure does over time: figuration marks time over a chord, so its statements follow each other and
come back to a pitch level already sounded in the run (the chord has not moved: 0, -24, 0, 0 ...); an
arpeggio motif returns separated by other material, or each back-to-back statement moves on (a
sequence, or 09-1 L's octave descent 0, -12, -24, -36). benchmarks/phase13-fig13.md.
"""

from __future__ import annotations

from collections import Counter

from motifcli.discovery.types import Family


def leap_share(f: Family) -> float:
    """Share of the prototype's steps of 3 semitones or more (a chord outline when half or more)."""
    p = [n.pitch for n in f.prototype.notes]
    steps = [abs(b - a) for a, b in zip(p, p[1:])]
    return sum(s >= 3 for s in steps) / max(len(steps), 1)


def in_place_share(f: Family) -> float:
    """Share of statements that start within one of the figure's inter-onset intervals of the end of
    the previous one (back to back) at a transposition already sounded in that run."""
    onsets = [n.onset for n in f.prototype.notes]
    iois = Counter(round(b - a, 3) for a, b in zip(onsets, onsets[1:]))
    gap = (iois.most_common(1)[0][0] if iois else 1.0) + 1e-6
    occ = sorted(f.occurrences, key=lambda o: o.start)
    hits, end, run = 0, float("-inf"), set[int]()
    for o in occ:
        if o.start > end + gap:  # a new run
            run, end = set(), o.end
        else:
            end = max(end, o.end)
        hits += o.transposition in run
        run.add(o.transposition)
    return hits / len(occ)


def in_place_figure(f: Family, share: float) -> bool:
    """A chord-outlining family (half its steps leaps) with ``share`` of its statements in place (0: never)."""
    return share > 0 and leap_share(f) >= 0.5 and in_place_share(f) >= share
