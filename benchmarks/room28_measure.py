"""The held-out check's two measurements (phase28-room28.md): which texts touch, and how narrow a beat is drawn.

    PYTHONPATH=$PWD python benchmarks/room28_measure.py pairs SVG_DIR        # after labels28_touch.py OUT: OUT/svg
    PYTHONPATH=$PWD python benchmarks/room28_measure.py beats OUT XML ...    # mscore3 -o OUT/NAME.mpos per XML

``pairs``: every touching pair of texts of a page (``label_collisions.label_boxes``: in one row and 0 to one
staff space, 24.8 SVG units, apart, as labels28_touch.py counts), whether each is a label (:func:`is_label`) or
another text (the score's own "cresc.", a tempo word), with the page's own staff space (the distance of its
first two staff lines: a score's ``<scaling>`` can make it smaller than MuseScore's default) and each text's
kind (a bracket's ``TextLineSegment`` or a ``StaffText``).

``beats``: MuseScore's measure positions (``.mpos``: x and width ``sx`` of each measure, in tenths of an SVG
unit, and its start in ms) and music21's measures of the first part give each measure's drawn width per quarter
note (the unit of ``musicxml_room.needs_room``'s reach), in the page's staff spaces (from ``mscore3 -o X.svg``).
Printed per file: the narrowest measure's width per quarter, and that of the narrowest ``len("Motif A1") + 2``
= 10 quarters drawn in one system (consecutive measures of one line), the span the reach assumes is at least 10 spaces.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from benchmarks.label_collisions import _NUMBER
from benchmarks.labels28_touch import SPACE

_TEXT = re.compile(r'<path class="(TextLineSegment|StaffText)"[^>]*? d="([^"]*)"')
_STAFF_LINE = re.compile(r'class="StaffLines"[^>]*points="[\d.]+,([\d.]+) ')
REACH = 10  # quarters: "Motif A1" (8 characters) + the room's 2


def staff_space(svg: str) -> float:
    """The distance of the page's first two staff lines, in SVG units (0 on a page without a staff)."""
    ys = [float(y) for y in _STAFF_LINE.findall(svg)[:2]]
    return ys[1] - ys[0] if len(ys) == 2 else 0.0


def is_label(path: str, space: float) -> bool:
    """Whether a text's glyph path starts as "Motif" does: its "M" drawn from the top right down to the left at
    the slope of MuseScore 3's staff text font (28.66 down per 12.81 left) and at the labels' size (the "M"
    about 1.15 staff spaces tall; the key's "Motifs:" line, 7 points, about 0.8). A score's own word starting
    with a capital M in that font and size ("Meno mosso") would count as a label too."""
    nums = [float(x) for x in _NUMBER.findall(path[:80])]
    if not path.startswith("M") or path[path.index(" ") + 1] != "L" or len(nums) < 4:
        return False
    dx, dy = nums[2] - nums[0], nums[3] - nums[1]
    return dx < 0 and abs(dy / dx + 28.656 / 12.812) < 0.02 and dy > space


def pairs(svg_dir: Path) -> None:
    """Print each touching pair of every page in ``svg_dir`` and the count by kind (label/other)."""
    counts = {"label-label": 0, "label-other": 0, "other-other": 0}
    for page in sorted(svg_dir.glob("*.svg")):
        svg = page.read_text(encoding="utf-8")
        space = staff_space(svg) or SPACE
        texts = []
        for m in _TEXT.finditer(svg):
            nums = [float(x) for x in _NUMBER.findall(m.group(2))]
            xs, ys = nums[0::2], nums[1::2]
            kind = "label" if is_label(m.group(2), space) else "other"
            texts.append((f"{m.group(1)}:{kind}", (min(xs), min(ys), max(xs), max(ys))))
        for i, (ka, a) in enumerate(texts):
            for kb, b in texts[i + 1:]:
                if min(a[3], b[3]) <= max(a[1], b[1]):
                    continue
                gap = max(a[0], b[0]) - min(a[2], b[2])
                if 0 <= gap < SPACE:
                    counts["-".join(sorted(k.split(":")[1] for k in (ka, kb)))] += 1
                    left, right = ((ka, a), (kb, b)) if a[0] <= b[0] else ((kb, b), (ka, a))
                    print(f"{page.name}: space {space:.2f} gap {gap:.1f} "
                          f"{left[0]} {tuple(round(v) for v in left[1])} | {right[0]} {tuple(round(v) for v in right[1])}")
    print("touching pairs", counts)


def quarters(xml: Path) -> list[float]:
    """The quarter lengths of the first part's measures, as music21 reads them (a pickup: its content)."""
    from music21 import converter

    part = converter.parse(xml).parts[0]
    return [float(m.duration.quarterLength) for m in part.getElementsByClass("Measure")]


def beats(out: Path, xmls: list[Path]) -> None:
    """Print, per annotated file, how narrow MuseScore draws a quarter (see the module's docstring)."""
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HOME": tempfile.mkdtemp(prefix="ms-home-"), "QT_QPA_PLATFORM": "offscreen"}
    overall = (float("inf"), "")
    for xml in xmls:
        name = xml.name.split(".motifs.")[0]
        mpos, svg = out / f"{name}.mpos", out / f"{name}.svg"
        for target in (mpos, svg):
            subprocess.run(["mscore3", "-o", str(target), str(xml)], env=env, capture_output=True, timeout=600,
                           check=True)
        spaces = {int(p.stem.rsplit("-", 1)[1]) - 1: staff_space(p.read_text(encoding="utf-8"))
                  for p in out.glob(f"{name}-*.svg") if re.fullmatch(r"\d+", p.stem[len(name) + 1:])}
        root = ET.parse(mpos).getroot()
        ms = [(float(e.get("x")), float(e.get("sx")), int(e.get("page"))) for e in root.iter("element")]
        qs = quarters(xml)
        if len(qs) != len(ms) or not all(spaces.get(page) for _, _, page in ms):
            print(f"{name}: {len(ms)} measures drawn, {len(qs)} read, pages {sorted(spaces)}: skipped")
            continue
        per = [(sx / 10 / spaces[page] / q, i) for i, ((x, sx, page), q) in enumerate(zip(ms, qs)) if q > 0]
        narrow_m = min(per)
        # windows of consecutive measures on one line (x grows) holding >= REACH quarters
        narrow_w = float("inf")
        for i in range(len(ms)):
            width, q, j = 0.0, 0.0, i
            while j < len(ms) and q < REACH and (j == i or (ms[j][0] > ms[j - 1][0] and ms[j][2] == ms[i][2])):
                width += ms[j][1] / 10 / spaces[ms[j][2]]
                q += qs[j]
                j += 1
            if q >= REACH:
                narrow_w = min(narrow_w, width / q)
        print(f"{name:40s} narrowest measure {narrow_m[0]:.2f} sp/quarter (measure {narrow_m[1] + 1}, "
              f"{qs[narrow_m[1]]:g} q), narrowest {REACH} quarters of a line "
              + (f"{narrow_w:.2f} sp/quarter" if narrow_w < float("inf") else "- (no line holds them)"), flush=True)
        overall = min(overall, (narrow_m[0], name))
    print("narrowest measure overall", overall)


if __name__ == "__main__":
    if sys.argv[1] == "pairs":
        pairs(Path(sys.argv[2]))
    else:
        beats(Path(sys.argv[2]), [Path(x) for x in sys.argv[3:]])
