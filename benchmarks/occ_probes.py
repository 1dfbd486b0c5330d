"""Probes behind benchmarks/phase6-occ6.md: oracles, the embedding's separation of variants, missing statements' distance.

    PYTHONPATH=$PWD python -m benchmarks.occ_probes oracle|embed|missing|boundaries   (BPS tune, defaults)

- ``oracle``: F_est / F_occ(.75) / F_3 when the family that matches each found reference best has its
  extra statements dropped, the reference's missing occurrences added, its boundaries set right, or all three;
- ``embed``: AUC of the shipped model's cosine distance (to the family's nearest exact statement)
  at telling labelled varied statements of established families from extra ones, against the alignment distance;
- ``missing``: alignment distance of missing in-line reference occurrences to the family's exact statements;
- ``boundaries``: how boundary errors are shaped (notes of ours / of the reference outside the other, each side).
"""

from __future__ import annotations

import statistics
import sys
from collections import Counter
from collections.abc import Sequence

import numpy as np

from benchmarks.discovery_errors import clean, fast_scores
from benchmarks.discovery_sweep import pieces
from benchmarks.occ_errors import card_matrix
from motifcli.discovery import discover


def _best(refs: list, est: list, i: int) -> int | None:
    """The family that recalls reference i best among those establishing it at .75 (None: not found)."""
    ms = [card_matrix(refs[i], e) for e in est]
    rel = [j for j, m in enumerate(ms) if m.max() >= 0.75]
    return max(rel, key=lambda j: ms[j].max(axis=1).mean()) if rel else None


def oracle() -> None:
    rows: dict[str, list] = {k: [] for k in ("main", "drop extras", "add missing", "fix bounds", "all three")}
    flags = [(0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 1)]
    for p in pieces("bps", "tune"):
        refs, est = clean(p.patterns), clean([[o.points() for o in f.occurrences] for f in discover(p.score)])
        for key, (drop, add, fix) in zip(rows, flags):
            out = [list(e) for e in est]
            for j, e in enumerate(est):
                ms = [card_matrix(r, e) for r in refs]
                rel = [i for i, m in enumerate(ms) if m.max() >= 0.75]
                if not rel:
                    continue
                i = max(rel, key=lambda i: ms[i].max(axis=0).mean())
                m, occs = ms[i], []
                for k, o in enumerate(e):
                    r = int(m[:, k].argmax())
                    if m[r, k] >= 0.5:
                        occs.append(refs[i][r] if fix else o)
                    elif not drop:
                        occs.append(o)
                if add:
                    occs += [refs[i][r] for r in range(len(refs[i])) if m[r].max() < 0.5]
                out[j] = [sorted(set(o)) for o in occs] or out[j]
            rows[key].append(fast_scores(out, refs))
    for k, v in rows.items():
        print(k, " ".join(f"{m}={statistics.fmean(r[m] for r in v):.3f}" for m in ("F_est", "F_occ.75", "F_3")))


def note_rolls(statements: Sequence[Sequence], spec) -> np.ndarray:
    """First-note-normalised binary-sustain rolls of statements given as notes (NoteRefs or Notes:
    ``onset``, ``offset``, ``pitch``), drawn as ``motifcli.discovery.embed.window_rolls`` draws them
    from line positions: the probes hold notes, not positions."""
    steps, low, count, spb = spec.steps, spec.pitch_low, spec.pitch_count, spec.steps_per_beat
    out = np.zeros((len(statements), steps, count), np.float32)
    centre = low + count // 2
    for w, notes in enumerate(statements):
        t0, sh = notes[0].onset, centre - notes[0].pitch
        for n in notes:
            a = int(np.clip(round((n.onset - t0) * spb), 0, steps))
            b = int(np.clip(round((n.offset - t0) * spb), 0, steps))
            out[w, a:min(max(b, a + 1), steps), int(np.clip(n.pitch + sh - low, 0, count - 1))] = 1
    return out


