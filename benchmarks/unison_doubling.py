"""Statements per family and line with DiscoverySettings.doubled_unison off / on (phase14-clara14.md).

    PYTHONPATH=$PWD python benchmarks/unison_doubling.py beach/prayer_of_a_tired_child bach/bwv1.6 ...

music21 corpus works (MusicXML written by music21, read by motif), the shipped model when present.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import music21

from motifcli.discovery.core import discover
from motifcli.discovery.types import DiscoverySettings
from motifcli.model import LazyModel
from motifcli.readers import read_score


def main() -> None:
    model = LazyModel()
    base = DiscoverySettings()
    with tempfile.TemporaryDirectory() as tmp:
        for work in sys.argv[1:]:
            path = Path(tmp) / (work.replace("/", "_") + ".musicxml")
            music21.corpus.parse(work).write("musicxml", fp=str(path))
            score = read_score(path)
            names = [t.name for t in score.tracks]
            for on in (False, True):
                fams = discover(score, model, replace(base, doubled_unison=on))
                total = sum(len(f.occurrences) for f in fams)
                print(f"{work} doubled_unison={on}: {len(fams)} families, {total} statements")
                for k, f in enumerate(fams):
                    lines = Counter((o.track, o.notes[0].voice) for o in f.occurrences)
                    shown = ", ".join(f"{names[t]}/{v}: {c}" for (t, v), c in sorted(lines.items()))
                    print(f"  {chr(65 + k)} {len(f.occurrences)} x {round(sum(len(o.notes) for o in f.occurrences) / len(f.occurrences), 1)} notes  [{shown}]")


if __name__ == "__main__":
    main()
