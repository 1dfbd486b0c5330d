import sys, pickle; import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *
import collections
rows = pickle.load(open('/tmp/m7_tune.pkl','rb'))
c = collections.Counter(); ex = []
for r in rows:
    bar = r['bar']; db = r['downbeats']; est = r['est_downbeats']
    dom_t = bench.dominant_phase(db, bar)
    first = db[0]
    fn = min(t[0].min() for t in r['tracks'].values())
    mel = r['tracks'].get('MELODY'); fm = mel[0].min() if mel is not None else None
    dom_ok = bench.phase_ok(bench.dominant_phase(est, bar), dom_t, bar)
    first_ok = bench.phase_ok(est[0] % bar, first, bar)
    first_on_dom = bench.phase_ok(first % bar, dom_t, bar)
    # second mark gap
    gap = db[1] - db[0] if len(db) > 1 else 0
    key = (dom_ok, first_ok, first_on_dom)
    c[key] += 1
    if dom_ok and not first_ok:
        ex.append((r['song'], round(first,2), round(fn,2), round(first-fn,2), 'gap', round(gap,2), 'est0', round(est[0],2), 'dom', dom_t))
for k, v in sorted(c.items()): print('dom_ok %s first_ok %s first_mark_on_dominant %s' % k, v)
for e in ex[:40]: print(*e)
g = collections.Counter(round(e[5]) for e in ex); print('first-bar lengths where dom ok, first wrong', g)
d = collections.Counter(round((e[1]-e[2])*4)/4 for e in ex); print('first mark - first note', d.most_common(10))
