"""Phase 13 (popocc13) probes: why POP909's note level is below the bar level on occurrence F (val + train only).

    PYTHONPATH=$PWD python -m benchmarks.popocc13_probes symbols val 024 068     # per reference: our bar symbols per occurrence;
                                                                                 # small bar clusters and their nearest larger medoid
    PYTHONPATH=$PWD python -m benchmarks.popocc13_probes dropone                 # leave one family out: F_occ / F_est by family kind
    PYTHONPATH=$PWD python -m benchmarks.popocc13_probes units                   # labelled occurrences across one of our bar lines
    PYTHONPATH=$PWD python -m benchmarks.popocc13_probes ownbars                 # card of 1- and 2-bar labels vs our own piano bars
    PYTHONPATH=$PWD python -m benchmarks.popocc13_probes shipped-early 0 0.0625  # the bar level's spans -> notes with an early allowance
    PYTHONPATH=$PWD python -m benchmarks.popocc13_probes exact-cut               # texture bars cut at our bar lines by exact onset
    PYTHONPATH=$PWD python -m benchmarks.popocc13_probes halves VAL.txt TRAIN.txt # 25-vs-25 halves of discovery_fast_sweep --per-piece output

Never reads the test split. Scores are ``discovery_errors.fast_scores`` (mir_eval.pattern's formulas). See
benchmarks/phase13-popocc13.md.
"""

from __future__ import annotations

import collections
import statistics
import sys

import numpy as np

from benchmarks.discovery_errors import clean, fast_scores
from benchmarks.discovery_sweep import pieces

SPLITS = ("val", "train")


def _model():
    import motifcli

    return motifcli.load_model()


def _bar_of(starts: np.ndarray, onsets) -> np.ndarray:
    return np.searchsorted(starts, np.asarray(onsets, dtype=float) + 0.05, side="right") - 1


def symbols(split: str, names: list[str]) -> None:
    """Per song: each reference's occurrences as our texture bar symbols; small clusters (<= 3 bars) and the
    model distance of their bars to the nearest larger cluster's medoid, against the cut."""
    import motifcli.discovery.barclusters as bc
    from motifcli.discovery import DiscoverySettings, discover

    rec: dict = {}
    orig = bc.bar_symbols

    def spy(bars, used, rel_better, bass, bar_len, sim, dist, limit, settings):
        out = orig(bars, used, rel_better, bass, bar_len, sim, dist, limit, settings)
        rec["x"] = (used, dist, limit, out[0])
        return out

    bc.bar_symbols = spy
    model = _model()
    for p in pieces("pop909", split):
        if names and p.name not in names:
            continue
        rec.clear()
        fams = discover(p.score, model, DiscoverySettings())
        refs = clean(p.patterns)
        est = clean([[o.points() for o in f.occurrences] for f in fams])
        print(f"== {p.name} F_occ {fast_scores(est, refs)['F_occ.75']:.3f}")
        if "x" not in rec:
            continue
        used, dist, limit, sym = rec["x"]
        starts = np.asarray(p.score.meter_map.starts)
        name = lambda s: chr(65 + s % 26) if s >= 0 else "."  # noqa: E731
        for r, ref in enumerate(refs):
            occs = [(int(b.min()), int(b.max())) for b in (_bar_of(starts, [q[0] for q in o]) for o in ref)]
            print(f"  ref {r} n={len(ref)}: " + " ".join("".join(name(sym[k]) for k in range(a, b + 1)) for a, b in occs))
        pos = {int(b): i for i, b in enumerate(used)}
        sizes = collections.Counter(s for s in sym.tolist() if s >= 0)
        for s, n in sorted(sizes.items()):
            if n > 3:
                continue
            idx = [pos[int(b)] for b in np.flatnonzero(sym == s)]
            best = None
            for t, m in sizes.items():
                if m <= n:
                    continue
                tidx = [pos[int(b)] for b in np.flatnonzero(sym == t)]
                med = tidx[int(np.argmin(dist[np.ix_(tidx, tidx)].sum(1)))]
                d = max(dist[i, med] for i in idx)
                if best is None or d < best[1]:
                    best = (t, d, m)
            if best:
                print(f"  small {name(s)}({n}) nearest {name(best[0])}({best[2]}): medoid distance {best[1]:.3f}, calibrated cut {limit:.3f}")


