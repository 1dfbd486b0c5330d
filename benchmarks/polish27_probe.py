"""Session 27 (polish27) numbers: the JSON report's size, render time and round trip, and which scores' keys get
the line on brackets drawn apart (benchmarks/phase27-polish27.md).

    PYTHONPATH=$TREE python -m benchmarks.polish27_probe json $TREE   # the three examples/*.mid, default note level
    PYTHONPATH=$TREE python -m benchmarks.polish27_probe keys $TREE   # music21 corpus pieces and the examples
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from pathlib import Path

CORPUS = ("bach/bwv66.6", "bach/bwv1.6", "bach/bwv11.6", "bach/bwv130.6", "mozart/k545/movement1_exposition.mxl",
          "beethoven/opus18no1/movement1.mxl", "schumann/opus41no1/movement2.mxl", "joplin/maple_leaf_rag.mxl",
          "verdi/laDonnaEMobile.mxl")


def json_numbers(repo: Path) -> None:
    """Per example: JSON bytes, render time (median of 7), whether from_dict gives the annotation back, notes moved."""
    import motifcli
    from motifcli.annotation import Annotation
    from motifcli.writers.json_out import render

    for song in sorted((repo / "examples").glob("*.mid")):
        score = motifcli.read_score(song)
        annotation = motifcli.annotate(score)
        times = []
        for _ in range(7):
            t0 = time.perf_counter()
            text = render(annotation, score)
            times.append(time.perf_counter() - t0)
        back = Annotation.from_dict(json.loads(text))
        pairs = [(n, b) for m, mb in zip(annotation.motifs, back.motifs)
                 for o, ob in zip(m.occurrences, mb.occurrences) for n, b in zip(o.notes, ob.notes)]
        moved = sum((n.onset, n.offset) != (b.onset, b.offset) for n, b in pairs)
        print(f"{song.name}: json {len(text.encode()):,} bytes, render median {statistics.median(times) * 1000:.1f} ms, "
              f"equal {back == annotation}, notes moved {moved}/{len(pairs)}")


def keys(repo: Path) -> None:
    """Per score: its brackets, how many open below the staff / dashed / dotted, and whether the key has the line."""
    import music21

    import motifcli
    from motifcli.writers import musicxml
    from motifcli.writers.musicxml_key import OPTIONAL_LINES

    pieces = [Path(str(music21.corpus.getWork(w))) for w in CORPUS] + sorted((repo / "examples").glob("*.mid"))
    for path in pieces:
        score = motifcli.read_score(path)
        data = musicxml.render(motifcli.annotate(score), score).decode("utf-8", "replace")
        starts = len(re.findall(r'<bracket type="start"', data))
        below = len(re.findall(r'<direction placement="below"><direction-type><bracket type="start"', data))
        dashed, dotted = (len(re.findall(rf'<bracket type="start"[^>]*line-type="{t}"', data)) for t in ("dashed", "dotted"))
        print(f"{path.name}: brackets {starts}, below {below}, dashed {dashed}, dotted {dotted}, "
              f"line {OPTIONAL_LINES[0] in data}")


if __name__ == "__main__":
    {"json": json_numbers, "keys": keys}[sys.argv[1]](Path(sys.argv[2]))
