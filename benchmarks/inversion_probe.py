"""How often strict inversions occur by chance, and which inverted statements discovery marks.

    PYTHONPATH=$PWD python -m benchmarks.inversion_probe chance bps tune       # window counts per length
    PYTHONPATH=$PWD python -m benchmarks.inversion_probe chance files A.mxl B.mid ...
    PYTHONPATH=$PWD python -m benchmarks.inversion_probe found bps tune "inversions=6" [--model]
    PYTHONPATH=$PWD python -m benchmarks.inversion_probe found files "inversions=6" A.mxl ...
    PYTHONPATH=$PWD python -m benchmarks.inversion_probe sweep /tmp/a16/sw [--only SUBSTR]   # motif annotate --inversions

``chance``: over the lines discovery builds (default settings), per window length n, the windows
that repeat as themselves somewhere (a non-overlapping window with the same key: "prime"), those
whose strict inversion occurs ("inverted": a non-overlapping window whose key is this window's
with every interval negated; not counting a window that is its own inversion), and of those the
share that are scales or arpeggios (every interval one direction) or zigzags (directions
alternate), and those the guard of ``window_keys`` keeps (a window that turns, not at every note, and
leaps a third or more), in interval classes ("class", the keys' default) and in semitones ("semitones").
``found``: every statement discovery marks inverted under the given settings, with its family's
prototype intervals and its own. ``sweep``: every input of a corpus sweep (``benchmarks.corpus_sweep
prepare``) annotated as ``motif annotate --inversions`` does (the product path, model loaded lazily):
per input its families and statements, and each inverted statement with its bars and line.
"""

from __future__ import annotations

import dataclasses
import sys
from collections import defaultdict

import numpy as np

from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.candidates import Lines, build_lines, window_keys
from motifcli.voices import split_voices

LENGTHS = (4, 5, 6, 8)


def _scores(args: list[str]) -> list[tuple[str, object]]:
    if args[0] == "files":
        from motifcli import read_score

        return [(a.rsplit("/", 1)[-1], read_score(a)) for a in args[1:]]
    from benchmarks.discovery_sweep import pieces

    return [(p.name, p.score) for p in pieces(args[0], args[1])]


def _lines(score: object, settings: DiscoverySettings) -> Lines:
    voices = split_voices(score, min_chord_share=0.2 if settings.bass_voice else float("inf"),
                          by_staff=settings.staff_voices, separate=settings.separate_lines)
    return build_lines(voices)


def _partnered(keys: np.ndarray, wanted: np.ndarray, n: int, lines: Lines) -> np.ndarray:
    """Per window: does another valid window, not overlapping it, carry ``wanted[w]`` as its key?"""
    where: dict[int, list[int]] = defaultdict(list)
    for k in np.flatnonzero(keys != -1).tolist():
        where[int(keys[k])].append(k)
    out = np.zeros(len(keys), dtype=bool)
    for w in np.flatnonzero(keys != -1).tolist():
        for k in where.get(int(wanted[w]), ()):
            if abs(k - w) >= n or lines.voice_id[k] != lines.voice_id[w]:
                out[w] = True
                break
    return out


