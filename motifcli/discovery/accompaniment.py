"""Accompaniment figures out: voice families that sound below the leading motifs in an even rhythm.

On BPS tune the precision of establishment was the weak side (P_est 0.629 < R_est 0.741), and the
families matching no reference were mostly the left hand's broken chords and Alberti basses:
even note values, well below the register of the piece's leading families (benchmarks/phase6-est6.md).
The pattern scorer's oscillation discount (``patterns.score_pattern``) lowers such figures but
does not remove them once they are long or frequent. The rule here uses two things an analyst
hears: the register (the family's mean pitch against the median of the first ``accompaniment_lead``
families' mean pitches) and an even rhythm (a share ``accompaniment_even`` of the prototype's
inter-onset intervals equal). Texture families and short cells are left alone (their own rules).
"""

from __future__ import annotations

from collections import Counter

from motifcli.discovery.types import DiscoverySettings, Family
from motifcli.quantiles import median
from motifcli.voices import TEXTURE


def without_accompaniment(families: list[Family], settings: DiscoverySettings) -> list[Family]:
    """``families`` (output order) less the low, even-rhythm voice families; unchanged when ``accompaniment_below`` is 0."""
    if settings.accompaniment_below <= 0 or not families:
        return families
    lead = median([mean_pitch(f) for f in families[: max(settings.accompaniment_lead, 1)]])
    floor = lead - settings.accompaniment_below
    return [f for f in families if not (_judged(f, settings) and mean_pitch(f) <= floor
                                        and even_share(f) >= settings.accompaniment_even)]


def _judged(f: Family, settings: DiscoverySettings) -> bool:
    """Voice families of motif length (texture bars and 2-3-note cells have their own rules)."""
    return f.prototype.notes[0].voice != TEXTURE and f.notes_per_occurrence >= settings.min_notes


def mean_pitch(f: Family) -> float:
    """Mean MIDI pitch over every note of every statement."""
    pitches = [n.pitch for o in f.occurrences for n in o.notes]
    return sum(pitches) / len(pitches)


def even_share(f: Family) -> float:
    """Share of the prototype's inter-onset intervals equal to its most common one (1: even rhythm)."""
    onsets = [n.onset for n in f.prototype.notes]
    iois = Counter(round(b - a, 3) for a, b in zip(onsets, onsets[1:]))
    return max(iois.values()) / sum(iois.values()) if iois else 0.0
