"""How often a window's retrograde occurs by chance (groundwork for a strict retrograde option).

    PYTHONPATH=$PWD python -m benchmarks.retrograde_probe [--written] bps tune
    PYTHONPATH=$PWD python -m benchmarks.retrograde_probe [--written] files A.mxl B.mid ...
    PYTHONPATH=$PWD python -m benchmarks.retrograde_probe found bps tune "retrogrades=6" [--model]
    PYTHONPATH=$PWD python -m benchmarks.retrograde_probe found files "retrogrades=6" A.mxl ...
    PYTHONPATH=$PWD python -m benchmarks.retrograde_probe sweep /tmp/a16/sw [--only SUBSTR]   # motif annotate --retrogrades
    PYTHONPATH=$PWD python -m benchmarks.retrograde_probe canon 6 OUT_DIR [WORK]   # a real line as a crab canon
    PYTHONPATH=$PWD python -m benchmarks.retrograde_probe timing FILE              # discover's time, medians of 5

Over the lines discovery builds (default settings), per window length n: the windows whose retrograde
(the same notes in reverse order: intervals reversed and negated, inter-onset intervals reversed) occurs
elsewhere in the piece as a non-overlapping window with that key ("retrograde occurs"), leaving out a
window that is its own retrograde (a palindrome); of those the share that run one way (a scale's
retrograde is a scale the other way), zigzag (trills, Alberti figures) or move in one note value; and
those a guard like the inversion one keeps (turns, not at every note, leaps a third or more), and of
those the ones in two note values or more. Interval classes, as the keys. The last two columns count the
``retrogrades`` option's own keys (phase18-retro18.md): windows keyed backwards (a written retrograde of
theirs occurs, two note values or more, the last note's value included) without the contour guard, and
with it (where ``window_keys(reversed_from=n)`` differs from the ordinary key).

Two rhythms of a retrograde: by default the onsets are reversed in time (the inter-onset intervals in
reverse order, what "IOIs reversed" says); ``--written`` reverses the note values as a score writes a
retrograde (a note's value = its inter-onset interval, the voice's last note its duration), so the
retrograde's first inter-onset interval is the value of the window's LAST note, which the window's own
key does not hold: a key for written retrogrades has to hash the last note's value too.

``found`` (phase18-retro18.md): every statement discovery marks retrograde under the given settings, and
how many other statements (not retrograde) differ from those of the same settings with ``retrogrades=0``
(a statement: its set of notes): where a key group holds a retrograde, its ordinary repeats must also agree
on the last note's value. ``sweep``: every input of a
corpus sweep annotated as ``motif annotate --retrogrades`` does. ``canon``: music21's corpus holds no crab
canon, so a real line (default Ciconia's *Quod jactatur*, one notated line; or WORK, e.g. bach/bwv1.6, its
top part) is written as one: the line against its written retrograde (the notes and rests in reverse
order, each with its value), both from the start, as Bach's Musical Offering canon 1 a 2; MusicXML and
MIDI, families with the defaults and with ``retrogrades=N``.
"""

from __future__ import annotations

import dataclasses
import sys

import numpy as np

from benchmarks.inversion_probe import LENGTHS, _lines, _partnered, _scores
from motifcli.discovery import DiscoverySettings
from motifcli.discovery.candidates import Lines, build_lines, interval_class, window_keys
from motifcli.discovery.candidates import retrograde_keys as retrograde_keys_of
from motifcli.voices import Voice


def reversed_lines(lines: Lines, written: bool = False) -> Lines:
    """Every voice backwards: onsets negated and reversed (``written``: note values reversed), pitches reversed."""
    voices = []
    for v in lines.voices:
        if written:
            values = np.append(np.diff(v.onsets), v.offsets[-1] - v.onsets[-1])[::-1]
            on = np.concatenate([[0.0], np.cumsum(values[:-1])])
        else:
            on = -v.onsets[::-1].copy()
        voices.append(Voice(v.track, v.voice, v.note_indices[::-1].copy(), on, on + 0.1, v.pitches[::-1].copy(), v.staff))
    return build_lines(voices)