def chance(named: list[tuple[str, object]]) -> None:
    settings = DiscoverySettings()
    for chromatic in (False, True):
        totals = {n: np.zeros(8, dtype=np.int64) for n in LENGTHS}  # windows, prime, inverted, inv-only, one way, zigzag, guarded, guarded only
        for _, score in named:
            lines = _lines(score, settings)
            if len(lines) < 8:
                continue
            up = window_keys(lines, max(LENGTHS), settings.max_beats, chromatic=chromatic)
            flipped = dataclasses.replace(lines, interval=-lines.interval)
            down = window_keys(flipped, max(LENGTHS), settings.max_beats, chromatic=chromatic)
            for n in LENGTHS:
                keys, mirror = up[n], down[n]
                valid = keys != -1
                prime = _partnered(keys, keys, n, lines)
                inv = _partnered(keys, mirror, n, lines) & (mirror != keys)
                idx = np.flatnonzero(inv)
                steps = np.sign(lines.interval[idx[:, None] + np.arange(n - 1)[None, :]]) if len(idx) else np.zeros((0, n - 1))
                lead = np.array([next((x for x in row if x != 0), 0) for row in steps.tolist()], dtype=np.int64)
                monotone = np.all((steps == 0) | (steps == lead[:, None]), axis=1)  # as window_keys' guard
                zigzag = np.all(steps != 0, axis=1) & np.all(steps[:, 1:] == -steps[:, :-1], axis=1)
                shaped = np.zeros(len(keys), dtype=bool)
                leaps = np.any(np.abs(lines.interval[idx[:, None] + np.arange(n - 1)[None, :]]) >= 3, axis=1) if len(idx) else np.zeros(0, bool)
                shaped[idx] = ~monotone & ~zigzag & leaps
                totals[n] += [valid.sum(), prime.sum(), inv.sum(), (inv & ~prime).sum(), monotone.sum(), zigzag.sum(),
                              shaped.sum(), (shaped & ~prime).sum()]
        print("semitones" if chromatic else "class")
        print("| n | windows | repeat as prime | inversion occurs | inversion only | of those with an inversion: one way (scale, arpeggio) | zigzag | inversion occurs, guarded (turns, not every note, leaps) | guarded, inversion only |")
        print("|---|---|---|---|---|---|---|---|---|")
        for n, t in totals.items():
            w, p, i, o, m, z, g, go = (int(x) for x in t)
            print(f"| {n} | {w} | {p} ({p / max(w, 1):.1%}) | {i} ({i / max(w, 1):.1%}) | {o} ({o / max(w, 1):.1%}) "
                  f"| {m / max(i, 1):.0%} | {z / max(i, 1):.0%} | {g} ({g / max(w, 1):.1%}) | {go} ({go / max(w, 1):.2%}) |")


def found(named: list[tuple[str, object]], spec: str, model: object | None) -> None:
    from benchmarks.discovery_sweep import parse_set

    settings = DiscoverySettings(**parse_set(spec.split()))
    total = 0
    for name, score in named:
        for f in discover(score, model, settings):
            inv = [o for o in f.occurrences if o.inverted]
            if not inv:
                continue
            total += len(inv)
            proto = [n.pitch for n in f.prototype.notes]
            print(f"{name} {f.label}: {len(f.occurrences)} statements, {len(inv)} inverted; prototype beat "
                  f"{f.prototype.start:g} track {f.prototype.track} intervals {np.diff(proto).tolist()}")
            for o in inv:
                p = [n.pitch for n in o.notes]
                print(f"    inverted: beat {o.start:g} track {o.track} voice {o.notes[0].voice} "
                      f"T {o.transposition} intervals {np.diff(p).tolist()}")
    print("inverted statements:", total)


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
            ann = annotate(read_score(path), settings=Settings(inversions=True))
        except Exception as exc:  # noqa: BLE001 - a sweep reports and goes on
            print(f"{path.relative_to(root)}: error {exc}", flush=True)
            continue
        inv = [o for o in ann.occurrences if o.inverted]
        gained += bool(inv)
        print(f"{path.relative_to(root)}: {len(ann.motifs)} families, {len(ann.occurrences)} statements, "
              f"{len(inv)} inverted in {len({o.family for o in inv})} families ({time.perf_counter() - t0:.1f} s)", flush=True)
        for o in inv:
            print(f"    {o.text} bars {o.start_bar_label or o.start_bar}-{o.end_bar_label or o.end_bar} ({o.line}), "
                  f"{len(o.notes)} notes, transposition {o.transposition}", flush=True)
    print("inputs with inverted statements:", gained, "of", len(files))


def main() -> None:
    args = sys.argv[1:]
    model = None
    if "--model" in args:
        import motifcli

        args.remove("--model")
        model = motifcli.load_model()
    if args[0] == "sweep":
        sweep(args[1], args[args.index("--only") + 1] if "--only" in args else None)
    elif args[0] == "chance":
        chance(_scores(args[1:]))
    elif args[1] == "files":
        found(_scores(["files", *args[3:]]), args[2], model)
    else:
        found(_scores(args[1:3]), args[3], model)


if __name__ == "__main__":
    main()
