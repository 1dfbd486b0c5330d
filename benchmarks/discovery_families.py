"""Family counts of the default discovery on other music: the bundled examples and Bach chorales.

    PYTHONPATH=$PWD python -m benchmarks.discovery_families [--set key=value ...]

Issue 10 asks that one default (no per-genre threshold) give a sensible number of families on pop,
chorales and sonatas alike; this prints the figures DISCOVERY-ALGO.md's "Family counts" table quotes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarks.discovery_sweep import parse_set
from motifcli import read_score
from motifcli.discovery import DiscoverySettings, discover

REPO = Path(__file__).resolve().parents[1]
CHORALES = ("bwv1.6", "bwv11.6", "bwv130.6")


def files() -> list[tuple[str, Path]]:
    out = [(p.name, p) for p in sorted((REPO / "examples").glob("*.mid"))]
    try:
        from music21 import corpus
    except ImportError:
        return out
    return out + [(name, Path(str(corpus.getWork(name)))) for name in CHORALES]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", nargs="*", default=[])
    settings = DiscoverySettings(**parse_set(ap.parse_args().set))
    print("| file | notes | families | occurrences of the first 8 | notes per occurrence |")
    print("|---|---|---|---|---|")
    for name, path in files():
        score = read_score(path)
        fams = discover(score, settings=settings)
        notes = sum(len(t.notes) for t in score.tracks)
        occ = ", ".join(str(len(f.occurrences)) for f in fams[:8])
        per = ", ".join(str(f.notes_per_occurrence) for f in fams[:8])
        print(f"| {name} | {notes} | {len(fams)} | {occ} | {per} |")


if __name__ == "__main__":
    main()
