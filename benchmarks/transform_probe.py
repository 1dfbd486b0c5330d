"""Strict inversions, augmentations and retrogrades: how often they occur by chance, and which statements
discovery marks (phase18-inv18.md, phase18-aug18.md, phase18-retro18.md; one script since phase18-dedup18.md).

    PYTHONPATH=$PWD python -m benchmarks.transform_probe chance --kind K bps tune           # window counts per length
    PYTHONPATH=$PWD python -m benchmarks.transform_probe chance --kind K files A.mxl B.mid ...
    PYTHONPATH=$PWD python -m benchmarks.transform_probe chance --kind retrograde --written bps tune
    PYTHONPATH=$PWD python -m benchmarks.transform_probe found --kind K bps tune "inversions=6" [--model]
    PYTHONPATH=$PWD python -m benchmarks.transform_probe found --kind K files "inversions=6" A.mxl ...
    PYTHONPATH=$PWD python -m benchmarks.transform_probe sweep --kind K /tmp/a16/sw [--only SUBSTR]  # motif annotate --K
    PYTHONPATH=$PWD python -m benchmarks.transform_probe canon --kind augmentation 6 OUT_DIR       # Ciconia as a 2:1 canon
    PYTHONPATH=$PWD python -m benchmarks.transform_probe canon --kind retrograde 6 OUT_DIR [WORK]  # a real line as a crab canon
    PYTHONPATH=$PWD python -m benchmarks.transform_probe timing --kind augmentation|retrograde FILE  # medians of 5

K is inversion, augmentation or retrograde (the options ``inversions``, ``augmentations``, ``retrogrades``).

``chance`` (benchmarks/transform_chance.py): over the lines discovery builds (default settings), per window
length n, the windows whose transformed form occurs elsewhere as a non-overlapping window, and of those
the shapes that meet themselves transformed everywhere (scales, zigzags, one note value), the share a
guard keeps. ``found``: every statement discovery marks transformed under the given settings, with its
family's prototype intervals and its own (with ``--kind retrograde`` also how many other statements differ
from those of the same settings with ``retrogrades=0``, a statement being its set of notes). ``sweep``:
every input of a corpus sweep (``benchmarks.corpus_sweep prepare``) annotated as ``motif annotate --K``
does (the product path, model loaded lazily): per input its families and statements, and each marked
statement with its bars and line. ``canon``: music21's corpus holds no such canon with two lines, so a
real line is written as one, MusicXML and MIDI, and its families with the defaults and with the option:
augmentation, Ciconia's *Quod jactatur* (one notated line) against itself in doubled values a fifth lower
from the same start (a mensuration canon's 2:1); retrograde, the line (default Ciconia; or WORK, e.g.
bach/bwv1.6, its top part) against its written retrograde (the notes and rests in reverse order, each with
its value), both from the start, as Bach's Musical Offering canon 1 a 2. ``timing``: ``discover`` on FILE
with the defaults, the option at 6 notes, and with inversions too, medians of 5 runs.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from motifcli.discovery import DiscoverySettings, discover


@dataclass(frozen=True)
class Kind:
    """What differs between the three transformations in this probe's output."""

    option: str  # the DiscoverySettings / Settings field
    word: str  # "3 inverted", "inputs with inverted statements"
    marked: Callable[[object], bool]  # is an occurrence (discovery's or the annotation's) so transformed
    tag: Callable[[object], str]  # ``found``: the statement's tag
    sweep_tail: Callable[[object], str]  # ``sweep``: after the statement's label
    iois: bool  # ``found`` prints inter-onset intervals
    timing: tuple[dict[str, int], ...] = ()


KINDS = {
    "inversion": Kind("inversions", "inverted", lambda o: o.inverted, lambda o: "inverted", lambda o: "", iois=False),
    "augmentation": Kind("augmentations", "scaled", lambda o: o.time_scale != 1, lambda o: f"x{o.time_scale:g}",
                         lambda o: f" x{o.time_scale:g}", iois=True,
                         timing=({}, {"augmentations": 6}, {"inversions": 6, "augmentations": 6})),
    "retrograde": Kind("retrogrades", "retrograde", lambda o: o.retrograde,
                       lambda o: "retr. inv." if o.inverted else "retr.", lambda o: "", iois=True,
                       timing=({}, {"retrogrades": 6}, {"retrogrades": 6, "inversions": 6})),
}


