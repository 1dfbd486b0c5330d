import sys, pickle, time; import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *
rows = pickle.load(open('/tmp/m7_tune.pkl','rb'))
preps = pickle.load(open('/tmp/m7/preps.pkl','rb'))

def partners(p, win=4, thr=0.8, min_on=4, max_lag=160, src='mel'):
    """list of (lags array) per beat: beats whose melody window repeats at lag L (L whole beats)."""
    mel = p['mel'] if src == 'mel' else p['notes']
    beats = p['beats']; nb = len(beats)
    if mel is None or len(mel[0]) == 0: return None
    r = 4
    origin = beats[0]
    slot = np.rint((mel[0] - origin) * r).astype(int)
    keep = slot >= 0
    slot, pitch = slot[keep], mel[2][keep].astype(int)
    size = nb * r + 1
    seq = np.full(size, -1)
    ok = slot < size
    seq[slot[ok]] = pitch[ok]   # last note wins on chords
    on = (seq >= 0).astype(float)
    W = win * r
    sims = {}
    for L in range(2, min(max_lag, nb // 2) + 1):
        Ls = L * r
        a, b = seq[:-Ls], seq[Ls:]
        match = ((a == b) & (a >= 0)).astype(float)
        both = on[:-Ls] + on[Ls:]
        cm = np.concatenate([[0], np.cumsum(match)]); cb = np.concatenate([[0], np.cumsum(both)])
        # window starting at each beat i (slot i*r) of W slots
        starts = np.arange(0, len(a) - W + 1, r)
        m = cm[starts + W] - cm[starts]; bo = cb[starts + W] - cb[starts]
        s = np.where(bo >= 2 * min_on, 2 * m / np.maximum(bo, 1), 0.0)
        sims[L] = s  # index = beat i, pair (i, i+L)
    return sims

def pooled(p, lo, weight=1.0, thr=0.8, lag_mod=None, **kw):
    sims = p.get('_sims')
    if sims is None:
        sims = partners(p, **kw); p['_sims'] = sims
    if not sims: return lo
    acc = np.zeros(len(lo)); n = np.zeros(len(lo))
    for L, s in sims.items():
        if lag_mod is not None and L % 4 != lag_mod: continue
        i = np.flatnonzero(s >= thr)
        i = i[i + L < len(lo)]
        np.add.at(acc, i, lo[i + L]); np.add.at(n, i, 1)
        np.add.at(acc, i + L, lo[i]); np.add.at(n, i + L, 1)
    return (lo + weight * acc / np.maximum(n, 1)) / (1 + weight * (n > 0))

if __name__ == '__main__':
  base = score(rows, preps, product_path)
  print('base', base[:2])
  for thr in (0.8, 0.9, 1.0):
      for w in (0.5, 1.0, 2.0):
          for p in preps:
              if p: p.pop('_sims', None)
          t = time.time()
          res = score(rows, preps, lambda p: product_path(p, lambda p, lo: pooled(p, lo, w, thr)))
          print(thr, w, res[:2], 'gained', sum(b2 and not b1 for b1, b2 in zip(base[2], res[2])), 'lost', sum(b1 and not b2 for b1, b2 in zip(base[2], res[2])), f'{time.time()-t:.1f}s')
