"""Does a motif keep its place in the bar? Probe behind benchmarks/phase10-barpos10.md.

    PYTHONPATH=$PWD python -m benchmarks.barpos_probe --corpus bps --split tune [--set key=value ...]
    PYTHONPATH=$PWD python -m benchmarks.barpos_probe --corpus pop909 --split val
    PYTHONPATH=$PWD python -m benchmarks.barpos_probe --corpus mtc --split tune

Bar position of an onset: beats (quarters) after its bar's downbeat by ``score.meter_map``, exactly as
discovery computes it (``motifcli.discovery.barpos``: a pickup is measured back from its end, a split
measure's second half continues its first). Two positions are the same within 1/12 beat.

- ``labelled``: per reference motif with 2+ occurrences, the share of its occurrences starting at
  its most common start position (the mode); also modulo the half bar (even numerators) and the beat.
- ``chance``: the share of the piece's distinct onsets at that mode (what a random start would give).
- ``family``: for each reference established at .75 by a family (the family recalling it best, as
  mir_eval and occ_errors pick it), that family's statements split into ``matched`` (card >= .5
  with one of the reference's occurrences) and ``extra`` (card < .5 with every occurrence of every
  reference), by exact (similarity 1) and varied; each is at the reference's mode or not, and at the
  mode of the family's own exact statements (what discovery could use: it has no reference), or at
  any bar position one of its exact statements starts at.
- ``cells``: the same for cell families (fewer than ``min_notes`` notes a statement).
Shares are pooled over statements (counts given) and, for ``labelled``, also averaged over motifs.
"""

from __future__ import annotations

import functools
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

import numpy as np

from benchmarks.discovery_errors import clean
from benchmarks.discovery_sweep import pieces, probe_parser, probe_settings
from benchmarks.occ_errors import card_matrix
from motifcli.discovery import discover
from motifcli.discovery.barpos import LEVELS, at_position, bar_positions, modal_position
from motifcli.meter import MeterMap

TOL = 1 / 12 + 1e-6  # two places are the same within this (barpos.position_tolerance of a notated grid)


def position_fn(mm: MeterMap) -> Callable[[float, str], float]:
    """Onset -> its place in its bar (``bar``), half bar (``half``, even numerators) or beat, as
    discovery computes it (:func:`motifcli.discovery.barpos.bar_positions`, no snap)."""

    @functools.lru_cache(maxsize=None)
    def pos(t: float, level: str = "bar") -> float:
        return float(bar_positions(np.array([t]), mm, level)[0])

    return pos


def same(a: float, b: float) -> bool:
    return bool(at_position(np.array([a]), b, TOL)[0])


def mode(ps: Sequence[float]) -> tuple[float, float]:
    """The most common position (within 1/12 beat; ties: the earliest) and the share of ``ps`` at it."""
    return modal_position(np.array(ps, dtype=float), TOL)


def main() -> None:
    args = probe_parser(__doc__).parse_args()
    settings = probe_settings(args)
    lab_share: dict[str, list[float]] = defaultdict(list)  # per motif
    lab_n: Counter = Counter()
    lab_at: Counter = Counter()
    chance: list[float] = []
    at: Counter = Counter()  # (group, which mode) -> statements at it
    n: Counter = Counter()
    sources: Counter = Counter()
    for piece in pieces(args.corpus, args.split):
        mm = piece.score.meter_map
        sources[mm.source] += 1
        pos = position_fn(mm)
        refs = clean(piece.patterns)
        found = discover(piece.score, None, settings=settings)
        est = clean([[o.points() for o in f.occurrences] for f in found])
        assert len(est) == len(found)
        onsets = sorted({round(r.onset, 6) for r in piece.notes})
        for i, ref in enumerate(refs):
            if len(ref) < 2:
                continue
            starts = [occ[0][0] for occ in ref]
            for level in LEVELS:
                m, share = mode([pos(s, level) for s in starts])
                lab_share[level].append(share)
                lab_n[level] += len(starts)
                lab_at[level] += round(share * len(starts))
                if level == "bar":
                    ref_mode = m
                    chance.append(sum(same(pos(t), m) for t in onsets) / max(len(onsets), 1))
            ms = [card_matrix(ref, e) for e in est]
            rel = [j for j, mat in enumerate(ms) if mat.max() >= 0.75]
            if not rel:
                continue
            j = max(rel, key=lambda j: ms[j].max(axis=1).mean())
            fam = found[j]
            group = "cell" if fam.notes_per_occurrence < settings.min_notes else "voice"
            exact_starts = [o.notes[0].onset for o in fam.occurrences if o.similarity >= 1 - 1e-9]
            fam_mode = {lv: mode([pos(s, lv) for s in exact_starts])[0] for lv in LEVELS}
            used = [pos(s) for s in exact_starts]
            for k, occ in enumerate(est[j]):
                c_ref = float(ms[j][:, k].max())
                if c_ref >= 0.5:
                    what = "matched"
                elif max(card_matrix(r, [occ]).max() for r in refs) < 0.5:
                    what = "extra"
                else:
                    continue
                kind = "exact" if fam.occurrences[k].similarity >= 1 - 1e-9 else "varied"
                s = fam.occurrences[k].notes[0].onset
                for key in (f"{group} {what}", f"{group} {what} {kind}"):
                    n[key] += 1
                    at[(key, "ref mode")] += same(pos(s), ref_mode)
                    for lv in LEVELS:
                        at[(key, f"family mode {lv}")] += same(pos(s, lv), fam_mode[lv])
                    at[(key, "any exact's bar pos")] += any(same(pos(s), u) for u in used)
        if args.per_piece:
            print(piece.name, mm.source, len(refs), len(found), flush=True)
    print(f"{args.corpus} {args.split}: meter map sources {dict(sources)}; settings {args.set}")
    print("\nlabelled occurrences at their motif's most common start position")
    print("| level | motifs | occurrences | share (pooled) | share (mean over motifs) |\n|---|---|---|---|---|")
    for lv in LEVELS:
        print(f"| {lv} | {len(lab_share[lv])} | {lab_n[lv]} | {lab_at[lv] / max(lab_n[lv], 1):.3f} | "
              f"{statistics.fmean(lab_share[lv]) if lab_share[lv] else 0:.3f} |")
    print(f"chance (share of the piece's distinct onsets at the motif's bar mode, mean over motifs): "
          f"{statistics.fmean(chance) if chance else 0:.3f}")
    print("\nstatements of the family establishing each reference (.75)")
    cols = ["ref mode", *(f"family mode {lv}" for lv in LEVELS), "any exact's bar pos"]
    print("| statements | n | " + " | ".join(cols) + " |\n|---|---|" + "---|" * len(cols))
    for key in sorted(n):
        print(f"| {key} | {n[key]} | " + " | ".join(f"{at[(key, c)] / n[key]:.3f}" for c in cols) + " |")


if __name__ == "__main__":
    main()
