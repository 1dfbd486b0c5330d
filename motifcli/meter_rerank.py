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
On by default since session 9 (``meter_estimate.NOTATED_RERANK``): on the music21 corpus (cross-validated) and
on held-out Essen tunes it lifts bar length + phase a lot, on the MTC tune half it did not (65 vs 66 of 100),
on the MTC test half it did (0.702 -> 0.830, switched on after that scoring); see benchmarks/phase9-mtcrank9.md
and METER.md "Phase 9".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from motifcli import meter_ranker
from motifcli.meter_templates import RESOLUTION

# stage-1 meters the re-ranker scores: those its corpus holds (no 5/8 there: a 5/8 estimate keeps the two stages)
METERS: tuple[str, ...] = ("2/4", "3/4", "4/4", "6/8", "9/8", "12/8", "3/2")

FEATURES: tuple[str, ...] = (
    "two_stages",  # the two stages' own answer (stage 1's meter, opening rule included; the ranker's phase)
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
# meters the re-ranker may pick or override (a subset of METERS; the others keep the two stages' answer)
# (not 3/2, 12/8: stage 1's 6-quarter bars, whose priors were chosen on MTC/BPS, are often wrong on the folk
# corpus, and a re-ranker fitted there turned MTC's right 3/2 and 6/4 into 3/4; phase9-mtcrank9.md)
CHOICES: tuple[str, ...] = ("2/4", "3/4", "4/4", "6/8", "9/8")
# True: one hypothesis per meter (the two stages' phase for that bar length: the ranker's, or stage 1's where
# the ranker does not choose); the re-ranker then picks the bar length only. False: every phase competes
PHASE_FROM_RANKER = True
# the re-ranker's pick replaces the two stages' answer only when it beats it by this many log-odds
OVERRIDE_MARGIN = 0.0


@dataclass(frozen=True)
class Choice:
    """The re-ranker's pick: a stage-1 meter's name and the bar lines' phase (quarter beats, absolute)."""

    meter: str
    first_downbeat: float
    bar_margin: float  # log-odds over the best hypothesis of another bar length
    phase_margin: float  # log-odds over the best other phase (more than 1/4 beat away) of this bar length


def hypotheses(scored: meter_ranker.Scored, first: float, end: float,
               whole: Sequence[tuple[float, Any, int]],
               opening: Sequence[tuple[float, Any, int]] | None,
               ranked_bars: Sequence[float] | None = None,
               base: tuple[str, float] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(meter index into METERS, absolute phase, feature rows) of every hypothesis the re-ranker scores.

    ``scored``: the ranker's hypotheses (phases after the first note, at ``first``); ``whole`` and
    ``opening``: stage 1's (total, candidate, phase slot) lists for the piece and its opening;
    ``ranked_bars``: bar lengths whose phases the ranker may choose (others: stage 1's phase only, as
    ``meter_estimate.NOTATED_RANKER_BARS`` decides for the two stages; None: every bar length);
    ``base``: the two stages' own answer (meter name, absolute phase), see :func:`two_stages`."""
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
        b = meter_ranker.BAR_OF.get(name)
        if b is not None:
            bar_s1[b] = max(bar_s1.get(b, -np.inf), t)
    rows, metas, kept = [], [], []
    for j, i in enumerate(idx):
        name = names[i]
        bar = bars[j]
        t, slot = s1[name]
        d = ((first + phases[j]) - slot / RESOLUTION) % bar
        on_s1 = min(d, bar - d) < 1e-6
        if not on_s1 and not meter_ranker.chooses_bar(bar, ranked_bars):
            continue
        kept.append(j)
        bp = base is not None and name == base[0] and abs(((first + phases[j]) - base[1] + bar / 2) % bar - bar / 2) < 1e-6
        rows.append((
            float(bp),
            rk[j], rk[j] - best_bar[bar], float(rk[j] >= best_bar[bar] - 1e-12), rk[j] - rk.max(),
            t, t - best1, float(name == top1), bar_s1[bar] - best1,
            op[name] - best_op, float(name == top_op),
            float(on_s1),
            float(np.log(max(end / bar, 1.0))),
            *scored.feats[i],
            *(float(name == m) for m in METERS),
        ))
        metas.append(METERS.index(name))
    kept = np.array(kept, dtype=np.int64)
    return np.array(metas), (first + phases[kept]) % bars[kept], np.array(rows, dtype=np.float64)


# fitted by benchmarks/meter_rerank_fit.py, in FEATURES order; empty: the re-ranker is off
WEIGHTS: tuple[float, ...] = (
    0.45645, 0.096248, -0.86004, 0.99347, 0.21428, 1.315, 1.4327, 0.28526,
    -3.0522, 2.2099, 0.40085, -0.060903, 0.002661, 0.75447, 7.9778, -4.4497,
    5.733, -4.511, 0.35768, 7.768, 2.4201, -0.81301, 0.22976, 0.53918,
    -0.29271, -0.016904, -0.42528, -1.2536, -3.4695, 1.0907, -1.2208, -0.11478,
    0.16147, -0.32807, 0.76323, -0.2219, 0.4449, 3.0594, 8.5561, -0.0033457,
    -0.6917, -0.40892, 0.24239, -0.16297, -0.35571, 0.73797, 0.4694, -0.68869,
    0, 0,
)


def phase_rows(metas: np.ndarray, phases: np.ndarray, X: np.ndarray,
               ranked_bars: Sequence[float] | None) -> np.ndarray:
    """Rows at the two stages' phase of each meter: the phase of the ranker's best hypothesis of that bar
    length (any meter: 3/4 and 6/8 share it) where it chooses the phase, else stage 1's for that meter."""
    bars = np.array([_BAR[k] for k in metas])
    keep = np.zeros(len(metas), dtype=bool)
    best = X[:, FEATURES.index("rank_best_bar")] > 0.5
    for b in np.unique(bars):
        same = np.abs(bars - b) < 1e-6
        if meter_ranker.chooses_bar(b, ranked_bars) and (same & best).any():
            p = phases[np.flatnonzero(same & best)[0]]
            keep |= same & (np.abs(phases - p) < 1e-6)
        else:
            keep |= same & (X[:, FEATURES.index("s1_phase")] > 0.5)
    return np.flatnonzero(keep)


def two_stages(scored: meter_ranker.Scored, first: float, top: tuple[float, Any, int],
               ranked_bars: Sequence[float] | None) -> tuple[str, float]:
    """What ``meter_estimate`` answers without the re-ranker: stage 1's meter ``top`` (total, candidate,
    phase slot), at the ranker's best phase among hypotheses of that bar length (any meter), or at
    stage 1's phase for bar lengths the ranker does not choose for."""
    cand = top[1]
    bar = cand.bar_beats
    bars = np.array([meter_ranker.METERS[i].bar for i in scored.metas])
    same = np.abs(bars - bar) < 1e-6
    if meter_ranker.chooses_bar(bar, ranked_bars) and same.any():
        k = int(np.flatnonzero(same)[np.argmax(scored.scores[same])])
        return cand.name, float((first + scored.phases[k]) % bar)
    return cand.name, float(top[2] / RESOLUTION) % bar


def choose(onsets: np.ndarray, scored: meter_ranker.Scored | None, whole: Sequence[tuple[float, Any, int]],
           opening: Sequence[tuple[float, Any, int]] | None, end: float,
           ranked_bars: Sequence[float] | None = None, top: tuple[float, Any, int] | None = None,
           weights: Sequence[float] | None = None) -> Choice | None:
    """The best hypothesis by ``weights`` (default: WEIGHTS, read at call time); None without weights,
    notes or hypotheses."""
    weights = WEIGHTS if weights is None else weights
    top = top if top is not None else whole[0]
    if scored is None or len(weights) != len(FEATURES) or len(onsets) < 2:
        return None
    base = two_stages(scored, float(onsets.min()), top, ranked_bars)
    metas, phases, X = hypotheses(scored, float(onsets.min()), end, whole, opening, ranked_bars, base)
    if PHASE_FROM_RANKER and len(X):
        mine = phase_rows(metas, phases, X, ranked_bars)
        metas, phases, X = metas[mine], phases[mine], X[mine]
    if top[1].name not in CHOICES:
        return None
    mine = np.flatnonzero([METERS[k] in CHOICES for k in metas])
    metas, phases, X = metas[mine], phases[mine], X[mine]
    if not len(X):
        return None
    s = X @ np.asarray(weights, dtype=np.float64)
    best = int(np.argmax(s))
    at_base = X[:, FEATURES.index("two_stages")] > 0.5
    if at_base.any() and s[best] - s[at_base].max() < OVERRIDE_MARGIN:
        return None  # not clearly better than the two stages' own answer: keep it
    bars = np.array([_BAR[k] for k in metas])
    other = np.abs(bars - bars[best]) > 1e-6
    d = (phases - phases[best]) % bars[best]
    far = ~other & (np.minimum(d, bars[best] - d) > 0.25 + 1e-9)
    return Choice(METERS[int(metas[best])], float(phases[best]),
                  bar_margin=float(s[best] - s[other].max()) if other.any() else 10.0,
                  phase_margin=float(s[best] - s[far].max()) if far.any() else 10.0)


_BAR = tuple(meter_ranker.BAR_OF[name] for name in METERS)
