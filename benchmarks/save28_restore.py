"""The plugin's "Restore motif placement" on saved scores (phase28-save28.md): how close to motif's MusicXML.

    PYTHONPATH=$TREE python benchmarks/save28_restore.py OUT ANNOTATED.musicxml [...]

For each annotated MusicXML file: ``mscore3`` saves it as ``.mscx`` (as a musician saves it); the plugin
(``plugins/musescore/motif-placement.qml``, run by ``mscore3 -j`` with its settings in a private HOME: quiet,
work folder OUT/work) writes its copy with the placement put back; ``mscore3`` opens that copy and saves it
again (``.mscx``, as the musician then saves it); pages of the MusicXML, the saved ``.mscx`` and the copy saved
again are rendered (``-r 100``). Prints the plugin's message and the pixels that differ from the MusicXML's
pages.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
from pathlib import Path

from save28_roundtrip import differing, pages

PLUGIN = Path(__file__).resolve().parents[1] / "plugins" / "musescore" / "motif-placement.qml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args()
    out = args.out.resolve()
    work, home = out / "work", out / "home"
    work.mkdir(parents=True, exist_ok=True)
    ini = home / ".config" / "MuseScore" / "MuseScore3.ini"
    ini.parent.mkdir(parents=True, exist_ok=True)
    ini.write_text("[motif]\nmotifPath=motif\nmodelPath=\nsensitivity=0.5\nworkDir=" + str(work)
                   + "\nreportPath=\ntimeoutSeconds=300\nquiet=true\nunit=note\ninversions=false\n"
                   "augmentations=false\nretrogrades=false\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"))

    def mscore(*a: str) -> str:
        proc = subprocess.run(["mscore3", *a], env=env, capture_output=True, text=True, timeout=600, check=False)
        return proc.stdout + proc.stderr

    print("| piece | plugin's message | saved .mscx | copy, saved again |")
    print("|---|---|---|---|")
    for src in args.files:
        name = src.name.split(".")[0]
        saved = out / f"{name}.mscx"
        mscore("-o", str(saved), str(src))
        job = out / "job.json"
        job.write_text(json.dumps([{"in": str(saved), "plugin": str(PLUGIN), "out": [str(out / "untouched.mscx")]}]))
        log = mscore("-j", str(job))
        said = next((line.split("motif: ", 1)[1] for line in log.splitlines() if "motif: " in line), "(none)")
        placed = work / f"{name}-placed.mscx"
        again = out / f"{name}.again.mscx"
        mscore("-o", str(again), str(placed))
        for tag, path in (("xml", src), ("saved", saved), ("again", again)):
            mscore("-r", "100", "-o", str(out / f"{name}.{tag}.png"), str(path))
        ref = pages(out / f"{name}.xml")
        print(f"| {name} | {said.split(': ', 1)[-1]} | {differing(ref, pages(out / f'{name}.saved'))} | "
              f"{differing(ref, pages(out / f'{name}.again'))} |")


if __name__ == "__main__":
    main()
