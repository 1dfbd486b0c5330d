"""Accompaniment figures out: voice families that sound below the leading motifs in an even rhythm.

On BPS tune the precision of establishment was the weak side (P_est 0.629 < R_est 0.741), and the
families matching no reference were mostly the left hand's broken chords and Alberti basses:
even note values, well below the register of the piece's leading families (benchmarks/phase6-est6.md).
The pattern scorer's oscillation discount (``patterns.score_pattern``) lowers such figures but
does not remove them once they are long or frequent. The rule here uses two things an analyst
hears: the register (the family's mean pitch against the median of the first ``accompaniment_lead``
families' mean pitches) and an even rhythm (a share ``accompaniment_even`` of the prototype's
inter-onset intervals equal). Texture families and short cells are left alone (their own rules).

The register rule cannot judge figures that *are* the leading families (BPS 05-1's pedal-note
figures rank 2-5). ``accompaniment_pivot`` judges a figure by its own notes instead: in an even
rhythm, every other note returns to one pitch (a pivot: Alberti bass, pedal-note and drum-bass
figuration) while the notes between leap away from it; ``accompaniment_above`` also asks for a higher
note of another line sounding over its statements (a melody above it). benchmarks/phase13-acc13.md.
"""

from __future__ import annotations

from collections import Counter

from motifcli.discovery.figuration import in_place_figure
from motifcli.discovery.types import DiscoverySettings, Family, Occurrence
from motifcli.quantiles import median
from motifcli.score import Score


def without_accompaniment(families: list[Family], settings: DiscoverySettings, score: Score | None = None,
                          cores: dict[tuple[Occurrence, ...], Family] | None = None) -> list[Family]:
    """``families`` (output order) less the low, even-rhythm voice families (``accompaniment_below``),
    the even pivot figures (``accompaniment_pivot``) and figuration in place (``figuration_in_place``);
    unchanged when all are 0. ``cores``: each grown family's statements before growing, by its
    statements (with ``accompaniment_even_on`` "core" the shape rules judge the rhythm on them)."""
    if (settings.accompaniment_below <= 0 and settings.accompaniment_pivot <= 0 and settings.figuration_in_place <= 0) \
            or not families:
        return families
    floor = float("-inf")
    if settings.accompaniment_below > 0:
        lead = median([mean_pitch(f) for f in families[: max(settings.accompaniment_lead, 1)]])
        floor = lead - settings.accompaniment_below

    def even(f: Family, core: bool) -> bool:
        return even_share((cores or {}).get(f.occurrences, f) if core else f) >= settings.accompaniment_even

    core = settings.accompaniment_even_on == "core"  # the shape rules only: the register rule has no shape to go by

    def kept(above: bool) -> list[Family]:
        return [f for f in families if not (_judged(f, settings) and (
            (mean_pitch(f) <= floor and even(f, False))
            or (even(f, core) and (_pivot_figure(f, settings, score) or _in_place(f, settings, score, above)))))]

    out = kept(settings.figuration_above_when == "always")
    if settings.figuration_above_when == "empty" and not any(_judged(f, settings) for f in out):
        return kept(True)  # the rule left the piece no line's motif: its figures with nothing above are the tune
    return out


def _judged(f: Family, settings: DiscoverySettings) -> bool:
    """Voice families of motif length (texture bars and 2-3-note cells have their own rules)."""
    return not f.is_texture and f.notes_per_occurrence >= settings.min_notes


def _pivot_figure(f: Family, settings: DiscoverySettings, score: Score | None) -> bool:
    """Most statements pivot (``accompaniment_pivot``) and, with ``accompaniment_above``, sound under another line."""
    if settings.accompaniment_pivot <= 0:
        return False
    if sum(pivots(o, settings.accompaniment_pivot) for o in f.occurrences) * 2 < len(f.occurrences):
        return False
    return settings.accompaniment_above <= 0 or score is None or above_share(f, score) >= settings.accompaniment_above


def _in_place(f: Family, settings: DiscoverySettings, score: Score | None, above: bool = True) -> bool:
    """Figuration in place (``figuration_in_place``) that, with ``figuration_above`` (and ``above``), sounds
    under another line: a chord figure with nothing over it is the tune itself (an arpeggio melody)."""
    if not in_place_figure(f, settings.figuration_in_place):
        return False
    return not above or settings.figuration_above <= 0 or score is None \
        or above_share(f, score) >= settings.figuration_above


def pivots(o: Occurrence, repeats: int) -> bool:
    """True when every other note of ``o`` (one parity, at least ``repeats`` notes) is one pitch and a
    note between them lies 3 or more semitones from it (an Alberti bass or pedal figure, not a trill)."""
    pitches = [n.pitch for n in o.notes]
    for side in (0, 1):
        held, between = pitches[side::2], pitches[1 - side::2]
        if len(held) >= repeats and len(set(held)) == 1 and any(abs(p - held[0]) >= 3 for p in between):
            return True
    return False


def above_share(f: Family, score: Score) -> float:
    """Share of the statements' notes over which a higher note outside the statement sounds."""
    import numpy as np

    notes = [(t.index, i, n) for t in score.tracks if not t.is_drum for i, n in enumerate(t.notes)]
    on = np.array([n.onset for _, _, n in notes])
    off = np.array([n.offset for _, _, n in notes])
    pitch = np.array([n.pitch for _, _, n in notes])
    hit = total = 0
    for o in f.occurrences:
        mine = {(n.track, n.index) for n in o.notes}
        for n in o.notes:
            total += 1
            over = np.flatnonzero((pitch > n.pitch) & (on < n.offset - 1e-6) & (off > n.onset + 1e-6))
            hit += any(notes[k][:2] not in mine for k in over.tolist())
    return hit / total if total else 0.0


def mean_pitch(f: Family) -> float:
    """Mean MIDI pitch over every note of every statement."""
    pitches = [n.pitch for o in f.occurrences for n in o.notes]
    return sum(pitches) / len(pitches)


def even_share(f: Family) -> float:
    """Share of the prototype's inter-onset intervals equal to its most common one (1: even rhythm)."""
    onsets = [n.onset for n in f.prototype.notes]
    iois = Counter(round(b - a, 3) for a, b in zip(onsets, onsets[1:]))
    return max(iois.values()) / sum(iois.values()) if iois else 0.0
