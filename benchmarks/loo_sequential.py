"""Nested leave-one-piece-out of a *sequential* tuning procedure (coordinate ascent, as the sessions tuned).

    PYTHONPATH=$PWD python -m benchmarks.loo_sequential [--choose mean3] [--top 15] [--rounds 1]

``benchmarks.loo_tuning`` chooses each constant with the others at their defaults. The sessions instead moved
one constant at a time from the settings the earlier moves had left. Here, for each held-out piece, the
``--top`` constants of ``loo_tuning.GRID`` with the widest in-sample spread (numeric ones; read from
loo_tuning's JSON report) are visited in that order, ``--rounds`` times, each set to its best grid value on
the other pieces given the values chosen before it; the held-out piece is then scored with the result. The
same procedure run on all pieces gives its in-sample figure, so the two differ by the procedure's optimism.
Per-piece scores are cached under /tmp by settings (folds share their early steps).
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from benchmarks.loo_tuning import GRID, SHOWN, Scorer, val
from motifcli.atomic import atomic_write_text
from motifcli.discovery import DiscoverySettings

_REPO = Path(__file__).resolve().parent.parent


class Memo:
    """Per-piece scores by settings overrides, kept in a JSON file next to loo_tuning's cache."""

    def __init__(self, sc: Scorer) -> None:
        self.sc = sc
        self.path = sc.path.with_name(sc.path.stem + "-seq.json")
        self.cache: dict[str, dict[str, float]] = json.loads(self.path.read_text()) if self.path.exists() else {}
        self.new = 0

    def score(self, i: int, overrides: dict[str, object]) -> dict[str, float]:
        key = f"{i}|" + " ".join(f"{k}={v}" for k, v in sorted(overrides.items()))
        if key not in self.cache:
            self.cache[key] = self.sc.piece(i, overrides)
            self.new += 1
            if self.new % 50 == 0:
                self.save()
        return self.cache[key]

    def save(self) -> None:
        atomic_write_text(self.path, json.dumps(self.cache))


def tune(memo: Memo, fields: list[str], train: list[int], m: str, rounds: int) -> dict[str, object]:
    """Coordinate ascent on ``train``: each field to its best grid value given the others' current values
    (ties: the current value, then the value nearest it in the grid)."""
    default = DiscoverySettings()
    cur: dict[str, object] = {}
    for _ in range(rounds):
        for f in fields:
            grid, now = GRID[f], cur.get(f, getattr(default, f))

            def key(v: object) -> tuple:
                over = {**cur, f: v}
                over = {k: x for k, x in over.items() if x != getattr(default, k)}
                s = statistics.fmean(val(memo.score(i, over), m) for i in train)
                return round(s, 9), v == now, -abs(grid.index(v) - grid.index(now))

            best = max(grid, key=key)
            cur[f] = best
    return {k: v for k, v in cur.items() if v != getattr(default, k)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default="bps")
    ap.add_argument("--split", default="tune")
    ap.add_argument("--choose", default="mean3", help="F_est, F_occ.75, F_3 or mean3 (their mean)")
    ap.add_argument("--top", type=int, default=15, help="constants visited: the widest in-sample spreads")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--report", default="", help="loo_tuning's JSON (default benchmarks/results/loo_tuning-CORPUS-SPLIT-F_est.json)")
    args = ap.parse_args()
    report = json.loads(Path(args.report or _REPO / "benchmarks" / "results"
                             / f"loo_tuning-{args.corpus}-{args.split}-F_est.json").read_text())
    numeric = [c for c in report["constants"] if not isinstance(c["default"], (bool, str))]
    fields = [c["field"] for c in sorted(numeric, key=lambda c: -c["spread"])[:args.top]]
    sc = Scorer(args.corpus, args.split)
    memo = Memo(sc)
    n = len(sc.names)
    print(f"{args.corpus} {args.split}: visiting {', '.join(fields)}; {args.rounds} round(s), choosing on {args.choose}",
          flush=True)
    folds = []
    for i in range(n):
        chosen = tune(memo, fields, [k for k in range(n) if k != i], args.choose, args.rounds)
        held, base = memo.score(i, chosen), memo.score(i, {})
        folds.append({"held_out": sc.names[i], "chosen": chosen, **{k: held[k] for k in SHOWN}})
        print(f"  held out {sc.names[i]}: {chosen or 'defaults'} -> " + " / ".join(f"{held[k]:.3f}" for k in SHOWN)
              + " (defaults " + " / ".join(f"{base[k]:.3f}" for k in SHOWN) + ")", flush=True)
    whole = tune(memo, fields, list(range(n)), args.choose, args.rounds)
    rows = [memo.score(i, whole) for i in range(n)]
    memo.save()
    loo = {k: statistics.fmean(f[k] for f in folds) for k in SHOWN}
    ins = {k: statistics.fmean(r[k] for r in rows) for k in SHOWN}
    base = {k: statistics.fmean(memo.score(i, {})[k] for i in range(n)) for k in SHOWN}
    print(f"defaults {' / '.join(f'{base[k]:.3f}' for k in SHOWN)}; procedure on all pieces {whole or 'defaults'}: "
          + " / ".join(f"{ins[k]:.3f}" for k in SHOWN) + "; held out (LOO): " + " / ".join(f"{loo[k]:.3f}" for k in SHOWN))
    out = _REPO / "benchmarks" / "results" / f"loo_sequential-{args.corpus}-{args.split}-{args.choose}-top{args.top}-r{args.rounds}.json"
    out.write_text(json.dumps({"fields": fields, "choose": args.choose, "rounds": args.rounds, "folds": folds,
                               "in_sample_choice": whole, "in_sample": ins, "loo": loo, "defaults": base},
                              indent=1, default=str))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
