"""Why the variant search misses labelled statements that lie in one voice ("missing in line").

    PYTHONPATH=$PWD python -m benchmarks.inline_probe --corpus bps --split tune [--set key=value ...] [--model] [--list]

``benchmarks.occ_errors`` calls a reference occurrence "missing in line" when the family that recalls
its reference best holds none of its notes although it is a contiguous stretch of one voice. For each
such occurrence this probe takes the stretch in discovery's own lines (``build_lines`` of the voices
``discover`` splits) and asks the variant search (``families.add_variants``: windows of n +- max_gaps
notes aligned to the family's first exact statements by ``align.align``) why it did not take a window
inside it. One reason each, the first that applies:

- ``texture/cell family``: the recalling family is not a voice family (no variant search);
- ``off our lines``: some of its notes are in none of our voices (a chord's inner note);
- ``split across voices``: its notes are in two or more of our voices;
- ``fewer notes``: the stretch has fewer than n - max_gaps notes (n: the family's core length);
- ``aligns, ...``: a window inside it aligns within ``variant_tolerance`` yet was not taken:
  ``key invalid`` (longer than max_beats), ``overlap`` (shares notes with a closer statement of the
  family), ``bar position`` (crowded family, refused by the bar-position rule), ``other``;
- beyond the tolerance: ``inversion``, ``retrograde``, ``augmentation`` (IOIs x2 or /2), ``diatonic``
  (the same interval classes: a diatonic, not chromatic, transposition) when that transform of the
  best window aligns within the tolerance; else ``interval distance`` (its rhythm alone aligns:
  the intervals are too far), ``rhythm distance`` (its intervals alone align) or both.

Also counted, apart: whether the stretch is in the voice of the family's exact statements, whether
another family holds notes of it, the best distance (buckets), and, for those whose intervals are
too far, what a same-rhythm rule would see (an n-note window with an exemplar's exact rhythm, its
interval change and contour, the family's bar place). Losses are the occurrences' shares of
1 - R_occ (mean over pieces), as occ_errors reports them. Session 12's write-up:
benchmarks/phase12-inline12.md.
"""

from __future__ import annotations

import copy
from collections import Counter, defaultdict

import numpy as np

import motifcli.discovery.core as core
from benchmarks.discovery_errors import clean, voice_lines
from benchmarks.discovery_sweep import pieces, probe_model, probe_parser, probe_settings
from benchmarks.occ_errors import piece_losses
from motifcli.discovery import discover
from motifcli.discovery.align import align
from motifcli.discovery.barpos import bar_positions, modal_position, position_tolerance
from motifcli.discovery.candidates import Lines, interval_class
from motifcli.discovery.families import Chosen, _metric_filter, add_variants
from motifcli.discovery.types import DiscoverySettings


class Capture:
    """Wraps ``core.add_variants``: keeps each family's exact starts (before) and statements (after)."""

    def __init__(self) -> None:
        self.exact: list[np.ndarray] = []
        self.after: list[Chosen] = []
        self.lines: Lines | None = None
        self.keys: dict = {}
        self.meter = None

    def __call__(self, chosen, lines, keys, settings, model=None, meter=None) -> None:
        self.exact = [c.starts.copy() for c in chosen]
        add_variants(chosen, lines, keys, settings, model, meter)
        self.after = [copy.deepcopy(c) for c in chosen]
        self.lines, self.keys, self.meter = lines, keys, meter


def positions_of(lines: Lines) -> dict[tuple[float, int], list[int]]:
    out: dict[tuple[float, int], list[int]] = defaultdict(list)
    for k, (o, p) in enumerate(zip(lines.onsets.tolist(), lines.pitches.tolist())):
        out[(round(float(o), 4), int(p))].append(k)
    return out


def best_window(lines: Lines, a: int, b: int, ex: np.ndarray, n: int, s: DiscoverySettings,
                transform=None) -> tuple[float, int, int]:
    """Smallest alignment distance of a window inside positions a..b to the exemplars (start, length)."""
    ex_p, ex_o = lines.pitches[ex[:, None] + np.arange(n)], lines.onsets[ex[:, None] + np.arange(n)]
    best = (np.inf, -1, 0)
    for m in range(max(s.min_notes, n - s.max_gaps), min(n + s.max_gaps, s.max_notes) + 1):
        starts = np.arange(a, b - m + 2)
        if len(starts) == 0:
            continue
        idx = starts[:, None] + np.arange(m)
        p, o = lines.pitches[idx].astype(np.float64), lines.onsets[idx]
        ep, eo = ex_p.astype(np.float64), ex_o
        if transform is not None:
            p, o, ep, eo = transform(p, o, ep, eo)
        d = align(p, o, ep, eo, lines.grid / 2, s.gap_cost, s.transpose).distance
        i = int(np.argmin(d))
        if d[i] < best[0]:
            best = (float(d[i]), int(starts[i]), m)
    return best


def _inversion(p, o, ep, eo):
    return -p, o, ep, eo


def _retrograde(p, o, ep, eo):
    return p[:, ::-1], -o[:, ::-1], ep, eo


