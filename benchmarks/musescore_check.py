"""Annotate scores with the CLI, open the result in MuseScore 3, count what it does not show.

    PYTHONPATH=$PWD python benchmarks/musescore_check.py OUTDIR SCORE_OR_CORPUS_WORK ... [-- CLI options]

Each argument is a file, or a music21 corpus work (``bach/bwv66.6``) that is first written as
MusicXML by music21 (the way a notebook user makes one). Per score: ``motif annotate -f
musicxml,json`` (defaults unless options follow ``--``), ``mscore3 -o X.mscx``, then
tests/test_musescore.py's ``annotation_problems`` (every occurrence's notes coloured in its family's
colour at their onsets, one bracket per occurrence from its first note to its end, nothing else
coloured), and the same with a label written without a bracket (past six or nine open at once in a part,
docs/cli.md) accepted as a staff text. The CLI runs from the tree on PYTHONPATH (phase14-clara14.md).

A third count places the report in MuseScore's bars: each beat keeps its place in its bar (the
reader's ``measure_starts``) and takes the bar's start from the .mscx. Where a file's measures are
overfull (music21's Haydn op. 1/1 iii, bar 3: MuseScore rounds the bar's length up to 1/64 of a
whole note, the reader keeps the written one) the beats drift apart and only this count judges the
marks (phase15-musescore15.md).

Last, where each label/bracket hangs (phase16-brackets16.md): of the occurrences whose first note and
label MuseScore shows, how many labels stand on that note's staff and voice, how many first notes are in voice 2-4 and how many of
those labels follow them, and how many bracket starts of the annotated file name a ``<voice>``.
"""

from __future__ import annotations

import bisect
import copy
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_musescore import (  # noqa: E402
    DIVISION,
    Mscx,
    annotation_problems,
    part_of_track,
    read_mscx,
    statement_texts,
)


def on_own_voice(report: dict, mscx: Mscx) -> tuple[int, int, int, int]:
    """(occurrences whose first note MuseScore shows in voice 2-4 of its staff, of those the ones whose
    label/bracket hangs on that staff and voice, occurrences whose label and first note were both found,
    of those on their note's staff and voice): where MuseScore draws a bracket is its track's side."""
    lower = lower_own = found = own = 0
    text_of = statement_texts(report)  # "Motif A3 = B1": one label for the same notes in two families
    for motif in report["motifs"]:
        for occ in motif["occurrences"]:
            if not occ["notes"]:
                continue
            key = (occ["family"], occ["number"])
            staves = mscx.staves_of(part_of_track(mscx, report, occ["track"], occ["track_name"]))
            first = min(occ["notes"], key=lambda n: n["onset"])
            tick = round(first["onset"] * DIVISION)
            notes = [n for n in mscx.notes if n.staff in staves and abs(n.tick - tick) <= 1 and n.pitch == first["pitch"]
                     and n.color is not None and not n.grace]
            texts = [t for t in mscx.texts if t.staff in staves and abs(t.tick - tick) <= 1
                     and (t.text == text_of[key] or t.text.startswith(text_of[key] + " "))]
            if not notes or not texts:
                continue
            note, text = notes[0], texts[0]
            hit = (text.staff, text.voice) == (note.staff, note.voice)
            found += 1
            own += hit
            if note.voice > 1:
                lower += 1
                lower_own += hit
    return lower, lower_own, found, own


def in_musescore_bars(report: dict, starts: list[float] | None, mscx: Mscx) -> dict | None:
    """``report`` with every beat moved to the same place in MuseScore's bar (None when the bars differ
    in number, or the source has no written bars: MIDI)."""
    if starts is None or len(starts) != len(mscx.measure_ticks) - 1:
        return None

    def move(beat: float) -> float:
        k = max(bisect.bisect_right(starts, beat + 1e-9) - 1, 0)
        return mscx.measure_ticks[k] / DIVISION + (beat - starts[k])

    moved = copy.deepcopy(report)
    for motif in moved["motifs"]:
        for occ in motif["occurrences"]:
            occ["start_beat"], occ["end_beat"] = move(occ["start_beat"]), move(occ["end_beat"])
            for n in occ["notes"]:
                n["onset"], n["offset"] = move(n["onset"]), move(n["offset"])
    return moved


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
    from motifcli.readers import read_score

    moved = in_musescore_bars(report, read_score(src).measure_starts, shown)
    by_bar = "-" if moved is None else str(len(annotation_problems(shown, moved)))
    labels = (folder / f"{stem}.motifs.musicxml").read_bytes().count(b">Motif ")
    brackets = (folder / f"{stem}.motifs.musicxml").read_bytes().count(b'<bracket type="start"')
    lower, lower_own, found, own = on_own_voice(report, shown)
    return (f"{src.name}: {len(report['motifs'])} families, {occurrences} occurrences, {len(problems)} problems "
            f"({len(unbracketed)} with unbracketed labels accepted; {by_bar} in MuseScore's bars); "
            f"{labels - brackets} labels without a bracket; on own voice {own}/{found}, "
            f"first note in voice 2-4: {lower} (label on that voice: {lower_own}); "
            f"<voice> in bracket directions: {voice_tags(folder / f'{stem}.motifs.musicxml')}")


def voice_tags(path: Path) -> int:
    """Bracket-start directions of the annotated file that name a <voice>."""
    import re

    text = path.read_text(encoding="utf-8", errors="replace")
    return sum("<voice>" in d for d in re.findall(r"<direction\b(?:(?!</direction>).)*?<bracket type=\"start\"(?:(?!</direction>).)*</direction>", text, re.S))


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
