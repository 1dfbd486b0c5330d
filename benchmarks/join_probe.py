"""How often the output holds families of shifted windows of one run, and what the labels say of them (phase17-join17.md).

    PYTHONPATH=$PWD python -m benchmarks.join_probe bps tune [--set k=v ...]
    PYTHONPATH=$PWD python -m benchmarks.join_probe --model pop909 val
    PYTHONPATH=$PWD python -m benchmarks.join_probe --model file FILE ...

Runs discovery (defaults unless ``--set``) and, for every pair of line families (texture families left
out), pairs their statements that overlap in one line at the most common shift (``shifted_pairs``, one to
one; the test of the measured ``join_shifted``, b9332fb). Pairs where most paired statements lie one inside
the other are counted apart (``nested``). A pair of families is "shifted windows" otherwise, when such
statement pairs are at least half the smaller family's statements (``pairs``; ``large``: half the larger's).
Per piece: line families, pairs, families in a pair, statements in a statement pair. With labels (BPS,
POP909): for every labelled occurrence a paired union overlaps (counted once per pair), is its best match
(|ref & est| / max) the union, one of the two statements, or neither (best < 0.5); and per (pair,
reference) established >= 0.5 by one of the two families, whether the union family would establish it better.
"""

from __future__ import annotations

import argparse
import collections

import numpy as np

from benchmarks.discovery_errors import clean
from benchmarks.discovery_sweep import parse_set, pieces
from motifcli.discovery import DiscoverySettings, Family, discover
from motifcli.discovery.core import voices_of


def shifted_pairs(a: list[np.ndarray], b: list[np.ndarray], share: float, of: str = "larger") -> list[tuple[int, int]]:
    """(statement of ``a``, statement of ``b``) pairs overlapping at the most common shift (positions in the
    lines), one to one; empty unless they are at least ``share`` of the ``of`` ("larger" or "smaller")
    family's statements, and at least two. The test of the measured ``join_shifted`` option (b9332fb,
    ``motifcli/discovery/join.py`` there; removed, phase17-join17.md)."""
    lo_a = np.array([int(p.min()) for p in a])
    hi_a = np.array([int(p.max()) for p in a])
    by_shift: dict[int, list[tuple[int, int]]] = {}
    for j, pos in enumerate(b):
        lo, hi = int(pos.min()), int(pos.max())
        for i in np.flatnonzero((lo_a <= hi) & (hi_a >= lo)).tolist():
            by_shift.setdefault(lo - int(lo_a[i]), []).append((i, j))
    if not by_shift:
        return []
    _, pairs = max(by_shift.items(), key=lambda kv: (len(kv[1]), -abs(kv[0])))
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for i, j in pairs:
        if i not in used_a and j not in used_b:
            used_a.add(i), used_b.add(j)
            out.append((i, j))
    size = max(len(a), len(b)) if of == "larger" else min(len(a), len(b))
    return out if len(out) >= max(2.0, share * size) else []


def positions(score: object, settings: DiscoverySettings) -> dict[tuple[int, int, int], int]:
    """(track, voice, note index) -> position in the lines, as discovery lays them end to end."""
    voices = voices_of(score, settings)
    out, k = {}, 0
    for v in voices:
        for i in v.note_indices.tolist():
            out[(v.track, v.voice, int(i))] = k
            k += 1
    return out


def card(a: set, b: set) -> float:
    return len(a & b) / max(len(a), len(b)) if a and b else 0.0


