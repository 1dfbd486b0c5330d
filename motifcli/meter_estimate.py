"""Meter and downbeat estimation from the notes, for MIDI with no usable time signature.

Two stages (benchmarks/METER.md has the measurements):

1. Meter and beat phase, by template matching on a folded accent profile (after Palmer &
   Krumhansl's metric hierarchies): every onset gets an accent (notes starting together, the
   longest one's length, velocity, a change of harmony); accents go on a grid of 12 slots per
   quarter beat, are folded modulo each candidate bar and correlated with that meter's hierarchy
   (downbeat > half bar > beat > eighth > sixteenth) at every slot, plus the grid's autocorrelation
   one bar apart (a motif's repeats fall a bar later) and a small prior per meter.
2. Downbeats among the beats of that meter: a logistic model (fitted on POP909, see
   ``benchmarks/meter_train.py``) gives each beat's downbeat log-odds, and a Viterbi path through
   the bar positions picks them, allowing an irregular bar at a cost (performed songs have some).

The confidence is the smaller of the two stages' margins over their runners-up, shrunk when there
are few notes. No maintained library does this for symbolic input at our cost: music21 has no meter
estimation from unmetred notes; partitura's ``estimate_time`` (Dixon's beat-tracking agents)
returns only a numerator, no downbeat, and is quadratic pure Python. Pure numpy, a few ms a song.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from motifcli.downbeats import (  # noqa: F401 - re-exported: benchmarks and tests import them from here
    CONTEXT,
    FEATURES,
    JUMP_PENALTY,
    MELODY_WEIGHTS,
    _clean,
    _harmony_change,
    _slot_max,
    beat_features,
    downbeat_logodds,
    viterbi_downbeats,
    with_context,
)
from motifcli import meter_name, meter_opening, meter_ranker, meter_rerank, meter_sections, phase_ranker
from motifcli.meter import PLAUSIBLE_BAR, Bar, MeterMap, nominal_bar_length, parse_meter
from motifcli.meter_templates import RESOLUTION, autocorrelation, fold, phase_correlations
from motifcli.meter_templates import template as metric_template
from motifcli.quantiles import median, percentile

PHASE_STEP = 1  # downbeat candidates at every slot: performed MIDI puts beats anywhere between ticks


@dataclass(frozen=True)
class Candidate:
    """A meter to try: its signature, metric hierarchy (period in quarters, weight) and prior."""

    numerator: int
    denominator: int
    levels: tuple[tuple[float, float], ...]
    prior: float = 0.0
    notated_only: bool = False  # tried only on quantised input (notation software's, not a player's)

    @property
    def bar_beats(self) -> float:
        return nominal_bar_length(self.numerator, self.denominator)

    @property
    def name(self) -> str:
        return f"{self.numerator}/{self.denominator}"

    @property
    def beat_beats(self) -> float:
        """The beat (quarter, dotted quarter, half) in quarter beats: the level weighted 0.5."""
        return next((p for p, w in self.levels if w == 0.5), self.bar_beats)

    def template(self) -> np.ndarray:
        """Metric weight of each grid slot in one bar (the strongest level that the slot starts)."""
        return metric_template(self.bar_beats, self.levels)


_SUB = ((0.5, 0.25), (0.25, 0.12))
CANDIDATES: tuple[Candidate, ...] = (
    Candidate(4, 4, ((4, 1.0), (2, 0.75), (1, 0.5), *_SUB), prior=0.02),
    Candidate(3, 4, ((3, 1.0), (1, 0.5), *_SUB)),
    Candidate(2, 4, ((2, 1.0), (1, 0.5), *_SUB), prior=-0.1),
    Candidate(6, 8, ((3, 1.0), (1.5, 0.5), *_SUB)),
    Candidate(9, 8, ((4.5, 1.0), (1.5, 0.5), *_SUB), prior=-0.02),
    Candidate(12, 8, ((6, 1.0), (3, 0.75), (1.5, 0.5), *_SUB), prior=-0.1),
    # issue 9 phase 3 (benchmarks/METER.md, "More candidates"; priors chosen on the tune halves of
    # MTC and BPS): 5/8 on eighth beats, 3/2 on half-note beats; only for notated (quantised) input,
    # as on performed POP909 songs 5/8 took 2 songs of 4/4 (289, 326) and neither meter helps pop
    Candidate(5, 8, ((2.5, 1.0), (0.5, 0.5), (0.25, 0.12)), prior=-0.04, notated_only=True),
    Candidate(3, 2, ((6, 1.0), (2, 0.5), (1, 0.3), (0.5, 0.2), (0.25, 0.1)), notated_only=True),
)

# Meters tried only when asked (benchmarks/meter.py --candidates): measured and not kept (no gain on
# the tune halves at any prior tried, see benchmarks/METER.md "More candidates").
MORE_CANDIDATES: tuple[Candidate, ...] = (
    Candidate(7, 8, ((3.5, 1.0), (0.5, 0.5), (0.25, 0.12)), prior=-0.05),
    Candidate(5, 4, ((5, 1.0), (1, 0.5), *_SUB), prior=-0.05),
    Candidate(6, 4, ((6, 1.0), (3, 0.75), (1, 0.5), *_SUB), prior=-0.05),
)

REPETITION_WEIGHT = 0.5  # weight of the one-bar autocorrelation beside the template correlation
MONO_TEMPLATE_PHASE = True  # one-line input: downbeats from stage 1's phase (measured 0.64 vs 0.63 on MTC)
# 4/4 polyphony: downbeat phase from phase_ranker.py (fitted on POP909's piano arrangements)
PHASE_RANKER = True
# also on quantised input? measured (benchmarks/METER.md): POP909 dominant phase +0.010 (its 185
# quantised songs), BPS written bar lines found 0.871 -> 0.818: off, so BPS stays as it was
RANKER_ON_QUANTISED = False
# notated input (quantised, flat dynamics: see is_notated): the downbeat phase from meter_ranker.py's
# (meter, phase) ranking within the bar length stage 1 chose (fitted on music21's folk tunes and
# chorales; benchmarks/METER.md phase 4)
NOTATED_RANKER = True
# ... but only for bar lengths its fit corpus holds enough of, where it beat stage 1's template phase:
# 2/4; 3/4 and 6/8; 4/4 and 2/2 (600-700 pieces each); 9/8 (45: in-sample 35 right vs the template's
# 15). Not 5/8 (none in the corpus) nor 6 quarters (3/2, 6/4, 12/8: ~46 pieces, in-sample 14 vs 12
# of 17 in 3/2): there the template's phase (MTC tune families, bar length right: 3/2 3 of 3 vs 0, 5/8 4 of 5 vs 1).
# Issue 9 phase 5, benchmarks/phase5-mtclen.md. None: every bar length (phase 4)
NOTATED_RANKER_BARS: tuple[float, ...] | None = (2.0, 3.0, 4.0, 4.5)
# at most this many distinct velocities: notation software's (one, or one per dynamic mark). POP909's
# quantised songs (185 of 889) have 20 and more, and on them the ranker lost 0.06 dominant phase
NOTATED_VELOCITIES = 8
# one-line notated input: the first section's bar length from the opening's stage 1 when it clearly
# differs from the whole piece's (opening_stage1); None: off
OPENING_BEATS: float | None = 24.0
OPENING_MARGIN = 0.03  # stage 1's total, opening's meter minus the whole piece's meter, on the opening
# when the opening's meter came first and no meter change was found: the opening's bars only up to where
# the two maps' fits cross, the whole piece's own bars after (meter_opening.split_opening); False: the
# opening's meter for the whole piece (phase 6). Issue 9 phase 6b: identical on MTC/BPS tune (the rule
# fires there only in songs with a change found); on fresh music21 dev pieces written bar lines found
# 0.4575 -> 0.4661 (changing meter), 0.5632 -> 0.5713 (steady); more false changes (benchmarks/phase6-meter6b.md)
OPENING_SPLIT = True
# one-line notated input: the first section's bar length and phase from meter_rerank.py, a re-ranker over
# both stages' (meter, phase) hypotheses fitted on music21's folk tunes (issue 9 phase 9,
# benchmarks/phase9-mtcrank9.md). On since session 9: bar length + phase 0.74 -> 0.85 on the folk corpus
# (cross-validated), 42 -> 118 of 213 on held-out Essen kinder0, MTC all 194 0.680 -> 0.737 (tune 66 -> 65 of
# 100, test 0.702 -> 0.830; switched on after the test half was scored: METER.md "Phase 9")
NOTATED_RERANK = True
# a re-ranked bar length other than the whole piece's stage 1: True, the opening's bars then the piece's own
# (meter_opening.split_opening, as the opening rule does); False, the re-ranked meter throughout. MTC tune with
# the re-ranker on: same right (65), false changes in steady songs 12 -> 8 of 55 (phase9-mtcrank9.md)
RERANK_SPLIT = False
EVIDENCE_ONSETS = 32  # distinct onsets (about 8 bars of quarters) for full confidence


@dataclass(frozen=True)
class MeterEstimate:
    """The winning meter and downbeat phase, with a confidence 0..1 and the runner-up for the record."""

    numerator: int
    denominator: int
    first_downbeat: float  # phase of the bar lines, in [0, bar length) quarter beats
    confidence: float
    score: float
    runner_up: str = ""
    scores: dict[str, float] = field(default_factory=dict, compare=False, repr=False)
    downbeats: tuple[float, ...] = field(default=(), compare=False, repr=False)
    sections: tuple[Bar, ...] = field(default=(), compare=False, repr=False)  # bars of a meter change (meter_sections)

    @property
    def beats_per_bar(self) -> float:
        return nominal_bar_length(self.numerator, self.denominator)

    @property
    def name(self) -> str:
        return f"{self.numerator}/{self.denominator}"

    def to_meter_map(self, end_beat: float, source: str = "estimated") -> MeterMap:
        """Bars between the found downbeats (irregular where the path jumped), a pickup before the first;
        the bars of several meters when a meter change was found (``meter_sections``)."""
        if self.sections:
            return MeterMap(self.sections, source=source, confidence=self.confidence)
        if len(self.downbeats) > 1:
            return MeterMap.from_downbeats(self.downbeats, end_beat, self.numerator, self.denominator,
                                           source=source, confidence=self.confidence)
        return MeterMap.regular(self.beats_per_bar, self.first_downbeat, end_beat, self.numerator,
                                self.denominator, source=source, confidence=self.confidence)


DEFAULT_WEIGHTS: dict[str, float] = {
    "onset": 1.0,  # any onset at the slot
    "count": 0.5,  # log(1 + notes starting together)
    "duration": 2.0,  # longest note starting here, in beats (capped at 2)
    "bass": 0.0,  # (off: measured no help) the slot's lowest note is in the piece's lowest quarter of pitches
    "velocity": 0.5,  # loudest velocity here relative to the piece's median
    "harmony": 1.0,  # pitch classes of the beat after differ from the beat before
}


def accent_grid(notes: Any, weights: dict[str, float] | None = None) -> np.ndarray:
    """Accent per grid slot (RESOLUTION per quarter beat): the metric-template stage's input."""
    w = {**DEFAULT_WEIGHTS, **(weights or {})}
    onsets, offsets, pitches, velocities = _clean(notes)
    if len(onsets) == 0:
        return np.zeros(RESOLUTION * 4)
    slot = np.rint(onsets * RESOLUTION).astype(np.int64)
    size = int(slot.max()) + 2 * RESOLUTION + 1
    count = np.bincount(slot, minlength=size).astype(np.float64)
    present = count > 0
    grid = w["onset"] * present + w["count"] * np.log1p(count)
    grid += w["duration"] * _slot_max(slot, np.minimum(np.maximum(offsets - onsets, 0.0), 2.0), size)
    if w["bass"] and pitches.min() < pitches.max():
        lowest = -_slot_max(slot, -pitches, size, fill=-999.0)
        grid += w["bass"] * (present & (lowest <= percentile(pitches, 25)))
    loudest = _slot_max(slot, velocities, size)
    grid += w["velocity"] * present * np.clip(loudest / (median(velocities) or 1.0) - 1.0, -0.5, 1.0)
    if w["harmony"]:
        at = np.flatnonzero(present)
        grid[at] += w["harmony"] * _harmony_change(slot, pitches.astype(np.int64), size, RESOLUTION,
                                                   np.ones(len(slot)), at)
    return grid


