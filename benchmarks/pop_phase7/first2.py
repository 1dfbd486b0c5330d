import sys, pickle; import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *
import collections, itertools
rows = pickle.load(open('/tmp/m7_tune.pkl','rb'))
c = collections.Counter(); stretch = collections.Counter()
for r in rows:
    bar = r['bar']; db = r['downbeats']; est = r['est_downbeats']
    dom_t = bench.dominant_phase(db, bar)
    first = db[0]
    fn = min(t[0].min() for t in r['tracks'].values())
    ok_cur = bench.phase_ok(est[0] % bar, first, bar)
    ok_fn = bench.phase_ok(fn % bar, first, bar)
    fm_dom = bench.phase_ok(first % bar, dom_t, bar)
    fn_dom_est = bench.phase_ok(fn % bar, bench.dominant_phase(est, bar), bar)
    c[(ok_cur, ok_fn)] += 1
    if not fm_dom:
        # opening stretch length in beats until first mark on dominant phase
        k = next((i for i, d in enumerate(db) if bench.phase_ok(d % bar, dom_t, bar)), len(db))
        stretch[min(int((db[k] - db[0]) // 4) if k < len(db) else 99, 20)] += 1
for k, v in sorted(c.items()): print('current first ok %s / first-note rule ok %s' % k, v)
print('opening off-dominant stretch (bars, 20=20+):', sorted(stretch.items()))
