"""Re-rank the meter estimator's own (bar length, phase) hypotheses for one-line notated input.

Stage 1 (``meter_estimate.stage1``) picks the bar length from the folded accents alone; the notated
ranker (``meter_ranker``) then picks the phase within that bar length. A miss in the bar length
(3/4 read as 4/4) can not be undone by the phase. Here every hypothesis "meter M (a stage-1
candidate), bar lines at phase p" gets both stages' evidence side by side: stage 1's total for M,
its margin to the best meter, on the whole piece and on its opening; whether p is stage 1's phase;
the ranker's score and its margin within that bar length; the ranker's own cues (last note on a bar
line, pickup length, phrase ends and long notes on bar lines, repeats a bar apart, notes per bar)
and the number of bars. A conditional logit (softmax over one piece's hypotheses) picks one.

Fitted on music21's one-line folk tunes (shippable; written meters) by
``benchmarks/meter_rerank_fit.py``; BPS and MTC are only the measure. Numpy only, weights below.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from motifcli import meter_ranker
from motifcli.meter_templates import RESOLUTION

# stage-1 meters the re-ranker may pick: those its corpus holds (no 5/8 there: a 5/8 estimate keeps stage 1)
METERS: tuple[str, ...] = ("2/4", "3/4", "4/4", "6/8", "9/8", "12/8", "3/2")

FEATURES: tuple[str, ...] = (
    "rank_score",  # the notated ranker's log-odds for this (meter, phase)
    "rank_margin_bar",  # that minus the best of the same bar length (0 for the ranker's phase)
    "rank_best_bar",  # this is the ranker's phase for this bar length
    "rank_margin_all",  # the ranker's log-odds minus its best over every meter here
    "s1",  # stage 1's total (template fit at its best phase + repetition + prior) for this meter
    "s1_margin",  # that minus stage 1's best total
    "s1_top",  # stage 1's meter
    "s1_bar_margin",  # best stage-1 total of this bar length minus the best (3/4 and 6/8 share bar lines)
    "opening_margin",  # stage 1 on the opening (first 24 quarter beats) minus its best there
    "opening_top",  # the opening's stage-1 meter
    "s1_phase",  # p is stage 1's phase for this meter
    "log_bars",  # log number of bars of this length in the piece
    *meter_ranker.FEATURES,
    *(f"is_{m}" for m in METERS),
)
OPENING_BEATS = 24.0  # as meter_estimate.OPENING_BEATS


@dataclass(frozen=True)
class Choice:
    """The re-ranker's pick: a stage-1 meter's name and the bar lines' phase (quarter beats, absolute)."""

    meter: str
    first_downbeat: float
    bar_margin: float  # log-odds over the best hypothesis of another bar length
    phase_margin: float  # log-odds over the best other phase (more than 1/4 beat away) of this bar length


def hypotheses(scored: meter_ranker.Scored, first: float, end: float,
               whole: Sequence[tuple[float, Any, int]],
               opening: Sequence[tuple[float, Any, int]] | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(meter index into METERS, absolute phase, feature rows) of every hypothesis the re-ranker scores.

    ``scored``: the ranker's hypotheses (phases after the first note, at ``first``); ``whole`` and
    ``opening``: stage 1's (total, candidate, phase slot) lists for the piece and its opening."""
    s1 = {c.name: (t, slot) for t, c, slot in whole}
    best1 = max(t for t, _, _ in whole)
    op = {c.name: t for t, c, _ in (opening or whole)}
    best_op = max(op.values())
    top1 = max(whole, key=lambda r: r[0])[1].name
    top_op = max(op, key=op.get)
    names = [meter_ranker.METERS[i].name for i in scored.metas]
    keep = np.array([n in METERS and n in s1 for n in names], dtype=bool)
    idx = np.flatnonzero(keep)
    if not len(idx):
        return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros((0, len(FEATURES)))
    bars = np.array([meter_ranker.METERS[scored.metas[i]].bar for i in idx])
    rk = scored.scores[idx]
    phases = scored.phases[idx]
    best_bar = {b: rk[np.abs(bars - b) < 1e-6].max() for b in np.unique(bars)}
    bar_s1 = {}
    for name, (t, _) in s1.items():
        b = next((meter_ranker.METERS[k].bar for k, m in enumerate(meter_ranker.METERS) if m.name == name), None)
        if b is not None:
            bar_s1[b] = max(bar_s1.get(b, -np.inf), t)
    rows, metas = [], []
    for j, i in enumerate(idx):
        name = names[i]
        bar = bars[j]
        t, slot = s1[name]
        d = ((first + phases[j]) - slot / RESOLUTION) % bar
        rows.append((
            rk[j], rk[j] - best_bar[bar], float(rk[j] >= best_bar[bar] - 1e-12), rk[j] - rk.max(),
            t, t - best1, float(name == top1), bar_s1[bar] - best1,
            op[name] - best_op, float(name == top_op),
            float(min(d, bar - d) < 1e-6),
            float(np.log(max(end / bar, 1.0))),
            *scored.feats[i],
            *(float(name == m) for m in METERS),
        ))
        metas.append(METERS.index(name))
    return np.array(metas), (first + phases) % bars, np.array(rows, dtype=np.float64)


# fitted by benchmarks/meter_rerank_fit.py, in FEATURES order; empty: the re-ranker is off
WEIGHTS: tuple[float, ...] = (
)


def choose(onsets: np.ndarray, scored: meter_ranker.Scored | None, whole: Sequence[tuple[float, Any, int]],
           opening: Sequence[tuple[float, Any, int]] | None, end: float,
           weights: Sequence[float] = WEIGHTS) -> Choice | None:
    """The best hypothesis by the re-ranker's weights; None without weights, notes or hypotheses."""
    if scored is None or len(weights) != len(FEATURES) or len(onsets) < 2:
        return None
    metas, phases, X = hypotheses(scored, float(onsets.min()), end, whole, opening)
    if not len(X):
        return None
    s = X @ np.asarray(weights, dtype=np.float64)
    best = int(np.argmax(s))
    bars = np.array([_BAR[k] for k in metas])
    other = np.abs(bars - bars[best]) > 1e-6
    d = (phases - phases[best]) % bars[best]
    far = ~other & (np.minimum(d, bars[best] - d) > 0.25 + 1e-9)
    return Choice(METERS[int(metas[best])], float(phases[best]),
                  bar_margin=float(s[best] - s[other].max()) if other.any() else 10.0,
                  phase_margin=float(s[best] - s[far].max()) if far.any() else 10.0)


_BAR = tuple(next(m.bar for m in meter_ranker.METERS if m.name == name) for name in METERS)