def _notes(notes: list, iois: bool) -> str:
    text = f"intervals {np.diff([n.pitch for n in notes]).tolist()}"
    return text + f" iois {np.diff([n.onset for n in notes]).round(3).tolist()}" if iois else text


def found(named: list[tuple[str, object]], spec: str, model: object | None, kind: Kind) -> None:
    from benchmarks.discovery_sweep import parse_set

    settings = DiscoverySettings(**parse_set(spec.split()))
    against_off = kind.option == "retrogrades"  # where a key group holds a retrograde, its ordinary repeats change
    off = dataclasses.replace(settings, **{kind.option: 0})
    total = gone = new = kept = 0
    for name, score in named:
        fams = discover(score, model, settings)
        if against_off:
            base = {frozenset((n.track, n.index) for n in o.notes) for f in discover(score, model, off) for o in f.occurrences}
            other = {frozenset((n.track, n.index) for n in o.notes) for f in fams for o in f.occurrences if not kind.marked(o)}
            gone, new, kept = gone + len(base - other), new + len(other - base), kept + len(base & other)
        for f in fams:
            marked = [o for o in f.occurrences if kind.marked(o)]
            if not marked:
                continue
            total += len(marked)
            print(f"{name} {f.label}: {len(f.occurrences)} statements, {len(marked)} {kind.word}; prototype beat "
                  f"{f.prototype.start:g} track {f.prototype.track} {_notes(f.prototype.notes, kind.iois)}")
            for o in marked:
                print(f"    {kind.tag(o)}: beat {o.start:g} track {o.track} voice {o.notes[0].voice} "
                      f"T {o.transposition} {_notes(o.notes, kind.iois)}")
    print(f"{kind.word} statements:", total)
    if against_off:
        print(f"other statements: {kept} as with retrogrades=0, {gone} of those gone, {new} new")


def sweep(root: str, only: str | None, kind: Kind) -> None:
    import time
    from pathlib import Path

    from motifcli import annotate, read_score
    from motifcli.settings import Settings

    gained = 0
    files = sorted(p for p in Path(root, "in").rglob("*") if p.suffix in (".mxl", ".xml", ".musicxml", ".mid"))
    for path in files:
        if only and only not in str(path):
            continue
        t0 = time.perf_counter()
        try:
            ann = annotate(read_score(path), settings=Settings(**{kind.option: True}))
        except Exception as exc:  # noqa: BLE001 - a sweep reports and goes on
            print(f"{path.relative_to(root)}: error {exc}", flush=True)
            continue
        marked = [o for o in ann.occurrences if kind.marked(o)]
        gained += bool(marked)
        print(f"{path.relative_to(root)}: {len(ann.motifs)} families, {len(ann.occurrences)} statements, "
              f"{len(marked)} {kind.word} in {len({o.family for o in marked})} families ({time.perf_counter() - t0:.1f} s)", flush=True)
        for o in marked:
            print(f"    {o.text}{kind.sweep_tail(o)} bars {o.start_bar_label or o.start_bar}-{o.end_bar_label or o.end_bar} "
                  f"({o.line}), {len(o.notes)} notes, transposition {o.transposition}", flush=True)
    print(f"inputs with {kind.word} statements:", gained, "of", len(files))


