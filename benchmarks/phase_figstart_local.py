"""``phase_figstart.py local``: the figure-start cue as a *local* bias along the Viterbi path, weight by 5-fold CV.

Phase 25's whole-song bias (``phase_repetition_combine.py``) cannot follow a song whose bars change phase. Here
each beat i of the estimate's grid gets ``w x (cue_i[i mod 4] - max_k cue_i[k])``, where ``cue_i`` is the log
share of figure starts (the exact-repeat finder, tracks as named) near each candidate downbeat, counted only
over the starts within ``half`` bars of beat i. Only 4/4 grids; gates as in phase 24 (the whole-song ranker's
top-two margin). Scored like ``meter.py pop909`` (first mark, dominant phase) over all tune songs; 5-fold CV by
songs dealt round-robin, the variant with the best first + dominant total on the other folds scored on each
held-out fold (ties to the shipped estimate). Test songs are never read.
"""

from __future__ import annotations

import numpy as np
from meter import DATA, dominant_phase, phase_ok, pop909_truth
from phase_figstart import finder_cue
from phase_repetition_combine import margin

from motifcli import meter_estimate
from motifcli.readers.midi import read_midi

CUES = ("all", "melody")
WEIGHTS = (0.3, 1.0, 3.0)
HALVES = (4, 8)  # bars either side: windows of 9 and 17 bars (the ranker's local window is 17)
GATES = (None, 0.5)

_STATE: dict[str, object] = {"beats": None, "w": 0.0, "half": 0}
_viterbi = meter_estimate.viterbi_downbeats


def start_beats(onsets: np.ndarray, offset: float) -> np.ndarray:
    """Beat indices (from ``offset``) of the starts within 1/4 beat of a beat of the grid."""
    pos = np.asarray(onsets) - offset
    idx = np.round(pos)
    return idx[(np.abs(pos - idx) <= 0.25) & (idx >= 0)].astype(np.int64)


def local_bias(beats: np.ndarray, n: int, w: float, half: int) -> np.ndarray:
    """Per beat i < n: w x (log share of window starts on i's bar position - the best position's)."""
    counts = np.zeros((4, n + 1))
    for k in range(4):
        counts[k] = np.r_[0.0, np.cumsum(np.bincount(beats[(beats % 4 == k) & (beats < n)], minlength=n)[:n])]
    lo = np.clip(np.arange(n) - 4 * half, 0, n)
    hi = np.clip(np.arange(n) + 4 * half + 1, 0, n)
    window = counts[:, hi] - counts[:, lo]  # [4, n] starts on each position within the window
    logshare = np.log((window + 1.0) / (window.sum(axis=0) + 4.0))
    own = logshare[np.arange(n) % 4, np.arange(n)]
    return w * (own - logshare.max(axis=0))


def _patched(logodds: np.ndarray, per_bar: int, jump_penalty: float = 6.0) -> np.ndarray:
    beats = _STATE["beats"]
    if beats is not None and per_bar == 4 and len(logodds):
        logodds = np.asarray(logodds, dtype=np.float64) + local_bias(beats, len(logodds), _STATE["w"], _STATE["half"])
    return _viterbi(logodds, per_bar, jump_penalty)


def local(rows: list[dict], folds: int) -> None:
    variants: list[tuple | None] = [None] + [(c, w, h, g) for c in CUES for w in WEIGHTS for h in HALVES for g in GATES]
    ok = np.zeros((len(variants), len(rows), 2), dtype=bool)
    meter_estimate.viterbi_downbeats = _patched
    try:
        for s, row in enumerate(rows):
            song = DATA / "pop909" / row["song"]
            score = read_midi(song / f"{song.name}.mid")
            bar, first, dominant, _ = pop909_truth(song, score)
            starts = {c: start_beats(finder_cue(score, c), row["offset"]) for c in CUES}
            for v, variant in enumerate(variants):
                if variant is not None and variant[3] is not None and margin(row["ranker"]) >= variant[3]:
                    ok[v, s] = ok[0, s]
                    continue
                if variant is None:
                    _STATE["beats"] = None
                else:
                    _STATE["beats"], _STATE["w"], _STATE["half"] = starts[variant[0]], variant[1], variant[2]
                est = meter_estimate.estimate_meter(score)
                ok[v, s, 0] = phase_ok(est.first_downbeat, first, bar)
                ok[v, s, 1] = phase_ok(dominant_phase(est.downbeats, est.beats_per_bar), dominant, bar)
    finally:
        meter_estimate.viterbi_downbeats = _viterbi
        _STATE["beats"] = None
    print("| variant (cue, w, half-window bars, gate) | first mark | dominant phase |\n|---|---|---|")
    for v, variant in enumerate(variants):
        print(f"| {'shipped estimate' if variant is None else variant} | {ok[v, :, 0].mean():.3f} | {ok[v, :, 1].mean():.3f} |")
    fold = np.arange(len(rows)) % folds
    cv = np.zeros((len(rows), 2), dtype=bool)
    picked = []
    for f in range(folds):
        best = int(np.argmax(ok[:, fold != f].sum(axis=(1, 2))))
        picked.append(variants[best])
        cv[fold == f] = ok[best, fold == f]
    print(f"{folds}-fold CV over {len(rows)} tune songs: first mark {cv[:, 0].mean():.3f} "
          f"({cv[:, 0].mean() - ok[0, :, 0].mean():+.3f}), dominant {cv[:, 1].mean():.3f} "
          f"({cv[:, 1].mean() - ok[0, :, 1].mean():+.3f}); picked per fold: {picked}")