def _classes(p, o, ep, eo):
    def c(x):
        steps = interval_class(np.diff(x, axis=1).astype(np.int64)).astype(np.float64)
        return np.concatenate([np.zeros((len(x), 1)), np.cumsum(steps, axis=1)], axis=1)
    return c(p), o, c(ep), eo


def _flat_rhythm(p, o, ep, eo):
    return p, np.arange(p.shape[1], dtype=float)[None].repeat(len(p), 0), ep, np.arange(ep.shape[1], dtype=float)[None].repeat(len(ep), 0)


def _flat_pitch(p, o, ep, eo):
    return np.zeros_like(p), o, np.zeros_like(ep), eo


def _scaled(f):
    def t(p, o, ep, eo):
        return p, o[:, :1] + (o - o[:, :1]) * f, ep, eo
    return t


def same_rhythm_distance(wp: np.ndarray, wo: np.ndarray, ex_p: np.ndarray, ex_o: np.ndarray, grid: float) -> np.ndarray:
    """Per window [W, n], the smallest mean |interval change| to an exemplar [X, n] of identical rhythm
    (IOIs equal on the ``grid``; inf where none). The rule ``rhythm_variants`` measured it (commit 56813d5)."""
    iv, rq = np.diff(wp, axis=1).astype(np.float64), np.round(np.diff(wo, axis=1) / grid).astype(np.int64)
    ex_iv, ex_rq = np.diff(ex_p, axis=1).astype(np.float64), np.round(np.diff(ex_o, axis=1) / grid).astype(np.int64)
    best = np.full(len(wp), np.inf)
    for a, r in zip(ex_iv, ex_rq):
        same = (rq == r[None, :]).all(axis=1)
        np.minimum(best, np.where(same, np.abs(iv - a[None, :]).mean(axis=1), np.inf), out=best)
    return best


def same_rhythm_view(lines: Lines, a: int, b: int, ex: np.ndarray, n: int, cap: Capture, s: DiscoverySettings) -> dict:
    """What the same-rhythm rule (rhythmvar.py) sees of the stretch: the smallest mean |interval change|
    of an n-note window inside it with an exemplar's rhythm (any contour), that window's share of
    same-direction intervals, whether the IOI after its last note matches too, and whether the
    family's exact statements agree on a bar place and the window starts there."""
    starts = np.arange(a, b - n + 2)
    if len(starts) == 0:
        return {}
    idx = starts[:, None] + np.arange(n)
    span = ex[:, None] + np.arange(n)
    d = same_rhythm_distance(lines.pitches[idx], lines.onsets[idx], lines.pitches[span], lines.onsets[span], lines.grid)
    i = int(np.argmin(d))
    if not np.isfinite(d[i]):
        return {"same rhythm": False}
    k = int(starts[i])
    iv = np.diff(lines.pitches[k : k + n])
    cont = max(float(np.mean(np.sign(iv) == np.sign(np.diff(lines.pitches[e : e + n])))) for e in ex.tolist())
    tail = bool(np.any(np.round(lines.ioi[ex + n - 1] / lines.grid) == round(lines.ioi[k + n - 1] / lines.grid)))
    out = {"same rhythm": True, "rhythm d": float(d[i]), "contour": cont, "tail": tail}
    if cap.meter is not None:
        bp = bar_positions(lines.onsets, cap.meter, s.bar_position, position_tolerance(lines.grid))
        where, share = modal_position(bp[ex], position_tolerance(lines.grid))
        out["agree"] = share >= s.bar_position_agree
        out["at place"] = bool(abs(bp[k] - where) <= position_tolerance(lines.grid))
    return out


def rhythm_kind(info: dict) -> str:
    """One line of :func:`same_rhythm_view` for the summary table."""
    if "same rhythm" not in info:
        return "stretch shorter than the family's n notes"
    if not info["same rhythm"]:
        return "no n-note window with an exemplar's rhythm"
    parts = ["interval change <= 3" if info["rhythm d"] <= 3 else "interval change > 3",
             "contour >= .75" if info["contour"] >= 0.75 else "contour < .75"]
    if "agree" in info:
        parts.append("at the agreed bar place" if info["agree"] and info["at place"] else "not at an agreed place")
    return "same rhythm, " + ", ".join(parts)


