"""Does ``--motif-tracks`` MIDI play as the song in a real synth? (session 27, benchmarks/phase27-daw27.md)

    PYTHONPATH=$PWD python benchmarks/daw27.py [--polyphony N] [--reset BEAT] [--soundfont SF2] IN.mid ...
    PYTHONPATH=$PWD python benchmarks/daw27.py --compare A.wav B.wav   # two renders (MuseScore's: mscore3 -o x.wav)

For each input: annotates it with the CLI (default, and ``--motif-tracks``) in a temporary folder, renders the
input and both outputs with FluidSynth (``fluidsynth -ni -F out.wav -r 44100 SF2 file.mid``; not a dependency:
``apt-get install fluidsynth fluid-soundfont-gm``) and prints, against the default output's audio: whether the
samples are identical, the largest difference and the RMS of the difference (16-bit steps), the song's RMS, and
the most notes held at once (note-on to note-off, all channels) in the song and with the family tracks (a player
with fewer voices than that steals some). ``--reset BEAT`` first puts a GM System On at BEAT of the input's
first track (a song that resets the synth mid-file); ``--polyphony N`` renders with N voices (FluidSynth's
default is 256; a GM Level 1 synth must have 24).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import mido
import numpy as np

SOUNDFONT = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
GM_ON = (0x7E, 0x7F, 0x09, 0x01)


def with_reset(src: Path, dest: Path, beat: float, data: tuple[int, ...] = GM_ON) -> Path:
    """``src`` with a sysex ``data`` (a reset; GM System On by default) at ``beat`` of its first track, after the
    events of that tick, saved as ``dest`` (tests/test_writers_midi_tracks_play.py uses it too)."""
    midi = mido.MidiFile(src)
    at, tick, events = round(beat * midi.ticks_per_beat), 0, []
    for msg in midi.tracks[0]:
        tick += msg.time
        events.append((tick, msg))
    end = events.pop()
    events.append((at, mido.Message("sysex", data=data)))
    events.sort(key=lambda e: e[0])  # stable: the reset after the events of its tick
    track, now = mido.MidiTrack(), 0
    for tick, msg in events:
        track.append(msg.copy(time=tick - now))
        now = tick
    track.append(end[1].copy(time=max(0, end[0] - now)))
    midi.tracks[0] = track
    midi.save(dest)
    return dest


def annotate(src: Path, dest: Path, *extra: str) -> Path:
    subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(src), "-o", str(dest), "-f", "midi", "-q", *extra],
                   check=True)
    return dest


def load(wav: Path) -> np.ndarray:
    with wave.open(str(wav)) as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float64).reshape(-1, w.getnchannels())


def render(midi: Path, soundfont: Path, polyphony: int | None) -> np.ndarray:
    wav = midi.with_suffix(".wav")
    option = ["-o", f"synth.polyphony={polyphony}"] if polyphony else []
    subprocess.run(["fluidsynth", "-ni", *option, "-F", str(wav), "-r", "44100", str(soundfont), str(midi)],
                   check=True, capture_output=True)
    return load(wav)


def held(midi: mido.MidiFile) -> int:
    """The most notes held at once in ``midi`` (all tracks and channels)."""
    events = []
    for track in midi.tracks:
        tick, open_ = 0, {}
        for msg in track:
            tick += msg.time
            key = (getattr(msg, "channel", None), getattr(msg, "note", None))
            if msg.type == "note_on" and msg.velocity:
                open_[key] = open_.get(key, 0) + 1
                events.append((tick, 1))
            elif msg.type in ("note_on", "note_off") and open_.get(key):
                open_[key] -= 1
                events.append((tick, -1))
    now = most = 0
    for _, step in sorted(events):
        now += step
        most = max(most, now)
    return most


def compare(song: np.ndarray, other: np.ndarray) -> str:
    n = max(len(song), len(other))
    a, b = np.zeros((n, song.shape[1])), np.zeros((n, song.shape[1]))
    a[: len(song)], b[: len(other)] = song, other
    diff = a - b
    same = len(song) == len(other) and np.array_equal(song, other)
    return (f"frames {len(song)}/{len(other)}, identical {same}, max |diff| {np.abs(diff).max():.0f}, "
            f"RMS diff {np.sqrt(np.mean(diff ** 2)):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+", type=Path)
    parser.add_argument("--polyphony", type=int)
    parser.add_argument("--reset", type=float, help="put a GM System On at this beat of the input first")
    parser.add_argument("--soundfont", type=Path, default=SOUNDFONT)
    parser.add_argument("--compare", action="store_true", help="the inputs are two WAV files: compare them")
    args = parser.parse_args()
    if args.compare:
        a, b = (load(p) for p in args.inputs)
        print(f"{args.inputs[1].name} against {args.inputs[0].name}: RMS {np.sqrt(np.mean(a ** 2)):.1f}; {compare(a, b)}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for src in args.inputs:
            name = src.stem
            if args.reset is not None:
                src = with_reset(src, folder / f"{name}.reset.mid", args.reset)
            default = annotate(src, folder / f"{name}.default.mid")
            tracks = annotate(src, folder / f"{name}.tracks.mid", "--motif-tracks")
            heard = {k: render(p, args.soundfont, args.polyphony) for k, p in
                     (("input", src), ("default", default), ("tracks", tracks))}
            song = heard["default"]
            print(f"{name}: song RMS {np.sqrt(np.mean(song ** 2)):.1f}; notes held at once: song "
                  f"{held(mido.MidiFile(default))}, with family tracks {held(mido.MidiFile(tracks))}")
            print(f"  input vs default output: {compare(heard['input'], song)}")
            print(f"  default vs --motif-tracks: {compare(song, heard['tracks'])}")


if __name__ == "__main__":
    main()