def dropone() -> None:
    """Leave each reported family out in turn; sum the change of F_occ(.75) and F_est by the family's kind."""
    from motifcli.discovery import DiscoverySettings, discover

    model = _model()
    agg = collections.defaultdict(lambda: [0, 0.0, 0.0, 0])
    for split in SPLITS:
        for p in pieces("pop909", split):
            fams = discover(p.score, model, DiscoverySettings())
            refs = clean(p.patterns)
            est = clean([[o.points() for o in f.occurrences] for f in fams])
            base = fast_scores(est, refs)
            starts = np.asarray(p.score.meter_map.starts)
            for j, f in enumerate(fams):
                if f.is_texture:
                    sp = [int(np.ptp(_bar_of(starts, [n.onset for n in o.notes]))) + 1 for o in f.occurrences]
                    k = "texture phrase" if min(sp) >= 2 and all(s % min(sp) == 0 for s in sp) else "texture bar run"
                    k += " " + ("2" if len(sp) == 2 else "3-4" if len(sp) <= 4 else "5+") + " statements"
                else:
                    k = "voice"
                s = fast_scores(est[:j] + est[j + 1:], refs)
                a = agg[k]
                a[0] += 1
                a[1] += s["F_occ.75"] - base["F_occ.75"]
                a[2] += s["F_est"] - base["F_est"]
                a[3] += s["F_occ.75"] > base["F_occ.75"] + 1e-9
    print("| family kind | families | F_occ up when dropped | sum dF_occ | sum dF_est |\n|---|---|---|---|---|")
    for k, (n, do, de, up) in sorted(agg.items()):
        print(f"| {k} | {n} | {up} | {do:+.3f} | {de:+.3f} |")


def units() -> None:
    """Labelled occurrences spanning two of our bars: where they start in our bar and how long they are."""
    start = collections.Counter()
    span = []
    one = 0
    for split in SPLITS:
        for p in pieces("pop909", split):
            starts = np.asarray(p.score.meter_map.starts)
            for ref in clean(p.patterns):
                for o in ref:
                    on = np.sort([q[0] for q in o])
                    b = _bar_of(starts, on)
                    one += int(b.max() == b.min())
                    if b.max() - b.min() != 1:
                        continue
                    length = starts[b.min() + 1] - starts[b.min()]
                    at = (on[0] - starts[b.min()]) / length
                    start["on our bar line (within 0.02 bar)" if abs(at) <= 0.02 else
                          "0.02-0.2 bar after it" if at <= 0.2 else "0.8-1 bar after it (just before the next)"
                          if at >= 0.8 else "0.2-0.8 bar after it"] += 1
                    span.append((on[-1] - on[0]) / length)
    print(f"labelled occurrences within one of our bars: {one}; across one bar line: {len(span)}")
    for k, v in start.most_common():
        print(f"  starting {k}: {v}")
    q = np.quantile(span, [0.25, 0.5, 0.75])
    print(f"  first-to-last onset, in bars: quartiles {q[0]:.2f} / {q[1]:.2f} / {q[2]:.2f}; "
          f"<= 1 bar: {np.mean(np.asarray(span) <= 1.0):.2f}")


def ownbars() -> None:
    """Best cardinality of each 1- or 2-bar labelled occurrence against our own piano bars (no family needed)."""
    res = collections.defaultdict(list)
    for split in SPLITS:
        for p in pieces("pop909", split):
            piano = next(t for t in p.score.tracks if t.name == "PIANO")
            starts = np.asarray(p.score.meter_map.starts)
            bar = _bar_of(starts, [n.onset for n in piano.notes])
            bybar = collections.defaultdict(set)
            for b, n in zip(bar.tolist(), piano.notes):
                bybar[b].add((round(float(n.onset), 4), int(n.pitch)))
            for ref in clean(p.patterns):
                for o in ref:
                    so = {(round(float(a), 4), int(b)) for a, b in o}
                    ob = _bar_of(starts, [q[0] for q in so])
                    lo, n = int(ob.min()), int(ob.max() - ob.min()) + 1
                    if n > 2:
                        continue
                    best = max(len(so & u) / max(len(so), len(u)) for u in
                               (set().union(*[bybar[b] for b in range(a, a + n)]) for a in range(lo - 1, lo + 2)))
                    res[n].append(best)
    for n, v in sorted(res.items()):
        print(f"{n}-bar labels: {len(v)}; best card vs our own bars {np.mean(v):.3f}, >= .75: {np.mean(np.asarray(v) >= .75):.2f}")


