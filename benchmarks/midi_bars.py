"""The annotated MIDI's bars (issue 9): round trip, error bound and write time on real songs.

    PYTHONPATH=$PWD python benchmarks/midi_bars.py roundtrip [--songs 101 202 ...] [--chorales N] [--unit bar]
    PYTHONPATH=$PWD python benchmarks/midi_bars.py timing [--count 20] [--runs 5]
    PYTHONPATH=$PWD python benchmarks/midi_bars.py musescore [--songs 101 202 ...]

``roundtrip``: each song is annotated (the product default, note level), its annotated MIDI written
and annotated again; prints per piece the meter sources (first run, second run), whether the bars
that hold music agree (start to 1e-6 beat, length, printed number; signatures but on irregular bars,
which MIDI states as bars of their own length), whether every occurrence has the same notes, bars,
span and similarity, and the worst error of a length-reading import (bar lines laid by declared
lengths, as MuseScore 3 does) against the map. Chorales: music21's Bach chorales as MIDI without
their time signature (tests/test_notation_meter.midi_of), the first N of the corpus.

``musescore``: MuseScore 3's MIDI import (``mscore3 -o x.mscx song.motifs.mid``, headless) of each
annotated MIDI: does it show the report's bars (every measure that holds music starting at most
1/32 beat before the map's bar line, numbered as the report numbers it, the pickup uncounted)?

``timing``: CPU seconds of ``writers.midi.render`` per song (median of runs), writing the run's bars
(the default) vs keeping the input's time signatures, on POP909 songs 100, 101, ...
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

DEFAULT_SONGS = ("101", "202", "303", "022", "023", "037", "039", "105", "110", "150")


def song_path(name: str) -> Path:
    from benchmarks.workers import data_root

    example = REPO / "examples" / f"pop909-{name}.mid"
    return example if example.is_file() else data_root() / name / f"{name}.mid"


def occurrences(annotation) -> list[tuple]:
    return [(o.text, o.start_bar, o.end_bar, round(o.start, 6), round(o.end, 6), o.track, tuple(o.note_indices),
             round(o.similarity, 9))
            for o in annotation.occurrences]


def length_reader_error(events: list[tuple[int, int, int]], meter, end: float, tpb: int) -> float:
    """Worst |map bar line - bar line laid by declared lengths| over the bars that hold music (beats)."""
    from motifcli.meter import SIGNATURE_SLACK

    starts = [b.start for b in meter.bars if b.start < end - 1e-6]
    pos, k, sig, worst = Fraction(0), 0, (4, 4), 0.0
    for start in starts:
        while k < len(events) and events[k][0] <= pos * tpb + SIGNATURE_SLACK * tpb:
            sig = events[k][1:]
            k += 1
        worst = max(worst, abs(start - float(pos)))
        pos += Fraction(4 * sig[0], sig[1])
    return worst


def same_bars(a, b, end: float) -> bool:
    left = [x for x in a.bars if x.start < end - 1e-6]
    right = [x for x in b.bars if x.start < end - 1e-6]
    if len(left) != len(right):
        return False
    for i, (x, y) in enumerate(zip(left, right)):
        if abs(x.start - y.start) > 1e-6 or x.number != y.number:
            return False
        if i < len(left) - 1 and abs(x.length - y.length) > 1e-6:
            return False
        regular = abs(y.length - y.nominal_length) < 1e-6 or i in (0, len(left) - 1)
        if regular and (x.numerator, x.denominator) != (y.numerator, y.denominator):
            return False
    return True


def roundtrip_one(label: str, path: Path, out: Path, unit: str = "note") -> dict:
    import mido

    import motifcli
    from motifcli import writers
    from motifcli.readers import read_score
    from motifcli.readers.midi import read_midi

    score = read_score(path)
    first = motifcli.annotate(score, unit=unit)
    written = out / writers.output_name(path, "midi")
    writers.write(first, score, "midi", written)
    again = read_midi(written)
    second = motifcli.annotate(again, unit=unit)
    tick, events = 0, []
    for msg in mido.MidiFile(written).tracks[0]:
        tick += msg.time
        if msg.type == "time_signature":
            events.append((tick, msg.numerator, msg.denominator))
    end = again.end_beat
    return {
        "piece": label,
        "sources": f"{first.meter_map.source} -> {second.meter_map.source}",
        "signatures": len(events),
        "first": f"{events[0][1]}/{events[0][2]}" if events else "",
        "same_bars": same_bars(second.meter_map, first.meter_map, end),
        "same_occurrences": occurrences(second) == occurrences(first),
        "occurrences": len(first.occurrences),
        "irregular": len(first.meter_map.to_dict()["irregular_bars"]),
        "length_reader_error": round(length_reader_error(events, first.meter_map, end, again.ticks_per_beat), 5),
    }


def roundtrip(songs: list[str], chorales: int, unit: str = "note") -> None:
    tmp = Path(tempfile.mkdtemp())
    rows = [roundtrip_one(s, song_path(s), tmp, unit) for s in songs]
    if chorales:
        import music21
        from test_notation_meter import midi_of

        names = [str(p) for p in music21.corpus.getComposer("bach")][: 4 * chorales]
        done = 0
        for name in names:
            if done >= chorales:
                break
            work = "bach/" + Path(name).stem
            try:
                src = midi_of(work, tmp / (Path(name).stem + ".mid"), signature=False)
            except Exception:  # noqa: BLE001 - a corpus file music21 or our reader cannot take
                continue
            rows.append(roundtrip_one(work, src, tmp, unit))
            done += 1
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for r in rows:
        print("| " + " | ".join(str(r[k]) for k in keys) + " |")
    print(f"\nall same bars: {all(r['same_bars'] for r in rows)}; all same occurrences: "
          f"{all(r['same_occurrences'] for r in rows)}; worst length-reader error: "
          f"{max(r['length_reader_error'] for r in rows)} beat")


def timing(count: int, runs: int) -> None:
    import motifcli
    from motifcli.readers.midi import read_midi
    from motifcli.writers import midi as midi_writer

    start = 100
    cases = []
    for n in range(start, start + count):
        score = read_midi(song_path(f"{n:03d}"))
        cases.append((score, motifcli.annotate(score)))
    result = {}
    for keep in (False, True, False, True):
        per_run = []
        for _ in range(runs):
            t0 = time.process_time()
            for score, annotation in cases:
                midi_writer.render(annotation, score, keep_time_signatures=keep)
            per_run.append((time.process_time() - t0) / len(cases))
        result.setdefault(keep, []).extend(per_run)
    for keep, values in result.items():
        label = "keep_time_signatures" if keep else "run's bars (default)"
        print(f"{label}: median {1000 * statistics.median(values):.2f} ms CPU per song "
              f"(min {1000 * min(values):.2f}, {len(values)} runs of {count} songs)")


def musescore(songs: list[str]) -> None:
    import os
    import subprocess

    import motifcli
    from motifcli import writers
    from motifcli.meter import SIGNATURE_SLACK
    from motifcli.readers import read_score
    from motifcli.readers.midi import read_midi
    from test_musescore import DIVISION, find_mscore, read_mscx

    exe = find_mscore()
    if exe is None:
        raise SystemExit("mscore3 not found")
    tmp = Path(tempfile.mkdtemp())
    (tmp / "home").mkdir()
    (tmp / "run").mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "QT_", "DISPLAY", "WAYLAND"))}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(tmp / "home"), XDG_RUNTIME_DIR=str(tmp / "run"))
    print("| song | first signature | MuseScore measures | bars with music | shows the report's bars | worst error (beat) |")
    print("|---|---|---|---|---|---|")
    shown_ok = 0
    for name in songs:
        path = song_path(name)
        score = read_score(path)
        annotation = motifcli.annotate(score)
        out = tmp / writers.output_name(path, "midi")
        writers.write(annotation, score, "midi", out)
        mscx = tmp / f"{name}.mscx"
        subprocess.run([exe, "-o", str(mscx), str(out)], env=env, capture_output=True, timeout=300,
                       stdin=subprocess.DEVNULL, check=False)
        shown = read_mscx(mscx)
        bars = [b for b in annotation.meter_map.bars if b.start < read_midi(out).end_beat - 1e-6]
        errors = [b.start - t / DIVISION for b, t in zip(bars, shown.measure_ticks[:-1])]
        numbers = all(p == int(b.number) for b, p in zip(bars, shown.printed))
        ok = (len(shown.measure_ticks) - 1 >= len(bars) and numbers
              and all(-1e-9 <= e <= SIGNATURE_SLACK + 1e-9 for e in errors))
        shown_ok += ok
        first = next(m for m in read_midi(out).time_signatures)
        print(f"| {name} | {first.numerator}/{first.denominator} | {len(shown.measure_ticks) - 1} | {len(bars)} | "
              f"{ok} | {max(abs(e) for e in errors):.4f} |")
    print(f"\n{shown_ok} of {len(songs)} shown in the report's bars")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    r = sub.add_parser("roundtrip")
    r.add_argument("--songs", nargs="*", default=list(DEFAULT_SONGS))
    r.add_argument("--chorales", type=int, default=3)
    r.add_argument("--unit", default="note", choices=("note", "bar"))
    m = sub.add_parser("musescore")
    m.add_argument("--songs", nargs="*", default=list(DEFAULT_SONGS))
    t = sub.add_parser("timing")
    t.add_argument("--count", type=int, default=20)
    t.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.what == "roundtrip":
        roundtrip(args.songs, args.chorales, args.unit)
    elif args.what == "musescore":
        musescore(args.songs)
    else:
        timing(args.count, args.runs)


if __name__ == "__main__":
    main()
