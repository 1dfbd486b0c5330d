"""Fast tuning loop: several settings variants on one split, scored by discovery_errors.fast_scores.

    PYTHONPATH=$PWD python -m benchmarks.discovery_fast_sweep bps tune "" "short_cells=0" "k=v k2=v2"
    PYTHONPATH=$PWD python -m benchmarks.discovery_fast_sweep --model pop909 val "texture_model=cluster"
    PYTHONPATH=$PWD python -m benchmarks.discovery_fast_sweep --per-piece --model pop909 val "" "k=v"
    PYTHONPATH=$PWD python -m benchmarks.discovery_fast_sweep --model=PATH.onnx bps tune "texture_model=off model_tolerance=1.5"

Each argument after corpus and split is one variant (space-separated KEY=VALUE overrides of
DiscoverySettings; "" is the defaults). F_est, P_est, R_est, F_occ(.75) and F_3 equal mir_eval's
(``benchmarks.discovery_errors`` checks the fast scorer against ``discovery_eval.score``), and so are
FFTP_est and FFP (the first five's establishment recall and three-layer precision). Pieces come from discovery_sweep's cache. About 10 s per BPS tune variant
instead of minutes; the reported figures still come from ``discovery_sweep``.
"""

from __future__ import annotations

import statistics
import sys

from benchmarks.discovery_errors import clean, fast_scores
from benchmarks.discovery_sweep import parse_set, pieces
from motifcli.discovery import DiscoverySettings, discover


def main() -> None:
    args = sys.argv[1:]
    per_piece = "--per-piece" in args  # also one line per piece: F_est / F_occ(.75) / F_3
    args = [a for a in args if a != "--per-piece"]
    model = None
    if args and args[0] == "--model":  # pass the shipped model, as discovery_sweep --model does
        import motifcli

        model, args = motifcli.load_model(), args[1:]
    elif args and args[0].startswith("--model="):  # another ONNX model (e.g. a note model: texture_model=off)
        import motifcli

        model, args = motifcli.load_model(args[0].split("=", 1)[1]), args[1:]
    corpus, split, variants = args[0], args[1], args[2:] or [""]
    ps = pieces(corpus, split)
    ps = [p for p in ps if clean(p.patterns)]  # a piece with no labelled pattern cannot be scored (MTC-ANN has some)
    refs_all = [clean(p.patterns) for p in ps]
    for spec in variants:
        settings = DiscoverySettings(**parse_set(spec.split()))
        rows, fams = [], []
        for p, refs in zip(ps, refs_all):
            found = discover(p.score, model, settings=settings)
            fams.append(len(found))
            rows.append(fast_scores(clean([[o.points() for o in f.occurrences] for f in found]), refs))
            if per_piece:
                r = rows[-1]
                print(f"  {p.name:>12} {r['F_est']:.3f}/{r['F_occ.75']:.3f}/{r['F_3']:.3f} fams={len(found)} {spec!r}",
                      flush=True)
        mean = {k: statistics.fmean(r[k] for r in rows) for k in rows[0]}
        print(corpus, split, " ".join(f"{k}={v:.3f}" for k, v in mean.items()), f"fams={statistics.fmean(fams):.1f}",
              repr(spec), flush=True)


if __name__ == "__main__":
    main()
