"""The moving hand boundary's costs side by side (phase21-handdp21.md): share of notes in their written hand.

    PYTHONPATH=$PWD python -m benchmarks.hands_costs OUT "" "MOVE=40" "MOVE=0,SLIDE=0" "OCTAVE=6" ...

``OUT`` is benchmarks.hands_inputs' folder; each argument is one variant: ``motifcli.hands`` constants set
for the run (``MOVE``, ``SLIDE``, ``WIDTH``, ``LEAK``, ``SPAN``, ...; "" = the kept ones) and ``OCTAVE``,
a cost for cutting an onset group between two notes an octave apart (lefthand20's ``OA``, here inside
the moving boundary; not kept). Per variant: the mean share over the 10 music21 pieces and over BPS tune
with its staff tracks merged (benchmarks.hands_variants.inputs), the largest drop of one piece against
the first variant, the split's seconds over all 18, and each piece's share (music21 in name order, BPS).
"""

from __future__ import annotations

import sys
import time
from typing import Any

import numpy as np

import motifcli.hands as hands_module
from benchmarks.hands_variants import print_row, variants


def _with_octave(cost: float) -> Any:
    """``motifcli.hands._group_cost`` plus ``cost`` where the boundary falls between two of the group's
    notes an octave apart (one note of an octave in each hand)."""
    own = hands_module._group_cost

    def group_cost(p: np.ndarray, keys: np.ndarray, cuts: np.ndarray, s: np.ndarray, left_c: np.ndarray,
                   right_c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        here, bad = own(p, keys, cuts, s, left_c, right_c)
        if len(p) > 1:
            both = (s > 0) & (s < len(p))
            gap = np.where(both, p[np.minimum(s, len(p) - 1)] - p[np.maximum(s - 1, 0)], 0.0)
            here = here + cost * (gap == 12)
        return here, bad

    return group_cost


def main(args: list[str]) -> None:
    data, m21, runs = variants(args)
    base = None
    for text, options in runs:
        octave = options.pop("OCTAVE", 0.0)
        saved = {k: getattr(hands_module, k) for k in [*options, "_group_cost"]}
        for k, v in options.items():
            setattr(hands_module, k, v)
        if octave:
            hands_module._group_cost = _with_octave(octave)
        acc, seconds = [], 0.0
        try:
            for _, on, off, pi, truth in data:
                start = time.perf_counter()
                hand = hands_module.split(on, off, pi)
                seconds += time.perf_counter() - start
                acc.append(float((hand == truth).mean()))
        finally:
            for k, v in saved.items():
                setattr(hands_module, k, v)
        base = print_row(text or "kept", acc, m21, base, f"{seconds:.2f}s")


if __name__ == "__main__":
    main(sys.argv[1:])
