"""How many 2- and 3-note families does each variant show on pieces a musician knows? (phase26-cells26.md)

    PYTHONPATH=$PWD python -m benchmarks.cells26_counts [--model] [--verbose] "" "key=value ..." ...

Pieces: music21's corpus files of benchmarks/eye26_pages.py (chorales bwv66.6 and bwv130.6, Mozart K. 545 i,
Haydn op. 74/1 i, the Maple Leaf Rag, Foster's "Jeanie", Dichterliebe 2) plus the first Essen tune of
altdeu10; none is benchmark data. For each variant of DiscoverySettings overrides ("" = defaults) one line
per piece: families, then the 2-note and 3-note families as LABEL:statements, and the number of bars the
family's statements stand in (statements per bar shows a line of small labels). ``--verbose`` prints each
short family's first statements (bar-free: beats and MIDI pitches).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.discovery_sweep import parse_set, variant_model, variants_parser
from benchmarks.eye26_pages import CORPUS_FILES
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.types import Family
from motifcli.readers import read_score
from motifcli.score import Score


def inputs() -> dict[str, Path]:
    """The pieces, by short name (the Essen tune written once to a temporary MusicXML file)."""
    from music21 import corpus

    root = Path(corpus.__file__).parent
    out = {name.rsplit(".", 1)[0]: root / src for name, src in CORPUS_FILES.items()}
    essen = Path(tempfile.gettempdir()) / "cells26-essen-altdeu10-1.musicxml"
    if not essen.exists():
        corpus.parse("essenFolksong/altdeu10", number=1).write("musicxml", fp=str(essen))
    out["essen-altdeu10-1"] = essen
    return out


def short(f: Family, score: Score) -> str:
    """LABEL:statements/bars for a short family (bars: distinct bars its statements start in)."""
    bars = {score.meter.bar_index_at(o.start) if score.meter else int(o.start // 4) for o in f.occurrences}
    return f"{f.label}:{len(f.occurrences)}/{len(bars)}b"


def main() -> None:
    args = variants_parser(__doc__, "pass the shipped model (as motif annotate does)").parse_args()
    model = variant_model(args)
    scores = {name: read_score(path) for name, path in inputs().items()}
    for spec in args.variants or [""]:
        settings = DiscoverySettings(**parse_set(spec.split()))
        total2 = total3 = 0
        print(f"variant {spec or 'defaults'!r}")
        for name, score in scores.items():
            fams = discover(score, model, settings=settings)
            two = [f for f in fams if f.notes_per_occurrence == 2 and not f.is_texture]
            three = [f for f in fams if f.notes_per_occurrence == 3 and not f.is_texture]
            total2 += len(two)
            total3 += len(three)
            print(f"  {name:>22} fams={len(fams):2d} 2-note: {' '.join(short(f, score) for f in two) or '-'}"
                  f" | 3-note: {' '.join(short(f, score) for f in three) or '-'}")
            if args.verbose:
                for f in two + three:
                    first = [(o.start, [n.pitch for n in o.notes], o.notes[0].track) for o in f.occurrences[:6]]
                    print(f"      {f.label}: {first}")
        print(f"  total 2-note families {total2}, 3-note families {total3}")


if __name__ == "__main__":
    main()
