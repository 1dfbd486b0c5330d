import sys, pickle; import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *
import itertools
rows = pickle.load(open('/tmp/m7_tune.pkl','rb'))
preps = pickle.load(open('/tmp/m7/preps.pkl','rb'))
def share(r):
    t = bench.dominant_phase(r['downbeats'], r['bar'])
    return np.mean([bench.phase_ok(d % r['bar'], t, r['bar']) for d in r['downbeats']])
base = score(rows, preps, product_path)[2]
# whole-song only path
def whole_only(p):
    if p['quant']: return None
    lo = pr.ranked_logodds(p['feats'], p['lo'], local_share=0.0)
    i = viterbi_downbeats(lo, 4, 6.0); return p['beats'][i]
def steady_path(p):
    if p['quant']: return None
    s = pr.phase_scores(p['feats'], p['lo']); k = int(np.argmax(s)); return p['beats'][k::4]
wo = score(rows, preps, whole_only); st = score(rows, preps, steady_path)
print('whole-only path', wo[:2], 'steady argmax', st[:2])
c = collections = __import__('collections').Counter()
for r, p, b, w, s in zip(rows, preps, base, wo[2], st[2]):
    sh = share(r) >= 0.8
    c[(sh, b, w, s)] += 1
for k, v in sorted(c.items()): print('steady truth' if k[0] else 'unsteady', 'product', k[1], 'whole-only', k[2], 'no-jump argmax', k[3], v)
