"""``--motif-tracks`` as a real player plays it (session 27, daw27; benchmarks/phase27-daw27.md).

A family track must stay silent wherever the song plays: also after the song resets the synth mid-file (a GM System
On sets every channel's volume back to 100: FluidSynth then played session 26's copies louder than the song).
Unmuted, it should play the motif with the instrument its notes come from, not GM's default piano. Read with mido
and, where FluidSynth and a GM SoundFont are installed (not a dependency: the test skips without them), rendered.
"""

from __future__ import annotations

import shutil
import subprocess
import wave
import xml.etree.ElementTree as ET
from pathlib import Path

import mido
import numpy as np
import pytest
from test_musescore import MuseScore, musescore  # noqa: F401 - musescore is a fixture
from test_writers_midi_tracks import annotate

from benchmarks.daw27 import GM_ON, with_reset  # GM System On (device "all"), and a copy of a song with one
from motifcli.midi_copy import is_copy_track

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "pop909-101.mid"
SOUNDFONTS = [Path("/usr/share/sounds/sf2/FluidR3_GM.sf2"), Path("/usr/share/sounds/sf2/default-GM.sf2")]


def volumes_at_note_ons(midi: mido.MidiFile) -> list[int]:
    """The volume (CC7) of each family track's channel at each of its note-ons, as a GM player sets it: 100 at
    the start and after a song's GM reset, then the last CC7. The file's events in order (track order within a tick)."""
    events = []
    for number, track in enumerate(midi.tracks):
        tick = 0
        for position, msg in enumerate(track):
            tick += msg.time
            events.append((tick, number, position, msg, is_copy_track(track)))
    volume: dict[int, int] = {}
    out = []
    for _, _, _, msg, copy in sorted(events, key=lambda e: e[:3]):
        if msg.type == "sysex" and tuple(msg.data) == GM_ON:
            volume.clear()
        elif msg.type == "control_change" and msg.control == 7:
            volume[msg.channel] = msg.value
        elif copy and msg.type == "note_on" and msg.velocity:
            out.append(volume.get(msg.channel, 100))
    return out


def test_family_tracks_stay_silent_after_the_song_resets_the_synth(tmp_path: Path) -> None:
    """A GM System On at beat 64 of the song: the family tracks' volume is 0 again right after it."""
    src = with_reset(EXAMPLE, tmp_path / "reset.mid", beat=64)
    out, _ = annotate(src, tmp_path / "out", "--motif-tracks")
    midi = mido.MidiFile(out)
    volumes = volumes_at_note_ons(midi)
    assert len(volumes) > 1000 and set(volumes) == {0}
    reset_tick = 64 * midi.ticks_per_beat
    for track in midi.tracks:
        if is_copy_track(track):
            tick, at_reset = 0, []
            for msg in track:
                tick += msg.time
                if tick == reset_tick and msg.type == "control_change":
                    at_reset.append((msg.control, msg.value))
            assert (7, 0) in at_reset, track.name


def test_a_family_track_plays_the_instrument_its_notes_come_from(tmp_path: Path) -> None:
    """A string quartet (music21: violins program 40, viola 41, cello 42, each on its own channel): each family
    track sets, after its volume, the program of the song channel most of its notes come from."""
    music21 = pytest.importorskip("music21")
    src = tmp_path / "quartet.mid"
    music21.corpus.parse("beethoven/opus18no1/movement1.mxl").measures(1, 24).write("midi", fp=str(src))
    out, report = annotate(src, tmp_path / "q", "--motif-tracks")
    after = mido.MidiFile(out)
    programs = {}  # song channel -> its program
    for track in after.tracks[: len(after.tracks) - len(report["motifs"])]:
        for msg in track:
            if msg.type == "program_change":
                programs.setdefault(msg.channel, msg.program)
    assert sorted(set(programs.values())) == [40, 41, 42]
    song = {t.name: next(m.channel for m in t if m.type == "note_on") for t in after.tracks if any(
        m.type == "note_on" for m in t) and not is_copy_track(t)}
    for family, track in zip(report["motifs"], after.tracks[-len(report["motifs"]):]):
        counts: dict[int, int] = {}  # score track -> the family's notes there (the first track of a tie wins)
        names = {}
        for occ in family["occurrences"]:
            names[occ["track"]] = occ["track_name"]
            for note in occ["notes"]:
                counts[note["track"]] = counts.get(note["track"], 0) + 1
        main = names[min(counts, key=lambda t: (-counts[t], t))]
        sent = [m.program for m in track if m.type == "program_change"]
        assert sent == [programs[song[main]]], (family["name"], counts)
        channel = {m.channel for m in track if not m.is_meta}
        assert len(channel) == 1 and not channel & set(song.values())  # on its own channel, as before
        first = [m for m in track if not m.is_meta][:2]
        assert [(m.type, getattr(m, "control", None), getattr(m, "value", None)) for m in first] == [
            ("control_change", 7, 0), ("program_change", None, None)]  # silent first, then the instrument


