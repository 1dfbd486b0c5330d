"""Family salience and order: an analyst's first five should be ours (issue 10).

The base salience (``core._family``, ``texture.phrase_family``, ``cells``: share of the voiced notes
in the statements x mean similarity x log2(1 + statements), cells x ``cell_salience``) says how
much of the piece a family explains and how often. Families are then *ordered* by

    salience = base x notes_per_occurrence ** salience_length
                    x (1 + salience_transposed x transposed share)      (voice families only)

because labelled motifs are longer statements than the short figures that fill a piece at equal
coverage (benchmarks/phase5-rank5.md) and Beethoven's motifs recur transposed. ``ranked`` orders
families before the choices that read the order (the family cap, parts of more salient families, the
accompaniment register); ``opening_ordered`` (``order_opening``) then re-sorts the final output only.
"""

from __future__ import annotations

import collections
import dataclasses
import math

from motifcli.discovery.types import DiscoverySettings, Family


def transposed_share(family: Family) -> float:
    """Share of the statements after the prototype that are transposed; 0 for texture families
    (a pop song's repeated bars follow its chords, so transposition says nothing there)."""
    rest = family.occurrences[1:]
    if family.is_texture or not rest:
        return 0.0
    return sum(o.transposition != 0 for o in rest) / len(rest)


def plainness(family: Family) -> float:
    """Share of the prototype's intervals that are repeated notes or steps one way (0 for texture).

    Measured in benchmarks/phase5-rank5.md; not part of the order (Beethoven's motifs are often
    scale runs and repeated notes, so it lowered BPS's first five).
    """
    proto = family.prototype
    if family.is_texture or len(proto.notes) < 2:
        return 0.0
    pitches = [n.pitch for n in proto.notes]
    steps = [b - a for a, b in zip(pitches, pitches[1:])]
    up = sum(0 < s <= 2 for s in steps)
    down = sum(-2 <= s < 0 for s in steps)
    return (sum(s == 0 for s in steps) + max(up, down)) / len(steps)


def motif_salience(family: Family, settings: DiscoverySettings) -> float:
    """The base salience scaled by statement length and transposition."""
    s = family.salience * max(family.notes_per_occurrence, 1) ** settings.salience_length
    return s * (1.0 + settings.salience_transposed * transposed_share(family))


def opening_weight(family: Family, start: float, length: float, tau: float) -> float:
    """exp(-(first statement's onset - ``start``) / (``tau`` x ``length``)); 1 for texture families.

    An analyst names first the idea the piece opens with (a quartet's opening motif, a chorale's first
    phrase); a chordal track's bars sound from the first bar whatever the song's ideas are, so where a
    texture family starts says nothing (as for ``transposed_share``).
    """
    if family.is_texture or tau <= 0 or length <= 0:
        return 1.0
    first = min(o.start for o in family.occurrences)
    return math.exp(-max(first - start, 0.0) / (tau * length))


def exact_share(family: Family) -> float:
    """Share of the statements that are exact (similarity 1; the prototype always is)."""
    return sum(o.similarity >= 1.0 - 1e-9 for o in family.occurrences) / len(family.occurrences)


def shared_shares(families: list[Family]) -> list[float]:
    """Per family, the share of its notes that lie in another family's statements too."""
    notes = [{(n.track, n.index) for o in f.occurrences for n in o.notes} for f in families]
    count = collections.Counter(k for ns in notes for k in ns)
    return [sum(count[k] > 1 for k in ns) / max(len(ns), 1) for ns in notes]


def output_weights(families: list[Family], settings: DiscoverySettings, start: float, length: float) -> list[float]:
    """Each family's output-order factor: :func:`opening_weight` x exact share ** ``order_exact``
    x (1 - ``order_own`` x shared share), the last two for line families only (texture families: 1,
    as for the opening). A motif recurs as itself: a family gathered from loose matches (a 4-note window
    of a running passage fits everywhere) is ranked below one stated exactly; and a family every note of
    which lies in other families' statements tells the listener nothing those families do not
    (benchmarks/phase17-rank17.md)."""
    shared = shared_shares(families) if settings.order_own > 0 else [0.0] * len(families)
    out = []
    for f, sh in zip(families, shared):
        w = opening_weight(f, start, length, settings.order_opening)
        if not f.is_texture:
            w *= exact_share(f) ** settings.order_exact * (1.0 - settings.order_own * sh)
        out.append(w)
    return out


def opening_ordered(families: list[Family], settings: DiscoverySettings, start: float, length: float) -> list[Family]:
    """``families`` re-sorted by salience x :func:`output_weights` (``order_opening``, ``order_exact``,
    ``order_own``), each carrying that salience. Applied to the output after every choice, so it changes
    the order (and what a user sees first), never which families or statements are reported. Ties keep
    the given order."""
    scores = [f.salience * w for f, w in zip(families, output_weights(families, settings, start, length))]
    order = sorted(range(len(families)), key=lambda i: (-scores[i], i))
    return [dataclasses.replace(families[i], salience=float(scores[i])) for i in order]


def ranked(families: list[Family], settings: DiscoverySettings) -> list[Family]:
    """``families`` most salient first, each carrying its ordering salience (see the module doc).

    Ties keep the given order. Labels are left as they are (``core._ranked``).
    """
    scores = [motif_salience(f, settings) for f in families]
    order = sorted(range(len(families)), key=lambda i: (-scores[i], i))
    return [dataclasses.replace(families[i], salience=float(scores[i])) for i in order]
