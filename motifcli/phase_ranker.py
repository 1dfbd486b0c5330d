"""The song's downbeat phase from whole-song statistics: a ranker over the 4 beat positions of a 4/4 bar.

Why: the per-beat downbeat model (``downbeats.py``) judges each beat alone, and summing its log-odds
along a bar position confuses beat 1 with beat 3 (and 2 with 4) when each beat looks alike. Over a
whole song the *profile* of each bar position is steadier: the mean of every beat feature at
positions 1, 2, 3, 4. A candidate phase rolls those profiles so its downbeat is position 1, and a
linear score over the rolled (positions x features) vector, plus the summed per-beat log-odds,
ranks the candidates. This learns joint patterns ("harmony changes more on 1 than on 3, bass on 1
and 3, fewer onsets on 4"). The weights were fitted as a conditional logit (softmax over the 4
candidates) on POP909 songs with id < 500 against ``beat_midi.txt``'s dominant phase by
``benchmarks/phase_train.py``; numbers in benchmarks/METER.md. Pure numpy, well under 1 ms a song.

The scores do not pick the downbeats alone: each beat's log-odds loses its position's song mean
and gains the score of its position, half from the whole song and half from the 17 bars around it
(:func:`windowed_scores`: phase changes mid-song), and the Viterbi path
(``downbeats.viterbi_downbeats``) still allows irregular bars.
"""

from __future__ import annotations

import numpy as np

POSITIONS = 4  # the ranker is fitted on 4/4 (4 quarter beats a bar); other meters do without it

# RANK_WEIGHTS[j * F + f]: weight of feature f (downbeats.FEATURES) at position j after the candidate
# downbeat (j = 0 is the downbeat), already divided by the feature's spread; then FOLD_WEIGHT: weight
# of the mean per-beat log-odds at the candidate's beats. Refit:
#   cd benchmarks && PYTHONPATH=.. python phase_train.py
RANK_WEIGHTS: tuple[float, ...] = (
    -0.6509, 0.4804, -1.065, 0.4335, 0.9216, 0.4659, 3.858, 1.349,
    6.602, 0.6732, 1.21, -0.5266, -0.04437, -0.9909, -2.761, 0.2344,
    -2.454, 0.2365, 1.301, -0.3514, -0.2706, -0.06309, -3.283, -0.9743,
    -0.9167, -0.06954, 4.337, 0.8343, -0.5132, 0.3631, 2.718, -0.1611,
    3.268, 0.9749, -0.1982, -0.003282, -0.1803, -0.1123, 0.03954, -1.34,
    -2.459, -0.6687, -12.15, 0.09237, 0.2928, -1.71, -0.1588, -0.01026,
    -0.1633, -1.692, -0.03816, -0.07879, -0.4707, -0.2904, -0.615, 0.9649,
    -3.227, 0.06503, 6.606, -0.4001, 0.2648, 2.338, 0.2018, -0.06305,
)
FOLD_WEIGHT: float = 1.186
BIAS_WEIGHT = 1.0  # scale of the (centred) ranker score put in each beat's log-odds (0.3-3 measured alike)


def position_profiles(feats: np.ndarray, positions: int = POSITIONS) -> np.ndarray:
    """Mean of each feature at each bar position (beat k, k + positions, ...), centred over positions:
    shape (positions, features). Centring drops what all candidates share (the song's density)."""
    feats = np.asarray(feats, dtype=np.float64)
    if len(feats) < positions:
        return np.zeros((positions, feats.shape[1] if feats.ndim == 2 else 0))
    profile = np.stack([feats[k::positions].mean(axis=0) for k in range(positions)])
    return profile - profile.mean(axis=0)


def candidate_vectors(profile: np.ndarray) -> np.ndarray:
    """One row per candidate phase k (downbeat at position k): the profiles rolled so k comes first."""
    positions = len(profile)
    return np.stack([np.roll(profile, -k, axis=0).ravel() for k in range(positions)])


def folded_logodds(logodds: np.ndarray, positions: int = POSITIONS) -> np.ndarray:
    """Mean per-beat downbeat log-odds at each bar position: the evidence before this ranker."""
    logodds = np.asarray(logodds, dtype=np.float64)
    if len(logodds) < positions:
        return np.zeros(positions)
    return np.array([logodds[k::positions].mean() for k in range(positions)])


