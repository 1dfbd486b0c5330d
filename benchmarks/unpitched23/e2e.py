"""A voice's tune with two claps (<unpitched>) in every other bar, annotated by the CLI of each tree given:
the notes the JSON reports vs the notes the annotated MusicXML colours (phase23-unpitched23.md).
Run from the tree root: python benchmarks/unpitched23/e2e.py TREE [TREE ...]; files under /tmp/up23/e2e."""
import json
import re
import subprocess
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[2] / "tests")]
from cases import note, one, unp  # noqa: E402

TUNE = note("C5", 0.5) + note("D5", 0.5) + note("E5", 1) + note("G5", 1) + note("E5", 1)
CLAPS = unp("E", 4) + unp("E", 4) + note("A4", 1) + note("B4", 1)
BARS = [TUNE, CLAPS, TUNE, CLAPS, note("F5", 1) + note("E5", 1) + note("D5", 2), TUNE, CLAPS, note("C5", 4)]


def occurrences(x: object):  # noqa: ANN201
    if isinstance(x, dict):
        for key, value in x.items():
            if key == "occurrences":
                yield from value
            else:
                yield from occurrences(value)
    elif isinstance(x, list):
        for value in x:
            yield from occurrences(value)


if __name__ == "__main__":
    source = Path("/tmp/up23/e2e/claps_song.musicxml")
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(one(BARS), encoding="utf-8")
    for tree in sys.argv[1:]:
        out = source.parent / Path(tree).name
        run = subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(source), "-o", f"{out}/", "-f",
                              "json,musicxml", "--workers", "1", "-q"], cwd=tree, capture_output=True, text=True,
                             env={"PYTHONPATH": tree, "PYTHONDONTWRITEBYTECODE": "1", "PATH": "/usr/bin:/bin"})
        found = list(occurrences(json.loads((out / "claps_song.motifs.json").read_text())))
        reported = {(n.get("onset", n.get("start")), n.get("pitch")) for o in found for n in o.get("notes", [])}
        coloured = re.findall(r"<note[^>]*color=[^>]*>(.*?)</note>",
                              (out / "claps_song.motifs.musicxml").read_text(encoding="utf-8"), re.S)
        print(f"{tree}: exit {run.returncode}, {len(found)} occurrences, {len(reported)} notes reported "
              f"(pitches {sorted({p for _, p in reported})}), {len(coloured)} coloured, "
              f"{sum('<unpitched>' in c for c in coloured)} of them unpitched")
