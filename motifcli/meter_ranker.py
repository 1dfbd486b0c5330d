"""Meter and downbeat phase of quantised (notated) input, by ranking (meter, phase) hypotheses.

Notation software's MIDI (a folk tune, a chorale, a sonata with its time signature removed) lacks
the cues the played-music path leans on (velocity, timing) and often opens with a pickup. Here every
hypothesis "bars of meter M whose bar lines fall at phase p" (p on a 1/4-beat grid within the bar)
gets a feature vector, and a conditional-logit model (a softmax over one piece's hypotheses) picks
one. The cues are the folk-song literature's (Toiviainen & Eerola 2006 and others): the metric
template's fit to the folded accents, onsets, long notes and phrase ends (notes before a rest) on
downbeats, notes held across bar lines (syncopation, against), the **last note** starting on a
downbeat and ending on a bar line, the first note a pickup or not, repeats one bar apart (accents
and pitches), and how many notes a bar of that meter would hold.

The weights are fitted on music21's corpus (essen folk songs, O'Neill's and Ryan's tunes, Aird's
airs, Bach chorales; shippable, written meters) by ``benchmarks/meter_folk_fit.py``; BPS-motif and
MTC-ANN are only the measure (``benchmarks/meter.py written``). Pure numpy, a few ms a piece.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from motifcli.meter_templates import RESOLUTION as RES
from motifcli.meter_templates import autocorrelation, fold, phase_correlations
from motifcli.meter_templates import template as metric_template

PHASE_SLOTS = 3  # hypotheses' phases every 1/4 quarter beat


@dataclass(frozen=True)
class RankerMeter:
    """A meter the ranker may choose: signature, beat (quarter beats) and template levels."""

    numerator: int
    denominator: int
    beat: float
    levels: tuple[tuple[float, float], ...]  # (period in quarter beats, metric weight)

    @property
    def bar(self) -> float:
        return self.numerator * 4.0 / self.denominator

    @property
    def name(self) -> str:
        return f"{self.numerator}/{self.denominator}"

    def template(self) -> np.ndarray:
        """Metric weight of each slot of one bar (the strongest level it starts)."""
        return metric_template(self.bar, self.levels)


_SUB = ((0.5, 0.25), (0.25, 0.12))
METERS: tuple[RankerMeter, ...] = (
    RankerMeter(2, 4, 1.0, ((2, 1.0), (1, 0.5), *_SUB)),
    RankerMeter(3, 4, 1.0, ((3, 1.0), (1, 0.5), *_SUB)),
    RankerMeter(4, 4, 1.0, ((4, 1.0), (2, 0.75), (1, 0.5), *_SUB)),
    RankerMeter(6, 8, 1.5, ((3, 1.0), (1.5, 0.5), *_SUB)),
    RankerMeter(9, 8, 1.5, ((4.5, 1.0), (1.5, 0.5), *_SUB)),
    RankerMeter(12, 8, 1.5, ((6, 1.0), (3, 0.75), (1.5, 0.5), *_SUB)),
    RankerMeter(5, 8, 0.5, ((2.5, 1.0), (0.5, 0.5), (0.25, 0.12))),
    RankerMeter(3, 2, 2.0, ((6, 1.0), (2, 0.5), (1, 0.3), (0.5, 0.2), (0.25, 0.1))),
    RankerMeter(5, 4, 1.0, ((5, 1.0), (1, 0.5), *_SUB)),
    RankerMeter(6, 4, 1.0, ((6, 1.0), (3, 0.75), (1, 0.5), *_SUB)),
    RankerMeter(3, 8, 0.5, ((1.5, 1.0), (0.5, 0.5), (0.25, 0.12))),
)
BAR_OF: dict[str, float] = {m.name: m.bar for m in METERS}  # quarter beats a bar, by signature


def chooses_bar(bar: float, bars: Sequence[float] | None) -> bool:
    """The ranker picks the phase for this bar length: it is one of ``bars`` (None: every length), the
    lengths its corpus holds enough of (``meter_estimate.NOTATED_RANKER_BARS``)."""
    return bars is None or any(abs(bar - b) < 1e-6 for b in bars)

FEATURES: tuple[str, ...] = (
    "template",  # correlation of the folded accents with the meter's template at this phase
    "downbeat_onset",  # share of bar lines with a note starting on them
    "downbeat_held",  # share of bar lines a note is held across (syncopation)
    "beat_onset",  # share of beats with a note starting on them
    "offbeat_share",  # share of onsets off the beat grid
    "downbeat_length",  # mean log inter-onset interval on bar lines minus the mean over all onsets
    "beat_length",  # the same on beats
    "downbeat_sounding",  # mean log sounding length (rests not counted) on bar lines minus the mean
    "phrase_end_downbeat",  # share of notes before a rest / long notes that start on a bar line
    "last_on_downbeat",  # the last onset is on a bar line
    "last_on_beat",  # the last onset is on a beat
    "end_on_barline",  # the last note ends on a bar line (the pickup completes the last bar)
    "no_pickup",  # the first note is on a bar line
    "pickup_on_beat",  # the pickup is whole beats long
    "pickup_share",  # pickup length / bar length
    "pickup_long",  # the pickup is more than half a bar
    "first_onset",  # share of the first 4 bar lines with a note starting on them (the first section)
    "first_held",  # share of the first 4 bar lines a note is held across
    "first_length",  # mean log inter-onset interval on the first 4 bar lines minus the mean over all
    "first_end_downbeat",  # the first phrase end (note before a rest, or a long note) is on a bar line
    "template_best",  # this phase is the template's best for this meter (stage 1's choice)
    "leap_downbeat",  # mean size of the leap into notes on bar lines minus the mean leap (in its spread)
    "turn_downbeat",  # share of melodic turns (top line's peaks, valleys) on bar lines minus the onsets' share
    "repeat_accent",  # autocorrelation of the accents one bar apart
    "repeat_pitch",  # share of onsets with the same pitch starting one bar later
    "repeat_pitch_2",  # the same two bars later
    "notes_per_bar",  # log(bar / median inter-onset interval)
    "notes_per_bar_sq",  # its square: a preferred number of notes per bar
    "notes_per_beat",  # log(beat / median inter-onset interval)
    "notes_per_beat_sq",
)


def _onset_table(onsets: np.ndarray, offsets: np.ndarray, pitches: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per distinct onset slot: slot, inter-onset interval (beats), a rest after it, top pitch, accent, last offset."""
    slot = np.rint(onsets * RES).astype(np.int64)
    order = np.lexsort((-pitches, slot))
    slot_s, off_s, pit_s = slot[order], offsets[order], pitches[order]
    first = np.concatenate([[True], slot_s[1:] != slot_s[:-1]])
    starts = np.flatnonzero(first)
    uslot = slot_s[starts]
    count = np.diff(np.concatenate([starts, [len(slot_s)]]))
    last_off = np.maximum.reduceat(off_s, starts)
    top = pit_s[starts]
    ioi = np.diff(np.concatenate([uslot, [0]])) / RES
    ioi[-1] = max(last_off[-1] - uslot[-1] / RES, 1.0 / RES)
    ioi = np.maximum(ioi, 1.0 / RES)
    nxt = np.concatenate([uslot[1:] / RES, [np.inf]])
    rest_after = (nxt - last_off) > 0.1
    rest_after[-1] = True
    sounding = np.maximum(last_off - uslot / RES, 1.0 / RES)  # the longest note's own length (no rest)
    accent = 1.0 + 0.5 * np.log1p(count) + 1.0 * np.minimum(ioi, 2.0) + 1.0 * np.minimum(sounding, 2.0)
    return uslot, ioi, rest_after, top, accent, last_off


