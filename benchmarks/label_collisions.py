"""Count "Motif A1" labels MuseScore 3 draws over one another, from the SVG pages it lays out.

    PYTHONPATH=$TREE python benchmarks/label_collisions.py OUTDIR INPUT ... [--json OUT.json]

Each INPUT is a file (MIDI is notated by the CLI, as the tests do) or a music21 corpus work
(``bach/bwv1.6``: its corpus file, as tests/test_musescore.py's pictures use it), or ``bps:tune`` /
``chorales:N`` (BPS-motif's tune pieces; the first N Bach chorales of music21's corpus by name).
Per input: ``motif annotate INPUT --format musicxml`` (the tree on PYTHONPATH), ``mscore3 -o X.svg``
(one SVG per page), then every label's box on its page: MuseScore 3 exports a text as one ``<path>``
of glyph outlines, class ``TextLineSegment`` for a bracket's own text and ``StaffText`` for words
standing alone (lines and hooks are ``<polyline>``s). Two labels *collide* when their boxes overlap
(width and height > 0). Counted: labels drawn, labels that collide with another, colliding pairs.
Texts of the source itself (a sonata's "dolce") would count too: the inputs used here have none.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

_TEXT_PATH = re.compile(r'<path class="(TextLineSegment|StaffText)"[^>]*? d="([^"]*)"')
_NUMBER = re.compile(r"-?\d+(?:\.\d*)?")
Box = tuple[float, float, float, float]


def label_boxes(svg: str) -> list[Box]:
    """(x0, y0, x1, y1) of every bracket text and staff text on one SVG page."""
    boxes = []
    for m in _TEXT_PATH.finditer(svg):
        nums = [float(x) for x in _NUMBER.findall(m.group(2))]
        xs, ys = nums[0::2], nums[1::2]
        if xs and ys:
            boxes.append((min(xs), min(ys), max(xs), max(ys)))
    return boxes


def collisions(boxes: list[Box]) -> tuple[int, int]:
    """(labels overlapping another, overlapping pairs) of one page's boxes."""
    hit: set[int] = set()
    pairs = 0
    for i, a in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            b = boxes[j]
            if min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1]):
                pairs += 1
                hit.update((i, j))
    return len(hit), pairs


def expand(arg: str) -> list[Path]:
    """The input files an argument names."""
    if arg.startswith("bps:"):
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from benchmarks.motif_corpora import split_pieces
        from training.datafolder import find_data_root

        root = find_data_root()
        return [root / "bps_motif_dev" / "scores" / f"{name}.mid" for name in split_pieces("bps", arg[4:])]
    import music21

    if arg.startswith("chorales:"):
        paths = sorted((Path(str(p)) for p in music21.corpus.getComposer("bach")), key=lambda p: p.name)
        return [p for p in paths if p.name.startswith("bwv")][: int(arg[9:])]
    if Path(arg).is_file():
        return [Path(arg)]
    return [Path(str(music21.corpus.getWork(arg)))]


def measure(src: Path, out: Path) -> dict:
    """Annotate ``src``, lay it out in MuseScore 3, count its labels and collisions."""
    out.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "motifcli", "annotate", str(src), "--format", "musicxml", "-o", str(out)]
    # run in OUT: ``-m`` puts the working folder first on sys.path, so the tree on PYTHONPATH is the one run
    subprocess.run(cmd, check=True, capture_output=True, timeout=600, cwd=out)
    (xml,) = out.glob("*.motifs.musicxml")
    home = Path(tempfile.mkdtemp(prefix="ms-home-"))
    env = {**os.environ, "HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    svg = out / "page.svg"
    subprocess.run(["mscore3", "-o", str(svg), str(xml)], env=env, capture_output=True, timeout=600, check=True)
    labels = hit = pairs = 0
    pages = sorted(out.glob("page-*.svg"))
    for page in pages:
        boxes = label_boxes(page.read_text(encoding="utf-8"))
        h, p = collisions(boxes)
        labels, hit, pairs = labels + len(boxes), hit + h, pairs + p
    written = xml.read_text(encoding="utf-8").count("<words")
    return {"input": src.name, "pages": len(pages), "words": written, "labels": labels, "colliding": hit, "pairs": pairs}


def main(argv: list[str]) -> None:
    json_out = None
    if "--json" in argv:
        k = argv.index("--json")
        json_out, argv = Path(argv[k + 1]), argv[:k] + argv[k + 2:]
    outdir, *args = argv
    rows = []
    for arg in args:
        for src in expand(arg):
            row = measure(src, Path(outdir) / src.stem)
            rows.append(row)
            print(f"{row['input']:28s} pages {row['pages']:3d} words {row['words']:4d} labels {row['labels']:4d} "
                  f"colliding {row['colliding']:4d} pairs {row['pairs']:4d}", flush=True)
    total = {k: sum(r[k] for r in rows) for k in ("words", "labels", "colliding", "pairs")}
    print("total", total)
    if json_out is not None:
        json_out.write_text(json.dumps({"rows": rows, "total": total}, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
