import sys, pickle, time; import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *
import torch
torch.set_num_threads(1)
rows = pickle.load(open('/tmp/m7_tune.pkl','rb'))
preps = pickle.load(open('/tmp/m7/preps.pkl','rb'))
P = 4
# training set: whole-song candidate vectors
X, B, Y, idx = [], [], [], []
for k, (r, p) in enumerate(zip(rows, preps)):
    if p is None or r['bar'] != 4.0 or len(p['beats']) < 8: continue
    truth = bench.dominant_phase(r['downbeats'], 4.0)
    hits = [j for j in range(P) if bench.phase_ok(float(p['beats'][j]), truth, 4.0)]
    if not hits: continue
    X.append(pr.candidate_vectors(pr.position_profiles(p['feats']))); B.append(pr.folded_logodds(p['lo'])); Y.append(hits[0]); idx.append(k)
X, B, Y = np.stack(X), np.stack(B), np.array(Y)
scale = X.reshape(-1, X.shape[2]).std(axis=0) + 1e-6
print(len(Y), 'songs')

class Scorer:
    def __init__(self, kind, hidden=8, l2=10.0, l2h=1.0, seed=0):
        self.kind, self.hidden, self.l2, self.l2h, self.seed = kind, hidden, l2, l2h, seed
    def fit(self, X, B, Y):
        torch.manual_seed(self.seed)
        x = torch.tensor(X / scale, dtype=torch.float64); b = torch.tensor(B); y = torch.tensor(Y)
        d = x.shape[2]
        w = torch.zeros(d, dtype=torch.float64, requires_grad=True)
        a = torch.ones(1, dtype=torch.float64, requires_grad=True)
        params = [w, a]
        if self.kind == 'mlp':
            W1 = (0.1 * torch.randn(d, self.hidden, dtype=torch.float64)).requires_grad_()
            b1 = torch.zeros(self.hidden, dtype=torch.float64, requires_grad=True)
            v = (0.1 * torch.randn(self.hidden, dtype=torch.float64)).requires_grad_()
            params += [W1, b1, v]
        opt = torch.optim.LBFGS(params, max_iter=500, line_search_fn='strong_wolfe')
        def closure():
            opt.zero_grad()
            s = self._s(x, b, params)
            loss = torch.nn.functional.cross_entropy(s, y, reduction='sum') + self.l2 * (w @ w) / 2
            if self.kind == 'mlp':
                loss = loss + self.l2h * ((params[2] ** 2).sum() + (params[4] ** 2).sum()) / 2
            loss.backward(); return loss
        opt.step(closure)
        self.params = [q.detach() for q in params]
        return self
    def _s(self, x, b, params):
        w, a = params[0], params[1]
        s = x @ w + a * b
        if self.kind == 'mlp':
            W1, b1, v = params[2:]
            s = s + torch.tanh(x @ W1 + b1) @ v
        return s
    def score(self, Xc, Bc):
        """Xc (...,4,D) raw candidate vectors, Bc (...,4) -> scores"""
        with torch.no_grad():
            return self._s(torch.tensor(Xc / scale), torch.tensor(Bc), self.params).numpy()

def window_means(feats, lo, half):
    k = len(lo); bars = -(-k // P)
    values = np.zeros((bars * P, feats.shape[1] + 1)); present = np.zeros(bars * P)
    values[:k, :-1], values[:k, -1], present[:k] = feats, lo, 1.0
    values, present = values.reshape(bars, P, -1), present.reshape(bars, P)
    cum = np.concatenate([np.zeros((1, P, values.shape[2])), np.cumsum(values, axis=0)])
    cn = np.concatenate([np.zeros((1, P)), np.cumsum(present, axis=0)])
    lo_i = np.clip(np.arange(bars) - half, 0, bars); hi_i = np.clip(np.arange(bars) + half + 1, 0, bars)
    return (cum[hi_i] - cum[lo_i]) / np.maximum(cn[hi_i] - cn[lo_i], 1.0)[:, :, None]

def ranked(p, sc, share=0.5, half=8):
    feats, lo = p['feats'], p['lo']
    prof = pr.position_profiles(feats)
    s = sc.score(pr.candidate_vectors(prof)[None], pr.folded_logodds(lo)[None])[0]
    pos = np.arange(len(lo)) % P
    centred = (s - s.max())[pos]
    m = window_means(feats, lo, half)
    prof_w = m[:, :, :-1] - m[:, :, :-1].mean(axis=1, keepdims=True)
    cv = np.stack([np.stack([np.roll(pw, -c, axis=0).ravel() for c in range(P)]) for pw in prof_w])
    fl = np.stack([np.roll(m[:, :, -1], -c, axis=1)[:, 0] for c in range(P)], axis=1)
    ls = sc.score(cv, fl)
    local = (ls - ls.max(axis=1, keepdims=True))[np.arange(len(lo)) // P, pos]
    centred = (1 - share) * centred + share * local
    return lo - pr.folded_logodds(lo)[pos] + centred

def cv_eval(make, folds=5, share=0.5):
    songs_fold = {}
    fold_of = np.arange(len(Y)) % folds
    scorers = [make().fit(X[fold_of != f], B[fold_of != f], Y[fold_of != f]) for f in range(folds)]
    # ranker accuracy
    acc = np.mean([np.argmax(scorers[fold_of[i]].score(X[i][None], B[i][None])[0]) == Y[i] for i in range(len(Y))])
    # each song's fold: training songs by their fold; others (not in fit) fold by hash
    fold_song = {k: fold_of[j] for j, k in enumerate(idx)}
    def path(p, k):
        if p['quant']: return None
        sc = scorers[fold_song.get(k, k % folds)]
        lo = ranked(p, sc, share)
        i2 = viterbi_downbeats(lo, 4, 6.0)
        return p['beats'][i2] if len(i2) else p['beats'][:1]
    ks = iter(range(len(rows)))
    res = score(rows, preps, lambda p: path(p, preps.index(p)))
    return acc, res

if __name__ == '__main__':
    base = score(rows, preps, product_path)
    print('product', base[:2])
    t = time.time()
    acc, res = cv_eval(lambda: Scorer('lin', l2=10.0))
    print('linear CV', acc, res[:2], time.time() - t)
    for h, l2h in ((4, 1.0), (8, 1.0), (8, 10.0), (16, 10.0)):
        t = time.time()
        acc, res = cv_eval(lambda: Scorer('mlp', hidden=h, l2=10.0, l2h=l2h))
        print('mlp', h, l2h, acc, res[:2], time.time() - t)
