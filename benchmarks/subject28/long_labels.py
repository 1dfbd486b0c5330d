"""BPS tune / MTC tune / POP909 val: labelled patterns whose occurrences are long in beats for their notes
(span > max_beats=8 with <= 12 notes) or hold a rest > 0.5 beat between their notes; found or not (best establishment >= .75 by the default discovery with the shipped model).

    PYTHONPATH=$PWD python benchmarks/subject28/long_labels.py bps|mtc|pop909 tune|val  (tune / val / train only)
"""
import sys, statistics
import numpy as np
from benchmarks.discovery_sweep import pieces
from benchmarks.discovery_errors import clean, establishment
from motifcli.discovery import DiscoverySettings, discover
import motifcli
corpus, split = sys.argv[1], sys.argv[2]
model = motifcli.load_model()
tot = dict(pats=0, long=0, long_found=0, rest=0, rest_found=0)
for p in pieces(corpus, split):
    refs = clean(p.patterns)
    if not refs:
        continue
    notes = {}
    for t in p.score.tracks:
        for n in t.notes:
            k = (round(float(n.onset), 4), int(n.pitch))
            notes[k] = max(notes.get(k, 0.0), float(n.offset))
    fams = discover(p.score, model, DiscoverySettings())
    est = [[[(round(float(n.onset), 4), int(n.pitch)) for n in o.notes] for o in f.occurrences] for f in fams]
    for r, ref in enumerate(refs):
        tot['pats'] += 1
        spans = [o[-1][0] - o[0][0] for o in ref]
        sizes = [len(o) for o in ref]
        rests = []
        for o in ref:
            o = sorted(o)
            rs = [o[i + 1][0] - notes.get(o[i], o[i][0]) for i in range(len(o) - 1) if o[i + 1][0] > o[i][0]]
            rests.append(max(rs) if rs else 0)
        best = max((establishment(ref, e) for e in est), default=0.0)
        lg = statistics.median(spans) > 8 and statistics.median(sizes) <= 12
        rs = statistics.median(rests) > 0.5
        if lg:
            tot['long'] += 1; tot['long_found'] += best >= 0.75
        if rs:
            tot['rest'] += 1; tot['rest_found'] += best >= 0.75
        if lg or rs:
            print(p.name if hasattr(p, 'name') else '?', r, 'occ', len(ref), 'notes', statistics.median(sizes), 'span', statistics.median(spans),
                  'rest', round(statistics.median(rests), 2), 'best', round(best, 3))
print(corpus, split, tot)
