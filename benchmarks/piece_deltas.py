"""Every fast metric of settings variants against a base, as means and per piece (only pieces that move).

    PYTHONPATH=$PWD python -m benchmarks.piece_deltas --corpus bps --split tune [--base "k=v ..."] "k=v ..." ...

``discovery_fast_sweep --per-piece`` prints three metrics at three decimals; a choice that must lose
nowhere (phase19-occ19.md: F_est, FFTP_est) needs all of ``discovery_errors.fast_scores``' metrics at four,
and which piece moves. POP909 runs with the shipped model, as the fast sweep's ``--model``.
"""

from __future__ import annotations

import argparse

from benchmarks.discovery_errors import clean, fast_scores
from benchmarks.discovery_sweep import parse_set, pieces
from motifcli.discovery import DiscoverySettings, discover


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--corpus", default="bps")
    ap.add_argument("--split", default="tune")
    ap.add_argument("--base", default="", help="the settings compared against (default: the defaults)")
    ap.add_argument("variants", nargs="+")
    args = ap.parse_args()
    model = None
    if args.corpus == "pop909":
        import motifcli

        model = motifcli.load_model()
    ps = pieces(args.corpus, args.split)

    def scores(spec: str) -> list[dict]:
        settings = DiscoverySettings(**parse_set(spec.split()))
        return [fast_scores(clean([[o.points() for o in f.occurrences] for f in discover(p.score, model, settings=settings)]),
                            clean(p.patterns)) for p in ps]

    base = scores(args.base)
    keys = list(base[0])
    print(f"base {args.base!r}: " + " ".join(f"{k}={sum(b[k] for b in base) / len(ps):.4f}" for k in keys))
    for spec in args.variants:
        got = scores(spec)
        print(f"{spec!r}: " + " ".join(f"{k}={sum(g[k] for g in got) / len(ps):.4f}"
                                       f"({sum(g[k] - b[k] for g, b in zip(got, base)) / len(ps):+.4f})" for k in keys))
        for p, g, b in zip(ps, got, base):
            moved = {k: round(float(g[k] - b[k]), 4) for k in keys if abs(g[k] - b[k]) > 1e-9}
            if moved:
                print(f"    {p.name} {moved}")


if __name__ == "__main__":
    main()
