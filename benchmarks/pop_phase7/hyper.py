import sys, pickle, time; import os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mlp
from mlp import *
from feat_rep import run

def contrast_profile(feats):
    """(4, F): |mean at position j in even bars - in odd bars|, per feature (2-bar periodicity)."""
    k = len(feats) // 8 * 8
    f = feats[:k].reshape(-1, 2, 4, feats.shape[1])
    return np.abs(f[:, 0].mean(axis=0) - f[:, 1].mean(axis=0))

# monkeypatch position_profiles to append contrast columns
orig = pr.position_profiles
def prof_plus(feats, positions=4):
    base = orig(feats, positions)
    c = contrast_profile(np.asarray(feats))
    c = c - c.mean(axis=0)
    return np.concatenate([base, c], axis=1)

if __name__ == '__main__':
    run('base', None)
    pr.position_profiles = prof_plus
    mlp.pr.position_profiles = prof_plus
    # windowed path uses its own profiles of window means (no contrast): only whole-song score changes
    import mlp as M
    def ranked2(p, sc, share=0.5, half=8):
        feats, lo = p['feats'], p['lo']
        s = sc.score(pr.candidate_vectors(prof_plus(feats))[None], pr.folded_logodds(lo)[None])[0]
        pos = np.arange(len(lo)) % 4
        centred = (s - s.max())[pos]
        loc = orig_ranked_local(p, lo)
        return lo - pr.folded_logodds(lo)[pos] + (1 - share) * centred + share * loc
    def orig_ranked_local(p, lo):
        w = np.asarray(pr.RANK_WEIGHTS).reshape(4, -1)
        ws = pr.windowed_scores(p['feats0'], lo, 8)
        return (ws - ws.max(axis=1, keepdims=True))[np.arange(len(lo)) // 4, np.arange(len(lo)) % 4]
    M.ranked = ranked2
    run('hyper contrast (whole-song part; local = product weights)', None)
