"""Figuration or motif? What a family does over time (phase13-fig13.md).

    PYTHONPATH=$PWD python -m benchmarks.fig13_probe bps tune [--model] [--set k=v ...]

For every line family (voice, motif length) of the output prints its best establishment score against
the labels (``-`` where a piece has none) beside measures of its statements over time:

- ``run``: the longest chain of back-to-back statements (the next starts within one of the figure's
  inter-onset intervals of the previous one's end), ``chained``: the share of statements in a chain of 3+;
- ``cover``: the share of the piece's time under its statements' spans;
- ``trans``: distinct transpositions per statement, ``shapes``: distinct interval sequences per statement;
- ``even``, ``leaps``: the prototype's even-rhythm share and leap share (acc_figuration's);
- ``b2b``: back-to-back pairs; ``inplace`` / ``octave``: the share of them at the same pitch classes / an
  octave apart; ``in_place``: ``motifcli.discovery.figuration.in_place_share`` (the rule's measure: statements
  back to back at a transposition already sounded in their run).
"""

from __future__ import annotations

import sys
from collections import Counter

from benchmarks.acc_figuration import leap_share
from benchmarks.discovery_errors import clean
from benchmarks.discovery_sweep import parse_set, pieces
from benchmarks.occ_errors import card_matrix
from motifcli.discovery import DiscoverySettings, Family, discover
from motifcli.discovery.accompaniment import even_share
from motifcli.discovery.figuration import in_place_share


def step(f: Family) -> float:
    """The prototype's most common inter-onset interval (beats)."""
    onsets = [n.onset for n in f.prototype.notes]
    iois = Counter(round(b - a, 3) for a, b in zip(onsets, onsets[1:]))
    return iois.most_common(1)[0][0] if iois else 1.0


def chains(f: Family) -> list[int]:
    """Lengths of the chains of back-to-back statements, in time order."""
    occ = sorted(f.occurrences, key=lambda o: o.start)
    gap = step(f) + 1e-6
    out, cur, end = [], 1, occ[0].end
    for o in occ[1:]:
        if o.start <= end + gap:
            cur += 1
        else:
            out.append(cur)
            cur = 1
        end = max(end, o.end)
    return out + [cur]


def pairs(f: Family) -> list[tuple[int, int]]:
    """Transpositions of each back-to-back pair of statements (time order)."""
    occ = sorted(f.occurrences, key=lambda o: o.start)
    gap = step(f) + 1e-6
    out, end = [], occ[0].end
    for a, b in zip(occ, occ[1:]):
        if b.start <= end + gap:
            out.append((a.transposition, b.transposition))
        end = max(end, b.end)
    return out


def cover(f: Family, length: float) -> float:
    """Share of the piece's time under the union of the statements' spans."""
    total, cur = 0.0, float("-inf")
    for a, b in sorted((o.start, o.end) for o in f.occurrences):
        a = max(a, cur)
        if b > a:
            total, cur = total + b - a, b
    return total / max(length, 1e-9)


def shapes(f: Family) -> float:
    seqs = {tuple(b.pitch - a.pitch for a, b in zip(o.notes, o.notes[1:])) for o in f.occurrences}
    return len(seqs) / len(f.occurrences)


def main() -> None:
    args = sys.argv[1:]
    model = None
    if "--model" in args:
        import motifcli

        args.remove("--model")
        model = motifcli.load_model()
    sets = args[args.index("--set") + 1:] if "--set" in args else []
    corpus, split = args[0], args[1]
    settings = DiscoverySettings(**parse_set(sets))
    for p in pieces(corpus, split):
        refs = clean(p.patterns) if getattr(p, "patterns", None) else []
        for j, f in enumerate(discover(p.score, model, settings=settings)):
            if f.is_texture or f.notes_per_occurrence < settings.min_notes:
                continue
            e = clean([[o.points() for o in f.occurrences]])[0]
            best = f"{max((float(card_matrix(r, e).max()) for r in refs), default=0.0):.2f}" if refs else "-"
            ch = chains(f)
            chained = sum(c for c in ch if c >= 3) / len(f.occurrences)
            pr = pairs(f)
            inplace = sum((b - a) % 12 == 0 for a, b in pr) / max(len(pr), 1)
            octave = sum((b - a) % 12 == 0 and a != b for a, b in pr) / max(len(pr), 1)
            print(f"{p.name} {f.label:>2} rank={j:2d} best={best} n={f.notes_per_occurrence:2d} st={len(f.occurrences):3d} "
                  f"run={max(ch):3d} chained={chained:.2f} cover={cover(f, p.score.end_beat):.2f} "
                  f"trans={len({o.transposition for o in f.occurrences}) / len(f.occurrences):.2f} shapes={shapes(f):.2f} "
                  f"even={even_share(f):.2f} leaps={leap_share(f):.2f} b2b={len(pr)} inplace={inplace:.2f} octave={octave:.2f} in_place={in_place_share(f):.2f}")


if __name__ == "__main__":
    main()
