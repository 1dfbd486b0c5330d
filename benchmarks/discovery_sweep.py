"""Quick tuning loop for motifcli.discovery: score settings overrides on one split, pieces cached.

    PYTHONPATH=$PWD python -m benchmarks.discovery_sweep --corpus bps --split tune --set key=value ...

Same metrics and references as ``benchmarks.discovery_eval`` (its ``score``); pieces are read once
and pickled under /tmp so a sweep step costs only discovery + mir_eval. For tuning only: the
reported figures come from ``discovery_eval``.
"""

from __future__ import annotations

import argparse
import dataclasses
import pickle
import statistics
import time
from pathlib import Path

from benchmarks.discovery_eval import TABLE, score
from benchmarks.motif_corpora import load_corpus
from motifcli.discovery import DiscoverySettings, discover


def pieces(corpus: str, split: str) -> list:
    cache = Path(f"/tmp/motif-sweep-{corpus}-{split}.pkl")
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    out = load_corpus(corpus, split)
    cache.write_bytes(pickle.dumps(out))
    return out


def parse_set(items: list[str]) -> dict[str, object]:
    default = DiscoverySettings()
    out: dict[str, object] = {}
    for item in items:
        k, v = item.split("=", 1)
        t = type(getattr(default, k))
        out[k] = (v.lower() in ("1", "true", "yes")) if t is bool else t(v)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default="bps")
    ap.add_argument("--split", default="tune")
    ap.add_argument("--set", nargs="*", default=[])
    ap.add_argument("--per-piece", action="store_true")
    ap.add_argument("--model", nargs="?", const="default", help="pass motifcli.load_model() (or this ONNX path)")
    args = ap.parse_args()
    settings = DiscoverySettings(**parse_set(args.set))
    model = None
    if args.model:
        import motifcli

        model = motifcli.load_model() if args.model == "default" else motifcli.load_model(args.model)
    rows, secs, fams = [], [], []
    for piece in pieces(args.corpus, args.split):
        t0 = time.perf_counter()
        found = discover(piece.score, model, settings=settings)
        secs.append(time.perf_counter() - t0)
        fams.append(len(found))
        est = [[occ.points() for occ in f.occurrences] for f in found]
        rows.append(score(est, piece.patterns))
        if args.per_piece:
            print(piece.name, " ".join(f"{k}={rows[-1][k]:.3f}" for k in TABLE), f"fams={len(found)}")
    mean = {k: statistics.fmean(r[k] for r in rows) for k in TABLE}
    print(" ".join(f"{k}={v:.3f}" for k, v in mean.items()),
          f"fams={statistics.fmean(fams):.1f} s/piece={statistics.median(secs):.2f}", args.set, args.model or "")


if __name__ == "__main__":
    main()
