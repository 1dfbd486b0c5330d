#!/usr/bin/env bash
# Every row of benchmarks/DISCOVERY.md's two discovery tables (methods x corpus splits), then the tables.
# Run from the repository root with the project's Python:  PY=.venv/bin/python bash benchmarks/discovery_all.sh
# Scores are deterministic (one run each); seconds are single runs. Test splits are scored here, once,
# after every choice was made on tune/val. The texture ablations need their thresholds first
# (python -m benchmarks.texture_ablation: the shipped calibration recipe on POP909 val).
set -euo pipefail
PY=${PY:-python}
export PYTHONPATH=$PWD
SPLITS=${SPLITS:-"bps:tune bps:test pop909:val pop909:test"}
METHODS=${METHODS:-"shipped siatec siatec-morph discovery discovery-nomodel discovery+texture-vicreg discovery+texture-cl discovery+model discovery+note-vicreg discovery+note-noinv discovery-notranspose"}
for split in $SPLITS; do
  for method in $METHODS; do
    echo "== $method ${split%%:*} ${split##*:}"
    "$PY" -m benchmarks.discovery_eval --method "$method" --corpus "${split%%:*}" --split "${split##*:}" | tail -1
  done
done
"$PY" -m benchmarks.discovery_table --write