def reason(occ: list, fam_j: int, found, cap: Capture, s: DiscoverySettings, where: dict) -> tuple[str, dict]:
    lines = cap.lines
    notes = {(n.track, n.index) for o in found[fam_j].occurrences for n in o.notes}
    ci = None
    best_share = 0.0
    for c, ch in enumerate(cap.after):
        pos = np.concatenate(ch.notes)
        mine = {(lines.voices[int(lines.voice_id[k])].track, int(lines.voices[int(lines.voice_id[k])].note_indices[k - int(np.searchsorted(lines.voice_id, lines.voice_id[k]))])) for k in pos.tolist()}
        share = len(mine & notes) / max(len(mine), 1)
        if share > best_share:
            ci, best_share = c, share
    info: dict = {}
    pos_lists = [where.get(p, []) for p in occ]
    if ci is None or best_share < 0.5:
        return "texture/cell family", info
    ch, exact = cap.after[ci], cap.exact[ci]
    if any(not ps for ps in pos_lists):
        return "off our lines", info
    voices = Counter(int(lines.voice_id[ps[0]]) for ps in pos_lists)
    vid = voices.most_common(1)[0][0]
    pos = sorted(next((q for q in ps if int(lines.voice_id[q]) == vid), ps[0]) for ps in pos_lists)
    info["same voice"] = vid in {int(lines.voice_id[k]) for k in exact.tolist()}
    if len(voices) > 1:
        return "split across voices", info
    a, b = pos[0], pos[-1]
    n = ch.n
    if b - a + 1 < max(s.min_notes, n - s.max_gaps):
        return "fewer notes", info
    ex = exact[: s.exemplars]
    d, k, m = best_window(lines, a, b, ex, n, s)
    info["distance"] = d
    if d <= s.variant_tolerance:
        if cap.keys.get(m) is None or cap.keys[m][k] == -1:
            return "aligns, key invalid", info
        taken = np.zeros(len(lines), dtype=bool)
        for p in ch.notes:
            taken[p] = True
        if taken[k : k + m].any():
            return "aligns, overlap", info
        if cap.meter is not None and len(ch.starts) >= s.bar_position_crowd:
            bp = bar_positions(lines.onsets, cap.meter, s.bar_position, position_tolerance(lines.grid))
            if not _metric_filter(bp, exact, np.array([k]), lines.grid, s)[0]:
                return "aligns, bar position", info
        return "aligns, other", info
    for name, t in (("inversion", _inversion), ("retrograde", _retrograde), ("augmentation", _scaled(0.5)),
                    ("augmentation", _scaled(2.0)), ("diatonic", _classes)):
        if best_window(lines, a, b, ex, n, s, t)[0] <= s.variant_tolerance:
            return name, info
    info["intervals alone"] = best_window(lines, a, b, ex, n, s, _flat_rhythm)[0]
    info["rhythm alone"] = best_window(lines, a, b, ex, n, s, _flat_pitch)[0]
    info.update(same_rhythm_view(lines, a, b, ex, n, cap, s))
    if info["intervals alone"] <= s.variant_tolerance:
        return "rhythm distance", info
    if info["rhythm alone"] <= s.variant_tolerance:
        return "interval distance", info
    return "interval+rhythm distance", info


def main() -> None:
    ap = probe_parser(__doc__, per_piece=False, model=True)
    ap.add_argument("--list", action="store_true", help="one line per missed occurrence")
    args = ap.parse_args()
    s = probe_settings(args)
    model = probe_model(args)
    cap = Capture()
    core.add_variants = cap
    ps = pieces(args.corpus, args.split)
    count: Counter = Counter()
    loss: Counter = Counter()
    side: Counter = Counter()
    dist: Counter = Counter()
    view: Counter = Counter()
    for piece in ps:
        found = discover(piece.score, model, settings=s)
        est = clean([[o.points() for o in f.occurrences] for f in found])
        refs = clean(piece.patterns)
        recs: list = []
        piece_losses(est, refs, voice_lines(piece), recs)
        where = positions_of(cap.lines)
        held = {(round(n.onset, 4), n.pitch) for f in found for o in f.occurrences for n in o.notes}
        for what, i, j, r, l in recs:
            if what != "missing in line":
                continue
            occ = refs[i][r]
            why, info = reason(occ, j, found, cap, s, where)
            count[why] += 1
            loss[why] += l / len(ps)
            if "same voice" in info:
                side["in the family's voice" if info["same voice"] else "in another voice"] += 1
            side["notes held by another family" if any(p in held for p in occ) else "no family holds a note"] += 1
            if "distance" in info:
                d = info["distance"]
                dist["<=1" if d <= 1 else "1-1.5" if d <= 1.5 else "1.5-2" if d <= 2 else ">2"] += 1
            if why in ("interval distance", "diatonic", "interval+rhythm distance"):
                view[rhythm_kind(info)] += 1
            if args.list:
                print(piece.name, i, j, r, len(occ), why, {k: round(v, 2) if isinstance(v, float) else v for k, v in info.items()})
    print(f"missing in line: {sum(count.values())} occurrences, loss {sum(loss.values()):.3f}", args.set)
    print("| reason | occurrences | loss (mean over pieces) |\n|---|---|---|")
    for k, v in count.most_common():
        print(f"| {k} | {v} | {loss[k]:.3f} |")
    print("| also | occurrences |\n|---|---|")
    for k, v in sorted(side.items()):
        print(f"| {k} | {v} |")
    for k in ("<=1", "1-1.5", "1.5-2", ">2"):
        print(f"| best distance {k} | {dist[k]} |")
    print("| intervals too far: what a same-rhythm rule sees | occurrences |\n|---|---|")
    for k, v in view.most_common():
        print(f"| {k} | {v} |")


if __name__ == "__main__":
    main()
