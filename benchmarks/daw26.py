"""What a producer's DAW reads from motif's MIDI output (session 26, benchmarks/phase26-daw26.md).

    PYTHONPATH=$PWD python benchmarks/daw26.py --inputs DIR     # the session's 7 inputs, made in DIR
    PYTHONPATH=$PWD python benchmarks/daw26.py DIR/*.mid
    PYTHONPATH=$PWD python benchmarks/daw26.py --time FILE.mid  # the MIDI writer with and without --motif-tracks

The inputs: the three bundled examples, a music21 export of a chorale (bwv66.6: every part on channel 1),
pop909-101 merged into one type-0 track, pop909-202 with a GM drum track, and a tune with tempo (and
meter) changes written by music21 (benchmarks/usertrial25_inputs.py's builders).

For each input: annotates it with the CLI twice (default; ``--motif-tracks``, with the JSON report) in a
temporary folder and prints, read back with mido as a DAW reads the file:

* the song: every event of the input that is not motif's (notes, tempo map, programs, CCs, pitch bends,
  track names; time signatures aside, which the run's bars replace by design) at the same tick, track and
  order in the output;
* the marker lane: markers per minute, how many stand at the tick of the one before, less than 1/8 beat
  after it (a performed "same" moment) or within 2 s of it (the tempo map applied), their text lengths, and
  how many statement names ("A1", "A3 = B1") they hold in all (session 26's markers26: one marker per moment);
* ``--motif-tracks``: the song's tracks equal to the default output's, message for message; per family
  track its notes against the JSON report's (exactly the occurrences' notes), its channel (one the song
  never uses) and its volume (CC7 0 before the first note).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import mido

LABEL = re.compile(r"Motif [A-Z]+\d+")


def events(midi: mido.MidiFile, skip_own: bool = True) -> list[tuple[int, int, str]]:
    """(track, tick, message) of every event but end-of-track, time signatures and (``skip_own``) motif's marks."""
    out = []
    for i, track in enumerate(midi.tracks):
        tick = 0
        for msg in track:
            tick += msg.time
            if msg.type in ("end_of_track", "time_signature"):
                continue
            if skip_own and msg.type in ("marker", "lyrics") and LABEL.match(msg.text):
                continue
            out.append((i, tick, str(msg.copy(time=0))))
    return out


def seconds(midi: mido.MidiFile) -> callable:
    """tick -> seconds under the conductor track's tempo map."""
    tempos, tick = [], 0
    for msg in midi.tracks[0]:
        tick += msg.time
        if msg.type == "set_tempo":
            tempos.append((tick, msg.tempo))

    def at(t: int) -> float:
        s, last, tempo = 0.0, 0, 500000
        for when, new in tempos:
            if when >= t:
                break
            s += (when - last) * tempo / 1e6 / midi.ticks_per_beat
            last, tempo = when, new
        return s + (t - last) * tempo / 1e6 / midi.ticks_per_beat

    return at


NAME = re.compile(r"(?<![A-Za-z0-9])[A-Z]+\d+(?: (?:retr\.|inv\.|aug\.|dim\.))*(?: = [A-Z]+\d+(?: (?:retr\.|inv\.|"
                  r"aug\.|dim\.))*)*")  # a statement's name in a marker: "A1", "A3 = B1", "A3 inv."


def marker_lane(midi: mido.MidiFile) -> str:
    at, tick, marks = seconds(midi), 0, []
    for msg in midi.tracks[0]:
        tick += msg.time
        if msg.type == "marker":
            marks.append((tick, at(tick), msg.text))
    if not marks:
        return "no markers"
    gaps = [b[1] - a[1] for a, b in zip(marks, marks[1:])]
    near = sum(0 < b[0] - a[0] < midi.ticks_per_beat / 8 for a, b in zip(marks, marks[1:]))
    lengths = sorted(len(t) for *_, t in marks)
    names = sum(len(NAME.findall(t.split(" (")[0] + " " + " ".join(p.split(" (")[0] for p in t.split("; ")[1:])))
                for *_, t in marks)
    return (f"{len(marks)} markers, {60 * len(marks) / midi.length:.1f}/min, {sum(g == 0 for g in gaps)} at the tick "
            f"of the one before, {near} less than 1/8 beat after it, {sum(g < 2 for g in gaps)} within 2 s; text "
            f"{lengths[0]}-{lengths[-1]} chars (median {lengths[len(lengths) // 2]}); {names} statement names")


