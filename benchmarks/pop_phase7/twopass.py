import sys, pickle, time; import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *
import rep
from motifcli.readers.midi import read_midi
rows = pickle.load(open('/tmp/m7_tune.pkl','rb'))
preps = pickle.load(open('/tmp/m7/preps.pkl','rb'))
labels = {}
for path in sorted((bench.DATA / 'pop909_motif_labels').glob('*.mid')):
    labels[path.stem] = np.array(sorted(n.onset for t in read_midi(path).tracks for n in t.notes))
def on_lines(onsets, lines, tol=0.75):
    lines = np.sort(np.asarray(lines))
    i = np.clip(np.searchsorted(lines, onsets), 1, len(lines) - 1)
    d = np.minimum(np.abs(lines[i] - onsets), np.abs(lines[i - 1] - onsets))
    return float(np.mean(d <= tol))

def pairs(p, win, thr, min_lag):
    key = ('_pairs', win, thr, min_lag)
    if key not in p:
        sims = rep.partners(p, win=win) if p['mel'] is not None else {}
        out = []
        for L, s in sims.items():
            if L < min_lag: continue
            i = np.flatnonzero(s >= thr)
            out += [(int(a), L) for a in i]
        p[key] = out
    return p[key]

def twopass(p, bonus, win=8, thr=0.9, min_lag=16, only2=False):
    if p['quant']: return None
    lo = pr.ranked_logodds(p['feats'], p['lo'])
    idx = viterbi_downbeats(lo, 4, 6.0)
    if bonus == 0: return p['beats'][idx]
    n = len(lo)
    isdb = np.zeros(n, bool); isdb[idx] = True
    add = np.zeros(n); cnt = np.zeros(n)
    for i, L in pairs(p, win, thr, min_lag):
        if only2 and L % 4 != 2: continue
        seg = np.arange(i, min(i + win, n - L))
        # evidence at j = i+L from i's downbeats, and at i from j's
        add[seg + L] += np.where(isdb[seg], 1.0, -1.0 / 3); cnt[seg + L] += 1
        add[seg] += np.where(isdb[seg + L], 1.0, -1.0 / 3); cnt[seg] += 1
    lo2 = lo + bonus * add / np.maximum(cnt, 1)
    idx2 = viterbi_downbeats(lo2, 4, 6.0)
    return p['beats'][idx2]

def lab_score(fn):
    v = []
    for r, p in zip(rows, preps):
        if r['song'] in labels and p is not None:
            d = fn(p); d = r['est_downbeats'] if d is None else d
            v.append(on_lines(labels[r['song']], d))
    return round(np.mean(v), 4)

if __name__ == '__main__':
    base = score(rows, preps, product_path)
    print('base', base[:2], 'labels', lab_score(lambda p: None))
    for only2 in (False, True):
      for win, thr in ((8, 0.9), (4, 0.9)):
        for bonus in (1.0, 3.0, 6.0):
            t = time.time()
            f = lambda p: twopass(p, bonus, win, thr, 16, only2)
            res = score(rows, preps, f)
            print('only2' if only2 else 'all', win, thr, bonus, res[:2], 'gained', sum(b2 and not b1 for b1, b2 in zip(base[2], res[2])), 'lost', sum(b1 and not b2 for b1, b2 in zip(base[2], res[2])), 'labels', lab_score(f), f'{time.time()-t:.0f}s', flush=True)
