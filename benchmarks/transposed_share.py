"""How many reference occurrences are transposed against their family's first? (issue 10, "no invariance")

    PYTHONPATH=$PWD python -m benchmarks.transposed_share --corpus bps --split tune

Says what transposition invariance can be worth on a corpus: an occurrence at translation 0 can be
found by exact-pitch matching, a transposed one cannot. Each occurrence is compared with its
pattern's first occurrence (time-aligned at their first onsets) under every pitch translation
within two octaves; its translation is the one matching most (onset, pitch) points (0 on a tie),
as a SIA translation vector would. Classes: ``exact`` (translation 0, every point matches), ``same
pitch`` (translation 0, varied), ``transposed exact`` and ``transposed`` (varied); octave shifts
(+-12, +-24) are counted apart too. Writes
benchmarks/results/transposed-share-CORPUS-SPLIT.json with per-piece counts and the command.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from benchmarks.motif_corpora import load_corpus

RESULTS = Path(__file__).resolve().parent / "results"
CLASSES = ("exact", "same pitch", "transposed exact", "transposed")


def translation(occ: Sequence[tuple[float, int]], first: Sequence[tuple[float, int]]) -> tuple[int, float]:
    """Best pitch translation of ``occ`` onto ``first`` (onsets from each one's start) and its match share."""
    t0, f0 = min(o for o, _ in occ), min(o for o, _ in first)
    a = Counter((round(o - t0, 3), p) for o, p in occ)
    b = Counter((round(o - f0, 3), p) for o, p in first)
    size = max(sum(a.values()), sum(b.values()), 1)
    best, best_n = 0, -1
    for t in sorted(range(-24, 25), key=abs):  # 0 first: ties go to "not transposed"
        n = sum(min(c, b.get((on, p + t), 0)) for (on, p), c in a.items())
        if n > best_n:
            best, best_n = t, n
    return best, best_n / size


def classify(occ: Sequence[tuple[float, int]], first: Sequence[tuple[float, int]]) -> str:
    t, share = translation(occ, first)
    exact = share == 1.0 and len(occ) == len(first)
    if t == 0:
        return "exact" if exact else "same pitch"
    return "transposed exact" if exact else "transposed"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default="bps", choices=["bps", "pop909", "mtc"])
    ap.add_argument("--split", default="tune")
    args = ap.parse_args(argv)
    per_piece, total, octaves = {}, Counter(), 0
    for piece in load_corpus(args.corpus, args.split):
        c = Counter()
        for pattern in piece.patterns:
            for occ in pattern[1:]:
                c[classify(occ, pattern[0])] += 1
                octaves += translation(occ, pattern[0])[0] in (-24, -12, 12, 24)
        per_piece[piece.name] = {k: c[k] for k in CLASSES}
        total.update(c)
    n = sum(total.values())
    share = {k: total[k] / max(n, 1) for k in CLASSES}
    moved = (total["transposed exact"] + total["transposed"]) / max(n, 1)
    print(f"{args.corpus} {args.split}: {n} occurrences after each family's first; "
          + ", ".join(f"{k} {total[k]} ({share[k]:.1%})" for k in CLASSES) + f"; transposed in all {moved:.1%} (by whole octaves {octaves / max(n, 1):.1%})")
    out = RESULTS / f"transposed-share-{args.corpus}-{args.split}.json"
    out.write_text(json.dumps({
        "command": "python -m benchmarks.transposed_share " + shlex.join(list(argv) if argv is not None else sys.argv[1:]),
        "occurrences": n, "counts": {k: total[k] for k in CLASSES}, "share": share, "transposed": moved,
        "octave_shifts": octaves,
        "per_piece": per_piece}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
