import sys, pickle; import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *
from motifcli.readers.midi import read_midi
rows = {r['song']: r for r in pickle.load(open('/tmp/m7_tune.pkl','rb'))}
agg = collections = __import__('collections').Counter()
for path in sorted((bench.DATA / 'pop909_motif_labels').glob('*.mid')):
    r = rows.get(path.stem)
    if r is None: continue
    on = np.array(sorted(n.onset for t in read_midi(path).tracks for n in t.notes))
    bar = r['bar']; db = r['downbeats']; dom = bench.dominant_phase(db, bar)
    if bench.phase_ok(db[0] % bar, dom, bar): continue
    k = next((i for i, d in enumerate(db) if bench.phase_ok(d % bar, dom, bar)), len(db))
    if k >= len(db): continue
    switch = db[k]
    op = on[on < switch - 0.5]
    if len(op) == 0:
        print(path.stem, 'no label in opening (switch at', round(switch, 1), ')'); agg['no labels'] += 1; continue
    ph_open = db[0] % bar
    est = r['est_downbeats']
    f = lambda ph: np.mean([min((o - ph) % bar, (ph - o) % bar) <= 0.75 for o in op])
    est_open = est[0] % 4.0
    print(path.stem, 'opening until', round(switch, 1), 'labels', len(op), 'on beat_midi opening phase', round(f(ph_open), 2), 'on dominant', round(f(dom), 2), 'on estimate first phase', round(f(est_open), 2))
    agg['opening phase' if f(ph_open) > f(dom) else 'dominant' if f(dom) > f(ph_open) else 'tie'] += 1
print(agg)
