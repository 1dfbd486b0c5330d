"""Where a note (track, onset) ends up: its statement in the core, grown, ranked, capped and final families.

    PYTHONPATH=$PWD python benchmarks/subject28/stages_trace.py FILE TRACK ONSET [key=value ...]  (bools: key=true|false)
"""
import sys, dataclasses
import motifcli.discovery.core as core
from motifcli.readers import read_score
from motifcli.discovery.types import DiscoverySettings
path, trk, on = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
kw = {}
for a in sys.argv[4:]:
    k, v = a.split('='); f = type(getattr(DiscoverySettings(), k)); kw[k] = (v.lower() in ('1', 'true')) if f is bool else f(v)
def has(f):
    return [o for o in f.occurrences if any(n.track == trk and abs(n.onset - on) < 1e-6 for n in o.notes)]
def show(tag, fams):
    print('--', tag, len(fams))
    for i, f in enumerate(fams):
        h = has(f)
        if h:
            print('  ', i, f.label, 'stmts', len(f.occurrences), 'n', f.notes_per_occurrence, 'sal', round(f.salience, 5), 'cov', round(f.coverage, 4),
                  [[(n.onset, n.pitch) for n in o.notes] for o in h][:1])
orig = {n: getattr(core, n) for n in ('_ranked', '_distinct', 'undoubled', 'opening_order', 'voice_and_cell_families')}
def vcf(*a, **k):
    pairs, cells = orig['voice_and_cell_families'](*a, **k)
    show('core families', [c for c, _ in pairs]); show('grown', [g for _, g in pairs]); show('cells', cells)
    return pairs, cells
core.voice_and_cell_families = vcf
def ranked(f, s=None):
    r = orig['_ranked'](f, s); show('ranked', r); return r
core._ranked = ranked
def und(o, *a, **k):
    show('cut to max_families', o); r = orig['undoubled'](o, *a, **k); show('undoubled', r); return r
core.undoubled = und
s = read_score(path)
fams = core.discover(s, None, DiscoverySettings(**kw))
show('final', fams)
