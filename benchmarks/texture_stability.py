"""How much POP909 texture families move when the bar clusters' threshold moves a little.

    PYTHONPATH=$PWD python -m benchmarks.texture_stability val "" "texture_cut=gap"
    PYTHONPATH=$PWD python -m benchmarks.texture_stability --per-piece train ""

Each argument after the split is one variant (KEY=VALUE overrides of DiscoverySettings, "" the
defaults), run with the shipped model at the calibrated threshold t (0.45) and at t +-0.02 and
t +-0.05 (``texture_model_distance``). Per variant it prints the mean F_est / F_occ(.75) / F_3 at t,
the share of songs whose F_est or F_occ moves by more than 0.05 when t moves by 0.02 (either way)
and by 0.05, the share whose texture symbols (bar partition) change at all, and how many merges of
the bar tree and bar pairs lie within 0.02 of t (the knife edge). Scores come from
``discovery_errors.fast_scores`` (mir_eval's figures), pieces from ``discovery_sweep``'s cache.
"""

from __future__ import annotations

import dataclasses
import statistics
import sys

import numpy as np

import motifcli
from benchmarks.discovery_errors import clean, fast_scores
from benchmarks.discovery_sweep import parse_set, pieces
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery import texture
from motifcli.discovery.barclusters import gap_cut

CENTRE = 0.45  # the shipped model's grouping_threshold at sensitivity 0.5
SMALL, LARGE = 0.02, 0.05
MOVED = 0.05  # a song "moves" when F_est or F_occ(.75) changes by more than this


def run(piece, model, settings: DiscoverySettings) -> tuple[dict[str, float], list[tuple[int, ...]], list[np.ndarray]]:
    """Scores of one piece, its texture bar partitions and the distance matrices clustered."""
    parts: list[tuple[int, ...]] = []
    mats: list[np.ndarray] = []
    inner = texture._clustered

    def spy(track, notes, used, rel_better, bass, bar_len, sim, dist, limit, s=None):  # type: ignore[no-untyped-def]
        out = inner(track, notes, used, rel_better, bass, bar_len, sim, dist, limit, s)
        parts.append(tuple(out.symbols.tolist()))
        apart = np.where(sim > 0.0, dist, np.maximum(dist, 2.0))
        apart[bar_len[:, None] != bar_len[None, :]] = 1e6
        mats.append(apart)
        return out

    texture._clustered = spy
    try:
        found = discover(piece.score, model, settings=settings)
    finally:
        texture._clustered = inner
    refs = clean(piece.patterns)
    return fast_scores(clean([[o.points() for o in f.occurrences] for f in found]), refs), parts, mats


def main() -> None:
    from motifcli.clustering import merge_heights

    args = sys.argv[1:]
    per_piece = "--per-piece" in args
    args = [a for a in args if a != "--per-piece"]
    split, variants = args[0], args[1:] or [""]
    model = motifcli.load_model()
    ps = pieces("pop909", split)
    for spec in variants:
        base = DiscoverySettings(**parse_set(spec.split()))
        centre_rows, moved_small, moved_large, changed_small, merges_near, pairs_near, margin = [], 0, 0, 0, [], [], []
        for p in ps:
            at = {d: run(p, model, dataclasses.replace(base, texture_model_distance=CENTRE + d))
                  for d in (0.0, -SMALL, SMALL, -LARGE, LARGE)}
            c, parts, mats = at[0.0]
            centre_rows.append(c)

            def delta(d: float) -> float:
                r = at[d][0]
                return max(abs(r["F_est"] - c["F_est"]), abs(r["F_occ.75"] - c["F_occ.75"]))

            small = max(delta(-SMALL), delta(SMALL))
            large = max(delta(-LARGE), delta(LARGE))
            moved_small += small > MOVED
            moved_large += large > MOVED
            changed = at[-SMALL][1] != parts or at[SMALL][1] != parts
            changed_small += changed
            h = np.concatenate([merge_heights(m, base.texture_linkage) for m in mats]) if mats else np.zeros(0)
            merges_near.append(int(np.sum(np.abs(h - CENTRE) < SMALL)))
            cuts = [gap_cut(merge_heights(m, base.texture_linkage), CENTRE, base.texture_cut_band)
                    if base.texture_cut == "gap" else CENTRE for m in mats]
            # how far the cut actually used lies from the nearest merge: a move smaller than this changes nothing
            margin.append(min((float(np.min(np.abs(merge_heights(m, base.texture_linkage) - t)))
                               for m, t in zip(mats, cuts) if len(m) > 1), default=1.0))
            pairs = [m[np.triu_indices(len(m), 1)] for m in mats]
            pairs_near.append(int(sum(np.sum(np.abs(x - CENTRE) < SMALL) for x in pairs)))
            if per_piece:
                print(f"  {p.name:>6} {c['F_est']:.3f}/{c['F_occ.75']:.3f}/{c['F_3']:.3f} move02={small:.3f} "
                      f"move05={large:.3f} partition02={'changed' if changed else 'same'} "
                      f"merges_near={merges_near[-1]} pairs_near={pairs_near[-1]} margin={margin[-1]:.4f} {spec!r}", flush=True)
        n = len(ps)
        mean = {k: statistics.fmean(r[k] for r in centre_rows) for k in ("F_est", "F_occ.75", "F_3")}
        print(f"pop909 {split} n={n} " + " ".join(f"{k}={v:.3f}" for k, v in mean.items())
              + f" moved>0.05@0.02={moved_small}/{n} moved>0.05@0.05={moved_large}/{n}"
              f" partition_changed@0.02={changed_small}/{n} merges_near(median)={statistics.median(merges_near)}"
              f" pairs_near(median)={statistics.median(pairs_near)} margin(median)={statistics.median(margin):.4f} {spec!r}", flush=True)


if __name__ == "__main__":
    main()
