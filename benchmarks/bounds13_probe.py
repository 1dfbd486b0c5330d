"""Why are our establishing statements longer or shorter than the labelled motif? (phase13-bounds13.md)

    PYTHONPATH=$PWD python -m benchmarks.bounds13_probe --corpus bps --split tune [--set key=value ...] [--verbose]

For every labelled pattern that ``est_probe`` calls "ours longer" / "ours shorter" (and every family of
ours it calls "longer" / "shorter"), the scored pair (labelled occurrence, our statement of the best
family) is laid on the voice line holding our statement. Per side (start, end) that differs: how many
notes and beats off, and what the music does there, first reason that applies:

- ``cross-voice``: the labelled notes are not all in that line;
- ours longer (extra notes): ``rest`` (a rest of half a beat or more between the motif's edge note and
  the extra note), ``long note`` (the motif's edge note lasts at least twice its median inter-onset
  interval), ``next statement`` (an extra note belongs to another labelled occurrence of the pattern),
  ``longer repeat`` (at least half the labelled occurrences continue that way with the same interval
  class and rhythm: the labelled motif is a part of a longer repeat), else ``other``; and whether the
  extra notes come from growing (``grown``: outside the statement before growing) or from the core window;
- ours shorter (missing notes): ``own statement`` (the missing note is in another statement of the same
  family), ``other family`` (in another family's statement), ``varies`` (fewer than half the labelled
  occurrences share the step into the missing note: its interval or rhythm varies), else ``other``.
Also whether the edge crosses a bar line (the extra / missing notes in another bar than the motif's edge).
"""

from __future__ import annotations

import statistics
from collections import Counter

import numpy as np

from benchmarks.discovery_errors import clean
from benchmarks.discovery_sweep import pieces, probe_parser, probe_settings
from benchmarks.occ_errors import card_matrix
from motifcli.discovery import discover
from motifcli.discovery.candidates import interval_class_of
from motifcli.discovery.core import voice_and_cell_families
from motifcli.voices import split_voices


def _lines(piece, settings) -> list[dict]:
    out = []
    for v in split_voices(piece.score, min_chord_share=0.2, by_staff=settings.staff_voices):
        pts = [(round(float(o), 4), int(p)) for o, p in zip(v.onsets, v.pitches)]
        out.append({"v": v, "pts": pts, "pos": {p: i for i, p in enumerate(pts)}})
    return out


def _line_of(occ: list, lines: list[dict]) -> dict | None:
    best = max(lines, key=lambda ln: sum(p in ln["pos"] for p in occ), default=None)
    return best if best and any(p in best["pos"] for p in occ) else None


def _step_key(v, i: int, j: int) -> tuple:
    """(interval class, rhythm ratio) of the step from position i to j of voice v."""
    ioi = float(v.onsets[j] - v.onsets[i])
    return interval_class_of(int(v.pitches[j] - v.pitches[i])), round(ioi * 12)


def _continues(ref: list, ln: dict, side: int) -> float:
    """Share of the labelled occurrences (in this line) that continue beyond ``side`` the modal way."""
    v, keys = ln["v"], []
    for o in ref:
        ps = [ln["pos"][p] for p in o if p in ln["pos"]]
        if len(ps) < len(o):
            continue
        a = max(ps) if side > 0 else min(ps)
        b = a + side
        if 0 <= b < len(v):
            keys.append(_step_key(v, a, b) if side > 0 else _step_key(v, b, a))
        else:
            keys.append(None)
    keys = [k for k in keys if k is not None]
    return Counter(keys).most_common(1)[0][1] / len(ref) if keys else 0.0


def _bar(piece, onset: float) -> int:
    starts = piece.score.meter_map.starts
    return int(np.searchsorted(starts, onset + 1e-6, side="right"))


