"""Error analysis of note-level discovery on BPS-motif: why each reference pattern is missed, and what it costs.

    PYTHONPATH=$PWD python -m benchmarks.discovery_errors --corpus bps --split tune [--set key=value ...]

Every reference pattern gets one bucket (first that applies):

- ``short``: its median occurrence has at most 3 notes (below ``min_notes``);
- ``not in a line``: fewer than half of its occurrences fit a contiguous window of one voice
  (skyline or bass of ``motifcli.voices``) at cardinality .75: chords, cross-voice, cross-staff;
- ``long``: median occurrence above ``max_notes`` notes or ``max_beats`` beats;
- ``found``: an estimated family establishes it at .75 or better;
- ``partial``: best establishment in [.5, .75);
- ``missed``: best establishment below .5 although it is short enough and in a line.

The cost of a bucket is counterfactual: each of its reference patterns is written into our output
in place of the family that matches it best (or next to it, when that family matches another
reference better, or at the end when nothing matches) and the piece is re-scored; the gain in
F_est / F_occ(.75) / F_3 (mean over pieces) is what the bucket costs us. ``unlabelled`` families
(no reference above .5) are costed by deleting them. ``found`` costs what its occurrences still
lack (occurrence boundaries, missing or extra statements). Diagnostics per partly-found pattern:
our best family's median occurrence length against the reference's, and how many of our families
match it at .5 or better (one motif split into several families).
"""

from __future__ import annotations

import argparse
import statistics
from collections import Counter, defaultdict

import numpy as np

from benchmarks.discovery_eval import clean, score
from benchmarks.discovery_sweep import parse_set, pieces
from motifcli.discovery import DiscoverySettings, discover
from motifcli.voices import split_voices

BUCKETS = ("short", "not in a line", "long", "missed", "partial", "found")


