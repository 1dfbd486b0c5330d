"""Sim (not a stage): BPS establishment if output families were dropped afterwards - a family with `th` of its
(onset, pitch) points in one kept more salient family (from rank `mr` on), or the first k families only.

    PYTHONPATH=$PWD python benchmarks/est_sim_drop.py bps tune

Freed slots are not refilled (the real stage, DiscoverySettings.subfigure, refills them). phase12-est12.md.
"""
import statistics, sys
from benchmarks.discovery_errors import clean, fast_scores
from benchmarks.discovery_sweep import pieces
from motifcli.discovery import DiscoverySettings, discover
corpus, split = sys.argv[1], sys.argv[2]
model=None
if len(sys.argv)>3:
    import motifcli; model=motifcli.load_model()
ps = pieces(corpus, split)
data=[]
for p in ps:
    found = discover(p.score, model, DiscoverySettings(subfigure=0.0))  # the defaults before phase 12 est12
    est = clean([[o.points() for o in f.occurrences] for f in found])
    data.append((p.name, found, est, clean(p.patterns)))
def variant(fn):
    rows=[];fams=[]
    for name, found, est, refs in data:
        keep = fn(found, est)
        e=[est[j] for j in keep]; fams.append(len(e))
        rows.append(fast_scores(e, refs))
    return {k: statistics.fmean(r[k] for r in rows) for k in rows[0]}, statistics.fmean(fams), rows
def dup(th, minrank=0, mode="notes"):
    def fn(found, est):
        keep=[]; held=[]
        for j,e in enumerate(est):
            notes={p for o in e for p in o}
            if j>=minrank and any(len(notes & h) >= th*len(notes) for h in held):
                continue
            keep.append(j); held.append(notes)  # only kept families hold
        return keep
    return fn
def cap(k):
    return lambda found, est: list(range(min(k,len(est))))
base,_,brows=variant(lambda f,e: list(range(len(e))))
print("base", {k:round(v,3) for k,v in base.items()})
for th in (0.5,0.7,0.8,0.9):
    for mr in (0,5):
        s,f,rows=variant(dup(th,mr)); print(f"dup>={th} from rank {mr}", {k:round(v,3) for k,v in s.items()}, round(f,1), "pieces F_est delta", [round(r['F_est']-b['F_est'],3) for r,b in zip(rows,brows)])
for k in (10,12,15,20):
    s,f,rows=variant(cap(k)); print(f"cap {k}", {k2:round(v,3) for k2,v in s.items()}, round(f,1))