def classify(piece, ref: list, oi: int, ours: list, family: int, est: list, core_sets: list[set], ln: dict) -> list[tuple]:
    """(side, kind, notes off, beats off, reason, crosses bar, grown) per differing side."""
    v, pos = ln["v"], ln["pos"]
    r = ref[oi]
    if not all(p in pos for p in r):
        return [("any", "?", 0, 0.0, "cross-voice", False, False)]
    rp = sorted(pos[p] for p in r)
    op = sorted(pos[p] for p in ours if p in pos)
    out = []
    core = max((c for c in core_sets if c <= set(ours)), key=len, default=set())
    iois = np.diff(v.onsets[rp]) if len(rp) > 1 else np.array([1.0])
    med = float(np.median(iois)) if len(iois) else 1.0
    labelled = {p for k, o in enumerate(ref) if k != oi for p in o}
    for side in (-1, 1):
        redge, oedge = (rp[0], op[0]) if side < 0 else (rp[-1], op[-1])
        if redge == oedge:
            continue
        longer = (oedge < redge) if side < 0 else (oedge > redge)
        lo, hi = sorted((redge, oedge))
        span = (hi - lo)
        beats = float(abs(v.onsets[hi] - v.onsets[lo]))
        crosses = _bar(piece, float(v.onsets[redge])) != _bar(piece, float(v.onsets[oedge]))
        if longer:
            extra = list(range(oedge, redge)) if side < 0 else list(range(redge + 1, oedge + 1))
            near = redge + side  # the first extra note
            a, b = (near, redge) if side < 0 else (redge, near)
            gap = float(v.onsets[b] - v.offsets[a])
            grown = any(ln["pts"][k] not in core for k in extra)
            if gap >= 0.5:
                why = "rest"
            elif float(v.offsets[redge] - v.onsets[redge]) >= 2 * med and side > 0:
                why = "long note"
            elif side < 0 and float(v.offsets[near] - v.onsets[near]) >= 2 * med:
                why = "long note"
            elif any(ln["pts"][k] in labelled for k in extra):
                why = "next statement"
            elif _continues(ref, ln, side) >= 0.5:
                why = "longer repeat"
            else:
                why = "other"
        else:
            missing = list(range(redge, oedge)) if side < 0 else list(range(oedge + 1, redge + 1))
            grown = False
            own = {p for k, o in enumerate(est[family]) if set(o) != set(ours) for p in o}
            others = {p for f, e in enumerate(est) if f != family for o in e for p in o}
            if any(ln["pts"][k] in own for k in missing):
                why = "own statement"
            elif _continues(ref, ln, side) < 0.5 and False:
                why = "varies"
            else:
                # does our family's statements agree on the step into the missing note?
                fam_keys = []
                for o in est[family]:
                    ps = sorted(pos[p] for p in o if p in pos)
                    if not ps:
                        continue
                    a = ps[0] if side < 0 else ps[-1]
                    b = a + side
                    if 0 <= b < len(v):
                        fam_keys.append(_step_key(v, b, a) if side < 0 else _step_key(v, a, b))
                share = Counter(fam_keys).most_common(1)[0][1] / len(est[family]) if fam_keys else 0
                rhythm = Counter(k[1] for k in fam_keys).most_common(1)[0][1] / len(est[family]) if fam_keys else 0
                if share >= 0.33:
                    why = "agrees, not grown"
                elif rhythm >= 0.5:
                    why = "rhythm agrees, interval varies"
                elif any(ln["pts"][k] in others for k in missing):
                    why = "other family"
                else:
                    why = "varies"
        out.append(("start" if side < 0 else "end", "longer" if longer else "shorter", span, round(beats, 2), why, crosses, grown))
    return out


def main() -> None:
    ap = probe_parser(__doc__)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    settings = probe_settings(args)
    counts: Counter = Counter()
    fam_counts: Counter = Counter()
    for piece in pieces(args.corpus, args.split):
        found = discover(piece.score, settings=settings)
        est = clean([[o.points() for o in f.occurrences] for f in found])
        refs = clean(piece.patterns)
        voices = split_voices(piece.score, min_chord_share=0.2, by_staff=settings.staff_voices)
        pairs, _ = voice_and_cell_families(voices, settings, None, piece.score.meter_map)
        core_sets = [{(round(n.onset, 4), n.pitch) for n in o.notes} for c, _ in pairs for o in c.occurrences]
        lines = _lines(piece, settings)
        M = [[card_matrix(r, e) for e in est] for r in refs]
        S = np.array([[m.max() for m in row] for row in M]).reshape(len(refs), len(est))
        for i, ref in enumerate(refs):
            j = int(S[i].argmax())
            best = float(S[i, j])
            if best >= 1 - 1e-9 or best < 0.3 or found[j].notes_per_occurrence <= 3:
                continue
            oi, ej = np.unravel_index(int(M[i][j].argmax()), M[i][j].shape)
            ours = est[j][ej]
            ln = _line_of(ours, lines)
            res = classify(piece, ref, int(oi), ours, j, est, core_sets, ln)
            name = piece.pattern_names[i] if i < len(piece.pattern_names) else str(i)
            for side, kind, span, beats, why, crosses, grown in res:
                counts[(side, kind, why)] += 1
                if args.verbose:
                    print(f"ref {piece.name} {name} by {found[j].label} best={best:.2f} ref={len(ref[oi])} ours={len(ours)}: "
                          f"{side} {kind} {span} notes {beats} beats, {why}{', bar line' if crosses else ''}{', grown' if grown else ''}")
        for j, e in enumerate(est):
            best = float(S[:, j].max())
            if best >= 1 - 1e-9 or best < 0.3 or found[j].notes_per_occurrence <= 3:
                continue
            i = int(S[:, j].argmax())
            oi, ej = np.unravel_index(int(M[i][j].argmax()), M[i][j].shape)
            ln = _line_of(e[ej], lines)
            for side, kind, span, beats, why, crosses, grown in classify(piece, refs[i], int(oi), e[ej], j, est, core_sets, ln):
                fam_counts[(side, kind, why)] += 1
                if args.verbose:
                    name = piece.pattern_names[i] if i < len(piece.pattern_names) else str(i)
                    print(f"  fam {piece.name} {found[j].label} (ref {name}) best={best:.2f}: {side} {kind} {span} notes "
                          f"{beats} beats, {why}{', bar line' if crosses else ''}{', grown' if grown else ''}")
    for title, c in (("labelled patterns (establishing pair)", counts), ("our families (their best pair)", fam_counts)):
        print(f"| {title}: side | kind | reason | n |\n|---|---|---|---|")
        for (side, kind, why), n in sorted(c.items(), key=lambda kv: (kv[0][0], kv[0][1], -kv[1])):
            print(f"| {side} | {kind} | {why} | {n} |")


if __name__ == "__main__":
    main()
