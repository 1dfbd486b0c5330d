"""Where establishment F is lost on BPS-motif: per labelled pattern and per family of ours.

    PYTHONPATH=$PWD python -m benchmarks.est_probe --corpus bps --split tune [--set key=value ...] [--per-piece] [--verbose]

mir_eval's establishment pairs each labelled pattern with the family that best matches any of its
occurrences (cardinality score): R_est = mean over labelled patterns of that best score, P_est = mean
over our families of theirs. So 1 - R_est (1 - P_est) of a piece is a sum of per-pattern (per-family)
losses (1 - best) / n; this splits both sums by why the best score is not 1.

Labelled patterns (first that applies; the best pair of occurrences is the one scored):
- ``exact``: best 1;  ``untouched``: best < .3 (nothing of ours holds it), split into ``untouched
  off line`` when most of its occurrences are no contiguous stretch of one voice (chords, cross-voice)
  and ``untouched low`` when its best-holding voice line is a lower line or a lower staff's track;
- ``texture`` / ``cell``: the best family is a texture family / a 2-3-note cell family;
- ``split``: the best occurrence's notes are held at >= .75 only by two or more of our families
  together (one motif's halves in two families);
- ``ours longer`` / ``ours shorter`` / ``shifted``: the best family's matching statement has more /
  fewer / as many notes.
Our families: ``exact`` (best 1), ``unlabelled`` (best < .3), ``duplicate`` (half its notes are in a
more salient family's statements), ``texture``, ``cell``, else ``longer`` / ``shorter`` / ``shifted``
as above. Also their rank, statement length and count. Loss tables are means over pieces.
"""

from __future__ import annotations

import statistics
from collections import defaultdict

import numpy as np

from benchmarks.discovery_errors import clean, fast_scores, in_a_line, voice_lines
from benchmarks.discovery_sweep import pieces, probe_parser, probe_settings
from benchmarks.occ_errors import card_matrix
from motifcli.discovery import discover
from motifcli.voices import LOWER, split_voices


def family_kind(family) -> str:
    if family.is_texture:
        return "texture"
    return "cell" if family.notes_per_occurrence <= 3 else "voice"


def low_line(occ: list, piece) -> bool:
    """True when the voice line holding most of ``occ``'s notes is a lower line or a track below the top one."""
    pts, best, low = set(occ), 0, False
    voices = split_voices(piece.score)
    top = min(v.track for v in voices) if voices else 0
    for v in voices:
        held = len(pts & {(round(float(o), 4), int(p)) for o, p in zip(v.onsets, v.pitches)})
        if held > best:
            best, low = held, v.voice == LOWER or v.track != top
    return low


def split_held(occ: list, est: list, j: int) -> bool:
    """True when ``occ`` is held at >= .75 only by the statements of two or more families together."""
    pts = set(occ)
    held = {j: max(len(pts & set(e)) for e in est[j])}
    for k, fam in enumerate(est):
        if k != j:
            held[k] = max(len(pts & set(e)) for e in fam)
    if max(held.values()) >= 0.75 * len(pts):
        return False
    union = set()
    for k, fam in enumerate(est):
        for e in fam:
            if len(pts & set(e)) >= 2:
                union |= pts & set(e)
    return len(union) >= 0.75 * len(pts)


def length_kind(a: list, b: list) -> str:
    return "longer" if len(a) > len(b) else "shorter" if len(a) < len(b) else "shifted"


