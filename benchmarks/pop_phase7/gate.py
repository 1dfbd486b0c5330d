import sys, time; import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from opening_path import *
import rep
from twopass import lab_score
def lag2_share(p):
    if '_lag2' not in p:
        sims = rep.partners(p, win=8) if p['mel'] is not None else {}
        c = np.zeros(4)
        for L, s in sims.items():
            if L >= 16: c[L % 4] += np.sum(s >= 0.9)
        p['_lag2'] = c[2] / c.sum() if c.sum() else 0.0
    return p['_lag2']
def gated(p, lo_pen, hi_pen, thr=0.1):
    if p['quant']: return None
    lo = pr.ranked_logodds(p['feats'], p['lo'])
    pen = lo_pen if lag2_share(p) > thr else hi_pen
    idx = viterbi_downbeats(lo, 4, pen); return p['beats'][idx]
b = score(rows, preps, product_path); f0 = first_ok(product_path)
print('product', b[:2], f0.mean(), 'labels', lab_score(lambda p: None))
for lo_pen, hi_pen in ((3, 6), (2, 6), (3, 10), (6, 10), (2, 10), (4, 8)):
    fn = lambda p: gated(p, lo_pen, hi_pen)
    s = score(rows, preps, fn); f = first_ok(fn)
    print(lo_pen, hi_pen, 'dominant %.4f found %.4f first %.4f' % (s[0], s[1], f.mean()), 'dom +%d -%d' % (sum(x and not y for x, y in zip(s[2], b[2])), sum(y and not x for x, y in zip(s[2], b[2]))), 'labels', lab_score(fn), flush=True)
