"""Render the pages a musician looks at (phase26-eye26.md): 10 inputs annotated with the defaults, as PNGs.

    PYTHONPATH=$TREE python benchmarks/eye26_pages.py OUT [--original]

Inputs (none from BPS-motif, MTC or POP909's data folder): the bundled POP909 101 and 303 (MIDI),
music21's bwv66.6 and bwv130.6 (3/4), Mozart K. 545 i (exposition), Haydn op. 74/1 i (string quartet),
Joplin's Maple Leaf Rag, Foster's "Jeanie" (lead sheet: chord symbols, two verses), Schumann's
Dichterliebe 2 (voice with lyrics and piano) and the first Essen tune of altdeu10 (written as MusicXML).
Each is annotated (``motif annotate FILE -f musicxml -o OUT/xml``) and rendered by MuseScore 3
(``mscore3 -r 100 -o OUT/png/NAME.png``: one PNG per page); ``--original`` renders the MusicXML inputs
un-annotated into OUT/orig. MuseScore's messages go to OUT/png/NAME.mscore.log.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS_FILES = {
    "bwv66.6.mxl": "bach/bwv66.6.mxl",
    "bwv130.6.mxl": "bach/bwv130.6.mxl",
    "mozart-k545-i.mxl": "mozart/k545/movement1_exposition.mxl",
    "haydn-op74-1-i.mxl": "haydn/opus74no1/movement1.mxl",
    "maple-leaf-rag.mxl": "joplin/maple_leaf_rag.mxl",
    "foster-brown-hair.mxl": "leadSheet/fosterBrownHair.mxl",
    "dichterliebe-2.xml": "schumann_robert/dichterliebe_no2.xml",
}


def make_inputs(folder: Path) -> list[Path]:
    from music21 import corpus

    folder.mkdir(parents=True, exist_ok=True)
    root = Path(corpus.__file__).parent
    for name, src in CORPUS_FILES.items():
        shutil.copy(root / src, folder / name)
    corpus.parse("essenFolksong/altdeu10", number=1).write("musicxml", fp=str(folder / "essen-altdeu10-1.musicxml"))
    for name in ("pop909-101.mid", "pop909-303.mid"):
        shutil.copy(REPO / "examples" / name, folder / name)
    return sorted(folder.iterdir())


def mscore(src: Path, png: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(["mscore3", "-r", "100", "-o", str(png), str(src)], env=env, capture_output=True, text=True)
    png.with_suffix(".mscore.log").write_text(proc.stdout + proc.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--original", action="store_true", help="also render the MusicXML inputs un-annotated")
    args = parser.parse_args()
    inputs = make_inputs(args.out / "in")
    (args.out / "png").mkdir(parents=True, exist_ok=True)
    for src in inputs:
        name = src.name.rsplit(".", 1)[0]
        cmd = [sys.executable, "-m", "motifcli", "annotate", str(src), "-f", "musicxml", "-o", str(args.out / "xml")]
        subprocess.run(cmd, check=True, capture_output=True)
        (xml,) = (args.out / "xml").glob(f"{name}.motifs.*")
        mscore(xml, args.out / "png" / f"{name}.png")
        if args.original and src.suffix != ".mid":
            (args.out / "orig").mkdir(exist_ok=True)
            mscore(src, args.out / "orig" / f"{name}.png")
        print(name, len(list((args.out / "png").glob(f"{name}-*.png"))), "pages")


if __name__ == "__main__":
    main()
