"""How often augmentations / diminutions occur by chance, and which scaled statements discovery marks.

    PYTHONPATH=$PWD python -m benchmarks.augmentation_probe chance bps tune       # window counts per length
    PYTHONPATH=$PWD python -m benchmarks.augmentation_probe chance files A.mxl B.mid ...
    PYTHONPATH=$PWD python -m benchmarks.augmentation_probe found bps tune "augmentations=6" [--model]
    PYTHONPATH=$PWD python -m benchmarks.augmentation_probe found files "augmentations=6" A.mxl ...
    PYTHONPATH=$PWD python -m benchmarks.augmentation_probe sweep /tmp/a16/sw [--only SUBSTR]   # motif annotate --augmentations
    PYTHONPATH=$PWD python -m benchmarks.augmentation_probe canon 6 OUT_DIR      # Ciconia's Quod jactatur as a canon
    PYTHONPATH=$PWD python -m benchmarks.augmentation_probe timing FILE          # discover's time, medians of 5

``chance``: over the lines discovery builds (default settings), per window length n, the windows
that repeat as themselves somewhere (a non-overlapping window with the same key: "prime"), and those
whose augmentation or diminution by 2 occurs ("scaled": a non-overlapping window whose key is this
window's with every inter-onset interval doubled, or whose doubled key is this window's), of those
the share in one note value throughout (even running notes) or on one pitch (repeated notes), and
those the guard of ``window_keys`` keeps (two note values or more, some interval not 0); in interval
classes (the keys' default). ``found``: every statement discovery marks with a time scale under the
given settings. ``sweep``: every input of a corpus sweep (``benchmarks.corpus_sweep prepare``)
annotated as ``motif annotate --augmentations`` does. ``canon``: Ciconia's *Quod jactatur* (music21's
corpus holds its one notated line) written as a canon resolved with the line in doubled values a fifth
lower from the same start (a mensuration canon's 2:1), MusicXML and MIDI, and its scaled statements.
``timing``: ``discover`` on FILE with the defaults, ``augmentations=6`` and both options, medians of 5 runs.
"""

from __future__ import annotations

import dataclasses
import sys

import numpy as np

from benchmarks.inversion_probe import LENGTHS, _lines, _partnered, _scores
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.candidates import window_keys