def phase_scores(feats: np.ndarray, logodds: np.ndarray, weights: tuple[float, ...] | None = None,
                 fold_weight: float | None = None) -> np.ndarray:
    """Score of each candidate phase k (the downbeats at beats k, k + 4, ...); higher is likelier.

    ``feats``: :func:`motifcli.downbeats.beat_features` at consecutive quarter beats; ``logodds``: the
    per-beat model's log-odds at the same beats.
    """
    w = np.asarray(RANK_WEIGHTS if weights is None else weights, dtype=np.float64)
    a = FOLD_WEIGHT if fold_weight is None else fold_weight
    base = a * folded_logodds(logodds)
    if len(w) == 0 or len(feats) < POSITIONS:
        return base
    return candidate_vectors(position_profiles(feats)) @ w + base


def windowed_scores(feats: np.ndarray, logodds: np.ndarray, half_bars: int) -> np.ndarray:
    """:func:`phase_scores` over the bars within ``half_bars`` of each bar (shape bars x POSITIONS),
    bars counted in groups of POSITIONS beats from the first beat. The score is linear in the
    position means, so windowed means (cumulative sums over bars) give every window at once."""
    w = np.asarray(RANK_WEIGHTS, dtype=np.float64).reshape(POSITIONS, -1)
    k = len(logodds)
    bars = -(-k // POSITIONS)
    values = np.zeros((bars * POSITIONS, feats.shape[1] + 1))
    present = np.zeros(bars * POSITIONS)
    values[:k, :-1], values[:k, -1], present[:k] = feats, logodds, 1.0
    values, present = values.reshape(bars, POSITIONS, -1), present.reshape(bars, POSITIONS)
    cum = np.concatenate([np.zeros((1, POSITIONS, values.shape[2])), np.cumsum(values, axis=0)])
    cum_n = np.concatenate([np.zeros((1, POSITIONS)), np.cumsum(present, axis=0)])
    lo_idx = np.clip(np.arange(bars) - half_bars, 0, bars)
    hi_idx = np.clip(np.arange(bars) + half_bars + 1, 0, bars)
    means = (cum[hi_idx] - cum[lo_idx]) / np.maximum(cum_n[hi_idx] - cum_n[lo_idx], 1.0)[:, :, None]
    scores = np.zeros((bars, POSITIONS))
    for cand in range(POSITIONS):
        rolled = np.roll(means, -cand, axis=1)  # position cand first
        scores[:, cand] = np.einsum("bpf,pf->b", rolled[:, :, :-1], w) + FOLD_WEIGHT * rolled[:, 0, -1]
    return scores


LOCAL_BARS = 8  # half-width in bars of the local ranker's window (17 bars; 0: the whole song only)
LOCAL_SHARE = 0.5  # share of the local score beside the whole-song score (chosen on tune songs)


def ranked_logodds(feats: np.ndarray, logodds: np.ndarray, bias_weight: float = BIAS_WEIGHT,
                   local_share: float | None = None) -> np.ndarray:
    """The per-beat log-odds with each position's mean replaced by the ranker's score for that position
    (times ``bias_weight``): what the Viterbi path then follows, so the song's phase comes from the
    ranker and irregular bars (a beat that stands out locally) from the path."""
    logodds = np.asarray(logodds, dtype=np.float64)
    scores = phase_scores(feats, logodds)
    position = np.arange(len(logodds)) % POSITIONS
    centred = (scores - scores.max())[position]
    share = LOCAL_SHARE if local_share is None else local_share
    if LOCAL_BARS and share and len(logodds) >= POSITIONS:
        feats = np.asarray(feats, dtype=np.float64)
        bar_of = np.arange(len(logodds)) // POSITIONS
        local = windowed_scores(feats, logodds, LOCAL_BARS)
        local = (local - local.max(axis=1, keepdims=True))[bar_of, position]
        centred = (1.0 - share) * centred + share * local
    return logodds - folded_logodds(logodds)[position] + bias_weight * centred
