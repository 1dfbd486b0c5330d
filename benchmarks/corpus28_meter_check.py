"""Check motifcli.readers.m21_meter against music21's own search: every bar length it answers, asked both ways.

    PYTHONPATH=$PWD python -m benchmarks.corpus28_meter_check FILE_OR_FOLDER ...

Reads every MusicXML file given (folders recursively) with ``motifcli.read_score``; each time a measure
takes the known time signature, music21's context search is run too and the two bar lengths compared.
Prints the files read, the answers compared, and every mismatch (file, bar, both lengths).
"""

from __future__ import annotations

import sys
from pathlib import Path

from music21 import stream

import motifcli
from motifcli.readers import m21_meter

SUFFIXES = (".xml", ".musicxml", ".mxl")


def main(args: list[str]) -> None:
    cls = m21_meter._known_meter_measure()
    fast = cls.barDuration.fget
    counts = {"asked": 0, "files": 0, "failed": 0}
    mismatches: list[str] = []
    current = [""]

    def both(self: stream.Measure) -> object:
        got = fast(self)
        if self.timeSignature is None:  # the known one was used: music21's search must agree
            counts["asked"] += 1
            want = stream.Measure.barDuration.fget(self)
            if got.quarterLength != want.quarterLength:
                mismatches.append(f"{current[0]} bar {self.number}: {got.quarterLength} vs {want.quarterLength}")
        return got

    cls.barDuration = property(both)
    files = [p for a in map(Path, args) for p in ([a] if a.is_file() else sorted(a.rglob("*")))
             if p.suffix.lower() in SUFFIXES and ".motifs." not in p.name]
    for path in files:
        current[0] = str(path)
        try:
            motifcli.read_score(path)
            counts["files"] += 1
        except motifcli.errors.MotifError:
            counts["failed"] += 1  # refused files are refused on main too; nothing to compare
    print(f"files read {counts['files']}, refused {counts['failed']}, bar lengths compared {counts['asked']}, "
          f"mismatches {len(mismatches)}")
    print("\n".join(mismatches[:50]))


if __name__ == "__main__":
    main(sys.argv[1:])
