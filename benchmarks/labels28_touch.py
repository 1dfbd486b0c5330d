"""Count labels MuseScore 3 draws side by side so close that they read as one (phase28-labels28.md).

    PYTHONPATH=$TREE python benchmarks/labels28_touch.py OUT [XML ...]

Without XML: the ten inputs of ``benchmarks/eye26_pages.py`` (none from BPS-motif, MTC or POP909's data folder) and
Haydn op. 74/1 iii (the trial27 quartet, music21's MusicXML) are annotated with the defaults by the tree on
PYTHONPATH (``motif annotate FILE -f musicxml -o OUT/xml``); with XML, those annotated files are measured as they are.
Each is laid out by ``mscore3 -o OUT/svg/NAME.svg`` (one SVG a page), and every text's ink box read from its glyph
path (``label_collisions.label_boxes``: staff texts, the key's lines among them, and bracket texts). Two texts of a
page *touch* when their boxes share height (one row) and the white between them is under one staff space
(24.8 SVG units: MuseScore's default 1.75 mm at 360 per inch; a word space of the labels' font is about half
that), so "Motif A1 Motif B1" reads as one phrase; they *overlap* when the boxes cross (label_collisions'
collision). Printed per input: pages, texts, touching pairs, overlapping pairs, and pairs under two spaces.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.label_collisions import Box, label_boxes

SPACE = 24.8  # one staff space in MuseScore 3's SVG units (1.75 mm at 360 dpi)


def pairs(boxes: list[Box], within: float) -> list[tuple[Box, Box, float]]:
    """The pairs of boxes in one row (their heights overlap) less than ``within`` apart (negative: crossing)."""
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if min(a[3], b[3]) <= max(a[1], b[1]):
                continue  # not one row
            gap = max(a[0], b[0]) - min(a[2], b[2])
            if gap < within:
                found.append((a, b, gap))
    return found


def measure(xml: Path, svg_dir: Path) -> dict:
    """Lay ``xml`` out in MuseScore 3 and count its texts, touching and overlapping pairs."""
    svg_dir.mkdir(parents=True, exist_ok=True)
    name = xml.name.split(".motifs.")[0]
    home = Path(tempfile.mkdtemp(prefix="ms-home-"))
    env = {**os.environ, "HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run(["mscore3", "-o", str(svg_dir / f"{name}.svg"), str(xml)], env=env, capture_output=True,
                   timeout=600, check=True)
    row = {"input": name, "pages": 0, "texts": 0, "touch": 0, "overlap": 0, "near": 0}
    for page in sorted(svg_dir.glob(f"{name}-*.svg")):
        boxes = label_boxes(page.read_text(encoding="utf-8"))
        close = pairs(boxes, 2 * SPACE)
        row["pages"] += 1
        row["texts"] += len(boxes)
        row["near"] += len(close)
        row["touch"] += sum(1 for *_, gap in close if 0 <= gap < SPACE)
        row["overlap"] += sum(1 for *_, gap in close if gap < 0)
    return row


def annotate_inputs(out: Path) -> list[Path]:
    """The eye26 inputs and the quartet, annotated with the defaults into OUT/xml."""
    from music21 import corpus

    from benchmarks.eye26_pages import make_inputs

    inputs = make_inputs(out / "in")
    quartet = out / "in" / "haydn-op74-1-iii.musicxml"
    corpus.parse("haydn/opus74no1/movement3").write("musicxml", fp=str(quartet))
    inputs.append(quartet)
    for src in inputs:
        cmd = [sys.executable, "-m", "motifcli", "annotate", str(src), "-f", "musicxml", "-o", str(out / "xml")]
        subprocess.run(cmd, check=True, capture_output=True)
    return sorted((out / "xml").glob("*.motifs.musicxml"))


def main() -> None:
    out, *given = sys.argv[1:]
    xmls = [Path(x) for x in given] or annotate_inputs(Path(out))
    total = {"pages": 0, "texts": 0, "touch": 0, "overlap": 0, "near": 0}
    for xml in xmls:
        row = measure(xml, Path(out) / "svg")
        print(f"{row['input']:24s} pages {row['pages']:3d} texts {row['texts']:4d} touch {row['touch']:3d} "
              f"overlap {row['overlap']:3d} under-2sp {row['near']:3d}", flush=True)
        for key in total:
            total[key] += row[key]
    print("total", total)


if __name__ == "__main__":
    main()