def shipped_early(eps: list[float]) -> None:
    """The bar level (``annotate(unit="bar")``) with its spans turned into notes as baselines/shipped.py does, but a
    note up to ``eps`` beats before a span's start in it (and one that close before its end out); eps 0 = shipped.py."""
    import motifcli
    from benchmarks.baselines.shipped import shipped_model

    for split in SPLITS:
        res = {e: [] for e in eps}
        for p in pieces("pop909", split):
            ann = motifcli.annotate(p.score, shipped_model(), sensitivity=0.5, unit="bar")
            for e in eps:
                pats = []
                for motif in ann.motifs:
                    occs = []
                    for occ in motif.occurrences:
                        notes = p.score.tracks[occ.track].notes
                        pts = sorted({(n.onset, n.pitch) for n in notes
                                      if occ.start - e - 1e-9 <= n.onset < occ.end - e - 1e-9})
                        if pts:
                            occs.append(pts)
                    if occs:
                        pats.append(sorted(occs, key=lambda o: o[0]))
                res[e].append(fast_scores(clean(pats), clean(p.patterns)))
        for e in eps:
            print(split, f"eps={e}", " ".join(f"{k}={statistics.fmean(r[k] for r in res[e]):.3f}"
                                              for k in ("F_est", "F_occ.75", "F_3")))


def exact_cut() -> None:
    """Texture bars cut at our bar lines by exact onset (no 'a note a hair early belongs to the bar it anticipates'),
    as a label region cut at a time would: monkeypatches texture._grid_bars; scratch, not an option."""
    import motifcli.discovery.texture as tx
    from motifcli.discovery import DiscoverySettings, discover

    def exact(onsets, starts, grid, fine=tx.PHASE_STEPS):
        bar = np.clip(np.searchsorted(starts, onsets, side="right") - 1, 0, len(starts) - 1)
        return bar, np.maximum(np.round((onsets - starts[bar]) / grid).astype(np.int64), 0)

    model = _model()
    for label, patch in (("phase-grid bars (default)", None), ("exact-onset cut", exact)):
        if patch is not None:
            tx._grid_bars = patch
        for split in SPLITS:
            rows = [fast_scores(clean([[o.points() for o in f.occurrences] for f in discover(p.score, model, DiscoverySettings())]),
                                clean(p.patterns)) for p in pieces("pop909", split)]
            print(label, split, " ".join(f"{k}={statistics.fmean(r[k] for r in rows):.3f}" for k in ("F_est", "F_occ.75", "F_3")))


def halves(files: list[str]) -> None:
    """Means of every variant in ``discovery_fast_sweep --per-piece`` output over two halves of the songs (sorted
    names, alternately): does a variant's gain hold on both?"""
    import re

    rows: dict[str, dict[str, tuple[float, ...]]] = collections.defaultdict(dict)
    for f in files:
        for line in open(f):
            m = re.match(r"\s+(\S+) ([\d.]+)/([\d.]+)/([\d.]+) fams=\d+ '(.*)'", line)
            if m:
                rows[m.group(5)][m.group(1)] = tuple(float(x) for x in m.group(2, 3, 4))
    names = sorted(rows[next(iter(rows))])
    for half, sub in (("A", names[0::2]), ("B", names[1::2])):
        for variant, per in rows.items():
            m = [statistics.fmean(per[n][k] for n in sub) for k in range(3)]
            print(f"half {half} ({len(sub)}) {m[0]:.3f} / {m[1]:.3f} / {m[2]:.3f} {variant!r}")


def main() -> None:
    cmd, rest = sys.argv[1], sys.argv[2:]
    if cmd == "symbols":
        symbols(rest[0], rest[1:])
    elif cmd == "dropone":
        dropone()
    elif cmd == "units":
        units()
    elif cmd == "ownbars":
        ownbars()
    elif cmd == "shipped-early":
        shipped_early([float(x) for x in rest] or [0.0, 0.0625])
    elif cmd == "exact-cut":
        exact_cut()
    elif cmd == "halves":
        halves(rest)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