def notes_of(track: mido.MidiTrack) -> set[tuple[int, int, int]]:
    tick, open_, out = 0, {}, set()
    for msg in track:
        tick += msg.time
        if msg.type == "note_on" and msg.velocity:
            open_.setdefault(msg.note, []).append(tick)
        elif msg.type in ("note_on", "note_off") and open_.get(msg.note):
            out.add((open_[msg.note].pop(0), tick, msg.note))
    return out


def annotate(src: Path, out: Path, *extra: str) -> None:
    subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(src), "-o", f"{out}/", "-q", *extra], check=True)


def report(src: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        annotate(src, Path(tmp) / "a", "-f", "midi")
        annotate(src, Path(tmp) / "b", "-f", "midi,json", "--motif-tracks")
        stem = src.name.rsplit(".", 1)[0]
        song, default = mido.MidiFile(src), mido.MidiFile(Path(tmp) / "a" / f"{stem}.motifs.mid")
        tracks = mido.MidiFile(Path(tmp) / "b" / f"{stem}.motifs.mid")
        families = json.loads((Path(tmp) / "b" / f"{stem}.motifs.json").read_text())["motifs"]
    n = len(default.tracks)
    kept = events(song) == events(default)
    same = [[str(m) for m in t] for t in tracks.tracks[:n]] == [[str(m) for m in t] for t in default.tracks]
    used = {m.channel for t in song.tracks for m in t if not m.is_meta and hasattr(m, "channel")}
    tpb = tracks.ticks_per_beat
    exact = silent = 0
    channels = set()
    for family, track in zip(families, tracks.tracks[n:]):
        want = {(round(x["onset"] * tpb), max(round(x["offset"] * tpb), round(x["onset"] * tpb) + 1), x["pitch"])
                for occ in family["occurrences"] for x in occ["notes"]}
        exact += notes_of(track) == want
        own = {m.channel for m in track if not m.is_meta}
        channels |= own
        first = next(m for m in track if not m.is_meta)
        silent += len(own) == 1 and not own & used and first.type == "control_change" and first.control == 7 \
            and first.value == 0
    print(f"{src.name}: type {song.type}, {len(song.tracks)} tracks, channels {sorted(c + 1 for c in used)}")
    print(f"  default output: every other event kept at its tick and track: {kept}; {marker_lane(default)}")
    print(f"  --motif-tracks: type {tracks.type}, song tracks = default output's: {same}; {len(families)} families, "
          f"{len(tracks.tracks) - n} family tracks, exactly their notes: {exact}, silent on a free channel: {silent}; "
          f"channels {sorted(c + 1 for c in channels)}; {sum(len(notes_of(t)) for t in tracks.tracks[n:])} notes copied")


def make_inputs(folder: Path) -> None:
    import shutil

    import music21

    from benchmarks.usertrial25_inputs import changes, type0_from, with_drums

    root = Path(__file__).resolve().parents[1] / "examples"
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("pop909-101", "pop909-202", "pop909-303"):
        shutil.copy(root / f"{name}.mid", folder / f"{name}.mid")
    music21.corpus.parse("bach/bwv66.6").write("midi", fp=str(folder / "bwv66_m21.mid"))
    type0_from(root / "pop909-101.mid", folder / "pop101_type0.mid")
    with_drums(root / "pop909-202.mid", folder / "pop202_drums.mid")
    changes(folder / "tempo_changes.mid")
    (folder / "tempo_changes.musicxml").unlink(missing_ok=True)


def time_writer(src: Path, runs: int = 7) -> None:
    """Medians of ``runs`` renders + saves (in memory) of the annotated file, without and with family tracks, twice."""
    import io
    import statistics
    import time

    import motifcli
    from motifcli.writers import midi as writer

    score = motifcli.read_score(src)
    annotation = motifcli.annotate(score)
    for flag in (False, True, False, True):
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            buf = io.BytesIO()
            writer.render(annotation, score, motif_tracks=flag).save(file=buf)
            times.append(time.perf_counter() - start)
        print(f"{src.name} motif_tracks={flag}: median {1000 * statistics.median(times):.1f} ms of {runs}, "
              f"{len(buf.getvalue())} bytes")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--time"]:
        time_writer(Path(sys.argv[2]))
    elif sys.argv[1:2] == ["--inputs"]:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        make_inputs(Path(sys.argv[2]))
    else:
        for arg in sys.argv[1:]:
            report(Path(arg))
