"""Which closed patterns start at given (voice index, onset) notes, their score and rank, and whether choose() keeps them.

    PYTHONPATH=$PWD python benchmarks/subject28/patterns_trace.py FILE "VOICE,ONSET;VOICE,ONSET" [key=value ...]
"""
import sys, dataclasses
import numpy as np
from motifcli.readers import read_score
from motifcli.discovery.types import DiscoverySettings
from motifcli.discovery.core import voices_of, line_patterns
from motifcli.discovery.candidates import build_lines
from motifcli.discovery.families import choose
s = read_score(sys.argv[1])
targets = [tuple(map(float, t.split(','))) for t in sys.argv[2].split(';')]  # voice,onset
kw = {}
for a in sys.argv[3:]:
    k, v = a.split('='); f = type(getattr(DiscoverySettings(), k)); kw[k] = (v.lower() in ('1', 'true')) if f is bool else f(v)
st = DiscoverySettings(**kw)
lines = build_lines(voices_of(s, st))
print('voiced notes', len(lines), 'cap', min(st.max_families, max(3, int(len(lines)//st.notes_per_family))))
pos = [int(np.flatnonzero((lines.voice_id == v) & (np.abs(lines.onsets - o) < 1e-6))[0]) for v, o in targets]
keys, pats = line_patterns(lines, st)
order = sorted(pats, key=lambda p: (-p.score, p.n, int(p.starts[0])))
chosen = choose(pats, lines, st)
ch = {(c.n, tuple(c.starts.tolist())) for c in chosen}
print('patterns', len(pats), 'chosen', [(c.n, len(c.starts), round(c.score, 2)) for c in chosen])
for r, p in enumerate(order):
    hit = [q for q in pos if any(a <= q < a + p.n for a in p.starts.tolist())]
    starts_here = [q for q in pos if q in p.starts.tolist()]
    if starts_here:
        print('rank', r, 'n', p.n, 'stmts', len(p.starts), 'score', round(p.score, 2), 'chosen', (p.n, tuple(p.starts.tolist())) in ch,
              [(int(lines.voice_id[a]), float(lines.onsets[a])) for a in p.starts.tolist()][:8])
for q in pos:
    print('key n=4 at', q, {n: int(keys[n][q]) for n in (4, 5, 6)})
