"""Does this tree notate MIDI as another tree does? (phase 15, notation15)

    PYTHONPATH=$TREE python benchmarks/notation_identity.py OUTDIR FILE.mid ...   # writes OUTDIR.json

Per MIDI file: sha1 of ``motif annotate FILE -f musicxml`` (music21's random ``score-instrument`` ids
replaced by one string), and the tracks discovery separates into lines (default settings), the only
tracks whose notation writers/notation_lines.py changes. Run in each tree and compare the JSON files.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, os.environ.get("PYTHONPATH", "") or str(Path(__file__).resolve().parents[1]))


def main() -> None:
    import motifcli
    from motifcli.discovery import DiscoverySettings
    from motifcli.voice_ids import SEPARATED
    from motifcli.voices import split_voices

    out = Path(sys.argv[1])
    rows = {}
    for f in sys.argv[2:]:
        folder = out / Path(f).stem
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(Path(f).resolve()), "-f", "musicxml",
                        "-o", f"{folder}/", "-q"], check=True, cwd=folder, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
        xml = re.sub(rb'id="I[0-9a-f]{32}"', b'id="I"', next(folder.glob("*.motifs.musicxml")).read_bytes())
        lines = split_voices(motifcli.read_score(f), by_staff=DiscoverySettings().staff_voices)
        rows[Path(f).name] = [hashlib.sha1(xml).hexdigest(), sorted({v.track for v in lines if v.voice > SEPARATED})]
    Path(f"{out}.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
