"""Which families does a settings change drop or add, and are they labelled? (phase13-acc13.md)

    PYTHONPATH=$PWD python -m benchmarks.acc_dropped [--model] CORPUS SPLIT "BASE k=v ..." "VARIANT k=v ..."

For every piece, the families of the BASE output whose statements (as note sets) the VARIANT output
lacks ("-") and those it adds ("+"), each with its best cardinality score against any labelled
pattern (the establishment score mir_eval pairs it with), statement length and count, track, mean
pitch, and the accompaniment rule's own measures: even share, share of pivoting statements
(``accompaniment.pivots``, 3 repeats) and the share of notes with a higher note of another line
over them (``accompaniment.above_share``). One run per call; deterministic.
"""

from __future__ import annotations

import sys

from benchmarks.discovery_errors import clean
from benchmarks.discovery_sweep import parse_set, pieces
from benchmarks.occ_errors import card_matrix
from motifcli.discovery import DiscoverySettings, Family, discover
from motifcli.discovery.accompaniment import above_share, even_share, mean_pitch, pivots


def _key(f: Family) -> frozenset[tuple[int, int]]:
    return frozenset((n.track, n.index) for o in f.occurrences for n in o.notes)


def main() -> None:
    args = sys.argv[1:]
    model = None
    if args and args[0] == "--model":
        import motifcli

        model, args = motifcli.load_model(), args[1:]
    corpus, split, base_spec, var_spec = args
    base, var = (DiscoverySettings(**parse_set(s.split())) for s in (base_spec, var_spec))
    for p in pieces(corpus, split):
        a, b = discover(p.score, model, settings=base), discover(p.score, model, settings=var)
        ka, kb = {_key(f) for f in a}, {_key(f) for f in b}
        refs = clean(p.patterns)
        for tag, fams, other in (("-", a, kb), ("+", b, ka)):
            for j, f in enumerate(fams):
                if _key(f) in other:
                    continue
                e = clean([[o.points() for o in f.occurrences]])[0]
                best = max((float(card_matrix(r, e).max()) for r in refs), default=0.0)
                piv = sum(pivots(o, 3) for o in f.occurrences) / len(f.occurrences)
                print(f"{p.name} {tag}{f.label} rank={j} best={best:.2f} notes={f.notes_per_occurrence} "
                      f"statements={len(f.occurrences)} track={f.prototype.notes[0].track} mean_pitch={mean_pitch(f):.1f} "
                      f"even={even_share(f):.2f} pivot={piv:.2f} above={above_share(f, p.score):.2f} "
                      f"proto={[n.pitch for n in f.prototype.notes][:16]}")
        if ka != kb:
            print(f"{p.name}: {len(a)} -> {len(b)} families")


if __name__ == "__main__":
    main()