def chance(named: list[tuple[str, object]]) -> None:
    settings = DiscoverySettings()
    totals = {n: np.zeros(8, dtype=np.int64) for n in LENGTHS}  # windows, prime, scaled, scaled only, even, guarded, + turns, + leaps
    for _, score in named:
        lines = _lines(score, settings)
        if len(lines) < 8:
            continue
        keys = window_keys(lines, max(LENGTHS), settings.max_beats)
        doubled = window_keys(dataclasses.replace(lines, ioi=lines.ioi * 2), max(LENGTHS), settings.max_beats)
        rq = np.round(lines.ioi / lines.grid).astype(np.int64)
        for n in LENGTHS:
            k, d = keys[n], doubled[n]
            valid = k != -1
            prime = _partnered(k, k, n, lines)
            scaled = _partnered(k, d, n, lines) | _partnered(d, k, n, lines)  # its augmentation, or it is one's
            idx = np.flatnonzero(scaled)
            span = idx[:, None] + np.arange(n - 1)[None, :]
            even = np.all(rq[span] == rq[idx][:, None], axis=1) if len(idx) else np.zeros(0, bool)
            still = np.all(lines.interval[span] == 0, axis=1) if len(idx) else np.zeros(0, bool)
            signs = np.sign(lines.interval[span]) if len(idx) else np.zeros((0, n - 1), int)
            turns = np.any(signs > 0, axis=1) & np.any(signs < 0, axis=1)  # not one way (a scale, an arpeggio)
            leaps = np.any(np.abs(lines.interval[span]) >= 3, axis=1) if len(idx) else np.zeros(0, bool)
            kept = ~even & ~still
            totals[n] += [valid.sum(), prime.sum(), scaled.sum(), (scaled & ~prime).sum(), (even | still).sum(),
                          kept.sum(), (kept & turns).sum(), (kept & turns & leaps).sum()]
    print("| n | windows | repeat as prime | x2 or /2 occurs | x2 or /2 only | of those: one note value or one pitch "
          "| guarded (2+ values, moves) | + turns | + turns + leaps |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n, t in totals.items():
        w, p, s, o, e, g, gt, gl = (int(x) for x in t)
        print(f"| {n} | {w} | {p} ({p / max(w, 1):.1%}) | {s} ({s / max(w, 1):.1%}) | {o} ({o / max(w, 1):.1%}) "
              f"| {e / max(s, 1):.0%} | {g} ({g / max(w, 1):.2%}) | {gt} ({gt / max(w, 1):.2%}) | {gl} ({gl / max(w, 1):.2%}) |")


def found(named: list[tuple[str, object]], spec: str, model: object | None) -> None:
    from benchmarks.discovery_sweep import parse_set

    settings = DiscoverySettings(**parse_set(spec.split()))
    total = 0
    for name, score in named:
        for f in discover(score, model, settings):
            scaled = [o for o in f.occurrences if o.time_scale != 1]
            if not scaled:
                continue
            total += len(scaled)
            proto = f.prototype.notes
            print(f"{name} {f.label}: {len(f.occurrences)} statements, {len(scaled)} scaled; prototype beat "
                  f"{f.prototype.start:g} track {f.prototype.track} intervals {np.diff([n.pitch for n in proto]).tolist()} "
                  f"iois {np.diff([n.onset for n in proto]).round(3).tolist()}")
            for o in scaled:
                print(f"    x{o.time_scale:g}: beat {o.start:g} track {o.track} voice {o.notes[0].voice} T {o.transposition} "
                      f"intervals {np.diff([n.pitch for n in o.notes]).tolist()} iois {np.diff([n.onset for n in o.notes]).round(3).tolist()}")
    print("scaled statements:", total)


def sweep(root: str, only: str | None) -> None:
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
            ann = annotate(read_score(path), settings=Settings(augmentations=True))
        except Exception as exc:  # noqa: BLE001 - a sweep reports and goes on
            print(f"{path.relative_to(root)}: error {exc}", flush=True)
            continue
        scaled = [o for o in ann.occurrences if o.time_scale != 1]
        gained += bool(scaled)
        print(f"{path.relative_to(root)}: {len(ann.motifs)} families, {len(ann.occurrences)} statements, "
              f"{len(scaled)} scaled in {len({o.family for o in scaled})} families ({time.perf_counter() - t0:.1f} s)", flush=True)
        for o in scaled:
            print(f"    {o.text} x{o.time_scale:g} bars {o.start_bar_label or o.start_bar}-{o.end_bar_label or o.end_bar} "
                  f"({o.line}), {len(o.notes)} notes, transposition {o.transposition}", flush=True)
    print("inputs with scaled statements:", gained, "of", len(files))


def canon(n: int, out: str) -> None:
    from pathlib import Path

    import music21

    from motifcli import read_score

    line = music21.corpus.parse("ciconia/quod_jactatur").parts[0].flatten().notesAndRests.stream()
    score = music21.stream.Score()
    for part, name in ((line, "Cantus"), (line.augmentOrDiminish(2).transpose(-7), "Tenor")):
        p = music21.stream.Part()
        p.partName = name
        for x in part:
            p.append(x)
        score.insert(0, p)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    score.write("musicxml", fp=folder / "quod.musicxml")
    score.write("midi", fp=folder / "quod.mid")
    for name in ("quod.musicxml", "quod.mid"):
        s = read_score(folder / name)
        base, fams = discover(s), discover(s, None, DiscoverySettings(augmentations=n))
        scaled = [(f.label, o) for f in fams for o in f.occurrences if o.time_scale != 1]
        print(f"{name}: defaults {len(base)} families, {sum(len(f.occurrences) for f in base)} statements; "
              f"augmentations={n}: {len(fams)} families, {sum(len(f.occurrences) for f in fams)} statements, "
              f"{len(scaled)} scaled in {len({lab for lab, _ in scaled})} families")
        for label, o in scaled:
            print(f"    {label}: beat {o.start:g} track {o.track} x{o.time_scale:g} T {o.transposition} {len(o.notes)} notes")


def timing(path: str) -> None:
    import statistics
    import time

    from motifcli import read_score

    s = read_score(path)
    for spec in ({}, {"augmentations": 6}, {"inversions": 6, "augmentations": 6}):
        t = []
        for _ in range(5):
            t0 = time.perf_counter()
            discover(s, None, DiscoverySettings(**spec))
            t.append(time.perf_counter() - t0)
        print(spec, f"median {statistics.median(t):.2f} s of 5 runs")


def main() -> None:
    args = sys.argv[1:]
    model = None
    if "--model" in args:
        import motifcli

        args.remove("--model")
        model = motifcli.load_model()
    if args[0] == "canon":
        canon(int(args[1]), args[2])
    elif args[0] == "timing":
        timing(args[1])
    elif args[0] == "sweep":
        sweep(args[1], args[args.index("--only") + 1] if "--only" in args else None)
    elif args[0] == "chance":
        chance(_scores(args[1:]))
    elif args[1] == "files":
        found(_scores(["files", *args[3:]]), args[2], model)
    else:
        found(_scores(args[1:3]), args[3], model)


if __name__ == "__main__":
    main()
