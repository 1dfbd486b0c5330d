"""How many families should a movement get, and which? Per-piece counts and output-order cuts (est20).

    PYTHONPATH=$PWD python -m benchmarks.est20_budget [--corpus bps --split tune] [--model] [--set k=v ...] table
    PYTHONPATH=$PWD python -m benchmarks.est20_budget [...] families      # every family: rank, kind, salience, best score
    PYTHONPATH=$PWD python -m benchmarks.est20_budget [...] cuts          # simulated cuts of the reported list

``table``: per piece its voiced notes, labelled patterns, families reported and F_est / P_est / R_est, with
the rank correlation of labelled patterns against notes and families (is a length-relative budget what
the labels follow?). ``families``: per family its output rank, kind (line / cell / texture), salience as a
share of the piece's first family, statements, notes per statement and best establishment against the
labels (the P_est term), and whether it is the best family of some labelled pattern (the R_est term).
``cuts``: the reported list cut in the output order (first k; k per voiced notes; a salience floor relative
to the first family) and scored by ``discovery_errors.fast_scores`` without rerunning discovery: a cut
only removes families, so the simulation equals a rerun with that cut placed after every other choice.
Each cut is scored per piece, with the 4-vs-4 held-out check of ``est_halves.report`` and leave-one-out.
"""

from __future__ import annotations

import statistics

import numpy as np

from benchmarks.discovery_errors import clean, fast_scores
from benchmarks.discovery_sweep import parse_set, pieces, probe_model, probe_parser
from benchmarks.est_halves import report
from motifcli.discovery import DiscoverySettings, discover


def rank_corr(a: list[float], b: list[float]) -> float:
    """Spearman's rho (ties averaged)."""
    def ranks(x: list[float]) -> np.ndarray:
        order = np.argsort(x, kind="stable")
        r = np.empty(len(x))
        r[order] = np.arange(len(x))
        for v in set(x):  # average ties
            idx = [i for i, y in enumerate(x) if y == v]
            r[idx] = np.mean(r[idx])
        return r
    return float(np.corrcoef(ranks(a), ranks(b))[0, 1])


def voiced_notes(piece) -> int:
    return sum(len(t.notes) for t in piece.score.pitched_tracks())


def cut_rules() -> dict[str, object]:
    """Name -> function(families, notes) giving the kept prefix length."""
    rules: dict[str, object] = {"all": lambda fs, n: len(fs)}
    for k in (8, 10, 12, 15, 20):
        rules[f"first {k}"] = (lambda k: lambda fs, n: min(len(fs), k))(k)
    for per in (100, 150, 200, 300):
        rules[f"1 per {per} notes (>=5)"] = (lambda per: lambda fs, n: min(len(fs), max(5, n // per)))(per)
    for floor in (0.02, 0.05, 0.1, 0.15, 0.2):
        rules[f"salience >= {floor} x first"] = (lambda fl: lambda fs, n: max(
            5, sum(1 for f in fs if f.salience >= fl * fs[0].salience)) if fs else 0)(floor)
    return rules


def main() -> None:
    ap = probe_parser(__doc__, per_piece=False, model=True)
    ap.add_argument("what", choices=("table", "families", "cuts"))
    args = ap.parse_args()
    settings = DiscoverySettings(**parse_set(args.set))
    model = probe_model(args)
    ps = [p for p in pieces(args.corpus, args.split) if clean(p.patterns)]
    found = [discover(p.score, model, settings) for p in ps]
    est = [clean([[o.points() for o in f.occurrences] for f in fs]) for fs in found]
    refs = [clean(p.patterns) for p in ps]
    notes = [voiced_notes(p) for p in ps]
    if args.what == "table":
        print("| piece | notes | labelled patterns | families | F_est | P_est | R_est |\n|---|---|---|---|---|---|---|")
        for p, n, r, e in zip(ps, notes, refs, est):
            s = fast_scores(e, r)
            print(f"| {p.name} | {n} | {len(r)} | {len(e)} | {s['F_est']:.3f} | {s['P_est']:.3f} | {s['R_est']:.3f} |")
        print(f"rho(labelled, notes) {rank_corr([len(r) for r in refs], notes):+.2f}; "
              f"rho(labelled, families) {rank_corr([len(r) for r in refs], [len(e) for e in est]):+.2f}; "
              f"rho(families, notes) {rank_corr([len(e) for e in est], notes):+.2f}")
    elif args.what == "families":
        print("| piece | rank | label | kind | salience / first | statements | notes | best | best of a pattern |")
        print("|---|---|---|---|---|---|---|---|---|")
        for p, fs, e, r in zip(ps, found, est, refs):
            S = np.array([[fast_scores([ej], [ri])["F_est"] for ej in e] for ri in r])  # card-score matrix
            best_of = set(S.argmax(axis=1).tolist())
            for j, f in enumerate(fs):
                kind = "texture" if f.is_texture else ("cell" if f.notes_per_occurrence <= 3 else "line")
                print(f"| {p.name} | {j + 1} | {f.label} | {kind} | {f.salience / fs[0].salience:.3f} | "
                      f"{len(f.occurrences)} | {f.notes_per_occurrence} | {S[:, j].max():.2f} | {'yes' if j in best_of else ''} |")
    else:
        names = [p.name for p in ps]
        scores: dict[str, list[dict]] = {}
        for name, rule in cut_rules().items():
            scores[name] = [fast_scores(e[: rule(fs, n)], r) for fs, e, r, n in zip(found, est, refs, notes)]
            kept = statistics.fmean(rule(fs, n) for fs, n in zip(found, notes))
            s = {m: statistics.fmean(x[m] for x in scores[name]) for m in ("F_est", "F_occ.75", "F_3", "FFTP_est", "FFP")}
            loo = [statistics.fmean(x["F_est"] - y["F_est"] for k, (x, y) in enumerate(zip(scores[name], scores["all"])) if k != i)
                   for i in range(len(ps))]
            print(f"{name:28s} fams {kept:5.1f}  " + " / ".join(f"{v:.3f}" for v in s.values())
                  + f"  F_est gain on the 7 left when one piece is left out: min {min(loo):+.4f} max {max(loo):+.4f}")
        variants = list(scores)
        report(names, scores, variants, "all", "F_est")


if __name__ == "__main__":
    main()