def embed() -> None:
    import motifcli
    from sklearn.metrics import roc_auc_score

    model = motifcli.load_model()
    spec = model.spec

    ys, cs, ds, rs = [], [], [], []
    for p in pieces("bps", "tune"):
        refs = clean(p.patterns)
        for f in discover(p.score):
            e = clean([[o.points() for o in f.occurrences]])[0]
            rel = [m for m in (card_matrix(r, e) for r in refs) if m.max() >= 0.75]
            ex = [o for o in f.occurrences if o.similarity == 1][:8]
            var = [(k, o) for k, o in enumerate(f.occurrences) if o.similarity < 1]
            if not rel or not var or len(ex) < 2:
                continue
            m = max(rel, key=lambda m: m.max(axis=0).mean())
            emb = model.embed(note_rolls([o.notes for o in ex + [o for _, o in var]], spec)).astype(float)
            emb /= np.linalg.norm(emb, axis=1, keepdims=True)
            X, C = emb[: len(ex)], emb[len(ex):]
            d = 1 - X @ X.T
            np.fill_diagonal(d, np.inf)
            spread = d.min(axis=1).max()
            for (k, o), c in zip(var, (1 - C @ X.T).min(axis=1)):
                ys.append(m[:, k].max() >= 0.5), cs.append(c), ds.append(1 / o.similarity - 1), rs.append(c / max(spread, 1e-6))
    y = np.array(ys)
    print(f"{len(y)} varied statements, {y.mean():.3f} labelled; AUC cosine {roc_auc_score(y, -np.array(cs)):.3f}, "
          f"cosine/spread {roc_auc_score(y, -np.array(rs)):.3f}, alignment distance {roc_auc_score(y, -np.array(ds)):.3f}")


def piece_lines(p) -> tuple:
    """One piece's voice lines, the default discovery's families, the reference and found patterns
    (cleaned), and a map from (onset, pitch) points to positions in the lines: the probes compare a
    family's statements with the references' there."""
    from motifcli.discovery.candidates import build_lines
    from motifcli.voices import split_voices

    voices = split_voices(p.score, min_chord_share=0.2)
    lines = build_lines(voices)
    pos_of: dict = {}
    base = 0
    for v in (v for v in voices if len(v)):
        for i in range(len(v)):
            pos_of.setdefault((round(float(v.onsets[i]), 4), int(v.pitches[i])), []).append(base + i)
        base += len(v)
    found = discover(p.score)
    refs, est = clean(p.patterns), clean([[o.points() for o in f.occurrences] for f in found])

    def positions(pts: list) -> list[int]:
        return sorted(q for pt in pts for q in pos_of.get(pt, []))
    return lines, found, refs, est, positions


def missing() -> None:
    from motifcli.discovery.align import align

    dist, kinds = [], Counter()
    for p in pieces("bps", "tune"):
        lines, found, refs, est, positions = piece_lines(p)

        for i, r in enumerate(refs):
            j = _best(refs, est, i)
            if j is None:
                continue
            m = card_matrix(r, est[j])
            exs = [positions(o.points()) for o in found[j].occurrences if o.similarity == 1]
            exs = [np.arange(ps[0], ps[-1] + 1) for ps in exs if ps and ps[-1] - ps[0] + 1 == len(ps)]
            if not exs:
                continue
            n = Counter(len(x) for x in exs).most_common(1)[0][0]
            E = np.stack([x for x in exs if len(x) == n][:8])
            for k, ro in enumerate(r):
                if m[k].max() >= 0.5 or not positions(ro):
                    continue
                ps = positions(ro)
                w = np.arange(ps[0], ps[-1] + 1)
                if len(w) > 1.34 * len(ro) or not (lines.voice_id[w] == lines.voice_id[w[0]]).all():
                    kinds["not one contiguous stretch"] += 1
                    continue
                if abs(len(w) - n) > 3 or len(w) < 3:
                    kinds["length differs by > 3"] += 1
                    continue
                res = align(lines.pitches[w][None], lines.onsets[w][None], lines.pitches[E], lines.onsets[E], lines.grid / 2, 0.5)
                dist.append(float(res.distance[0]))
                kinds["aligned"] += 1
    d = np.array(dist)
    print(dict(kinds), "distance quartiles", np.round(np.quantile(d, [0.25, 0.5, 0.75]), 2),
          f"<= 1.0: {(d <= 1).mean():.2f}, <= 1.5: {(d <= 1.5).mean():.2f}")


def boundaries() -> None:
    shapes: Counter = Counter()
    for p in pieces("bps", "tune"):
        refs, est = clean(p.patterns), clean([[o.points() for o in f.occurrences] for f in discover(p.score)])
        for i, r in enumerate(refs):
            j = _best(refs, est, i)
            if j is None:
                continue
            m = card_matrix(r, est[j])
            for k, ro in enumerate(r):
                kk = int(m[k].argmax())
                if not 0.5 <= m[k, kk] < 1:
                    continue
                eo = est[j][kk]
                left = sum(q[0] < eo[0][0] for q in ro) or -sum(q[0] < ro[0][0] for q in eo)
                right = sum(q[0] > eo[-1][0] for q in ro) or -sum(q[0] > ro[-1][0] for q in eo)
                shapes[(left, right)] += 1
    print("(reference notes beyond ours at the start, at the end; negative: ours beyond the reference's)")
    for k, v in shapes.most_common(12):
        print(v, k)


if __name__ == "__main__":
    {"oracle": oracle, "embed": embed, "missing": missing, "boundaries": boundaries}[sys.argv[1]]()
