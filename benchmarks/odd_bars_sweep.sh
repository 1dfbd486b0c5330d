#!/bin/bash
# the phase-12 sweep on POP909 tune (id < 500); one JSON line per variant
cd /work/wt-odd12
export PYTHONDONTWRITEBYTECODE=1 PYTHONPATH=/work/wt-odd12
P=/work/main/.venv/bin/python
S="$P benchmarks/odd_bars_probe.py score --cache /tmp/odd12/tune.pkl"
$S
$S --set odd_bars.ODD_BARS=True
for op in 0.0 1.0 3.0; do $S --set odd_bars.ODD_BARS=True --set odd_bars.ODD_PENALTY=$op; done
$S --set odd_bars.ODD_BARS=True --set odd_bars.GAP_ONLY=True
$S --set odd_bars.ODD_BARS=True --set odd_bars.MATCH=0.8
for pw in 0.0 1.0 3.0; do for op in 1.0 2.0 4.0 6.0; do for sl in 0 32; do
  $S --set odd_bars.ODD_BARS=True --set odd_bars.POOL_WEIGHT=$pw --set odd_bars.ODD_PENALTY=$op --set odd_bars.STEADY_LAG=$sl
done; done; done
