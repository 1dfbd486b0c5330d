"""Where do our statements start and end against the labelled occurrences they match? Probe behind
benchmarks/phase11-bounds11.md (issue 10: are a family's boundaries a note or a beat off the motif's?).

    PYTHONPATH=$PWD python -m benchmarks.bounds_probe --corpus bps --split tune [--set key=value ...] [--model]
    PYTHONPATH=$PWD python -m benchmarks.bounds_probe --corpus pop909 --split val --model

For each reference established at .75 by a family (the family recalling it best, as mir_eval and
``occ_errors`` pick it), each reference occurrence is paired with the family's statement of best
cardinality score; pairs at card >= .5 are "matched". Per matched pair:

- start / end offset in notes: + when ours starts (ends) later than the labelled occurrence, counted
  in the notes of the one that sticks out (ref notes before our start when ours is late, our notes
  before the ref's start when ours is early; likewise at the end);
- the same in beats (quarters), bucketed: 0, under a beat, one beat, more;
- the labelled and our start's (and, where they differ, end's) bar place: downbeat, half bar (even numerators), other beat, off beat
  (``motifcli.discovery.barpos.bar_positions``, as discovery computes it).

Per family: the share of its matched pairs at the family's most common start offset, i.e. whether
one shift of the whole family would fix them. Oracles (fast scorer = mir_eval's; mean over pieces):
every matched statement given the labelled start (``start``), end (``end``) or both (``both``)
while keeping its other end; and ``family-shift``: each family's statements all moved by the
family's modal start offset in notes (the best a family-level start rule could do); ``family-end``: the same
at the end.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict

import numpy as np

from benchmarks.discovery_errors import clean, fast_scores
from benchmarks.discovery_sweep import pieces, probe_model, probe_parser, probe_settings
from benchmarks.occ_errors import card_matrix
from motifcli.discovery import discover
from motifcli.discovery.barpos import bar_positions, beat_length

TOL = 1 / 12 + 1e-6


def place(t: float, mm) -> str:
    """downbeat / half / beat / off: the metric strength of onset ``t``."""
    pos = float(bar_positions(np.array([t]), mm, "bar")[0])
    bar = mm.bars[int(np.clip(np.searchsorted(mm.starts, t + 1e-6, side="right") - 1, 0, len(mm.bars) - 1))]
    if abs(pos) <= TOL:
        return "downbeat"
    if bar.numerator % 2 == 0 and abs(pos - bar.nominal_length / 2) <= TOL:
        return "half"
    b = beat_length(bar)
    r = pos % b
    return "beat" if min(r, b - r) <= TOL else "off"


def note_offset(ours: list, ref: list, side: str) -> int:
    """Signed offset in notes (see module docstring); points are (onset, pitch) sorted by onset."""
    if side == "start":
        a, b = ours[0][0], ref[0][0]
        if a > b + 1e-6:  # ours late: ref notes before our start
            return sum(1 for p in ref if p[0] < a - 1e-6)
        if a < b - 1e-6:
            return -sum(1 for p in ours if p[0] < b - 1e-6)
        return 0
    a, b = ours[-1][0], ref[-1][0]
    if a > b + 1e-6:  # ours ends later: our notes after the ref's end
        return sum(1 for p in ours if p[0] > b + 1e-6)
    if a < b - 1e-6:
        return -sum(1 for p in ref if p[0] > a + 1e-6)
    return 0


def beat_bucket(d: float) -> str:
    d = abs(d)
    return "0" if d < 1e-6 else "<1 beat" if d < 1 - 1e-6 else "1 beat" if d < 1 + 1e-6 else ">1 beat"


def with_start(ours: list, ref: list) -> list:
    s = ref[0][0]
    return sorted({*(p for p in ours if p[0] >= s - 1e-6), *(p for p in ref if p[0] < ours[0][0] - 1e-6)})


def with_end(ours: list, ref: list) -> list:
    e = ref[-1][0]
    return sorted({*(p for p in ours if p[0] <= e + 1e-6), *(p for p in ref if p[0] > ours[-1][0] + 1e-6)})


def shifted(occ: list, k: int, line: tuple[list, dict] | None) -> list:
    """``occ`` with its first note moved ``k`` notes along its voice line (+: later start, trims)."""
    if k == 0 or line is None:
        return occ
    pts, order = line
    idx = sorted(order[p] for p in occ if p in order)
    if not idx:
        return occ
    first = idx[0] + k
    if first < 0 or first >= len(pts):
        return occ
    if k > 0:
        return [p for p in occ if order.get(p, 10**9) >= first] or occ
    return sorted({*occ, *pts[first : idx[0]]})


def ended(occ: list, k: int, line: tuple[list, dict] | None) -> list:
    """``occ`` with its last note moved ``k`` notes along its voice line (+: later end, extends)."""
    if k == 0 or line is None:
        return occ
    pts, order = line
    idx = sorted(order[p] for p in occ if p in order)
    if not idx:
        return occ
    last = idx[-1] + k
    if last < idx[0] or last >= len(pts):
        return occ
    if k < 0:
        return [p for p in occ if order.get(p, -1) <= last] or occ
    return sorted({*occ, *pts[idx[-1] + 1 : last + 1]})


def main() -> None:
    ap = probe_parser(__doc__, per_piece=False, model=True)
    args = ap.parse_args()
    settings = probe_settings(args)
    model = probe_model(args)
    from benchmarks.discovery_errors import voice_lines

    cnt: Counter = Counter()
    fam_share: list[tuple[int, float, int]] = []  # (pairs, share at modal offset, modal offset)
    fam_end_share: list[tuple[int, float, int]] = []
    scores: dict[str, list[dict]] = defaultdict(list)
    for piece in pieces(args.corpus, args.split):
        mm = piece.score.meter_map
        refs = clean(piece.patterns)
        found = discover(piece.score, model, settings=settings)
        est = clean([[o.points() for o in f.occurrences] for f in found])
        lines = voice_lines(piece)
        line_of = {p: ln for ln in lines for p in ln[0]}
        alt = {k: [list(map(list, e)) for e in est] for k in ("start", "end", "both")}
        fam_offsets: dict[int, list[int]] = defaultdict(list)
        fam_end_offsets: dict[int, list[int]] = defaultdict(list)
        for ref in refs:
            ms = [card_matrix(ref, e) for e in est]
            rel = [j for j, m in enumerate(ms) if m.size and m.max() >= 0.75]
            if not rel:
                continue
            j = max(rel, key=lambda j: ms[j].max(axis=1).mean())
            for r, occ in enumerate(ref):
                k = int(ms[j][r].argmax())
                c = float(ms[j][r, k])
                if c < 0.5:
                    continue
                ours = est[j][k]
                so, eo = note_offset(ours, occ, "start"), note_offset(ours, occ, "end")
                cnt[("n",)] += 1
                cnt[("start notes", max(-3, min(3, so)))] += 1
                cnt[("end notes", max(-3, min(3, eo)))] += 1
                cnt[("start beats", beat_bucket(ours[0][0] - occ[0][0]))] += 1
                cnt[("end beats", beat_bucket(ours[-1][0] - occ[-1][0]))] += 1
                cnt[("ref start place", place(occ[0][0], mm))] += 1
                cnt[("our start place", place(ours[0][0], mm))] += 1
                if so != 0:
                    cnt[("off start: ref place", place(occ[0][0], mm))] += 1
                    cnt[("off start: our place", place(ours[0][0], mm))] += 1
                if eo != 0:
                    cnt[("off end: ref place", place(occ[-1][0], mm))] += 1
                    cnt[("off end: our place", place(ours[-1][0], mm))] += 1
                    cnt[("off end by one: ref place", place(occ[-1][0], mm))] += eo == -1
                    cnt[("off end by one: our place", place(ours[-1][0], mm))] += eo == -1
                fam_offsets[j].append(so)
                fam_end_offsets[j].append(eo)
                alt["start"][j][k] = with_start(ours, occ)
                alt["end"][j][k] = with_end(ours, occ)
                alt["both"][j][k] = list(occ)
        shift = [list(map(list, e)) for e in est]
        for j, offs in fam_offsets.items():
            (m, c), = Counter(offs).most_common(1)
            fam_share.append((len(offs), c / len(offs), m))
            if m != 0:
                shift[j] = [shifted(o, -m, line_of.get(o[0])) for o in est[j]]  # ours late by m: start m notes earlier
        end_shift = [list(map(list, e)) for e in est]
        for j, offs in fam_end_offsets.items():
            (m, c), = Counter(offs).most_common(1)
            fam_end_share.append((len(offs), c / len(offs), m))
            if m != 0:
                end_shift[j] = [ended(o, -m, line_of.get(o[0])) for o in est[j]]  # ours late by m: end m notes earlier
        scores["ours"].append(fast_scores(est, refs))
        scores["family-end"].append(fast_scores(end_shift, refs))
        for key, e in alt.items():
            scores[key].append(fast_scores(e, refs))
        scores["family-shift"].append(fast_scores(shift, refs))
    n = cnt[("n",)]
    print(f"{args.corpus} {args.split} {args.set}: {n} matched (reference occurrence, our statement) pairs")
    for what in ("start notes", "end notes"):
        print(f"\n{what} (+: ours later)\n| offset | pairs | share |\n|---|---|---|")
        for o in range(-3, 4):
            lab = f"<= {o}" if o == -3 else f">= {o}" if o == 3 else str(o)
            print(f"| {lab} | {cnt[(what, o)]} | {cnt[(what, o)] / n:.3f} |")
    for what in ("start beats", "end beats"):
        print(f"\n{what}: " + ", ".join(f"{b} {cnt[(what, b)] / n:.3f}" for b in ("0", "<1 beat", "1 beat", ">1 beat")))
    for what in ("ref start place", "our start place", "off start: ref place", "off start: our place",
                 "off end: ref place", "off end: our place", "off end by one: ref place", "off end by one: our place"):
        tot = sum(v for k, v in cnt.items() if k[0] == what)
        print(f"{what} ({tot}): " + ", ".join(f"{p} {cnt[(what, p)] / max(tot, 1):.3f}" for p in ("downbeat", "half", "beat", "off")))
    pairs = sum(p for p, _, _ in fam_share)
    print(f"\nfamilies {len(fam_share)}: share of matched pairs at the family's modal start offset "
          f"(pair-weighted) {sum(p * s for p, s, _ in fam_share) / max(pairs, 1):.3f}; "
          f"families whose modal offset is not 0: {sum(m != 0 for _, _, m in fam_share)} "
          f"({sum(p for p, _, m in fam_share if m != 0)} pairs)")
    pairs = sum(p for p, _, _ in fam_end_share)
    print(f"ends: share of matched pairs at the family's modal end offset (pair-weighted) "
          f"{sum(p * s for p, s, _ in fam_end_share) / max(pairs, 1):.3f}; families whose modal end offset is not 0: "
          f"{sum(m != 0 for _, _, m in fam_end_share)} ({sum(p for p, _, m in fam_end_share if m != 0)} pairs)")
    print("\n| oracle | F_est | F_occ.75 | F_3 |\n|---|---|---|---|")
    for key, rows in scores.items():
        print(f"| {key} | " + " | ".join(f"{statistics.fmean(r[m] for r in rows):.3f}" for m in ("F_est", "F_occ.75", "F_3")) + " |")


if __name__ == "__main__":
    main()
