"""Occurrence errors of found families on BPS-motif: where F_occ's precision and recall go.

    PYTHONPATH=$PWD python -m benchmarks.occ_errors --corpus bps --split tune [--set key=value ...] [--model]
    PYTHONPATH=$PWD python -m benchmarks.occ_errors --corpus pop909 --split val --method shipped [--per-song]

``--method shipped`` scores the bar level (``benchmarks/baselines/shipped.py``: ``annotate(unit="bar")``)
instead of note-level discovery; ``--per-song`` adds one line per piece (its fast scores and losses).

mir_eval's occurrence scores (c = .75) look only at (reference, family) pairs that establish at .75:
recall is, per such reference, the mean over its occurrences of the best cardinality score against
the family's occurrences (best family); precision the same per family over its occurrences. So
1 - R_occ (and 1 - P_occ) of a piece is exactly a sum of per-occurrence losses (1 - card) / (n_occ x
n_rows); this splits that sum by what is wrong with each occurrence:

recall side (reference occurrences vs the family that recalls the reference best)
- ``exact``: card 1;  ``longer``/``shorter``/``shifted``: .5 <= card < 1 and ours has more / fewer /
  as many notes (a boundary error); ``merged``: ours covers it but is more than 1.5x as long
- ``elsewhere``: card < .5 against the family, but another of our families has a statement at >= .75
- ``partial``: card in (0, .5); ``missing in line``/``missing off line``: nothing of it in the family,
  the occurrence is / is not a contiguous stretch of one voice (discovery_errors.in_a_line)
precision side (our occurrences vs the reference the family matches best)
- ``exact``, ``longer``, ``shorter``, ``shifted`` as above; ``other ref``: card < .5 against that
  reference but >= .5 against another reference's occurrence; ``extra``: matches no reference occurrence.
Figures are means over pieces of the summed losses (R_occ = 1 - sum of recall-side losses).
"""

from __future__ import annotations

import statistics
from collections import defaultdict

import numpy as np

from benchmarks.discovery_errors import clean, fast_scores, in_a_line, voice_lines
from benchmarks.discovery_sweep import pieces, probe_model, probe_parser, probe_settings
from motifcli.discovery import discover


def card_matrix(a: list, b: list) -> np.ndarray:
    sa, sb = [set(o) for o in a], [set(o) for o in b]
    return np.array([[len(x & y) / max(len(x), len(y)) for y in sb] for x in sa], dtype=float)


def kind(c: float, mine: int, theirs: int) -> str:
    if c >= 1 - 1e-9:
        return "exact"
    if mine > 1.5 * theirs:
        return "merged"
    return "longer" if mine > theirs else "shorter" if mine < theirs else "shifted"


def piece_losses(est: list, refs: list, lines, records: list | None = None) -> tuple[dict, dict, dict]:
    """Recall-side and precision-side losses by kind, and occurrence counts by kind, for one piece.

    ``records`` (optional) receives one (kind, reference, family, occurrence, loss) tuple per
    recall-side occurrence, for probes that look at one kind closer (benchmarks/inline_probe.py)."""
    nr, ne = len(refs), len(est)
    M = [[card_matrix(r, e) for e in est] for r in refs]
    S = np.array([[m.max() if m.size else 0.0 for m in row] for row in M]).reshape(nr, ne)
    OR = np.array([[m.max(axis=1).mean() for m in row] for row in M]).reshape(nr, ne)
    OP = np.array([[m.max(axis=0).mean() for m in row] for row in M]).reshape(nr, ne)
    rel = S >= 0.75 - 1e-12
    rows, cols = sorted(set(np.nonzero(rel)[0])), sorted(set(np.nonzero(rel)[1]))
    rloss: dict[str, float] = defaultdict(float)
    ploss: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    for i in rows:
        j = max(cols, key=lambda c: OR[i, c] if rel[i, c] else -1)  # mir_eval: O_PR is 0 off rel pairs
        w = rel[i].sum() / rel.sum()  # mir_eval averages over rel pairs, a row once per rel column
        m = M[i][j]
        for r, ref_occ in enumerate(refs[i]):
            k = int(m[r].argmax())
            c = float(m[r, k])
            if c >= 0.5:
                what = kind(c, len(est[j][k]), len(ref_occ))
            elif any(card_matrix([ref_occ], e).max() >= 0.75 for jj, e in enumerate(est) if jj != j):
                what = "elsewhere"
            elif c > 0:
                what = "partial"
            else:
                what = "missing in line" if in_a_line(ref_occ, lines) else "missing off line"
            rloss["R " + what] += w * (1 - c) / len(refs[i])
            if records is not None:
                records.append((what, i, j, r, w * (1 - c) / len(refs[i])))
            count["R " + what] += 1
    for j in cols:
        i = max(rows, key=lambda r: OP[r, j] if rel[r, j] else -1)
        w = rel[:, j].sum() / rel.sum()
        for what, c in statement_kinds(est[j], refs, i, M[i][j]):
            ploss["P " + what] += w * (1 - c) / len(est[j])
            count["P " + what] += 1
    return rloss, ploss, count