def _canon_score(kind: str, work: str | None) -> tuple[object, str]:
    """The line and its answer as two parts from the same start, and the files' stem."""
    import music21

    score = music21.stream.Score()
    if kind == "augmentation":
        line = music21.corpus.parse("ciconia/quod_jactatur").parts[0].flatten().notesAndRests.stream()
        for part, name in ((line, "Cantus"), (line.augmentOrDiminish(2).transpose(-7), "Tenor")):
            p = music21.stream.Part()
            p.partName = name
            for x in part:
                p.append(x)
            score.insert(0, p)
        return score, "quod"
    events = [x for x in music21.corpus.parse(work or "ciconia/quod_jactatur").parts[0].flatten().notesAndRests if not x.isChord]
    for part, name in ((events, "Forwards"), (events[::-1], "Backwards")):
        p = music21.stream.Part()
        p.partName = name
        for x in part:
            p.append(music21.note.Rest(quarterLength=x.quarterLength) if x.isRest
                     else music21.note.Note(x.pitch.midi, quarterLength=x.quarterLength))
        score.insert(0, p)
    return score, "crab"


def canon(n: int, out: str, name: str, work: str | None = None) -> None:
    from pathlib import Path

    from motifcli import read_score

    kind = KINDS[name]
    score, stem = _canon_score(name, work)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    score.write("musicxml", fp=folder / f"{stem}.musicxml")
    score.write("midi", fp=folder / f"{stem}.mid")
    for file in (f"{stem}.musicxml", f"{stem}.mid"):
        s = read_score(folder / file)
        base, fams = discover(s), discover(s, None, DiscoverySettings(**{kind.option: n}))
        marked = [(f.label, o) for f in fams for o in f.occurrences if kind.marked(o)]
        print(f"{file}: defaults {len(base)} families, {sum(len(f.occurrences) for f in base)} statements; "
              f"{kind.option}={n}: {len(fams)} families, {sum(len(f.occurrences) for f in fams)} statements, "
              f"{len(marked)} {kind.word} in {len({lab for lab, _ in marked})} families")
        if name == "augmentation":
            for label, o in marked:
                print(f"    {label}: beat {o.start:g} track {o.track} x{o.time_scale:g} T {o.transposition} {len(o.notes)} notes")
            continue
        for f in fams:
            if any(kind.marked(o) for o in f.occurrences):
                print(f"    {f.label}: " + ", ".join(f"beat {o.start:g} track {o.track} {'retr.' if o.retrograde else 'prime'} "
                                                   f"T {o.transposition} {len(o.notes)} notes" for o in f.occurrences))


def timing(path: str, kind: Kind) -> None:
    import statistics
    import time

    from motifcli import read_score

    s = read_score(path)
    for spec in kind.timing:
        t = []
        for _ in range(5):
            t0 = time.perf_counter()
            discover(s, None, DiscoverySettings(**spec))
            t.append(time.perf_counter() - t0)
        print(spec, f"median {statistics.median(t):.2f} s of 5 runs")


def _flag(args: list[str], name: str) -> bool:
    if name in args:
        args.remove(name)
        return True
    return False


def _option(args: list[str], name: str) -> str | None:
    if name not in args:
        return None
    i = args.index(name)
    value = args[i + 1]
    del args[i:i + 2]
    return value


def main() -> None:
    from benchmarks.transform_chance import chance, scores

    args = sys.argv[1:]
    model = None
    if _flag(args, "--model"):
        import motifcli

        model = motifcli.load_model()
    written = _flag(args, "--written")
    name, only = _option(args, "--kind"), _option(args, "--only")
    if name not in KINDS:
        sys.exit(f"--kind {'|'.join(KINDS)} is needed, got {name}")
    command, rest = args[0], args[1:]
    if command in ("canon", "timing") and name == "inversion":
        sys.exit(f"{command}: --kind augmentation or retrograde")
    if command == "chance":
        chance(scores(rest), name, written)
    elif command == "found":
        named = scores(["files", *rest[2:]]) if rest[0] == "files" else scores(rest[:2])
        found(named, rest[1] if rest[0] == "files" else rest[2], model, KINDS[name])
    elif command == "sweep":
        sweep(rest[0], only, KINDS[name])
    elif command == "canon":
        canon(int(rest[0]), rest[1], name, *rest[2:3])
    elif command == "timing":
        timing(rest[0], KINDS[name])
    else:
        sys.exit(f"unknown command {command}: chance, found, sweep, canon or timing")


if __name__ == "__main__":
    main()
