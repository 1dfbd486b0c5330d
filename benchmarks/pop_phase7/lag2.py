import sys, pickle; import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *
import rep
rows = pickle.load(open('/tmp/m7_tune.pkl','rb'))
preps = pickle.load(open('/tmp/m7/preps.pkl','rb'))
import collections
res = collections.defaultdict(list)
for r, p in zip(rows, preps):
    if p is None or p['mel'] is None: continue
    db = r['downbeats']; bar = r['bar']
    dom = bench.dominant_phase(db, bar)
    steady = np.mean([bench.phase_ok(d % bar, dom, bar) for d in db]) >= 0.8
    sims = rep.partners(p, win=8)
    cnt = collections.Counter()
    for L, s in sims.items():
        if L < 16: continue
        cnt[L % 4] += int(np.sum(s >= 0.9))
    tot = sum(cnt.values()) or 1
    res[steady].append(cnt[2] / tot)
for k, v in res.items(): print('steady' if k else 'unsteady', len(v), 'mean share of repeats at lag = 2 mod 4:', round(np.mean(v), 3), 'median', round(np.median(v), 3), 'share>0.1', round(np.mean(np.array(v) > 0.1), 3))
