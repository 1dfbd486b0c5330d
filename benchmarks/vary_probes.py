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
from benchmarks.occ_probes import _best
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.align import align
from motifcli.discovery.candidates import build_lines
from motifcli.discovery.variants import view
from motifcli.voices import split_voices

VIEWS = ("raw", "contour", "diatonic", "inverted", "diatonic_inv", "augment", "diatonic_aug", "rhythm", "pitch")


def _view(name: str, lines, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    kind = {"raw": "raw", "contour": "contour", "diatonic": "diatonic", "inverted": "raw", "diatonic_inv": "diatonic",
            "augment": "raw", "diatonic_aug": "diatonic", "rhythm": "none", "pitch": "raw"}[name]
    p, o = view(lines, idx, kind, normalise_rhythm=name in ("augment", "diatonic_aug"))
    if name in ("inverted", "diatonic_inv"):
        p = -p
    if name == "pitch":
        o = np.broadcast_to(np.arange(idx.shape[1], dtype=float), idx.shape).copy()
    return p, o


def main() -> None:
    settings = DiscoverySettings()
    miss: dict[str, list[float]] = {v: [] for v in VIEWS}
    back: dict[str, list[float]] = {v: [] for v in VIEWS}
    kinds: Counter = Counter()
    for p in pieces("bps", "tune"):
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

        seen: set[int] = set()
        for i, r in enumerate(refs):
            j = _best(refs, est, i)
            if j is None:
                continue
            m = card_matrix(r, est[j])
            exs = [positions(o.points()) for o in found[j].occurrences if o.similarity == 1]
            exs = [np.arange(ps[0], ps[-1] + 1) for ps in exs if ps and ps[-1] - ps[0] + 1 == len(ps)]
            if len(exs) < 2:
                continue
            n = Counter(len(x) for x in exs).most_common(1)[0][0]
            E = np.stack([x for x in exs if len(x) == n][:8])
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


if __name__ == "__main__":
    main()
