"""Variants of the running hand split tried in phase20-lefthand20.md, none kept (the kept rules are in
motifcli/hands.py: distinct keys for ``FINGERS`` and ``clean_cut``).

    PYTHONPATH=$PWD python -m benchmarks.hands_variants OUT "" "uniq=True" "uniq=True,near=0.5,mem=10" ...

``OUT`` is benchmarks.hands_inputs' folder; each argument is one variant (keyword arguments of
:func:`split`; "" = session 19's split). Per variant: the share of notes in their written hand, mean
over the 10 music21 pieces and over BPS tune with its staff tracks merged, how many of each set have
the truth's leading hand (1.5x), the largest drop of one piece against the first variant, and each
piece's share (music21 pieces in name order, then BPS). Options (all off = session 19's split):
``uniq`` a doubled pitch is one key; ``P``, ``T`` a cost ``P * (T - gap)`` for cutting a group at a
gap under ``T`` semitones; ``R`` a cost ``R * (largest gap - gap)`` for not cutting at the group's
largest gap; ``OA`` a cost for cutting a group between two notes an octave apart; ``near`` the weight
of a note's distance to the nearest of the hand's last ``mem`` notes beside its centre's; ``upd``
a hand's centre moves towards its chosen notes' "mean", its "outer" note or "half" of each.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from motifcli.hands import FINGERS, LEAK, SPAN, TOLERANCE
from motifcli.quantiles import percentiles
from motifcli.streams import onset_groups

WIDTH = 0.5  # session 19's width cost (motifcli.hands.WIDTH is the moving boundary's since phase21-handdp21.md)


def split(onsets: np.ndarray, offsets: np.ndarray, pitches: np.ndarray, uniq: bool = False, P: float = 0.0,  # noqa: N803
          T: float = 12, R: float = 0.0, OA: float = 0.0, near: float = 0.0, mem: int = 6,  # noqa: N803
          upd: str = "mean") -> np.ndarray:
    """Session 19's running split (motifcli.hands before phase 20) with the options of the module doc."""
    hand = np.ones(len(onsets), dtype=np.int64)
    order = np.lexsort((pitches, onsets))
    group = onset_groups(onsets[order], TOLERANCE)
    bounds = np.flatnonzero(np.concatenate([[True], np.diff(group) > 0, [True]]))
    low, high = percentiles(pitches, (25, 75))
    centre = {2: low, 1: high}
    recent: dict[int, list[float]] = {1: [high], 2: [low]}
    sounding: dict[int, list[tuple[float, float]]] = {1: [], 2: []}
    for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        idx = order[a:b]
        now = float(onsets[idx[0]]) + TOLERANCE
        p = pitches[idx].astype(np.float64)
        for h in (1, 2):
            sounding[h] = [(end, q) for end, q in sounding[h] if end > now]
        best, cut = np.inf, 0
        for s in range(len(p) + 1):
            cost = 0.0
            for h, notes in ((2, p[:s]), (1, p[s:])):
                if len(notes):
                    held = np.concatenate([notes, [q for _, q in sounding[h]]])
                    width = float(held.max() - held.min())
                    dist = np.abs(notes - centre[h])
                    if near:
                        r = np.asarray(recent[h], dtype=float)
                        dist = (1 - near) * dist + near * np.abs(notes[:, None] - r[None, :]).min(axis=1)
                    keys = len(np.unique(held)) if uniq else len(held)
                    cost += float(dist.sum()) + WIDTH * width + (1000.0 if width > SPAN or keys > FINGERS else 0.0)
            if 0 < s < len(p):
                gap = float(p[s] - p[s - 1])
                cost += P * max(0.0, T - gap) + R * (float(np.diff(p).max()) - gap) + (OA if gap == 12 else 0.0)
            if cost < best:
                best, cut = cost, s
        hand[idx[:cut]] = 2
        for h, chosen in ((2, idx[:cut]), (1, idx[cut:])):
            if len(chosen):
                outer = float(pitches[chosen].max() if h == 1 else pitches[chosen].min())
                mean = float(pitches[chosen].mean())
                towards = {"mean": mean, "outer": outer, "half": 0.5 * (mean + outer)}[upd]
                centre[h] = (1 - LEAK) * centre[h] + LEAK * towards
                recent[h] = (recent[h] + pitches[chosen].tolist())[-mem:]
                sounding[h].extend((float(offsets[i]), float(pitches[i])) for i in chosen.tolist())
    return hand


def inputs(out: Path) -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """(name, onsets, offsets, pitches, written hand) of hands_inputs' one-track pieces, then BPS tune merged."""
    import motifcli
    from benchmarks.discovery_sweep import pieces

    rows = []
    for path in sorted((out / "one").glob("*.mid")):
        score = motifcli.read_score(path)
        (track,) = [t for t in score.pitched_tracks() if t.notes]
        truth_of = json.loads(path.with_suffix(".hands.json").read_text())
        tpb = score.ticks_per_beat or 480
        on, off, pi = track.arrays()
        truth = np.array([truth_of.get(f"{round(o * tpb)},{p}", 0) for o, p in zip(on.tolist(), pi.tolist())])
        rows.append((path.stem, on, off, pi, truth))
    for p in pieces("bps", "tune"):
        tracks = [t for t in p.score.pitched_tracks() if t.notes]
        on, off, pi = (np.concatenate([t.arrays()[k] for t in tracks]) for k in range(3))
        truth = np.concatenate([np.full(len(t.notes), k + 1) for k, t in enumerate(tracks)])
        rows.append((p.name, on, off, pi, truth))
    return rows


def _lead(hand: np.ndarray) -> str:
    r, l = int((hand == 1).sum()), int((hand == 2).sum())
    return "right" if r >= 1.5 * l else "left" if l >= 1.5 * r else "none"


def variants(args: list[str]) -> tuple[list[tuple[str, np.ndarray, np.ndarray, np.ndarray, np.ndarray]], int,
                                       list[tuple[str, dict]]]:
    """The command line's inputs (``args[0]``: benchmarks.hands_inputs' folder), how many of them are music21
    pieces (they come first), and each variant argument with its options ("" = none)."""
    data = inputs(Path(args[0]))
    m21 = sum(1 for name, *_ in data if not name[0].isdigit())
    return data, m21, [(text, eval(f"dict({text})")) for text in args[1:] or [""]]  # noqa: S307 - its own command line


def main(args: list[str]) -> None:
    data, m21, runs = variants(args)
    base = None
    for _, options in runs:
        acc, lead = [], []
        for _, on, off, pi, truth in data:
            hand = split(on, off, pi, **options)
            acc.append(float((hand == truth).mean()))
            lead.append(_lead(hand) == _lead(truth))
        base = print_row(str(options), acc, m21, base, f"leads {sum(lead[:m21])}/{sum(lead[m21:])}")


def print_row(label: str, acc: list[float], m21: int, base: np.ndarray | None, middle: str) -> np.ndarray:
    """One variant's line: mean share of notes in their hand over the music21 pieces (the first ``m21``) and BPS,
    ``middle``, the largest drop of one piece against ``base`` (the first variant's shares, returned), each share."""
    a = np.array(acc)
    base = a if base is None else base
    print(f"{label}: music21 {a[:m21].mean():.3f} BPS {a[m21:].mean():.3f} {middle} largest drop {(a - base).min():+.3f}"
          " | " + " ".join(f"{x:.3f}" for x in a), flush=True)
    return base


if __name__ == "__main__":
    main(sys.argv[1:])
