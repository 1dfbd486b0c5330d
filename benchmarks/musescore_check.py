"""Annotate scores with the CLI, open the result in MuseScore 3, count what it does not show.

    PYTHONPATH=$PWD python benchmarks/musescore_check.py OUTDIR SCORE_OR_CORPUS_WORK ... [-- CLI options]

Each argument is a file, or a music21 corpus work (``bach/bwv66.6``) that is first written as
MusicXML by music21 (the way a notebook user makes one). Per score: ``motif annotate -f
musicxml,json`` (defaults unless options follow ``--``), ``mscore3 -o X.mscx``, then
tests/test_musescore.py's ``annotation_problems`` (every occurrence's notes coloured in its family's
colour at their onsets, one bracket per occurrence from its first note to its end, nothing else
coloured), and the same with a label written without a bracket (past six open at once in a part,
docs/cli.md) accepted as a staff text. The CLI runs from the tree on PYTHONPATH (phase14-clara14.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_musescore import annotation_problems, read_mscx  # noqa: E402


def source(arg: str, out: Path) -> Path:
    if Path(arg).is_file():
        return Path(arg)
    import music21

    dest = out / (arg.replace("/", "_") + ".musicxml")
    music21.corpus.parse(arg).write("musicxml", fp=str(dest))
    return dest


def check(src: Path, out: Path, options: list[str]) -> str:
    stem = src.name.rsplit(".", 1)[0]
    src, folder = src.resolve(), (out / stem).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    cmd = [sys.executable, "-m", "motifcli", "annotate", str(src), "-f", "musicxml,json", "-o", f"{folder}/", "-q", *options]
    # run outside any tree: `python -m` puts the working folder first, ahead of PYTHONPATH
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=folder)
    if proc.returncode != 0:
        return f"{src.name}: motif exit {proc.returncode}: {proc.stderr.strip()[:200]}"
    mscx = folder / f"{stem}.mscx"
    subprocess.run(["mscore3", "-o", str(mscx), str(folder / f"{stem}.motifs.musicxml")],
                   env=dict(os.environ, QT_QPA_PLATFORM="offscreen"), capture_output=True, timeout=600)
    report = json.loads((folder / f"{stem}.motifs.json").read_text())
    shown = read_mscx(mscx)
    problems = annotation_problems(shown, report)
    unbracketed = annotation_problems(shown, report, text_kinds=("TextLine", "StaffText"))
    occurrences = sum(len(m["occurrences"]) for m in report["motifs"])
    (folder / "problems.txt").write_text("\n".join(problems) + "\n")
    return (f"{src.name}: {len(report['motifs'])} families, {occurrences} occurrences, {len(problems)} problems "
            f"({len(unbracketed)} with unbracketed labels accepted)")


def main() -> None:
    args = sys.argv[1:]
    options = args[args.index("--") + 1 :] if "--" in args else []
    args = args[: args.index("--")] if "--" in args else args
    out = Path(args[0])
    out.mkdir(parents=True, exist_ok=True)
    for arg in args[1:]:
        print(check(source(arg, out), out, options), flush=True)


if __name__ == "__main__":
    main()
