"""Which transformations the missing in-line statements of BPS tune are (benchmarks/phase7-vary7.md).

    PYTHONPATH=$PWD python -m benchmarks.vary_probes   (BPS tune, defaults)

For every missing reference occurrence that is a contiguous stretch of one voice and within
``max_gaps`` notes of its family's grown length (the same selection as ``occ_probes missing``), the
alignment distance to the family's exact statements under several views of the notes: raw
(semitones + log2 IOI, as discovery aligns), contour classes, diatonic interval classes, inverted,
rhythm normalised by the window's median IOI (augmentation), rhythm only, pitch only. The same
views of every other free window of that length in the family's voices give the background rate
(how many windows a threshold would let in per missing statement it recovers).
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from benchmarks.discovery_errors import clean
from benchmarks.discovery_sweep import pieces
from benchmarks.occ_errors import card_matrix
from benchmarks.occ_probes import _best, piece_lines
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.align import align
from motifcli.discovery.variants import view

SHOW = False  # print every 12th missing statement beside its family's first exemplar ("show")
VIEWS = ("raw", "contour", "diatonic", "inverted", "diatonic_inv", "augment", "diatonic_aug", "rhythm", "pitch",
         "contour_pitch", "diatonic_pitch")


def _view(name: str, lines, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    kind = {"raw": "raw", "contour": "contour", "diatonic": "diatonic", "inverted": "raw", "diatonic_inv": "diatonic",
            "augment": "raw", "diatonic_aug": "diatonic", "rhythm": "none", "pitch": "raw",
            "contour_pitch": "contour", "diatonic_pitch": "diatonic"}[name]
    p, o = view(lines, idx, kind, normalise_rhythm=name in ("augment", "diatonic_aug"))
    if name in ("inverted", "diatonic_inv"):
        p = -p
    if name in ("pitch", "contour_pitch", "diatonic_pitch"):
        o = np.broadcast_to(np.arange(idx.shape[1], dtype=float), idx.shape).copy()
    return p, o


def main(exemplars: str = "exact") -> None:
    """``exemplars``: "exact" (the family's exact statements, first 8) or "all" (every statement, varied ones too)."""
    settings = DiscoverySettings()
    miss: dict[str, list[float]] = {v: [] for v in VIEWS}
    back: dict[str, list[float]] = {v: [] for v in VIEWS}
    kinds: Counter = Counter()
    phase_m: dict[str, list[bool]] = {"beat": [], "2 beats": [], "bar": []}
    phase_b: dict[str, list[bool]] = {"beat": [], "2 beats": [], "bar": []}

    def phases(onsets: np.ndarray, ex_on: np.ndarray, bar: float, out: dict) -> None:
        for key, per in (("beat", 1.0), ("2 beats", 2.0), ("bar", bar)):
            ph = np.round(np.mod(onsets, per), 3)[:, None]
            out[key] += np.isclose(ph, np.round(np.mod(ex_on, per), 3)[None, :]).any(axis=1).tolist()
    for p in pieces("bps", "tune"):
        lines, found, refs, est, positions = piece_lines(p)

        seen: set[int] = set()
        ts = p.score.time_signatures[0] if p.score.time_signatures else None
        bar = ts.numerator * 4 / ts.denominator if ts else 4.0
        for i, r in enumerate(refs):
            j = _best(refs, est, i)
            if j is None:
                continue
            m = card_matrix(r, est[j])
            exs = [positions(o.points()) for o in found[j].occurrences if o.similarity == 1 or exemplars == "all"]
            exs = [np.arange(ps[0], ps[-1] + 1) for ps in exs if ps and ps[-1] - ps[0] + 1 == len(ps)]
            if len(exs) < 2:
                continue
            n = Counter(len(x) for x in exs).most_common(1)[0][0]
            E = np.stack([x for x in exs if len(x) == n][: 8 if exemplars == "exact" else 64])
            if len(E) < 2:
                continue
            for k, ro in enumerate(r):
                if m[k].max() >= 0.5 or not positions(ro):
                    continue
                ps = positions(ro)
                w = np.arange(ps[0], ps[-1] + 1)
                if len(w) > 1.34 * len(ro) or not (lines.voice_id[w] == lines.voice_id[w[0]]).all():
                    kinds["not one stretch"] += 1
                    continue
                if abs(len(w) - n) > settings.max_gaps:
                    kinds[f"length differs by > {settings.max_gaps}"] += 1
                    continue
                kinds["aligned"] += 1
                kinds[f"aligned, family of {'<= 3' if n <= 3 else '4-7' if n < 8 else '>= 8'} notes"] += 1
                if SHOW and kinds["aligned"] % 12 == 1:
                    iv = lambda x: np.diff(lines.pitches[x]).tolist()  # noqa: E731
                    io = lambda x: np.round(np.diff(lines.onsets[x]), 2).tolist()  # noqa: E731
                    print(f"{p.name} ref {i}: family {iv(E[0])} {io(E[0])}\n   missing {iv(w)} {io(w)} at beat {lines.onsets[w[0]]}")
                phases(lines.onsets[w[:1]], lines.onsets[E[:, 0]], bar, phase_m)
                for name in VIEWS:
                    cp, co = _view(name, lines, w[None])
                    ep, eo = _view(name, lines, E)
                    if name in ("inverted", "diatonic_inv"):
                        ep = -ep  # only the candidate is inverted
                    miss[name].append(float(align(cp, co, ep, eo, lines.grid / 2, 0.5).distance[0]))
            if j in seen:
                continue
            seen.add(j)  # background: every window of length n in the family's voices, not in the family
            taken = np.zeros(len(lines), dtype=bool)
            for o in found[j].occurrences:
                taken[positions(o.points())] = True
            vids = set(lines.voice_id[E[:, 0]].tolist())
            starts = np.array([s for s in range(len(lines) - n + 1)
                               if lines.voice_id[s] in vids and lines.voice_id[s + n - 1] == lines.voice_id[s]
                               and not taken[s:s + n].any()])
            if len(starts) == 0:
                continue
            idx = starts[:, None] + np.arange(n)[None, :]
            phases(lines.onsets[starts], lines.onsets[E[:, 0]], bar, phase_b)
            for name in VIEWS:
                cp, co = _view(name, lines, idx)
                ep, eo = _view(name, lines, E)
                if name in ("inverted", "diatonic_inv"):
                    ep = -ep
                back[name] += align(cp, co, ep, eo, lines.grid / 2, 0.5).distance.tolist()
    print(dict(kinds))
    print("view: missing distance quartiles | share of missing within t | background windows within t per missing one")
    for name in VIEWS:
        d, b = np.array(miss[name]), np.array(back[name])
        cells = []
        for t in (0.25, 0.5, 0.75, 1.0, 1.5):
            cells.append(f"t={t}: {(d <= t).mean():.2f}/{(b <= t).sum() / max((d <= t).sum(), 1):.1f}")
        print(f"{name:13s}", np.round(np.quantile(d, [0.25, 0.5, 0.75]), 2), " ".join(cells))
    print("start at an exemplar's metric phase, and contour view <= t: share of missing / background per missing one")
    for key in phase_m:
        pm, pb = np.array(phase_m[key]), np.array(phase_b[key])
        dm, db = np.array(miss["contour"]), np.array(back["contour"])
        cells = [f"t={t}: {((dm <= t) & pm).mean():.2f}/{((db <= t) & pb).sum() / max(((dm <= t) & pm).sum(), 1):.1f}"
                 for t in (0.5, 0.75, 1.0, 1.5, 2.0)]
        print(f"{key:8s} phase match {pm.mean():.2f} (background {pb.mean():.2f})", " ".join(cells))
    print("joint: rhythm <= r and pitch view <= c: share of missing / background per missing one")
    for pv in ("contour_pitch", "diatonic_pitch", "pitch"):
        dr, dp = np.array(miss["rhythm"]), np.array(miss[pv])
        br, bp = np.array(back["rhythm"]), np.array(back[pv])
        for r in (0.1, 0.25, 0.5):
            cells = []
            for c in (0.5, 1.0, 1.5, 2.0):
                hit, bg = ((dr <= r) & (dp <= c)).sum(), ((br <= r) & (bp <= c)).sum()
                cells.append(f"c={c}: {hit / len(dr):.2f}/{bg / max(hit, 1):.1f}")
            print(f"{pv:14s} r={r}", " ".join(cells))


def added(spec: str = "vary_tolerance=1.5") -> None:
    """Statements the stage adds to families that establish a reference: labelled (card >= .5 against
    the family's best reference) or extra, by the family's exact count, length and the added distance."""
    from sklearn.metrics import roc_auc_score

    from benchmarks.discovery_sweep import parse_set

    settings = DiscoverySettings(**parse_set(spec.split()))
    rows = []
    for p in pieces("bps", "tune"):
        refs = clean(p.patterns)
        for f in discover(p.score, settings=settings):
            e = clean([[o.points() for o in f.occurrences]])[0]
            ms = [card_matrix(r, e) for r in refs]
            rel = [m for m in ms if m.max() >= 0.75]
            if not rel:
                continue
            m = max(rel, key=lambda m: m.max(axis=0).mean())
            n_exact = sum(o.similarity == 1 for o in f.occurrences)
            old = [o for o in f.occurrences if 1 / o.similarity - 1 <= settings.variant_tolerance + 1e-9]
            ex_ph = {round(o.start % 2, 3) for o in old if o.similarity == 1}
            voices = {(o.track, o.notes[0].voice) for o in old}
            for k, o in enumerate(f.occurrences):
                d = 1 / o.similarity - 1
                if d > settings.variant_tolerance + 1e-9:
                    gap = min(min(abs(o.start - q.end), abs(q.start - o.end)) for q in old)
                    rows.append((m[:, k].max() >= 0.5, d - settings.variant_tolerance, n_exact, len(f.prototype.notes),
                                 len(f.occurrences), gap, round(o.start % 2, 3) in ex_ph,
                                 (o.track, o.notes[0].voice) in voices))
    a = np.array(rows, dtype=float)
    y = a[:, 0].astype(bool)
    print(f"{len(y)} added statements in establishing families, {y.mean():.3f} labelled")
    for j, name in ((1, "distance"), (2, "exact statements"), (3, "notes"), (4, "statements"), (5, "gap to a statement"),
                    (6, "NOT phase"), (7, "NOT same voice")):
        print(f"AUC of -{name}: {roc_auc_score(y, (1 if name.startswith('NOT') else -1) * a[:, j]):.3f}")
    for lo, hi in ((0, 4), (4, 8), (8, 16), (16, 32), (32, 1000)):
        sel = (a[:, 2] >= lo) & (a[:, 2] < hi)
        print(f"exact {lo}-{hi}: {sel.sum()} added, {y[sel].mean() if sel.any() else 0:.3f} labelled")
    for lo, hi in ((0, 0.01), (0.01, 1), (1, 4), (4, 16), (16, 1e9)):
        sel = (a[:, 5] >= lo) & (a[:, 5] < hi)
        print(f"gap {lo}-{hi} beats: {sel.sum()} added, {y[sel].mean() if sel.any() else 0:.3f} labelled")
    for lo, hi in ((0, 0.25), (0.25, 0.5), (0.5, 0.75), (0.75, 1.0), (1.0, 1.5)):
        sel = (a[:, 1] >= lo) & (a[:, 1] < hi)
        print(f"distance {lo}-{hi}: {sel.sum()} added, {y[sel].mean() if sel.any() else 0:.3f} labelled")


def speed(*specs: str) -> None:
    """Median of 3 ``discover`` calls per BPS tune piece for the defaults and each spec (seconds)."""
    import time

    from benchmarks.discovery_sweep import parse_set

    ps = pieces("bps", "tune")
    for spec in ("", *specs):
        settings = DiscoverySettings(**parse_set(spec.split()))
        times = []
        for p in ps:
            runs = []
            for _ in range(3):
                t = time.perf_counter()
                discover(p.score, settings=settings)
                runs.append(time.perf_counter() - t)
            times.append(sorted(runs)[1])
        print(repr(spec), "per piece", " ".join(f"{t:.2f}" for t in times), f"max {max(times):.2f} s", flush=True)


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["speed"]:
        speed(*sys.argv[2:])
        sys.exit()

    if sys.argv[1:2] == ["show"]:
        SHOW = True
        main()
        sys.exit()
    added(*sys.argv[2:]) if sys.argv[1:2] == ["added"] else main(*sys.argv[1:2])