def hypotheses(onsets: np.ndarray, offsets: np.ndarray, pitches: np.ndarray,
               meters: tuple[RankerMeter, ...] = METERS) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(meter index, phase in quarter beats, features) for every hypothesis of a piece.

    Notes are moved so the first starts at 0 by the caller's convention; phases are in [0, bar).
    """
    uslot, ioi, rest_after, top, accent, note_end = _onset_table(onsets, offsets, pitches)
    size = int(uslot.max()) + 1
    grid = np.zeros(size)
    grid[uslot] = accent
    centred = grid - grid.mean()
    log_ioi = np.log(ioi)
    log_snd = np.log(np.maximum(note_end - uslot / RES, 1.0 / RES))
    mean_snd = float(log_snd.mean())
    mean_log = float(log_ioi.mean())
    med_ioi = float(np.median(ioi))
    ends = rest_after | (ioi >= 2 * med_ioi)
    first_end = int(np.argmax(ends))
    leap = np.abs(np.diff(np.concatenate([[top[0]], top])))
    leap_z = (leap - leap.mean()) / (leap.std() or 1.0)
    d_prev = np.diff(np.concatenate([[top[0]], top]))
    d_next = np.diff(np.concatenate([top, [top[-1]]]))
    turn = ((d_prev * d_next) < 0).astype(np.float64)
    on = np.zeros(size + 1, dtype=bool)
    on[uslot] = True
    # sounding[s]: a note started before slot s is still held at s (for syncopation across bar lines)
    span_end = np.maximum(np.rint(note_end * RES).astype(np.int64), uslot + 1)
    diff = np.zeros(size + 2)
    np.add.at(diff, uslot + 1, 1)
    np.add.at(diff, np.minimum(span_end, size + 1), -1)
    held = np.cumsum(diff)[: size + 1] > 0  # a note started before slot s still sounds at s
    pitch_key = uslot * 256 + np.clip(top, 0, 255).astype(np.int64)  # (slot, top pitch) as one integer
    last = int(uslot[-1])
    end_slot = int(round(float(note_end.max()) * RES))
    metas, phases, rows = [], [], []
    for mi, m in enumerate(meters):
        bar = int(round(m.bar * RES))
        beat = int(round(m.beat * RES))
        # fold the accents modulo the bar: template correlation at every phase
        ph = np.arange(0, bar, PHASE_SLOTS)
        tcorr = phase_correlations(fold(grid, bar), m.template(), PHASE_SLOTS)
        best_k = int(np.argmax(tcorr))
        rep_acc = autocorrelation(centred, bar)
        rep_p = float(np.isin(pitch_key + bar * 256, pitch_key).mean())
        rep_p2 = float(np.isin(pitch_key + 2 * bar * 256, pitch_key).mean())
        npb = np.log(m.bar / med_ioi)
        npbeat = np.log(m.beat / med_ioi)
        pos = (uslot[None, :] - ph[:, None]) % bar  # (phases, onsets)
        on_bar = pos == 0
        on_beat = pos % beat == 0
        for k, p in enumerate(ph):
            lines = np.arange(p, size, bar)
            beats = np.arange(p % beat, size, beat)
            ob = on_bar[k]
            head = lines[:4]
            head_on = ob & (uslot < (head[-1] + 1 if len(head) else 0))
            obeat = on_beat[k]
            pickup = p / RES
            rows.append((
                tcorr[k],
                _mean(on[lines]),
                _mean(held[lines]),
                _mean(on[beats]),
                1.0 - obeat.mean(),
                (log_ioi[ob].mean() - mean_log) if ob.any() else -1.0,
                (log_ioi[obeat].mean() - mean_log) if obeat.any() else -1.0,
                (log_snd[ob].mean() - mean_snd) if ob.any() else -1.0,
                ob[ends].mean() if ends.any() else 0.0,
                float((last - p) % bar == 0),
                float((last - p) % beat == 0),
                float(abs(((end_slot - p + bar / 2) % bar) - bar / 2) <= 1),
                float(p == 0),
                float(p % beat == 0),
                pickup / m.bar,
                float(pickup > m.bar / 2),
                on[head].mean() if len(head) else 0.0,
                held[head].mean() if len(head) else 0.0,
                (log_ioi[head_on].mean() - mean_log) if head_on.any() else -1.0,
                float(ob[first_end]),
                float(k == best_k),
                (leap_z[ob].mean()) if ob.any() else 0.0,
                (turn[ob].mean() - turn.mean()) if ob.any() else 0.0,
                rep_acc,
                rep_p,
                rep_p2,
                npb,
                npb * npb,
                npbeat,
                npbeat * npbeat,
            ))
            metas.append(mi)
            phases.append(pickup)
    return np.array(metas), np.array(phases), np.array(rows, dtype=np.float64)


def _mean(values: np.ndarray) -> float:
    """Mean of a selection that may be empty (a piece shorter than one bar at this phase): 0.0."""
    return float(values.mean()) if values.size else 0.0


def design(metas: np.ndarray, feats: np.ndarray, n_meters: int = len(METERS)) -> np.ndarray:
    """The model's inputs: the features, then a one-hot of the meter (its prior)."""
    onehot = np.zeros((len(metas), n_meters))
    onehot[np.arange(len(metas)), metas] = 1.0
    return np.hstack([feats, onehot])


