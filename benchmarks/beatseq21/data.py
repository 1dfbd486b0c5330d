"""Build the per-song training/evaluation table for the temporal downbeat model (issue 9, session 21).

    python benchmarks/pop_phase_dev.py cache --split tune --out /tmp/bs21/tune.pkl
    python benchmarks/beatseq21/data.py /tmp/bs21/tune.pkl /tmp/bs21/data.pkl

Per tune song whose estimate is 4/4 on quarter beats: the estimate's beat grid (stage 1, as the product lays
it: ``benchmarks/pop_phase7/harness.prep``), the 16 features, the logistic log-odds, ``inputs.beat_inputs``,
and per-beat targets: 1 where one of beat_midi's downbeat marks lies within 1/4 beat (its phase changes and
openings included), a mask for beats inside beat_midi's marked span.
"""

from __future__ import annotations

import os
import pickle
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "pop_phase7"))
sys.path.insert(0, HERE)
from harness import prep  # noqa: E402
from inputs import beat_inputs  # noqa: E402

from motifcli.meter_estimate import _is_monophonic  # noqa: E402


def targets(beats: np.ndarray, downbeats: np.ndarray, all_beats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(1 where a beat_midi downbeat is within 1/4 beat, mask: inside beat_midi's beat rows)."""
    d = np.sort(np.asarray(downbeats, dtype=np.float64))
    i = np.clip(np.searchsorted(d, beats), 1, max(len(d) - 1, 1))
    near = np.minimum(np.abs(d[np.minimum(i, len(d) - 1)] - beats), np.abs(d[i - 1] - beats))
    y = (near <= 0.25).astype(np.float32)
    mask = ((beats >= all_beats.min() - 0.5) & (beats <= all_beats.max() + 0.5)).astype(np.float32)
    return y, mask


def main(cache: str, out: str) -> None:
    rows = pickle.load(open(cache, "rb"))
    preps = prep(rows)
    table = []
    for r, p in zip(rows, preps):
        if p is None:
            table.append(None)
            continue
        y, mask = targets(p["beats"], r["downbeats"], r["beats"])
        on_grid = float(np.mean([np.min(np.abs(p["beats"] - d)) <= 0.25 for d in r["downbeats"]]))
        table.append(dict(song=r["song"], beats=p["beats"], feats=p["feats"], lo=p["lo"], quant=p["quant"],
                          mono=_is_monophonic(p["notes"]), x=beat_inputs(p["notes"], p["beats"]).astype(np.float32),
                          y=y, mask=mask, on_grid=on_grid))
    pickle.dump(dict(rows=rows, table=table), open(out, "wb"))
    n = sum(t is not None for t in table)
    print(f"{n} of {len(rows)} songs 4/4; inputs {next(t for t in table if t)['x'].shape[1]}; "
          f"played polyphonic {sum(1 for t in table if t and not t['quant'] and not t['mono'])}; "
          f"grid holds beat_midi's marks {sum(1 for t in table if t and t['on_grid'] > 0.9)}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
