"""Meter changes inside a piece with no usable time signature: bar lines of several meters.

``meter_estimate.estimate_meter`` finds one meter for the whole piece. Folk tunes and sonatas
change meter (MTC-ANN: 78 of 194 songs, e.g. 3/4 <-> 4/4, a 9/8 bar inside 6/8); one bar of another
length shifts every later bar line of a one-meter map. Here a Viterbi lays bar lines of the
candidate meters on the piece's beat (3/4, 2/4, 4/4, 3/2; or 6/8, 9/8, 12/8) one after another,
each bar scored by how well the accents inside it match its meter's metric hierarchy (the z-scored
accent grid times the z-scored template, summed over the bar's slots: over a whole piece this is
the one-meter estimate's correlation), the fitted downbeat model's log-odds at its bar line, and
its meter's prior; each change of meter costs ``CHANGE_PENALTY`` x log(bars), more for polyphony.
Bar lines stay continuous across a change; the last bar may be cut short (a pickup's complement).

It runs only where a change is plausible and cheap to look for: quantised input (notation
software's timing, where bar lines fall on the grid; POP909's played songs are one meter each).
A path with no change returns None: the caller keeps its one-meter map, so a piece found without
changes comes out exactly as before. Measured in benchmarks/METER.md, "Phase 4: meter changes":
it finds some changes, and gives some pieces in one meter a false one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from motifcli import downbeats as downbeats_model
from motifcli.meter import Bar
from motifcli.meter_templates import standardised

if TYPE_CHECKING:
    from motifcli.meter_estimate import Candidate

CHANGE_PENALTY = 5.0  # cost of one change of meter, times log(bars in the piece) (tuned on MTC tune families + BPS tune pieces)
STEP_BEATS = 0.5  # bar lines on an eighth-note grid laid from the one-meter estimate's first downbeat
PRIOR_SCALE = 1.0  # a candidate's prior (correlation units) per grid slot of its bars
PENALTY_PER_LOG_BARS = True  # the change cost is CHANGE_PENALTY x log(bars in the piece)
DOWNBEAT_WEIGHT = 4.0  # weight of the downbeat model's log-odds (downbeats.py) at each bar line
POLYPHONIC_FACTOR = 8.0  # x this for polyphony (its one-meter path has irregular bars already): POP909 tune songs 0 false changes
SAME_BEAT = True  # sections only in meters on the one-meter estimate's beat


def find_sections(
    grid: np.ndarray,
    resolution: int,
    candidates: Sequence[Candidate],
    origin: float,
    end_beat: float,
    penalty: float | None = None,
    beat: float | None = None,
    downbeat_logodds: Callable[[np.ndarray], np.ndarray] | None = None,
    one_line: bool = True,
) -> tuple[Bar, ...] | None:
    """Bars of several meters along the accent ``grid`` (``resolution`` slots per quarter beat), or
    None when the best path keeps one meter (or the input is too short to say).

    ``origin``: a beat the bar lines may fall on (the one-meter estimate's first downbeat); bar lines
    lie on ``origin`` + k eighths. The first bar may be a pickup (numbered "0"); the last holds
    ``end_beat`` and takes the meter of the bar before it. ``penalty``: a change's cost (default
    ``CHANGE_PENALTY``; inf: no search); ``beat``: only meters on this beat; ``downbeat_logodds``:
    the downbeat model at given beats; ``one_line``: False multiplies the cost by ``POLYPHONIC_FACTOR``.
    """
    penalty = CHANGE_PENALTY if penalty is None else penalty
    if not np.isfinite(penalty):
        return None
    cands = [c for c in candidates if _on_grid(c.bar_beats)]
    if beat is not None:
        beat = 1.0 if abs(beat - 2.0) < 1e-6 else beat
    if beat is not None:  # only meters on the same beat as the piece's (3/4 <-> 2/4 <-> 4/4; 6/8 <-> 9/8)
        cands = [c for c in cands if abs(_beat_level(c) - beat) < 1e-6]
    if len(cands) < 2 or len(grid) == 0:
        return None
    step = int(round(STEP_BEATS * resolution))
    lengths = np.array([int(round(c.bar_beats / STEP_BEATS)) for c in cands])  # bar lengths in steps
    max_len = int(lengths.max())
    music = grid[: int(np.ceil(end_beat * resolution)) + 1]
    sd = float(music.std())
    if sd == 0:
        return None
    z = (music - music.mean()) / sd
    # the grid laid out on steps from origin - one longest bar (room for a pickup's bar before 0)
    offset = int(round((origin % STEP_BEATS) * resolution))
    lead = max_len * step - offset
    silence = -music.mean() / sd  # an empty slot's z: before and after the music as inside it
    tail = max(int(np.ceil(end_beat * resolution)) - len(z), 0) + 2 * max_len * step  # to past the last offset
    padded = np.concatenate([np.full(lead, silence), z, np.full(tail, silence)])
    n_steps = (len(padded) - 1) // step
    end_step = int(np.ceil((lead + end_beat * resolution) / step))
    bar_scores = np.full((len(cands), n_steps + 1), -np.inf)
    for k, cand in enumerate(cands):
        t = standardised(cand.template())
        corr = np.correlate(padded, t, mode="valid")[::step]  # score of a bar starting at each step
        bar_scores[k, : len(corr)] = corr + PRIOR_SCALE * cand.prior * len(t)
    zero = lead / step  # beat 0, in steps
    if downbeat_logodds is not None and DOWNBEAT_WEIGHT:  # the fitted downbeat model's say at each bar line
        at = (np.arange(n_steps + 1) * step - lead) / resolution
        inside = (at >= 0) & (at < end_beat)
        odds = np.zeros(n_steps + 1)
        odds[inside] = downbeat_logodds(at[inside])
        bar_scores += DOWNBEAT_WEIGHT * odds[None, :]
    bars_in_piece = max(end_beat / float(np.mean([c.bar_beats for c in cands])), 2.0)
    penalty *= np.log(bars_in_piece) if PENALTY_PER_LOG_BARS else 1.0  # more bars, more chances of a chance win
    if not one_line:
        penalty *= POLYPHONIC_FACTOR
    lines, meters = _best_path(bar_scores, lengths, zero, end_step, penalty)
    if lines is None or len(set(meters)) < 2:
        return None
    beats = [(ln * step - lead) / resolution for ln in lines]
    return _bars(beats, [cands[m] for m in meters])


def sections_for(
    notes: tuple[np.ndarray, ...],
    grid: np.ndarray,
    resolution: int,
    candidates: Sequence[Candidate],
    beat: float,
    downbeats: Sequence[float],
    one_line: bool,
) -> tuple[Bar, ...]:
    """``estimate_meter``'s hook: the bars of a meter change in these notes (cleaned note arrays,
    their accent grid, the one-meter estimate's beat and downbeats), or () for one meter."""
    bars = find_sections(
        grid, resolution, candidates, float(downbeats[0]) if len(downbeats) else 0.0,
        float(notes[1].max()) if len(notes[1]) else len(grid) / resolution,
        beat=beat if SAME_BEAT else None,
        downbeat_logodds=lambda at: downbeats_model.downbeat_logodds(
            notes, at, downbeats_model.MELODY_WEIGHTS if one_line else None),
        one_line=one_line,
    )
    return bars or ()


