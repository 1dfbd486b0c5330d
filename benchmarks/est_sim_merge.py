"""Sim (not a stage): merge output line families of one statement length whose prototypes align within `tol`
(mean |interval change| + mean |log2 IOI ratio|, as align.py), optionally only with one contour; statements
unioned, the more salient family first.

    PYTHONPATH=$PWD python benchmarks/est_sim_merge.py bps tune

phase12-est12.md.
"""
import statistics, sys
import numpy as np
from benchmarks.discovery_errors import clean, fast_scores
from benchmarks.discovery_sweep import pieces
from motifcli.discovery import DiscoverySettings, discover
from motifcli.voices import TEXTURE
corpus, split = sys.argv[1], sys.argv[2]
model=None
if len(sys.argv)>3:
    import motifcli; model=motifcli.load_model()
data=[]
for p in pieces(corpus, split):
    found = discover(p.score, model, DiscoverySettings(subfigure=0.0))  # the defaults before phase 12 est12
    data.append((p.name, found, clean([[o.points() for o in f.occurrences] for f in found]), clean(p.patterns)))
def dist(a, b):
    pa=np.array([n.pitch for n in a.notes]); pb=np.array([n.pitch for n in b.notes])
    oa=np.array([n.onset for n in a.notes]); ob=np.array([n.onset for n in b.notes])
    ia, ib = np.diff(pa), np.diff(pb)
    ra, rb = np.log2(np.maximum(np.diff(oa),1/12)), np.log2(np.maximum(np.diff(ob),1/12))
    return float(np.abs(ia-ib).mean()+np.abs(ra-rb).mean())
def run(tol, contour=False):
    rows=[]; fams=[]
    for name, found, est, refs in data:
        groups=[]  # list of lists of indices
        for j,f in enumerate(found):
            if f.prototype.notes[0].voice==TEXTURE or f.notes_per_occurrence<4:
                groups.append([j]); continue
            for g in groups:
                h=found[g[0]]
                if h.prototype.notes[0].voice!=TEXTURE and len(h.prototype.notes)==len(f.prototype.notes) and dist(h.prototype,f.prototype)<=tol:
                    if contour and np.sign(np.diff([n.pitch for n in h.prototype.notes])).tolist()!=np.sign(np.diff([n.pitch for n in f.prototype.notes])).tolist(): continue
                    g.append(j); break
            else: groups.append([j])
        e=[]
        for g in groups:
            occ=[]; seen=set()
            for j in g:
                for o in est[j]:
                    t=tuple(o)
                    if t not in seen: seen.add(t); occ.append(o)
            e.append(occ)
        fams.append(len(e)); rows.append(fast_scores(e, refs))
    return {k: round(statistics.fmean(r[k] for r in rows),3) for k in rows[0]}, round(statistics.fmean(fams),1), [round(r['F_est'],3) for r in rows]
for tol in (0, 0.25, 0.5, 0.75, 1.0, 1.5):
    for c in (False, True):
        print(tol, "contour" if c else "", *run(tol, c))