def retrograde_keys(lines: Lines, n: int, rev_keys: np.ndarray) -> np.ndarray:
    """Per window (start position in ``lines``) the key of its retrograde, from the reversed lines' keys."""
    out = np.full(len(lines), -1, dtype=np.int64)
    base = 0
    for v in lines.voices:
        size = len(v)
        for j in range(0, size - n + 1):  # reversed window j holds original notes size-n-j .. size-1-j
            out[base + size - n - j] = rev_keys[base + j]
        base += size
    return out


def chance(named: list[tuple[str, object]], written: bool = False) -> None:
    settings = DiscoverySettings()
    totals = {n: np.zeros(9, dtype=np.int64) for n in LENGTHS}
    for _, score in named:
        lines = _lines(score, settings)
        if len(lines) < 8:
            continue
        rev = reversed_lines(lines, written)
        fwd, back = window_keys(lines, max(LENGTHS), settings.max_beats), window_keys(rev, max(LENGTHS), settings.max_beats)
        rq = np.round(lines.ioi / lines.grid).astype(np.int64)
        for n in LENGTHS:
            k = fwd[n]
            r = retrograde_keys(lines, n, back[n])
            r = np.where(k == -1, -1, r)
            found = _partnered(k, r, n, lines) & (r != k)
            idx = np.flatnonzero(found)
            span = idx[:, None] + np.arange(n - 1)[None, :]
            signs = np.sign(lines.interval[span]) if len(idx) else np.zeros((0, n - 1), int)
            one_way = ~(np.any(signs > 0, axis=1) & np.any(signs < 0, axis=1))
            zigzag = np.all(signs != 0, axis=1) & np.all(signs[:, 1:] == -signs[:, :-1], axis=1)
            even = np.all(rq[span] == rq[idx][:, None], axis=1) if len(idx) else np.zeros(0, bool)
            leaps = np.any(np.abs(lines.interval[span]) >= 3, axis=1) if len(idx) else np.zeros(0, bool)
            guarded = ~one_way & ~zigzag & leaps
            # the option's own keys (written retrogrades): windows keyed backwards without the contour guard
            # (two note values still asked) and with it (window_keys reversed_from=n against the ordinary keys)
            _, loose = retrograde_keys_of(lines, interval_class(lines.interval), n, k != -1)
            keyed = window_keys(lines, n, settings.max_beats, reversed_from=n)[n] != k
            totals[n] += [(k != -1).sum(), found.sum(), one_way.sum(), zigzag.sum(), even.sum(), guarded.sum(),
                          (guarded & ~even).sum(), loose.sum(), keyed.sum()]
    print("| n | windows | retrograde occurs | of those: one way | zigzag | one note value | guarded (turns, not every note, leaps) "
          "| guarded, 2+ note values | keyed backwards, no contour guard | keyed backwards (window_keys) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n, t in totals.items():
        w, f, o, z, e, g, g2, u0, u = (int(x) for x in t)
        print(f"| {n} | {w} | {f} ({f / max(w, 1):.1%}) | {o / max(f, 1):.0%} | {z / max(f, 1):.0%} | {e / max(f, 1):.0%} "
              f"| {g} ({g / max(w, 1):.2%}) | {g2} ({g2 / max(w, 1):.2%}) | {u0} ({u0 / max(w, 1):.2%}) | {u} ({u / max(w, 1):.2%}) |")


def found(named: list[tuple[str, object]], spec: str, model: object | None) -> None:
    from benchmarks.discovery_sweep import parse_set
    from motifcli.discovery import discover

    settings = DiscoverySettings(**parse_set(spec.split()))
    off = dataclasses.replace(settings, retrogrades=0)
    total = gone = new = kept = 0
    for name, score in named:
        base = {frozenset((n.track, n.index) for n in o.notes) for f in discover(score, model, off) for o in f.occurrences}
        fams = discover(score, model, settings)
        other = {frozenset((n.track, n.index) for n in o.notes) for f in fams for o in f.occurrences if not o.retrograde}
        gone, new, kept = gone + len(base - other), new + len(other - base), kept + len(base & other)
        for f in fams:
            back = [o for o in f.occurrences if o.retrograde]
            if not back:
                continue
            total += len(back)
            proto = f.prototype.notes
            print(f"{name} {f.label}: {len(f.occurrences)} statements, {len(back)} retrograde; prototype beat "
                  f"{f.prototype.start:g} track {f.prototype.track} intervals {np.diff([n.pitch for n in proto]).tolist()} "
                  f"iois {np.diff([n.onset for n in proto]).round(3).tolist()}")
            for o in back:
                print(f"    {'retr. inv.' if o.inverted else 'retr.'}: beat {o.start:g} track {o.track} voice {o.notes[0].voice} "
                      f"T {o.transposition} intervals {np.diff([n.pitch for n in o.notes]).tolist()} "
                      f"iois {np.diff([n.onset for n in o.notes]).round(3).tolist()}")
    print("retrograde statements:", total)
    print(f"other statements: {kept} as with retrogrades=0, {gone} of those gone, {new} new")


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
            ann = annotate(read_score(path), settings=Settings(retrogrades=True))
        except Exception as exc:  # noqa: BLE001 - a sweep reports and goes on
            print(f"{path.relative_to(root)}: error {exc}", flush=True)
            continue
        back = [o for o in ann.occurrences if o.retrograde]
        gained += bool(back)
        print(f"{path.relative_to(root)}: {len(ann.motifs)} families, {len(ann.occurrences)} statements, "
              f"{len(back)} retrograde in {len({o.family for o in back})} families ({time.perf_counter() - t0:.1f} s)", flush=True)
        for o in back:
            print(f"    {o.text} bars {o.start_bar_label or o.start_bar}-{o.end_bar_label or o.end_bar} ({o.line}), "
                  f"{len(o.notes)} notes, transposition {o.transposition}", flush=True)
    print("inputs with retrograde statements:", gained, "of", len(files))


def canon(n: int, out: str, work: str = "ciconia/quod_jactatur") -> None:
    from pathlib import Path

    import music21

    from motifcli import read_score
    from motifcli.discovery import discover

    line = [x for x in music21.corpus.parse(work).parts[0].flatten().notesAndRests if not x.isChord]
    score = music21.stream.Score()
    for events, name in ((line, "Forwards"), (line[::-1], "Backwards")):
        p = music21.stream.Part()
        p.partName = name
        for x in events:
            p.append(music21.note.Rest(quarterLength=x.quarterLength) if x.isRest
                     else music21.note.Note(x.pitch.midi, quarterLength=x.quarterLength))
        score.insert(0, p)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    score.write("musicxml", fp=folder / "crab.musicxml")
    score.write("midi", fp=folder / "crab.mid")
    for name in ("crab.musicxml", "crab.mid"):
        s = read_score(folder / name)
        base, fams = discover(s), discover(s, None, DiscoverySettings(retrogrades=n))
        back = [(f.label, o) for f in fams for o in f.occurrences if o.retrograde]
        print(f"{name}: defaults {len(base)} families, {sum(len(f.occurrences) for f in base)} statements; "
              f"retrogrades={n}: {len(fams)} families, {sum(len(f.occurrences) for f in fams)} statements, "
              f"{len(back)} retrograde in {len({lab for lab, _ in back})} families")
        for f in fams:
            if any(o.retrograde for o in f.occurrences):
                print(f"    {f.label}: " + ", ".join(f"beat {o.start:g} track {o.track} {'retr.' if o.retrograde else 'prime'} "
                                                   f"T {o.transposition} {len(o.notes)} notes" for o in f.occurrences))


def timing(path: str) -> None:
    import statistics
    import time

    from motifcli import read_score
    from motifcli.discovery import discover

    s = read_score(path)
    for spec in ({}, {"retrogrades": 6}, {"retrogrades": 6, "inversions": 6}):
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
    if args[0] == "timing":
        timing(args[1])
    elif args[0] == "canon":
        canon(int(args[1]), args[2], *args[3:4])
    elif args[0] == "sweep":
        sweep(args[1], args[args.index("--only") + 1] if "--only" in args else None)
    elif args[0] == "found":
        named = _scores(["files", *args[3:]]) if args[1] == "files" else _scores(args[1:3])
        found(named, args[2] if args[1] == "files" else args[3], model)
    else:
        written = "--written" in args
        chance(_scores([a for a in args if a != "--written"]), written)


if __name__ == "__main__":
    main()
