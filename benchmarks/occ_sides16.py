"""Which side of a statement the boundary losses of occurrence F are on (BPS-motif, phase 16).

    PYTHONPATH=$PWD python -m benchmarks.occ_sides16 [--corpus bps --split tune] [--set key=value ...] [--verbose]

Takes the recall-side occurrences ``benchmarks.occ_errors`` calls longer / shorter / shifted / merged (a
labelled occurrence against the statement of the family that recalls its reference best) and says where
the two differ: labelled notes missing before our first note (``short-start``) or after our last
(``short-end``), our notes before / after the labelled ones (``long-start`` / ``long-end``), or inside.
Losses are occ_errors' (share of 1 - R_occ, mean over pieces). A second table sets our statement's length
against its family's median statement length and the labelled occurrence's: is ours an outlier of its
family, or is the whole family shorter / longer than the labelled motif?
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict

from benchmarks.discovery_errors import clean, voice_lines
from benchmarks.discovery_sweep import pieces, probe_parser, probe_settings
from benchmarks.occ_errors import card_matrix, piece_losses
from motifcli.discovery import discover

KINDS = ("shorter", "longer", "shifted", "merged")


def sides(ref: list, ours: list) -> list[str]:
    """Where a labelled occurrence and our statement (lists of (onset, pitch)) differ."""
    rs, os_ = set(ref), set(ours)
    miss, add = sorted(rs - os_), sorted(os_ - rs)
    ref, ours = sorted(ref), sorted(ours)
    out = []
    if miss and miss[0] < ours[0]:
        out.append("short-start")
    if miss and miss[-1] > ours[-1]:
        out.append("short-end")
    if add and add[0] < ref[0]:
        out.append("long-start")
    if add and add[-1] > ref[-1]:
        out.append("long-end")
    if miss and ours[0] < miss[0] and miss[-1] < ours[-1]:
        out.append("missing inside")
    if add and ref[0] < add[0] and add[-1] < ref[-1]:
        out.append("added inside")
    return out


def main() -> None:
    ap = probe_parser(__doc__, per_piece=False)
    ap.add_argument("--verbose", action="store_true", help="one line per occurrence: labelled and our notes")
    args = ap.parse_args()
    settings = probe_settings(args)
    ps = pieces(args.corpus, args.split)
    n_side: Counter = Counter()
    l_side: dict[tuple, float] = defaultdict(float)
    n_len: Counter = Counter()
    l_len: dict[tuple, float] = defaultdict(float)
    for piece in ps:
        est = clean([[o.points() for o in f.occurrences] for f in discover(piece.score, settings=settings)])
        refs = clean(piece.patterns)
        records: list = []
        piece_losses(est, refs, voice_lines(piece), records)
        for what, i, j, r, loss in records:
            if what not in KINDS:
                continue
            ref = refs[i][r]
            ours = est[j][int(card_matrix([ref], est[j]).argmax())]
            where = sides(ref, ours)
            for s in where:
                n_side[(what, s)] += 1
                l_side[(what, s)] += loss / len(ps)
            med = statistics.median(len(o) for o in est[j])
            key = (what, "ours " + ("<" if len(ours) < med else "=" if len(ours) == med else ">") + " family median",
                   "labelled " + ("<" if len(ref) < med else "=" if len(ref) == med else ">") + " family median")
            n_len[key] += 1
            l_len[key] += loss / len(ps)
            if args.verbose:
                print(piece.name, what, f"ref {i} family {j} loss {loss:.4f}", sorted(ref), sorted(ours), where)
    print("| kind | side | occurrences | loss (share of 1 - R_occ, mean over pieces) |\n|---|---|---|---|")
    for k in sorted(n_side, key=lambda k: -l_side[k]):
        print(f"| {k[0]} | {k[1]} | {n_side[k]} | {l_side[k]:.4f} |")
    print("\n| kind | our statement | labelled occurrence | occurrences | loss |\n|---|---|---|---|---|")
    for k in sorted(n_len, key=lambda k: -l_len[k]):
        print(f"| {k[0]} | {k[1]} | {k[2]} | {n_len[k]} | {l_len[k]:.4f} |")


if __name__ == "__main__":
    main()