def probe(name: str, score: object, refs: list | None, model: object, settings: DiscoverySettings, tally: dict) -> None:
    fams: list[Family] = [f for f in discover(score, model, settings) if not f.is_texture]
    pos = positions(score, settings)
    stm = [[np.array(sorted(pos.get((n.track, n.voice, n.index), -1) for n in o.notes)) for o in f.occurrences] for f in fams]
    pts = [[set(o.points()) for o in f.occurrences] for f in fams]
    small, large, in_pair, paired_stm = 0, 0, set(), set()
    kinds: collections.Counter = collections.Counter()
    est: collections.Counter = collections.Counter()
    lines_out = []
    for i in range(len(fams)):
        for j in range(i + 1, len(fams)):
            pairs = shifted_pairs(stm[i], stm[j], 0.5, "smaller")
            if not pairs:
                continue
            nested = sum(len(np.union1d(stm[i][a], stm[j][b])) == max(len(stm[i][a]), len(stm[j][b]))
                         for a, b in pairs) > 0.5 * len(pairs)
            if nested:  # one statement inside the other (a part of a longer motif): subfigure's ground, not a run
                tally["nested"] += 1
                lines_out.append(f"    {fams[i].label}+{fams[j].label}: nested, {len(pairs)} pairs")
                continue
            small += 1
            big = len(pairs) >= 0.5 * max(len(stm[i]), len(stm[j]))
            large += big
            in_pair |= {i, j}
            paired_stm |= {(i, a) for a, _ in pairs} | {(j, b) for _, b in pairs}
            shift = int(stm[j][pairs[0][1]].min() - stm[i][pairs[0][0]].min())
            lines_out.append(f"    {fams[i].label}+{fams[j].label}: {len(pairs)} pairs of {len(stm[i])}/{len(stm[j])} "
                             f"statements, shift {shift} notes, lengths {fams[i].notes_per_occurrence}/{fams[j].notes_per_occurrence}"
                             f"{' (large)' if big else ''}")
            if refs is None:
                continue
            unions = [pts[i][a] | pts[j][b] for a, b in pairs]
            for r in refs:
                for o in map(set, r):
                    hit = [(u, pts[i][a], pts[j][b]) for u, (a, b) in zip(unions, pairs) if o & u]
                    if not hit:
                        continue
                    u, x, y = max(hit, key=lambda h: len(o & h[0]))
                    cu, cx, cy = card(o, u), card(o, x), card(o, y)
                    kinds["neither" if max(cu, cx, cy) < 0.5 else "union" if cu > max(cx, cy) else "one"] += 1
                sx = max((card(set(o), s) for o in r for s in pts[i]), default=0.0)
                sy = max((card(set(o), s) for o in r for s in pts[j]), default=0.0)
                su = max((card(set(o), s) for o in r for s in unions), default=0.0)
                if max(sx, sy) >= 0.5:
                    est["union better" if su > max(sx, sy) + 1e-9 else "a window as good or better"] += 1
    total = sum(len(s) for s in stm)
    print(f"{name}: line families {len(fams)}, pairs {small} (large {large}), families in a pair {len(in_pair)}, "
          f"statements paired {len(paired_stm)}/{total}"
          + (f", labelled occurrences {dict(kinds)}, references {dict(est)}" if refs is not None else ""), flush=True)
    for line in lines_out:
        print(line)
    for k, v in (("fams", len(fams)), ("pairs", small), ("large", large), ("in_pair", len(in_pair)),
                 ("paired_stm", len(paired_stm)), ("stm", total), ("pieces", 1), ("pieces_with", int(small > 0))):
        tally[k] += v
    for k, v in kinds.items():
        tally[f"occ_{k}"] += v
    for k, v in est.items():
        tally[f"ref_{k}"] += v


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", action="store_true")
    ap.add_argument("--set", nargs="*", default=[])
    ap.add_argument("corpus")
    ap.add_argument("split_or_files", nargs="+")
    a = ap.parse_args()
    import motifcli

    model = motifcli.load_model() if a.model else None
    settings = DiscoverySettings(**parse_set(a.set))
    tally: collections.Counter = collections.Counter()
    if a.corpus == "file":
        for path in a.split_or_files:
            probe(path, motifcli.read_score(path), None, model, settings, tally)
    else:
        for p in pieces(a.corpus, a.split_or_files[0]):
            probe(p.name, p.score, clean(p.patterns), model, settings, tally)
    print("total", {k: v for k, v in sorted(tally.items()) })


if __name__ == "__main__":
    main()
