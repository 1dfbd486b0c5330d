"""Time of estimate_meter on the dev pieces where the opening rule fired (seed 7), OPENING_SPLIT off vs on,
median per piece over the pieces, 3 alternated runs (phase6-meter6b.md). PYTHONPATH=.; needs
benchmarks/meter-results/phase6b-opening-dev.json and /tmp/meterfolk/corpus.pkl."""
import json, pickle, time, statistics
from benchmarks import meter_opening_dev as dev
from motifcli import meter_estimate as me
r = json.load(open('benchmarks/meter-results/phase6b-opening-dev.json'))
fired = {x['piece'] for x in r[1]['rows'] if x['fired']}
pieces = [p for p in dev.build(pickle.load(open('/tmp/meterfolk/corpus.pkl', 'rb')), 7, 600, 600) if p['name'] in fired]
res = {}
for run in range(3):
    for split in (False, True):
        me.OPENING_SPLIT = split
        ts = []
        for p in pieces:
            t = time.perf_counter(); me.estimate_meter(p['notes']); ts.append(time.perf_counter() - t)
        res.setdefault(split, []).append(1000 * statistics.median(ts))
print(len(pieces), {k: [round(x, 1) for x in v] for k, v in res.items()})
