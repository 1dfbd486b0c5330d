import sys, pickle, time; import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *
rows = pickle.load(open('/tmp/m7_tune.pkl','rb'))
preps = pickle.load(open('/tmp/m7/preps.pkl','rb'))

def first_ok(fn):
    out = []
    for r, p in zip(rows, preps):
        est = r['est_downbeats']
        if p is not None:
            d = fn(p)
            if d is not None: est = d
        out.append(bench.phase_ok(est[0] % r['bar'], r['downbeats'][0], r['bar']))
    return np.array(out)

def variant(p, open_bars=0, open_half=2, open_share=1.0, open_jump=None):
    if p['quant']: return None
    lo = p['lo']; feats = p['feats']
    ranked = pr.ranked_logodds(feats, lo)
    if open_bars:
        n = min(len(lo), open_bars * 4)
        loc = pr.windowed_scores(feats, lo, open_half)
        pos = np.arange(len(lo)) % 4
        local = (loc - loc.max(axis=1, keepdims=True))[np.arange(len(lo)) // 4, pos]
        whole = pr.phase_scores(feats, lo); whole = (whole - whole.max())[pos]
        alt = lo - pr.folded_logodds(lo)[pos] + (1 - open_share) * whole + open_share * local
        ranked = ranked.copy(); ranked[:n] = alt[:n]
    idx = viterbi_downbeats(ranked, 4, 6.0)
    return p['beats'][idx]

if __name__ == "__main__":
  b = score(rows, preps, variant); f0 = first_ok(variant)
  print('product dominant %.4f found %.4f first %.4f' % (b[0], b[1], f0.mean()))
  for ob in (2, 4, 6, 8):
      for oh in (1, 2, 3):
          for osh in (0.5, 1.0):
              fn = lambda p: variant(p, ob, oh, osh)
              s = score(rows, preps, fn); f = first_ok(fn)
              print(ob, oh, osh, 'dominant %.4f found %.4f first %.4f' % (s[0], s[1], f.mean()), 'first gained', int((f & ~f0).sum()), 'lost', int((f0 & ~f).sum()), flush=True)