def render(midi: Path, wav: Path, soundfont: Path) -> np.ndarray:
    subprocess.run(["fluidsynth", "-ni", "-F", str(wav), "-r", "44100", str(soundfont), str(midi)],
                   check=True, capture_output=True, timeout=300)
    with wave.open(str(wav)) as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float64)


def test_fluidsynth_plays_the_file_as_the_song_even_after_a_reset(tmp_path: Path) -> None:
    """Rendered by FluidSynth (a real GM synth): the --motif-tracks file sounds as the default output, within a
    tiny difference (the copies at volume 0 are -96 dB, not nothing), also after a GM reset."""
    soundfont = next((s for s in SOUNDFONTS if s.exists()), None)
    if shutil.which("fluidsynth") is None or soundfont is None:
        pytest.skip("FluidSynth with a GM SoundFont is not installed (apt-get install fluidsynth fluid-soundfont-gm)")
    src = with_reset(EXAMPLE, tmp_path / "reset.mid", beat=64)
    default, _ = annotate(src, tmp_path / "default")
    tracks, _ = annotate(src, tmp_path / "tracks", "--motif-tracks")
    song, both = render(default, tmp_path / "a.wav", soundfont), render(tracks, tmp_path / "b.wav", soundfont)
    assert song.shape == both.shape
    rms = lambda x: float(np.sqrt(np.mean(x ** 2)))  # noqa: E731
    assert rms(song) > 100
    assert rms(song - both) < 1.0  # one 16-bit step; session 26's file differed by more than the song's own level


@pytest.mark.musescore
def test_musescore_imports_a_family_as_the_instrument_it_came_from(musescore: MuseScore, tmp_path: Path) -> None:  # noqa: F811
    """MuseScore 3's MIDI import of the quartet: each family part has its source channel's program (a violin's
    family a Violin part, one staff), at volume 0; session 26's were Grand Piano parts on two staves."""
    music21 = pytest.importorskip("music21")
    src = tmp_path / "quartet.mid"
    music21.corpus.parse("beethoven/opus18no1/movement1.mxl").measures(1, 24).write("midi", fp=str(src))
    out, report = annotate(src, tmp_path / "out", "--motif-tracks")
    tracks = {t.name: [m.program for m in t if m.type == "program_change"] for t in mido.MidiFile(out).tracks}
    mscx = tmp_path / "quartet.mscx"
    musescore.job([{"in": str(out), "out": [str(mscx)]}], tmp_path)
    parts = {p.findtext("trackName"): p for p in ET.parse(mscx).getroot().find("Score").findall("Part")}
    families = [name for name in parts if "Motif " in name]
    assert len(families) == len(report["motifs"])
    for name in families:
        channel = parts[name].find("Instrument/Channel")
        track = next(t for t in tracks if t.startswith("Motif ") and t in name)
        assert channel.find("program").get("value") == str(tracks[track][0])
        assert channel.find("controller[@ctrl='7']").get("value") == "0"
    instruments = [parts[name].findtext("Instrument/longName").split(",")[0] for name in families]
    assert "Violin" in instruments and "Grand Piano" not in instruments