def main() -> None:
    ap = probe_parser(__doc__)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    settings = probe_settings(args)
    ref_loss: dict[str, list[float]] = defaultdict(list)
    fam_loss: dict[str, list[float]] = defaultdict(list)
    ref_n: dict[str, int] = defaultdict(int)
    fam_n: dict[str, int] = defaultdict(int)
    ps = pieces(args.corpus, args.split)
    rows = []
    fam_rows = []
    for piece in ps:
        found = discover(piece.score, settings=settings)
        est = clean([[o.points() for o in f.occurrences] for f in found])
        refs = clean(piece.patterns)
        rows.append(fast_scores(est, refs))
        lines = voice_lines(piece)
        M = [[card_matrix(r, e) for e in est] for r in refs]
        S = np.array([[m.max() for m in row] for row in M]).reshape(len(refs), len(est))
        rl: dict[str, float] = defaultdict(float)
        for i, ref in enumerate(refs):
            j = int(S[i].argmax()) if est else -1
            best = float(S[i, j]) if est else 0.0
            if best >= 1 - 1e-9:
                b = "exact"
            elif best < 0.3:
                off = sum(in_a_line(o, lines) for o in ref) < 0.5 * len(ref)
                b = "untouched off line" if off else "untouched low" if low_line(ref[0], piece) else "untouched"
            elif family_kind(found[j]) != "voice":
                b = family_kind(found[j])
            else:
                oi, ej = np.unravel_index(int(M[i][j].argmax()), M[i][j].shape)
                b = "split" if split_held(ref[oi], est, j) else "ours " + length_kind(est[j][ej], ref[oi])
            rl[b] += (1 - best) / len(refs)
            ref_n[b] += 1
            if args.verbose:
                name = piece.pattern_names[i] if i < len(piece.pattern_names) else str(i)
                print(f"  ref {piece.name} {name}: {b} best={best:.2f} by={found[j].label if est else '-'} "
                      f"occs={len(ref)} notes={statistics.median(map(len, ref)):.0f}")
        held: list[set] = []
        fl: dict[str, float] = defaultdict(float)
        for j, (f, e) in enumerate(zip(found, est)):
            notes = {p for o in e for p in o}
            best = float(S[:, j].max()) if refs else 0.0
            dup = any(len(notes & h) >= 0.5 * len(notes) for h in held)
            held.append(notes)
            if best >= 1 - 1e-9:
                b = "exact"
            elif best < 0.3:
                b = "unlabelled"
            elif dup:
                b = "duplicate"
            elif family_kind(f) != "voice":
                b = family_kind(f)
            else:
                i = int(S[:, j].argmax())
                oi, ej = np.unravel_index(int(M[i][j].argmax()), M[i][j].shape)
                b = length_kind(e[ej], refs[i][oi])
            fl[b] += (1 - best) / len(est)
            fam_n[b] += 1
            fam_rows.append((piece.name, j, family_kind(f), b, best, f.notes_per_occurrence, len(e), dup))
            if args.verbose:
                print(f"  fam {piece.name} {f.label} rank={j} {family_kind(f)} {b} best={best:.2f} "
                      f"notes={f.notes_per_occurrence} statements={len(e)} dup={dup}")
        for d, out in ((rl, ref_loss), (fl, fam_loss)):
            for k in set(d) | set(out):
                out[k].append(d.get(k, 0.0))
        if args.per_piece:
            r = rows[-1]
            print(f"{piece.name} F_est={r['F_est']:.3f} P_est={r['P_est']:.3f} R_est={r['R_est']:.3f} "
                  f"fams={len(est)} refs={len(refs)} | R loss " + ", ".join(f"{k} {v:.3f}" for k, v in sorted(rl.items(), key=lambda kv: -kv[1]) if v > 0)
                  + " | P loss " + ", ".join(f"{k} {v:.3f}" for k, v in sorted(fl.items(), key=lambda kv: -kv[1]) if v > 0))
    n = len(ps)
    print(" ".join(f"{k}={statistics.fmean(r[k] for r in rows):.3f}" for k in rows[0]), args.set)
    for title, loss, cnt in (("labelled patterns (R_est loss)", ref_loss, ref_n), ("our families (P_est loss)", fam_loss, fam_n)):
        print(f"| {title} | count | loss (mean over pieces) |\n|---|---|---|")
        for k in sorted(cnt, key=lambda k: -sum(loss[k])):
            print(f"| {k} | {cnt[k]} | {sum(loss[k]) / n:.3f} |")
    by_rank: dict[str, list[float]] = defaultdict(list)
    for _, j, _, _, best, _, _, _ in fam_rows:
        by_rank["0-4" if j < 5 else "5-9" if j < 10 else "10-14" if j < 15 else "15+"].append(best)
    print("our families' best score by rank:", {k: f"{statistics.fmean(v):.2f} (n={len(v)})" for k, v in by_rank.items()})
    by_kind: dict[str, list[float]] = defaultdict(list)
    for _, _, k, _, best, _, _, _ in fam_rows:
        by_kind[k].append(best)
    print("by kind:", {k: f"{statistics.fmean(v):.2f} (n={len(v)})" for k, v in by_kind.items()})


if __name__ == "__main__":
    main()