WEIGHTS: tuple[float, ...] = (  # fitted by benchmarks/meter_folk_fit.py: FEATURES, then one per METERS
    6.2195, 2.5175, -1.3289, 1.6305, 7.6148, -2.4507, 2.3758, 3.5419,
    1.0572, -0.38143, 0.97514, 0.23373, -3.4311, 0.67022, -10.872, 1.0696,
    4.3709, -2.0608, 0.66824, 0.18441, 0.24264, 0.34483, 0.5903, -4.0335e-15,
    4.3777e-16, -4.7232e-15, 2.876e-15, 9.106e-16, 0.47774, 0.22442, -1.6441e-16, -0.26915,
    1.4189e-15, 0.26915, 2.32e-16, 0.020434, 0, 0.029938, -1.1773e-17, -0.050372,
    -1.5756e-17,
)


@dataclass(frozen=True)
class Ranked:
    """The best hypothesis: its meter and the phase of its bar lines (quarter beats after the first
    note), with the log-odds margins over the best other phase and the best other bar length."""

    meter: RankerMeter
    phase: float
    phase_margin: float
    bar_margin: float
    runner_up: str


@dataclass(frozen=True)
class Scored:
    """Every hypothesis of a piece (meter index, phase, features) and its log-odds: what :func:`rank`
    chooses from (and benchmarks/meter_grouping_fit.py reads)."""

    metas: np.ndarray
    phases: np.ndarray
    feats: np.ndarray
    scores: np.ndarray