def _is_monophonic(notes: tuple[np.ndarray, ...]) -> bool:
    """One note at a time (a folk tune, a lone melody): the downbeat model fitted on piano textures
    does not apply there; the metric template's phase does."""
    slots = np.sort(np.rint(notes[0] * RESOLUTION))
    return len(slots) > 0 and int(np.count_nonzero(np.diff(slots))) + 1 >= 0.95 * len(slots)


def estimate_meter(
    notes: Any,
    meter: str | tuple[int, int] | None = None,
    bar_offset: float | None = None,
    candidates: Sequence[Candidate] = CANDIDATES,
    jump_penalty: float = JUMP_PENALTY,
    opening: bool = True,
    *,
    grid: np.ndarray | None = None,
    quantised: bool | None = None,
    ranker_scores: Callable[[], meter_ranker.Scored | None] | None = None,
) -> MeterEstimate:
    """Beats per bar and downbeats of a Score (or note arrays), from the notes alone.

    Stage 1 picks the meter and the beat phase (metric templates on the folded accent grid); stage 2
    finds the downbeats among those beats (per-beat downbeat log-odds, best path through bar
    positions, irregular bars allowed at a cost). ``meter`` ("3/4" or (3, 4)) fixes the meter;
    ``bar_offset`` fixes the downbeats (every bar from that beat); both: nothing is estimated.
    ``opening`` False: never the opening's bar length (``opening_stage1``). ``grid`` and ``quantised``,
    when given, must be ``accent_grid(notes)`` and ``is_quantised(notes)``: a caller that asks several
    questions of the same notes (:func:`motifcli.meter_signatures.meter_map_for`) computes them once;
    ``ranker_scores``, likewise, a function giving ``meter_ranker.score`` of the notes (the notated-input
    ranker's hypotheses, whatever the meter: the costliest step), computed on its first call.
    """
    if isinstance(meter, str):
        meter = parse_meter(meter)
    if meter is not None:
        known = [c for c in candidates if (c.numerator, c.denominator) == tuple(meter)]
        candidates = known or [_generic_candidate(*meter)]
    notes = _clean(notes)  # read the notes once for both stages
    if quantised is None:
        quantised = is_quantised(notes)  # notation software's timing: decides two stages below
    if meter is None and any(c.notated_only for c in candidates) and not quantised:
        candidates = [c for c in candidates if not c.notated_only]
    if grid is None:
        grid = accent_grid(notes)
    if ranker_scores is None:
        ranker_scores = _ranker_scores(notes)
    best_by_cand = stage1(grid, candidates)
    mono = _is_monophonic(notes)
    whole = best_by_cand
    if opening and meter is None and bar_offset is None and mono and is_notated(notes, quantised):
        best_by_cand = opening_stage1(grid, candidates, best_by_cand)  # the first section's bar, if it stands out
    choice, scored = None, None
    if (opening and meter is None and bar_offset is None and mono and NOTATED_RANKER and NOTATED_RERANK
            and best_by_cand[0][1].name in meter_rerank.METERS and is_notated(notes, quantised)):
        # bar length and phase from both stages' evidence
        choice, scored = _rerank(notes, grid, candidates, whole, best_by_cand[0], ranker_scores)
    if choice is not None:
        chosen = next(r for r in whole if r[1].name == choice.meter)
        best_by_cand = [chosen, *(r for r in whole if r is not chosen)]
    score, cand, phase_slot = best_by_cand[0]
    rivals = [r for r in best_by_cand[1:] if abs(r[1].bar_beats - cand.bar_beats) > 1e-6]
    meter_margin = score - rivals[0][0] if rivals else 1.0
    beat = cand.beat_beats
    bar = cand.bar_beats
    end = float(len(grid)) / RESOLUTION
    ranked = None
    if (choice is None and bar_offset is None and quantised and NOTATED_RANKER and _ranker_knows(bar)
            and is_notated(notes, quantised)):
        scored = scored if scored is not None else ranker_scores()  # the re-ranker's pass, if it ran
        ranked = meter_ranker.rank(notes[0], notes[1], notes[2], bar=bar, scored=scored)
    if choice is not None:
        first = choice.first_downbeat % bar
        downbeats = _every_bar(first, bar, end)
        meter_margin = 0.05 * choice.bar_margin  # log-odds: meter_conf below = 1 - exp(-margin)
        phase_margin = choice.phase_margin
    elif ranked is not None:
        first = (float(notes[0].min()) + ranked.phase) % bar
        downbeats = _every_bar(first, bar, end)
        phase_margin = ranked.phase_margin
    elif bar_offset is not None or (mono and MONO_TEMPLATE_PHASE):
        first = float(bar_offset) % bar if bar_offset is not None else phase_slot / RESOLUTION
        downbeats = _every_bar(first, bar, end)
        phase_margin = 1.0
    else:
        offset = (phase_slot % int(round(beat * RESOLUTION))) / RESOLUTION
        beats = offset + beat * np.arange(int(max(end - offset, 0.0) // beat) + 1)
        feats = beat_features(notes, beats)
        logodds = downbeat_logodds(notes, beats, MELODY_WEIGHTS if mono else None, feats=feats)
        per_bar = max(int(round(bar / beat)), 1)
        if (PHASE_RANKER and not mono and per_bar == phase_ranker.POSITIONS and beat == 1.0
                and (RANKER_ON_QUANTISED or not quantised)):
            logodds = phase_ranker.ranked_logodds(feats, logodds)  # the song's phase from whole-song profiles
        idx = viterbi_downbeats(logodds, per_bar, jump_penalty)
        downbeats = beats[idx] if len(idx) else beats[:1]
        folded = np.sort(np.array([logodds[k::per_bar].mean() for k in range(min(per_bar, len(logodds)))]))
        phase_margin = float(folded[-1] - folded[-2]) if len(folded) > 1 else 1.0
    if meter is not None and bar_offset is not None:
        confidence = 1.0
    else:
        meter_conf = 1.0 if meter is not None else 1.0 - np.exp(-max(meter_margin, 0.0) / 0.05)
        phase_conf = 1.0 if bar_offset is not None else 1.0 - np.exp(-max(phase_margin, 0.0) / 0.5)
        # little music, little evidence: below EVIDENCE_ONSETS distinct onsets the confidence shrinks
        distinct = int(np.count_nonzero(np.diff(np.sort(np.rint(notes[0] * RESOLUTION))))) + (len(notes[0]) > 0)
        confidence = float(min(meter_conf, phase_conf)) * min(1.0, distinct / EVIDENCE_ONSETS)
    sections: tuple[Bar, ...] = ()
    if meter is None and bar_offset is None and quantised:  # meter changes: only where bar lines sit on a grid
        sections = meter_sections.sections_for(notes, grid, RESOLUTION, candidates, cand.beat_beats, downbeats, mono)
    if OPENING_SPLIT and not sections and best_by_cand[0][1].bar_beats != whole[0][1].bar_beats and (
            choice is None or RERANK_SPLIT):
        sections = _split_opening(notes, grid, candidates, jump_penalty, cand, downbeats, ranker_scores, quantised)
    return meter_name.settle(MeterEstimate(
        numerator=cand.numerator,
        denominator=cand.denominator,
        first_downbeat=float(downbeats[0]) % bar if len(downbeats) else 0.0,
        confidence=max(0.0, min(1.0, confidence)),
        score=score,
        runner_up=rivals[0][1].name if rivals else "",
        scores={c.name: round(sc, 4) for sc, c, _ in best_by_cand},
        downbeats=tuple(float(d) for d in downbeats),
        sections=sections,
    ), meter_name.splitter(notes, grid, candidates, mono))


def stage1(grid: np.ndarray, candidates: Sequence[Candidate]) -> list[tuple[float, Candidate, int]]:
    """(total, candidate, best phase slot) for every candidate, best first: the template correlation
    of the folded accents at the best phase, the one-bar autocorrelation and the prior."""
    centred = grid - grid.mean()
    out: list[tuple[float, Candidate, int]] = []
    for cand in candidates:
        bar_slots = int(round(cand.bar_beats * RESOLUTION))
        scores = phase_correlations(fold(grid, bar_slots), cand.template(), PHASE_STEP)
        i = int(np.argmax(scores))
        total = float(scores[i]) + REPETITION_WEIGHT * autocorrelation(centred, bar_slots) + cand.prior
        out.append((total, cand, i * PHASE_STEP))
    out.sort(key=lambda r: r[0], reverse=True)
    return out


def opening_stage1(grid: np.ndarray, candidates: Sequence[Candidate],
                   whole: list[tuple[float, Candidate, int]]) -> list[tuple[float, Candidate, int]]:
    """Stage 1's ranking with the opening's meter first, when the first OPENING_BEATS quarter beats
    prefer another bar length than the whole piece by at least OPENING_MARGIN (in stage 1's units);
    else ``whole`` unchanged. Folk songs that change meter often open with a few bars of a meter
    the rest of the song leaves (6/4 before 4/4): the benchmark's "right" and a reader's first bars
    are that opening's. Off (None) by default."""
    if OPENING_BEATS is None or len(grid) <= OPENING_BEATS * RESOLUTION:
        return whole
    opening = stage1(grid[: int(round(OPENING_BEATS * RESOLUTION))], candidates)
    top = opening[0]
    bar = whole[0][1].bar_beats
    if abs(top[1].bar_beats - bar) < 1e-6:
        return whole
    rival = next((t for t, c, _ in opening if abs(c.bar_beats - bar) < 1e-6), None)
    if rival is None or top[0] - rival < OPENING_MARGIN:
        return whole
    return [top, *(r for r in whole if r[1] is not top[1])]


def _split_opening(notes: tuple[np.ndarray, ...], grid: np.ndarray, candidates: Sequence[Candidate],
                   jump_penalty: float, cand: Candidate, downbeats: np.ndarray,
                   ranker_scores: Callable[[], meter_ranker.Scored | None] | None = None,
                   quantised: bool | None = None) -> tuple[Bar, ...]:
    """The opening's bars, then the whole piece's own (its estimate without the opening rule), changing
    where the two fit best (meter_opening.split_opening); () for the opening's meter throughout."""
    end = float(notes[1].max()) if len(notes[1]) else len(grid) / RESOLUTION
    whole = estimate_meter(notes, candidates=candidates, jump_penalty=jump_penalty, opening=False, grid=grid,
                          quantised=quantised, ranker_scores=ranker_scores)
    opening = MeterMap.from_downbeats(downbeats, end, cand.numerator, cand.denominator)
    levels = {(c.numerator, c.denominator): c.levels for c in candidates}
    return meter_opening.split_opening(
        grid[: int(np.ceil(end * RESOLUTION))], RESOLUTION, opening, whole.to_meter_map(end), levels,
        logodds=lambda at: downbeat_logodds(notes, at, MELODY_WEIGHTS))


def _rerank(notes: tuple[np.ndarray, ...], grid: np.ndarray, candidates: Sequence[Candidate],
            whole: list[tuple[float, Candidate, int]],
            top: tuple[float, Candidate, int], ranker_scores: Callable[[], meter_ranker.Scored | None],
            ) -> tuple[meter_rerank.Choice | None, meter_ranker.Scored | None]:
    """meter_rerank's pick among stage 1's meters and the ranker's phases (None: keep the two stages'),
    and the ranker's scored hypotheses it read (the two stages' ranker then reuses them)."""
    if not meter_rerank.WEIGHTS:
        return None, None
    head = None
    if OPENING_BEATS is not None and len(grid) > OPENING_BEATS * RESOLUTION:
        head = stage1(grid[: int(round(OPENING_BEATS * RESOLUTION))], candidates)
    scored = ranker_scores()
    return meter_rerank.choose(notes[0], scored, whole, head, float(len(grid)) / RESOLUTION, NOTATED_RANKER_BARS,
                               top), scored


def _ranker_scores(notes: tuple[np.ndarray, ...]) -> Callable[[], meter_ranker.Scored | None]:
    """``meter_ranker.score`` of the notes, computed on the first call only (it does not depend on the
    meter: the estimate with the file's meter reuses the free estimate's, benchmarks/phase28-grid28.md)."""
    return functools.cache(lambda: meter_ranker.score(notes[0], notes[1], notes[2]))


def _ranker_knows(bar: float) -> bool:
    """The notated-input ranker was fitted on enough pieces of this bar length (NOTATED_RANKER_BARS)."""
    return meter_ranker.chooses_bar(bar, NOTATED_RANKER_BARS)


def _every_bar(first: float, bar: float, end: float) -> np.ndarray:
    """Regular bar lines from ``first`` to ``end``: a phase known for the whole piece."""
    return first + bar * np.arange(int((end - first) // bar) + 1)


def _generic_candidate(numerator: int, denominator: int) -> Candidate:
    """A hierarchy for a user meter not in CANDIDATES: compound if the numerator is 6, 9, 12, ..."""
    bar = nominal_bar_length(numerator, denominator)
    if denominator >= 8 and numerator % 3 == 0 and numerator > 3:
        beat = 3 * 4.0 / denominator
    else:
        beat = 4.0 / denominator
    return Candidate(numerator, denominator, ((bar, 1.0), (beat, 0.5), *_SUB))


def is_quantised(notes: Any) -> bool:
    """Onsets on a 1/24-beat grid (sixteenths, triplets, 32nds) to within 0.005 beat for 90% of
    notes: written by notation software, not played (POP909's onsets are a few hundredths off)."""
    onsets = _clean(notes)[0]
    if len(onsets) == 0:
        return False
    off = np.abs(onsets * 24 - np.rint(onsets * 24)) / 24
    return bool(np.mean(off <= 0.005) >= 0.9)


def is_notated(notes: Any, quantised: bool | None = None) -> bool:
    """Written by notation software: quantised onsets and flat dynamics (at most NOTATED_VELOCITIES
    distinct velocities). A player's take, even quantised afterwards (POP909's), keeps its dynamics."""
    notes = _clean(notes)
    if len(notes[0]) == 0:
        return False
    if quantised is None:
        quantised = is_quantised(notes)
    return bool(quantised) and len(np.unique(notes[3])) <= NOTATED_VELOCITIES


# --- the file's time signatures (in motifcli.meter_signatures; importable from here, no cycle) -----

_SIGNATURES = ("time_signatures_consistent", "shifted_time_signatures", "meter_map_for")


def __getattr__(name: str) -> Any:
    if name in _SIGNATURES:
        from motifcli import meter_signatures

        return getattr(meter_signatures, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
