"""Inner Metric Analysis (IMA): metric and spectral weights of a one-line tune's onsets.

A *local meter* is a maximal chain of equally spaced onsets: period d, start s, the onsets
s, s + d, ..., s + k d all sounding, s - d and s + (k + 1) d not; its length is k (the number of
steps). Only chains of at least ``min_length`` steps count (2: three onsets). The *metric weight*
of an onset is the sum of k**p over the local meters it belongs to; the *spectral weight* of any
grid point is the same sum over the local meters whose extension (every s + i d, i any integer,
within the piece) reaches it. Long regular chains dominate (p = 2), so the weights show which
pulses the onsets themselves keep, without any accent or template: a cue to meter and downbeat that
is not the accent grid the estimator folds.

References: Nestke, A. and Noll, T. (2001), "Inner Metric Analysis", in Haluska (ed.), *Music and
Mathematics*, 91-111; Volk, A. (2008), "The study of syncopation using inner metric analysis:
linking theoretical and experimental analysis of metre in music", *Journal of New Music Research*
37(4), 259-273; Volk, van Kranenburg et al. applied it to the Dutch folk songs of the Meertens
Tune Collections. This is a numpy implementation (pairs of onsets start the chains, so it is
quadratic in the number of distinct onsets; a guard keeps long pieces bounded). Equal to pyinmean 0.1.1
(van Kranenburg and Dyer's imacpp) on 300 random onset sets, both weights.

Benchmark-only since session 22 (branch ima22, benchmarks/phase22-ima22.md): as cues of the notated
ranker and the re-ranker it did not win on MTC tune and the held-out Essen tunes; the product wiring
lives in commit c179028.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from motifcli.meter_templates import RESOLUTION, fold, phase_correlations

MIN_LENGTH = 2  # a local meter has at least this many steps (three onsets)
POWER = 2.0  # a local meter of k steps weighs k ** POWER
MAX_ONSETS = 600  # distinct onsets read (the first ones): the pair table stays under 360k entries


@dataclass(frozen=True)
class LocalMeters:
    """Every maximal local meter of a set of grid onsets: start slot, period (slots), length (steps)."""

    starts: np.ndarray
    periods: np.ndarray
    lengths: np.ndarray


def local_meters(slots: np.ndarray, min_length: int = MIN_LENGTH) -> LocalMeters:
    """The local meters among integer grid ``slots`` (duplicates ignored): chains of equally spaced onsets
    of at least ``min_length`` steps that no other chain contains (not longer in their own period, and
    not a part of a chain of a shorter period: 0, 2, 4 inside 0, 1, 2, 3, 4 is no local meter)."""
    s = np.unique(np.asarray(slots, dtype=np.int64))[:MAX_ONSETS]
    empty = LocalMeters(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64))
    n = len(s)
    if n < min_length + 1:
        return empty
    s = s - s[0]
    last = int(s[-1])
    index = np.full(last + 1, -1, dtype=np.int64)  # slot -> onset index (-1: no onset)
    index[s] = np.arange(n)
    # steps[i, j]: how many steps of period s[j] - s[i] the onsets keep going from s[i] (j > i)
    i, j = np.triu_indices(n, 1)
    steps = np.zeros((n, n), dtype=np.int64)
    steps[i, j] = 1
    period = s[j] - s[i]
    head = j.copy()
    alive = np.arange(len(i))
    while alive.size:
        nxt = s[head[alive]] + period[alive]
        ok = nxt <= last
        ok[ok] = index[nxt[ok]] >= 0
        alive = alive[ok]
        head[alive] = index[nxt[ok]]
        steps[i[alive], j[alive]] += 1
    before = s[i] - period
    opens = (before < 0) | (index[np.maximum(before, 0)] < 0)  # the pair opens its chain
    k = steps[i, j]
    keep = opens & (k >= min_length)
    si, start, per, k = i[keep], s[i][keep], period[keep], k[keep]
    inside = np.zeros(len(start), dtype=bool)
    for m in range(2, (n - 1) // min_length + 1):  # a chain of period per / m through the same onsets
        sel = np.flatnonzero((per % m == 0) & ~inside)
        if not sel.size:
            continue
        nxt = start[sel] + per[sel] // m
        j2 = index[nxt]  # nxt <= last: the chain's second onset lies beyond it
        hit = j2 >= 0
        sel, j2 = sel[hit], j2[hit]
        inside[sel[steps[si[sel], j2] >= k[sel] * m]] = True
    keep = ~inside
    return LocalMeters(start[keep], per[keep], k[keep])


def spectral_weight(meters: LocalMeters, size: int, power: float = POWER) -> np.ndarray:
    """Spectral weight of every grid slot 0 .. size-1: each local meter's k ** power on its extension."""
    out = np.zeros(size)
    if not len(meters.periods) or size <= 0:
        return out
    w = meters.lengths.astype(np.float64) ** power
    for d in np.unique(meters.periods):
        sel = meters.periods == d
        acc = np.bincount(meters.starts[sel] % d, weights=w[sel], minlength=int(d))
        out += np.tile(acc, -(-size // int(d)))[:size]
    return out


def metric_weight(meters: LocalMeters, slots: np.ndarray, power: float = POWER) -> np.ndarray:
    """Metric weight of each distinct onset slot (sorted, from the first): k ** power summed over the
    local meters the onset belongs to."""
    s = np.unique(np.asarray(slots, dtype=np.int64))[:MAX_ONSETS]
    if not len(s):
        return np.zeros(0)
    s = s - s[0]
    out = np.zeros(int(s[-1]) + 1)
    w = meters.lengths.astype(np.float64) ** power
    for k in range(int(meters.lengths.max()) + 1 if len(meters.lengths) else 0):
        sel = meters.lengths >= k
        np.add.at(out, meters.starts[sel] + k * meters.periods[sel], w[sel])
    return out[s]


def grid_spectral_weight(onsets: np.ndarray, end: float) -> tuple[np.ndarray, float]:
    """Spectral weight on the estimator's grid (RESOLUTION slots per quarter beat) from the first onset
    to ``end`` (quarter beats), and the first onset's beat. The onsets are read on their own coarsest
    common grid (their slots' greatest common divisor), so a tune in eighths costs what its eighths do."""
    slots = np.unique(np.rint(np.asarray(onsets, dtype=np.float64) * RESOLUTION).astype(np.int64))
    if len(slots) < MIN_LENGTH + 1:
        return np.zeros(0), float(slots[0]) / RESOLUTION if len(slots) else 0.0
    first = int(slots[0])
    rel = slots - first
    step = int(np.gcd.reduce(rel[1:])) or 1
    size = int(np.ceil(end * RESOLUTION)) - first
    coarse = spectral_weight(local_meters(rel // step), -(-size // step))
    out = np.zeros(max(size, 1))
    out[::step] = coarse[: len(out[::step])]
    return out, first / RESOLUTION


def phase_fit(sw: np.ndarray, first: float, bar: float, template: np.ndarray, tiled: bool = False) -> np.ndarray:
    """Template correlation of the spectral weight folded on ``bar`` quarter beats, one value per
    absolute phase slot (bar lines at slot i of the bar, counted from beat 0). ``tiled``: the
    correlation with the template repeated along the whole profile (the fold's correlation times the
    share of the profile's spread the fold keeps), which does not flatter long bars' noisy folds."""
    slots = int(round(bar * RESOLUTION))
    if len(sw) < slots:
        return np.zeros(slots)
    shift = int(round(first * RESOLUTION)) % slots  # sw starts at the first onset
    profile = fold(sw, slots)
    corr = phase_correlations(profile, template)  # corr[i]: bar lines at sw's slot i
    if tiled:
        corr = corr * profile.std() / (sw.std() or 1.0)
    return np.roll(corr, shift)  # absolute slot a = (i + shift) % slots


def grid_metric_weight(onsets: np.ndarray, end: float) -> tuple[np.ndarray, float]:
    """Metric weight on the estimator's grid (0 where no onset) from the first onset to ``end``, and the
    first onset's beat (as :func:`grid_spectral_weight`)."""
    slots = np.unique(np.rint(np.asarray(onsets, dtype=np.float64) * RESOLUTION).astype(np.int64))
    if len(slots) < MIN_LENGTH + 1:
        return np.zeros(0), float(slots[0]) / RESOLUTION if len(slots) else 0.0
    rel = slots - slots[0]
    step = int(np.gcd.reduce(rel[1:])) or 1
    weight = metric_weight(local_meters(rel // step), rel // step)
    out = np.zeros(max(int(np.ceil(end * RESOLUTION)) - int(slots[0]), int(rel[-1]) + 1))
    out[rel[: len(weight)]] = weight
    return out, float(slots[0]) / RESOLUTION


def fits(onsets: np.ndarray, end: float, templates: dict[str, tuple[float, np.ndarray]],
         tiled: bool = True, both: bool = False) -> dict[str, tuple[np.ndarray, ...]]:
    """For each meter name -> (bar length, template): the spectral and the metric weight's phase fit
    (:func:`phase_fit`), one value per absolute phase slot of that bar; ``both``: tiled and folded
    fits (spectral tiled, metric tiled, spectral folded, metric folded)."""
    spectral, first = grid_spectral_weight(onsets, end)
    metric, _ = grid_metric_weight(onsets, end)
    kinds = (True, False) if both else (tiled,)
    return {name: tuple(phase_fit(w, first, bar, tpl, t) for t in kinds for w in (spectral, metric))
            for name, (bar, tpl) in templates.items()}