def statement_kinds(family: list, refs: list, i: int, m: np.ndarray) -> list[tuple[str, float]]:
    """Precision-side kind and cardinality of each statement of ``family`` against reference ``i``
    (``m``: their card_matrix), as the docstring defines them; benchmarks/extra_probe.py reads it too."""
    out = []
    for k, occ in enumerate(family):
        r = int(m[:, k].argmax())
        c = float(m[r, k])
        if c >= 0.5:
            what = kind(c, len(occ), len(refs[i][r]))
        elif any(card_matrix(ref, [occ]).max() >= 0.5 for ii, ref in enumerate(refs) if ii != i):
            what = "other ref"
        else:
            what = "extra" if c == 0 else "partial"
        out.append((what, c))
    return out


def established(est: list, refs: list) -> dict[int, int]:
    """Family index -> the reference it is scored against on the precision side (families establishing
    some reference at .75 only), as :func:`piece_losses` picks it."""
    M = [[card_matrix(r, e) for e in est] for r in refs]
    S = np.array([[m.max() if m.size else 0.0 for m in row] for row in M]).reshape(len(refs), len(est))
    OP = np.array([[m.max(axis=0).mean() for m in row] for row in M]).reshape(len(refs), len(est))
    rel = S >= 0.75 - 1e-12
    rows, cols = sorted(set(np.nonzero(rel)[0])), sorted(set(np.nonzero(rel)[1]))
    return {j: max(rows, key=lambda r: OP[r, j] if rel[r, j] else -1) for j in cols}


def main() -> None:
    ap = probe_parser(__doc__, per_piece=False, model=True)
    ap.add_argument("--method", choices=("discovery", "shipped"), default="discovery",
                    help="shipped: the bar level (annotate unit='bar'), as discovery_eval --method shipped")
    ap.add_argument("--per-song", action="store_true", help="one line per piece: scores and its largest losses")
    ap.add_argument("--buckets", action="store_true",
                    help="a per-piece table of the losses grouped as BUCKETS (too long / too short / shifted / ...)")
    args = ap.parse_args()
    settings = probe_settings(args)
    model = probe_model(args)
    R: dict[str, list[float]] = defaultdict(list)
    C: dict[str, int] = defaultdict(int)
    base = []
    table: list[tuple[str, dict, dict]] = []
    ps = pieces(args.corpus, args.split)
    for piece in ps:
        if args.method == "shipped":
            from benchmarks.baselines.shipped import shipped_patterns

            est = clean(shipped_patterns(piece))
        else:
            found = discover(piece.score, model, settings=settings)
            est = clean([[o.points() for o in f.occurrences] for f in found])
        refs = clean(piece.patterns)
        base.append(fast_scores(est, refs))
        rl, pl, cnt = piece_losses(est, refs, voice_lines(piece))
        table.append((piece.name, rl, pl))
        if args.per_song:
            top = sorted([*rl.items(), *pl.items()], key=lambda kv: -kv[1])[:4]
            print(piece.name, " ".join(f"{k}={v:.3f}" for k, v in base[-1].items()), f"fams={len(est)}",
                  "|", ", ".join(f"{k} {v:.3f}" for k, v in top))
        for d in (rl, pl):
            for k, v in d.items():
                R[k].append(v)
        for k, v in cnt.items():
            C[k] += v
    n = len(ps)
    print(" ".join(f"{k}={statistics.fmean(b[k] for b in base):.3f}" for k in base[0]), args.set)
    print("| side kind | occurrences | loss (mean over pieces) |\n|---|---|---|")
    for k in sorted(C):
        print(f"| {k} | {C[k]} | {sum(R[k]) / n:.3f} |")
    if args.buckets:
        print_buckets(table, base)


# Kinds grouped as a reader asks about them: a statement too long, too short, shifted, in the wrong
# line or family, missing, or extra (R_ = recall side, P_ = precision side).
BUCKETS = {
    "too long": ("longer", "merged"), "too short": ("shorter",), "shifted": ("shifted",),
    "wrong line/family": ("elsewhere", "missing off line", "other ref"),
    "missing/partial": ("missing in line", "partial"), "extra": ("extra",),
}


def print_buckets(table: list[tuple[str, dict, dict]], base: list[dict]) -> None:
    """One row per piece: each bucket's recall-side and precision-side loss, and the piece's F_occ / F_3."""
    head = " | ".join(f"R {b} | P {b}" for b in BUCKETS)
    print(f"\n| piece | F_occ(.75) | F_3 | {head} |\n|---" + "|---" * (2 + 2 * len(BUCKETS)) + "|")
    sums: dict[str, float] = defaultdict(float)
    for (name, rl, pl), sc in zip(table, base):
        cells = []
        for b, kinds in BUCKETS.items():
            for side, d in (("R", rl), ("P", pl)):
                v = sum(d.get(f"{side} {k}", 0.0) for k in kinds)
                sums[f"{side} {b}"] += v
                cells.append(f"{v:.3f}")
        print(f"| {name} | {sc['F_occ.75']:.3f} | {sc['F_3']:.3f} | " + " | ".join(cells) + " |")
    n = len(table)
    mean = " | ".join(f"{sums[f'{s} {b}'] / n:.3f}" for b in BUCKETS for s in ("R", "P"))
    print(f"| mean | {statistics.fmean(b['F_occ.75'] for b in base):.3f} | "
          f"{statistics.fmean(b['F_3'] for b in base):.3f} | {mean} |")


if __name__ == "__main__":
    main()
