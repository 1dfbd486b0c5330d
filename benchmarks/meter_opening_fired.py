"""The dev measures on the pieces where the opening rule fired only (fast sweeps of meter_opening settings):
seed 7 = the fired rows of meter-results/phase6b-opening-dev.json; SEED=11 N=500 env: a fresh sample (fired
pieces found first). Usage: PYTHONPATH=. python benchmarks/meter_opening_fired.py "meter_opening.DOWNBEAT_WEIGHT=32.0" ..."""
import json, pickle, sys
import numpy as np
from benchmarks import meter_opening_dev as dev
from benchmarks.meter_tune import apply
r = json.load(open('benchmarks/meter-results/phase6b-opening-dev.json'))
fired = {x['piece'] for x in r[1]['rows'] if x['fired']}
import os; SEED=int(os.environ.get('SEED','7')); N=int(os.environ.get('N','600'))
if SEED != 7:
    pieces = dev.build(pickle.load(open('/tmp/meterfolk/corpus.pkl','rb')), SEED, N, N); dev._PLAIN.clear(); import motifcli.meter_estimate as me; fired = {p['name'] for p in pieces if me.estimate_meter(p['notes']).name != me.estimate_meter(p['notes'], opening=False).name}
pieces = [p for p in (pieces if SEED != 7 else dev.build(pickle.load(open('/tmp/meterfolk/corpus.pkl', 'rb')), 7, 600, 600)) if p['name'] in fired]
for p in pieces: dev._PLAIN[p['name']] = 'x'
for setting in sys.argv[1:]:
    undo = [apply(o) for o in setting.split(';') if o]
    res = dev.evaluate(pieces)
    for u in reversed(undo): setattr(*u)
    print(setting, {k: (v['pieces'], v['bar_lines_found'], v['given_a_change']) for k, v in res.items() if k != 'rows'})
