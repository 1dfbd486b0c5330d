import sys, pickle, time; import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mlp
from mlp import *
from rep import partners

def rep_feats(p, win=4, thr=0.8, src='mel'):
    nb = len(p['beats'])
    sims = partners(p, win=win, thr=thr, src=src) if p['mel'] is not None or src != 'mel' else None
    start = np.zeros(nb); end = np.zeros(nb); inside = np.zeros(nb)
    if sims:
        for L, s in sims.items():
            hit = s >= thr
            st = hit & ~np.concatenate([[False], hit[:-1]])
            en = hit & ~np.concatenate([hit[1:], [False]])   # last window start; window ends at i+win
            for arr, ev, sh in ((start, st, 0), (end, en, win)):
                i = np.flatnonzero(ev) + sh
                for j in (i, i + L):
                    j = j[j < nb]; arr[j] += 1
            i = np.flatnonzero(hit)
            inside[i[i < nb]] += 1
    f = lambda a: np.log1p(a)
    return np.stack([f(start), f(end)], axis=1)

def run(label, extra_fn):
    for p in preps:
        if p is None: continue
        p['feats0'] = p.get('feats0', p['feats'])
        p['feats'] = np.concatenate([p['feats0'], extra_fn(p)], axis=1) if extra_fn else p['feats0']
    Xn = []
    for k in idx:
        Xn.append(pr.candidate_vectors(pr.position_profiles(preps[k]['feats'])))
    mlp.X = np.stack(Xn)
    mlp.scale = mlp.X.reshape(-1, mlp.X.shape[2]).std(axis=0) + 1e-6
    t = time.time()
    acc, res = cv_eval(lambda: Scorer('lin', l2=10.0))
    print(label, 'ranker CV', round(acc, 4), 'path', res[:2], f'{time.time()-t:.0f}s', flush=True)
    return res

if __name__ == '__main__':
    run('base', None)
    run('rep mel w4', lambda p: rep_feats(p, 4))
    run('rep mel w8', lambda p: rep_feats(p, 8))
    run('rep mel w4 thr0.9', lambda p: rep_feats(p, 4, 0.9))
