"""Is "a slower line sounds with it" a cue for arpeggiated figuration? (phase13-acc13.md, What is left)

    PYTHONPATH=$PWD python -m benchmarks.acc_figuration bps tune

For each line family of the default output in an even rhythm (``accompaniment_even``) whose prototype
moves mostly by leaps (half its intervals 3 semitones or more: a chord outline), prints its best
score against the labels and ``slow``: the share of its statements whose span is 75% covered by notes
outside the statement lasting at least twice the figure's inter-onset interval (a slower line).
"""

from __future__ import annotations

import sys
from collections import Counter

from benchmarks.discovery_errors import clean
from benchmarks.discovery_sweep import pieces
from benchmarks.occ_errors import card_matrix
from motifcli.discovery import DiscoverySettings, Family, discover
from motifcli.discovery.accompaniment import even_share
from motifcli.score import Score


def leap_share(f: Family) -> float:
    p = [n.pitch for n in f.prototype.notes]
    steps = [abs(b - a) for a, b in zip(p, p[1:])]
    return sum(s >= 3 for s in steps) / max(len(steps), 1)


def slow_share(f: Family, score: Score, times: float = 2.0) -> float:
    onsets = [n.onset for n in f.prototype.notes]
    step = Counter(round(b - a, 3) for a, b in zip(onsets, onsets[1:])).most_common(1)[0][0]
    notes = [(t.index, i, n) for t in score.tracks for i, n in enumerate(t.notes)]
    covered = 0
    for o in f.occurrences:
        mine = {(n.track, n.index) for n in o.notes}
        a, b = o.start, o.end
        spans = sorted((max(n.onset, a), min(n.offset, b)) for t, i, n in notes
                       if (t, i) not in mine and n.onset < b and n.offset > a and n.offset - n.onset >= times * step)
        total, cur = 0.0, a
        for s, e in spans:
            s = max(s, cur)
            if e > s:
                total, cur = total + e - s, e
        covered += total >= 0.75 * max(b - a, 1e-9)
    return covered / len(f.occurrences)


def main() -> None:
    corpus, split = sys.argv[1], sys.argv[2]
    settings = DiscoverySettings()
    for p in pieces(corpus, split):
        refs = clean(p.patterns)
        for j, f in enumerate(discover(p.score, settings=settings)):
            if f.is_texture or f.notes_per_occurrence < settings.min_notes:
                continue
            if even_share(f) < settings.accompaniment_even or leap_share(f) < 0.5:
                continue
            e = clean([[o.points() for o in f.occurrences]])[0]
            best = max((float(card_matrix(r, e).max()) for r in refs), default=0.0)
            print(f"{p.name} {f.label} rank={j} best={best:.2f} notes={f.notes_per_occurrence} statements={len(f.occurrences)} "
                  f"even={even_share(f):.2f} leaps={leap_share(f):.2f} slow={slow_share(f, p.score):.2f}")


if __name__ == "__main__":
    main()