def fast_scores(est: list, refs: list) -> dict[str, float]:
    """F_est, P_est, R_est, F_occ(.75), F_3 as mir_eval.pattern computes them, from one intersection matrix,
    and the first five's FFTP_est (establishment recall of ``est[:5]``) and FFP (three-layer precision of
    ``est[:5]``): both are per (reference, estimate) pair, so they are the same matrices' first five columns.

    mir_eval takes ~10 s a piece (numpy per occurrence pair); the counterfactuals need dozens of
    re-scorings. ``main`` checks the base scores against :func:`benchmarks.discovery_eval.score`.
    """
    if not est:
        return dict.fromkeys(("F_est", "P_est", "R_est", "F_occ.75", "F_3", "FFTP_est", "FFP"), 0.0)
    ref_sets = [[set(o) for o in r] for r in refs]
    est_sets = [[set(o) for o in e] for e in est]
    S = np.zeros((len(refs), len(est)))
    OP = np.zeros_like(S)
    OR = np.zeros_like(S)
    F2 = np.zeros_like(S)
    for i, r in enumerate(ref_sets):
        for j, e in enumerate(est_sets):
            inter = np.array([[len(a & b) for b in e] for a in r], dtype=float)
            lr = np.array([len(a) for a in r], dtype=float)[:, None]
            le = np.array([len(b) for b in e], dtype=float)[None, :]
            card_m = inter / np.maximum(lr, le)
            S[i, j] = card_m.max()
            OP[i, j], OR[i, j] = card_m.max(axis=0).mean(), card_m.max(axis=1).mean()
            p1, r1 = inter / le, inter / lr
            f1 = np.where(p1 + r1 > 0, 2 * p1 * r1 / np.maximum(p1 + r1, 1e-12), 0.0)
            p2, r2 = f1.max(axis=0).mean(), f1.max(axis=1).mean()
            F2[i, j] = 2 * p2 * r2 / (p2 + r2) if p2 + r2 > 0 else 0.0

    def f(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r > 0 else 0.0

    p_est, r_est = S.max(axis=0).mean(), S.max(axis=1).mean()
    rel = S >= 0.75 - 1e-12
    rows, cols = np.nonzero(rel)  # mir_eval indexes with every (ref, est) pair, repeats included
    if len(rows):
        sub = np.ix_(rows, cols)
        p_occ = np.where(rel, OP, 0.0)[sub].max(axis=0).mean()
        r_occ = np.where(rel, OR, 0.0)[sub].max(axis=1).mean()
    else:
        p_occ = r_occ = 0.0
    p3, r3 = F2.max(axis=0).mean(), F2.max(axis=1).mean()
    return {"F_est": f(p_est, r_est), "P_est": float(p_est), "R_est": float(r_est),
            "F_occ.75": f(p_occ, r_occ), "F_3": f(p3, r3),
            "FFTP_est": float(S[:, :5].max(axis=1).mean()), "FFP": float(F2[:, :5].max(axis=0).mean())}


def card(a: list, b: list) -> float:
    """mir_eval's cardinality score of two occurrences."""
    return len(set(a) & set(b)) / max(len(a), len(b))


def establishment(ref: list, est: list) -> float:
    return max(card(r, e) for r in ref for e in est)


def in_a_line(occ: list, lines: list[set]) -> bool:
    """True when a contiguous window of one voice reaches cardinality .75 against ``occ``."""
    pts = set(occ)
    for line, order in lines:
        pos = sorted(order[p] for p in pts if p in order)
        for i in range(len(pos)):
            for j in range(i, len(pos)):
                if (j - i + 1) / max(len(occ), pos[j] - pos[i] + 1) >= 0.75:
                    return True
    return False


def voice_lines(piece) -> list[tuple[list, dict]]:
    out = []
    for v in split_voices(piece.score):
        pts = [(round(float(o), 4), int(p)) for o, p in zip(v.onsets, v.pitches)]
        out.append((pts, {p: i for i, p in enumerate(pts)}))
    return out


def bucket_of(ref: list, est: list, lines, settings: DiscoverySettings) -> tuple[str, float]:
    sizes = [len(o) for o in ref]
    spans = [o[-1][0] - o[0][0] for o in ref]
    best = max((establishment(ref, e) for e in est), default=0.0)
    if statistics.median(sizes) <= 3:
        return "short", best
    if sum(in_a_line(o, lines) for o in ref) < 0.5 * len(ref):
        return "not in a line", best
    if statistics.median(sizes) > settings.max_notes or statistics.median(spans) > settings.max_beats:
        return "long", best
    if best >= 0.75:
        return "found", best
    return ("partial" if best >= 0.5 else "missed"), best


def patched(refs: list, est: list, which: list[int]) -> list:
    """Our output with the reference patterns ``which`` written in place of their best family."""
    if not est:
        return [refs[i] for i in which]
    S = np.array([[establishment(r, e) for e in est] for r in refs])
    instead: dict[int, list] = {}
    beside: dict[int, list] = defaultdict(list)
    extra = []
    for i in which:
        j = int(S[i].argmax())
        if S[i, j] < 0.5:
            extra.append(refs[i])
        elif int(S[:, j].argmax()) == i:
            instead[j] = refs[i]
        else:
            beside[j].append(refs[i])
    out = []
    for j, e in enumerate(est):  # by the original index: an insertion must not shift a later replacement
        out.append(instead.get(j, list(e)))
        out.extend(beside[j])
    return out + extra


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default="bps")
    ap.add_argument("--split", default="tune")
    ap.add_argument("--set", nargs="*", default=[])
    ap.add_argument("--verbose", action="store_true", help="one line per reference pattern")
    ap.add_argument("--no-check", action="store_true", help="skip checking the fast scorer against mir_eval")
    args = ap.parse_args()
    settings = DiscoverySettings(**parse_set(args.set))
    keys = ("F_est", "F_occ.75", "F_3", "R_est", "P_est")
    counts: Counter = Counter()
    occ_counts: Counter = Counter()
    gains: dict[str, list[dict]] = defaultdict(list)
    base_rows, split_refs, len_ratio = [], [], []
    check = not args.no_check
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # kind -> [labelled, unlabelled]
    sizes: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    occs: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for piece in pieces(args.corpus, args.split):
        found = discover(piece.score, settings=settings)
        est = clean([[o.points() for o in f.occurrences] for f in found])
        refs = clean(piece.patterns)
        base = fast_scores(est, refs)
        if check:
            slow = score(est, refs)
            assert all(abs(slow[k] - base[k]) < 1e-9 for k in keys), (piece.name, slow, base)
            check = False
        base_rows.append(base)
        lines = voice_lines(piece)
        by_bucket: dict[str, list[int]] = defaultdict(list)
        for i, ref in enumerate(refs):
            b, best = bucket_of(ref, est, lines, settings)
            by_bucket[b].append(i)
            counts[b] += 1
            occ_counts[b] += len(ref)
            matching = [e for e in est if establishment(ref, e) >= 0.5]
            if b in ("found", "partial") and matching:
                split_refs.append(len(matching))
                top = max(est, key=lambda e: establishment(ref, e))
                len_ratio.append(statistics.median(map(len, top)) / statistics.median(map(len, ref)))
            if args.verbose:
                name = piece.pattern_names[i] if i < len(piece.pattern_names) else str(i)
                print(f"{piece.name} {name}: {b:14s} best={best:.2f} occs={len(ref)} "
                      f"notes={statistics.median(map(len, ref)):.0f} families>=.5={len(matching)}")
        for b in BUCKETS:
            s = fast_scores(patched(refs, est, by_bucket[b]), refs) if by_bucket[b] else base
            gains[b].append({k: s[k] - base[k] for k in keys})
        for f, e in zip(found, est):
            kind = "texture" if f.prototype.notes[0].voice == 2 else ("bass" if f.prototype.notes[0].voice == 1 else "upper")
            kinds[kind][max(establishment(r, e) for r in refs) < 0.5] += 1
            n = min(f.notes_per_occurrence, 12) // 3 * 3
            sizes[n][max(establishment(r, e) for r in refs) < 0.5] += 1
            occ_n = min(len(e), 24) // 4 * 4
            occs[occ_n][max(establishment(r, e) for r in refs) < 0.5] += 1
        junk = [e for e in est if max(establishment(r, e) for r in refs) < 0.5]
        kept = [e for e in est if not any(e is j for j in junk)]
        s = fast_scores(kept, refs) if junk else base
        gains["unlabelled"].append({k: s[k] - base[k] for k in keys})
        counts["unlabelled"] += len(junk)
        counts["our families"] += len(est)
    mean = {k: statistics.fmean(r[k] for r in base_rows) for k in keys}
    print("base " + " ".join(f"{k}={v:.3f}" for k, v in mean.items()), args.set)
    print("| bucket | reference patterns | occurrences | F_est gain | F_occ(.75) gain | F_3 gain | R_est gain | P_est gain |")
    print("|---|---|---|---|---|---|---|---|")
    for b in (*BUCKETS, "unlabelled"):
        g = {k: statistics.fmean(r[k] for r in gains[b]) for k in keys}
        label = f"{b} (our families, deleted)" if b == "unlabelled" else b
        print(f"| {label} | {counts[b]} | {occ_counts[b] if b != 'unlabelled' else '-'} | "
              + " | ".join(f"{g[k]:+.3f}" for k in keys) + " |")
    print(f"our families: {counts['our families']}; found/partial references matched by >= 2 of our families "
          f"at .5: {sum(x >= 2 for x in split_refs)} of {len(split_refs)}; our/ref occurrence length median "
          f"{statistics.median(len_ratio) if len_ratio else 0:.2f} (>1.2: {sum(r > 1.2 for r in len_ratio)}, "
          f"<0.8: {sum(r < 0.8 for r in len_ratio)})")
    for name, table in (("kind", kinds), ("notes (3s)", sizes), ("occurrences (4s)", occs)):
        print(f"our families by {name} [matching a reference at .5, unlabelled]:",
              {k: table[k] for k in sorted(table)})


if __name__ == "__main__":
    main()