def score(onsets: np.ndarray, offsets: np.ndarray, pitches: np.ndarray,
          weights: tuple[float, ...] = WEIGHTS) -> Scored | None:
    """All (meter, phase) hypotheses of notated notes scored, phases counted from the first note;
    None for fewer than two notes."""
    if len(onsets) < 2 or len(weights) != len(FEATURES) + len(METERS):
        return None
    first = float(onsets.min())
    metas, phases, feats = hypotheses(onsets - first, offsets - first, pitches)
    return Scored(metas, phases, feats, design(metas, feats) @ np.asarray(weights))


def rank(onsets: np.ndarray, offsets: np.ndarray, pitches: np.ndarray,
         bar: float | None = None, weights: tuple[float, ...] = WEIGHTS, scored: Scored | None = None) -> Ranked | None:
    """The most likely (meter, phase) of notated notes, the phase counted from the first note;
    ``bar`` (quarter beats) keeps only meters of that length. None when nothing fits. ``scored``:
    :func:`score` of these notes already computed (by the re-ranker), so it is not done twice."""
    if scored is None:
        scored = score(onsets, offsets, pitches, weights)
    if scored is None:
        return None
    metas, phases, s = scored.metas, scored.phases, scored.scores
    bars = np.array([METERS[i].bar for i in metas])
    if bar is not None:
        s = np.where(np.abs(bars - bar) < 1e-6, s, -np.inf)
    if not np.isfinite(s).any():
        return None
    best = int(np.argmax(s))
    length = bars[best]
    d = (phases - phases[best]) % length
    far = (np.abs(bars - length) < 1e-6) & (np.minimum(d, length - d) > 0.25 + 1e-9) & np.isfinite(s)
    other_bar = (np.abs(bars - length) > 1e-6) & np.isfinite(s)
    rival = METERS[int(metas[other_bar][np.argmax(s[other_bar])])].name if other_bar.any() else ""
    return Ranked(
        meter=METERS[int(metas[best])],
        phase=float(phases[best]),
        phase_margin=float(s[best] - s[far].max()) if far.any() else 10.0,
        bar_margin=float(s[best] - s[other_bar].max()) if other_bar.any() else 10.0,
        runner_up=rival,
    )