def main_bar_length(bars: Sequence[Bar]) -> float:
    """The nominal bar length that covers most of these bars' beats."""
    cover: dict[float, float] = {}
    for bar in bars:
        cover[bar.nominal_length] = cover.get(bar.nominal_length, 0.0) + bar.length
    return max(cover, key=cover.__getitem__)


def _beat_level(cand: Candidate) -> float:
    """The beat a meter counts in: a quarter for 2/4, 3/4, 4/4 and 3/2 (felt in quarters in tunes);
    a dotted quarter for 6/8, 9/8, 12/8; an eighth for 5/8."""
    beat = cand.beat_beats
    return 1.0 if abs(beat - 2.0) < 1e-6 else beat


def _on_grid(bar_beats: float) -> bool:
    ratio = bar_beats / STEP_BEATS
    return abs(ratio - round(ratio)) < 1e-9


def _best_path(
    bar_scores: np.ndarray, lengths: np.ndarray, zero: float, end_step: int, penalty: float
) -> tuple[list[int] | None, list[int]]:
    """Viterbi over (bar line step, meter of the bar ending there): the first bar holds beat 0
    (``zero``, in steps; a pickup when it starts before), the last bar line is the first at or after
    the end. Returns the bar lines (steps; the last one closes the last bar) and each bar's meter."""
    n_meters, n_steps = bar_scores.shape
    max_len = int(lengths.max())
    value = np.full((n_steps + max_len + 1, n_meters), -np.inf)
    back = np.full((n_steps + max_len + 1, n_meters), -2, dtype=np.int64)  # previous meter; -1: path start
    first = int(np.ceil(zero - 1e-9))
    for m in range(n_meters):  # the first bar: [s - length, s) holds beat 0
        for s in range(first, int(np.floor(zero + 1e-9)) + int(lengths[m]) + 1):
            if s - lengths[m] >= 0 and s - lengths[m] <= zero + 1e-9:
                score = bar_scores[m, s - lengths[m]]
                if score > value[s, m]:
                    value[s, m], back[s, m] = score, -1
    start_lo = first
    stop = min(end_step, n_steps)
    # plain lists: a few thousand steps x <= 4 meters is faster than numpy calls per step (5x here)
    val, bk, scores = value.tolist(), back.tolist(), bar_scores.tolist()
    lens = [int(x) for x in lengths]
    row_best: dict[int, tuple[float, int]] = {}  # a finished row's best value and meter
    for s in range(start_lo + 1, stop + 1):
        row_s, back_s = val[s], bk[s]
        for m in range(n_meters):
            p = s - lens[m]
            if p < start_lo or p >= end_step:  # no bars wholly after the music
                continue
            row = val[p]
            best = row_best.get(p)
            if best is None:
                top = max(row)
                best = row_best[p] = (top, row.index(top))
            switch = best[0] - penalty
            carried, came = (row[m], m) if row[m] >= switch else (switch, best[1])
            carried += scores[m][p]
            if carried > row_s[m]:
                row_s[m], back_s[m] = carried, came
    value, back = np.array(val), np.array(bk, dtype=np.int64)
    # the last bar holds the end and may be cut short (a pickup's complement): scored, but it pays
    # no change, and takes the meter of the bar before it
    lo = max(end_step - max_len, start_lo)
    before = value[lo:end_step]
    if not np.isfinite(before).any():
        return None, []
    reach = (np.arange(lo, end_step)[:, None] + lengths[None, :]) >= end_step
    last = np.where(reach, bar_scores[:, lo:end_step].T, -np.inf)
    total = before.max(axis=1) + last.max(axis=1)
    k = int(np.argmax(total))
    s, m = lo + k, int(np.argmax(before[k]))
    lines, bar_meters = [int(s + lengths[int(np.argmax(last[k]))]), int(s)], [m]
    while True:
        prev_m = back[s, m]
        bar_meters.append(int(m))
        s = s - int(lengths[m])
        lines.append(int(s))
        if prev_m == -1:
            break
        m = int(prev_m)
    lines.reverse()
    bar_meters.reverse()
    # lines[0] opens the pickup's bar (at or before the music's start); the path starts at lines[1]
    return lines, bar_meters


def _bars(lines: list[float], meters: list[Candidate]) -> tuple[Bar, ...]:
    """Bars between the path's lines: the first bar is cut at beat 0 (a pickup "0" when shorter)."""
    bars: list[Bar] = []
    number = 1
    for i, cand in enumerate(meters):
        start, stop = lines[i], lines[i + 1]
        if stop <= 1e-6:
            continue
        if start < -1e-6:
            start = 0.0
            if stop - start < cand.bar_beats - 1e-6:
                bars.append(Bar(0.0, stop, "0", cand.numerator, cand.denominator))
                continue
        bars.append(Bar(start, stop - start, str(number), cand.numerator, cand.denominator))
        number += 1
    return tuple(bars)


def change_count(bars: Sequence[Bar]) -> int:
    """Meter changes between consecutive bars."""
    return sum((a.numerator, a.denominator) != (b.numerator, b.denominator) for a, b in zip(bars, bars[1:]))
