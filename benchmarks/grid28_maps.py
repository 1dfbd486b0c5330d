"""``meter_map_for``'s map of each file, hashed: are two trees' maps the same? (session 28, phase28-grid28.md)

    PYTHONPATH=$TREE python benchmarks/grid28_maps.py OUT.txt [WORKDIR]

POP909 songs 083-499 (tune songs, the labelled songs 021-082 left out: the label test songs are among them)
and the 8 BPS dev pieces outside the test list (01 05 09 13 17 21 25 29): one line per file, the sha1 of
the map's repr (bars, source, confidence) and its source; with WORKDIR (``benchmarks/score_midi28.py``'s),
also every MIDI file there (music21's and MuseScore's of corpus pieces: the paths through ``missed_pickup`` and
``shifted_time_signatures``). Diff the outputs of two trees.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

sys.path.insert(0, os.environ.get("PYTHONPATH", "") or str(Path(__file__).resolve().parents[1]))

DATA = Path("/work/shared/data")
BPS_DEV = ("01", "05", "09", "13", "17", "21", "25", "29")


def main(out: str, work: str | None = None) -> None:
    from motifcli.meter_signatures import meter_map_for
    from motifcli.readers.midi import read_midi

    files = [p for i in range(83, 500) if (p := DATA / "pop909" / f"{i:03d}" / f"{i:03d}.mid").exists()]
    files += [DATA / "bps_motif_dev" / "scores" / f"{k}-1.mid" for k in BPS_DEV]
    files += sorted(Path(work).glob("*.mid")) if work else []
    lines = []
    for path in files:
        m = meter_map_for(read_midi(str(path)))
        lines.append(f"{path.parent.name}/{path.name}\t{hashlib.sha1(repr(m).encode()).hexdigest()}\t{m.source}")
    Path(out).write_text("\n".join(lines) + "\n")
    print(len(lines), "files", sum(line.endswith("midi") for line in lines), "from the file's signatures")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
