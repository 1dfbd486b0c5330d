"""Folders for timing ``motif annotate FOLDER --across``, and a summary of what such a run wrote.

    PYTHONPATH=$PWD python -m benchmarks.across_cli_folders make /tmp/acx      # /tmp/acx/mtc, /tmp/acx/essen
    PYTHONPATH=$PWD python -m benchmarks.across_cli_folders summary OUT_FOLDER   # families per file, ...

``make``: the 100 MTC-ANN tune songs (benchmarks/splits/mtc.json; MIDI copied from the shared data, out of
the repo) and the first 100 Essen tunes of music21's han1, written as MusicXML (as across_sanity does).
``summary``: from the ``*.motifs.json`` reports in a folder: files, families per file (mean, min, max),
families stated once in a file, labels in the collection and files per label. phase20-acrosscli20.md.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
from pathlib import Path

from training.datafolder import find_data_root


def make(root: Path) -> None:
    data = find_data_root() / "mtc_ann_dev" / "scores"
    split = json.loads((Path(__file__).parent / "splits" / "mtc.json").read_text())
    mtc = root / "mtc"
    mtc.mkdir(parents=True, exist_ok=True)
    for name in split["tune"]:
        shutil.copy(data / (name if name.endswith(".mid") else f"{name}.mid"), mtc)
    import music21

    essen = root / "essen"
    essen.mkdir(parents=True, exist_ok=True)
    opus = music21.converter.parse(music21.corpus.getWork("essenFolksong/han1.abc"))
    for k, score in enumerate(opus.scores[:100]):
        score.write("musicxml", fp=essen / f"han1_{k:03d}.musicxml")
    print(f"{len(list(mtc.iterdir()))} MTC songs in {mtc}, {len(list(essen.iterdir()))} Essen tunes in {essen}")


def summary(folder: Path) -> None:
    reports = [json.loads(p.read_text()) for p in sorted(folder.glob("*.motifs.json"))]
    per_file = [len(r["motifs"]) for r in reports]
    once = [sum(len(m["occurrences"]) == 1 for m in r["motifs"]) for r in reports]
    labels: dict[str, int] = {}
    for r in reports:
        for m in r["motifs"]:
            labels[m["name"]] = labels.get(m["name"], 0) + 1
    print(f"files {len(reports)}; families/file mean {statistics.mean(per_file):.2f} min {min(per_file)} "
          f"max {max(per_file)}; stated once in the file {statistics.mean(once):.2f}/file; labels {len(labels)}; "
          f"files/label mean {statistics.mean(labels.values()) if labels else 0:.1f} max {max(labels.values(), default=0)}")


if __name__ == "__main__":
    {"make": make, "summary": summary}[sys.argv[1]](Path(sys.argv[2]))
