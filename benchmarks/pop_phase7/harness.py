"""Experiment harness: per-song beats/feats/logodds from the cache; path -> dominant phase."""
import pickle, numpy as np, sys
import os; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from benchmarks import meter as bench
from motifcli import meter_estimate as me, phase_ranker as pr
from motifcli.downbeats import beat_features, downbeat_logodds, viterbi_downbeats, _clean
from motifcli.meter_templates import RESOLUTION

def notes_of(r):
    tr = list(r['tracks'].values())
    return tuple(np.concatenate([t[i] for t in tr]) for i in range(4))

def prep(rows):
    out = []
    for r in rows:
        if r['est_name'] != '4/4':
            out.append(None); continue
        notes = _clean(notes_of(r))
        grid = me.accent_grid(notes)
        best = me.stage1(grid, [c for c in me.CANDIDATES if not c.notated_only] if not me.is_quantised(notes) else me.CANDIDATES)
        score, cand, slot = best[0]
        beat = cand.beat_beats
        end = float(len(grid)) / RESOLUTION
        offset = (slot % int(round(beat * RESOLUTION))) / RESOLUTION
        beats = offset + beat * np.arange(int(max(end - offset, 0.0) // beat) + 1)
        feats = beat_features(notes, beats)
        lo = downbeat_logodds(notes, beats, None, feats=feats)
        out.append(dict(song=r['song'], notes=notes, beats=beats, feats=feats, lo=lo,
                        quant=me.is_quantised(notes), mel=r['tracks'].get('MELODY')))
    return out

def score(rows, preps, path_fn):
    """path_fn(p) -> downbeat beats or None (use product's); returns (dominant right frac, found mean, right list)"""
    right, found = [], []
    for r, p in zip(rows, preps):
        bar = r['bar']
        est = r['est_downbeats']
        if p is not None:
            d = path_fn(p)
            if d is not None: est = d
        ebar = 4.0 if p is not None else bar
        ok = bench.phase_ok(bench.dominant_phase(est, ebar), bench.dominant_phase(r['downbeats'], bar), bar)
        right.append(ok); found.append(bench.found_fraction(np.asarray(est), r['downbeats']))
    return np.mean(right), np.mean(found), right

def product_path(p, lo_fn=None):
    lo = p['lo']
    if not p['quant']:
        lo = pr.ranked_logodds(p['feats'], lo)
    if lo_fn: lo = lo_fn(p, lo)
    idx = viterbi_downbeats(lo, 4, 6.0)
    return p['beats'][idx] if len(idx) else p['beats'][:1]
