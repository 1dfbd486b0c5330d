import sys, pickle, time; import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *
from opening_path import first_ok, rows, preps, variant
def loc(feats, lo, half):
    l = pr.windowed_scores(feats, lo, half); pos = np.arange(len(lo)) % 4
    return (l - l.max(axis=1, keepdims=True))[np.arange(len(lo)) // 4, pos]
def multi(p, ws, jump=6.0):
    if p['quant']: return None
    lo, feats = p['lo'], p['feats']; pos = np.arange(len(lo)) % 4
    whole = pr.phase_scores(feats, lo); whole = (whole - whole.max())[pos]
    acc = ws[0] * whole
    for half, w in ws[1:]:
        acc = acc + w * loc(feats, lo, half)
    idx = viterbi_downbeats(lo - pr.folded_logodds(lo)[pos] + acc, 4, jump)
    return p['beats'][idx]
b = score(rows, preps, variant); f0 = first_ok(variant)
for ws in ([0.5, (8, 0.5)], [0.5, (8, 0.25), (3, 0.25)], [0.5, (8, 0.35), (3, 0.15)], [0.4, (8, 0.3), (3, 0.3)], [0.5, (8, 0.25), (2, 0.25)], [0.5, (8, 0.4), (1, 0.1)]):
    fn = lambda p: multi(p, ws)
    s = score(rows, preps, fn); f = first_ok(fn)
    print(ws, 'dominant %.4f found %.4f first %.4f' % (s[0], s[1], f.mean()), 'dom gained', sum(x and not y for x, y in zip(s[2], b[2])), 'lost', sum(y and not x for x, y in zip(s[2], b[2])), 'first gained', int((f & ~f0).sum()), 'lost', int((f0 & ~f).sum()), flush=True)
