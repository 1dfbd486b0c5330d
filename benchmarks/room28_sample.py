"""A held-out sample for the label room (phase28-room28.md): 30 pieces of corpus28's inputs labels28 was not shaped on.

    PYTHONPATH=$PWD python benchmarks/room28_sample.py CORPUS_DIR OUT   # CORPUS_DIR: `benchmarks.corpus28 prepare`'s

The rule, fixed before any of these pieces was annotated or drawn: five strata of CORPUS_DIR/pieces.json,
six pieces each, spread evenly (``corpus28.spread``) over the stratum's inputs sorted by path:
chorales (collection ``bach``), quartets/sonatas (``haydn``, ``mozart``, ``beethoven``), folk (``folk-*``),
piano pieces and songs (``keyboard-song``, ``schumann``, ``joplin``): each piece's MusicXML input; MIDI: the
``.mid`` input of the pieces that have one, less those already drawn. Left out before drawing: the eye26 ten and
Haydn op. 74/1 iii (the pages labels28 was made on), and inputs over 100 kB (time: a 2-core machine, shared).
The ``early`` collection is not a stratum. The drawn files are copied to OUT/in as COLLECTION--PATH (``/`` -> ``-``).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from benchmarks.corpus28 import spread

PER_STRATUM = 6
MAX_BYTES = 100_000
SHAPED_ON = {"bach/bwv66.6.mxl", "bach/bwv130.6.mxl", "mozart/k545/movement1_exposition.mxl",
             "haydn/opus74no1/movement1.mxl", "joplin/maple_leaf_rag.mxl", "leadSheet/fosterBrownHair.mxl",
             "schumann_robert/dichterliebe_no2.xml", "essenFolksong/altdeu10.abc", "haydn/opus74no1/movement3.mxl"}
STRATA = {"chorales": ("bach",), "quartets-sonatas": ("haydn", "mozart", "beethoven"),
          "folk": ("folk-essen", "folk-ryans", "folk-oneills", "folk-other"),
          "piano-songs": ("keyboard-song", "schumann", "joplin")}


def draw(pieces: list[dict]) -> list[tuple[str, Path]]:
    """(stratum, input file) of the sample, by the rule above."""
    usable = [p for p in pieces if p["source"] not in SHAPED_ON]
    drawn: list[tuple[str, Path]] = []
    for stratum, collections in STRATA.items():
        files = sorted(Path(p["inputs"][0]) for p in usable if p["collection"] in collections)
        files = [f for f in files if f.suffix != ".mid" and f.stat().st_size <= MAX_BYTES]
        drawn += [(stratum, f) for f in spread(files, PER_STRATUM)]
    taken = {f.with_suffix("") for _, f in drawn}
    mids = sorted(Path(i) for p in usable for i in p["inputs"] if i.endswith(".mid"))
    mids = [m for m in mids if m.with_suffix("") not in taken and m.stat().st_size <= MAX_BYTES]
    return drawn + [("midi", m) for m in spread(mids, PER_STRATUM)]


def main() -> None:
    corpus, out = Path(sys.argv[1]), Path(sys.argv[2])
    pieces = json.loads((corpus / "pieces.json").read_text())
    (out / "in").mkdir(parents=True, exist_ok=True)
    for stratum, src in draw(pieces):
        name = str(src.relative_to(corpus / "in")).replace("/", "--")
        shutil.copy(src, out / "in" / name)
        print(f"{stratum:16s} {name}")


if __name__ == "__main__":
    main()
