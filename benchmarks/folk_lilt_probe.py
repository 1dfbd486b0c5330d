"""Probe (phase19-folk19.md, Left): MTC tune scores when 3-note families with at least k statements are dropped.

    PYTHONPATH=$PWD python -m benchmarks.folk_lilt_probe
"""
import statistics
from benchmarks.discovery_errors import clean, fast_scores
from benchmarks.discovery_sweep import pieces
from motifcli.discovery import discover
ps=[p for p in pieces("mtc","tune") if clean(p.patterns)]
fams={p.name:discover(p.score) for p in ps}
for k in (99,8,6,5,4):
    rows=[]
    for p in ps:
        fs=[f for f in fams[p.name] if not (f.notes_per_occurrence<=3 and len(f.occurrences)>=k)]
        rows.append(fast_scores(clean([[o.points() for o in f.occurrences] for f in fs]), clean(p.patterns)))
    print("drop 3-note families with >=",k,"statements:", " ".join(f"{m}={statistics.fmean(r[m] for r in rows):.3f}" for m in ("F_est","F_occ.75","F_3")))
