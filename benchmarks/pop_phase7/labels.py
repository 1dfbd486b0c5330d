import sys, pickle; import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *
from motifcli.readers.midi import read_midi
import collections
rows = {r['song']: r for r in pickle.load(open('/tmp/m7_tune.pkl','rb'))}
def on_lines(onsets, lines, tol=0.75):
    lines = np.sort(np.asarray(lines))
    i = np.clip(np.searchsorted(lines, onsets), 1, len(lines) - 1)
    d = np.minimum(np.abs(lines[i] - onsets), np.abs(lines[i - 1] - onsets))
    return float(np.mean(d <= tol))
tot = collections.Counter(); out = []
for path in sorted((bench.DATA / 'pop909_motif_labels').glob('*.mid')):
    r = rows.get(path.stem)
    if r is None: continue
    on = np.array(sorted(n.onset for t in read_midi(path).tracks for n in t.notes))
    bar = r['bar']; db = r['downbeats']
    dom = bench.dominant_phase(db, bar)
    steady = np.mean([bench.phase_ok(d % bar, dom, bar) for d in db]) >= 0.8
    end = r['end']
    dom_grid = np.arange(dom % bar, end + bar, bar)
    est = r['est_downbeats']
    est_dom = bench.dominant_phase(est, 4.0)
    est_grid = np.arange(est_dom % 4.0, end + 4, 4.0)
    f = dict(beat_midi=on_lines(on, db), beat_midi_dominant_grid=on_lines(on, dom_grid), est_path=on_lines(on, est), est_dominant_grid=on_lines(on, est_grid))
    out.append((path.stem, steady, f))
    for k, v in f.items(): tot[(steady, k)] += v
n = collections.Counter(s for _, s, _ in out)
for (s, k), v in sorted(tot.items()): print('steady' if s else 'unsteady', n[s], k, round(v / n[s], 3))
for s, st, f in out:
    if not st: print(s, {k: round(v, 2) for k, v in f.items()})
