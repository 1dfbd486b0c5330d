"""Defects a first-time user met in session 25 (benchmarks/phase25-usertrial25.md), each on a real file.

- A MusicXML part with an empty ``<part-name>`` and an exporter's plain id (``P1``: MuseScore, Finale and
  Sibelius number their parts so) was named "P1" in every label ("Motif A1 (P1, top line)"); it is "Part 1".
- A type-0 MIDI file made by merging a type-1 file keeps each instrument's track name just before its
  channel's first event; every channel was named after the first name ("MELODY, channel 3" for the piano).
"""

from __future__ import annotations

from pathlib import Path

import pytest

mido = pytest.importorskip("mido")
music21 = pytest.importorskip("music21")

from motifcli.readers.midi import read_midi  # noqa: E402
from motifcli.readers.musicxml import read_musicxml  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]



def _rising_quarters(track: mido.MidiTrack, voices: tuple[tuple[int, int], ...], count: int) -> None:
    """``count`` quarter notes on each (channel, first pitch) of ``voices`` together, each a semitone above the last."""
    for i in range(count):
        for channel, pitch in voices:
            track.append(mido.Message("note_on", channel=channel, note=pitch + i, velocity=80, time=0))
        for n, (channel, pitch) in enumerate(voices):
            track.append(mido.Message("note_off", channel=channel, note=pitch + i, velocity=0, time=480 if n == 0 else 0))

def test_a_lead_sheet_part_named_only_p1_is_part_1() -> None:
    """music21's bundled Foster lead sheet: `<score-part id="P1">` with an empty part name."""
    from music21 import corpus

    score = read_musicxml(Path(corpus.getWork("leadSheet/fosterBrownHair")))
    assert [t.name for t in score.tracks] == ["Part 1"]
    assert [t.part_id for t in score.tracks] == ["P1"]  # the writer still finds the part by its id


def test_a_meaningful_short_id_still_names_the_part(tmp_path: Path) -> None:
    """Ids that say something ("Pno", "Vln1") stay the name of an unnamed part; "P2" is only a place."""
    parts = (("Pno", ""), ("P2", ""), ("P3", "Flute"))
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<score-partwise version="3.1"><part-list>'
        + "".join(f'<score-part id="{pid}"><part-name>{name}</part-name></score-part>' for pid, name in parts)
        + "</part-list>"
        + "".join(
            f'<part id="{pid}"><measure number="1"><attributes><divisions>1</divisions><time><beats>4</beats>'
            "<beat-type>4</beat-type></time></attributes><note><pitch><step>C</step><octave>5</octave></pitch>"
            "<duration>4</duration><type>whole</type></note></measure></part>"
            for pid, _ in parts
        )
        + "</score-partwise>"
    )
    path = tmp_path / "unnamed.musicxml"
    path.write_text(text, encoding="utf-8")
    assert [t.name for t in read_musicxml(path).tracks] == ["Pno", "Part 2", "Flute"]


def _type0(src: Path, dst: Path) -> Path:
    """``src`` merged into one track, as mido (and most 'save as type 0' tools) write it."""
    mid = mido.MidiFile(str(src))
    one = mido.MidiFile(type=0, ticks_per_beat=mid.ticks_per_beat)
    one.tracks.append(mido.merge_tracks(mid.tracks))
    one.save(str(dst))
    return dst


def test_a_merged_type0_file_names_each_channel_by_its_own_track_name(tmp_path: Path) -> None:
    """POP909 song 202 (MELODY, BRIDGE, PIANO on channels 1-3) merged into type 0."""
    score = read_midi(_type0(ROOT / "examples" / "pop909-202.mid", tmp_path / "202-type0.mid"))
    assert [t.name for t in score.tracks if t.notes] == ["MELODY", "BRIDGE", "PIANO"]
    assert [t.channel for t in score.tracks if t.notes] == [0, 1, 2]


def test_a_type0_file_with_one_name_keeps_name_and_channel(tmp_path: Path) -> None:
    """A sequencer's type-0 file: one name (the song's) for all channels: "NAME, channel C" as before."""
    mid = mido.MidiFile(type=0, ticks_per_beat=480)
    track = mido.MidiTrack([mido.MetaMessage("track_name", name="My song", time=0)])
    for channel in (0, 1):
        track.append(mido.Message("program_change", channel=channel, program=0, time=0))
    _rising_quarters(track, ((0, 72), (1, 48)), 8)
    mid.tracks.append(track)
    path = tmp_path / "song.mid"
    mid.save(str(path))
    assert [t.name for t in read_midi(path).tracks] == ["My song, channel 1", "My song, channel 2"]


def test_channel_prefix_binds_a_name_to_its_channel(tmp_path: Path) -> None:
    """The standard way (meta 0x20, MIDI channel prefix): the name after it is that channel's."""
    mid = mido.MidiFile(type=0, ticks_per_beat=480)
    track = mido.MidiTrack()
    for channel, name in ((1, "Violin"), (0, "Cello")):
        track.append(mido.MetaMessage("channel_prefix", channel=channel, time=0))
        track.append(mido.MetaMessage("track_name", name=name, time=0))
    _rising_quarters(track, ((0, 48), (1, 76)), 4)
    mid.tracks.append(track)
    path = tmp_path / "duo.mid"
    mid.save(str(path))
    assert [(t.name, t.channel) for t in read_midi(path).tracks] == [("Cello", 0), ("Violin", 1)]


def test_help_says_how_tracks_are_counted_and_what_the_formats_are() -> None:
    """`--track 1` on a type-1 file exported by music21 or a DAW is the second track (the first holds the
    tempo): the help said only "name or index". `-f mirex, labels` meant nothing to a musician."""
    from tests.test_cli_help import _options_help

    for command in ("annotate", "embed", "plot"):
        assert "counted from 0" in _options_help(command)["--track"]
    formats = _options_help("annotate")["--format"]
    assert "MuseScore" in formats and "Audacity" in formats and "MIREX" in formats


def _annotate(*args: str) -> "subprocess.CompletedProcess[str]":
    import os
    import subprocess
    import sys

    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    return subprocess.run([sys.executable, "-m", "motifcli", "annotate", *args], capture_output=True, text=True,
                          timeout=120, env=env, cwd=ROOT)


def test_lyrics_on_musicxml_output_says_it_did_nothing(tmp_path: Path) -> None:
    """`--lyrics` writes lyrics into MIDI output only: a chorale annotated as MusicXML got none, silently."""
    from music21 import corpus

    chorale = str(corpus.getWork("bach/bwv66.6"))
    proc = _annotate(chorale, "--lyrics", "--keep-time-signatures", "-f", "musicxml", "-o", f"{tmp_path}/xml/")
    assert proc.returncode == 0, proc.stderr
    assert "note: --lyrics acts on MIDI output only" in proc.stderr
    assert "note: --keep-time-signatures acts on MIDI output only" in proc.stderr
    assert "<lyric" not in (tmp_path / "xml" / "bwv66.6.motifs.musicxml").read_text()
    proc = _annotate(chorale, "--lyrics", "-f", "midi,musicxml", "-o", f"{tmp_path}/mid/")
    assert proc.returncode == 0 and "note:" not in proc.stderr
    lyrics = [m for t in mido.MidiFile(str(tmp_path / "mid" / "bwv66.6.motifs.mid")).tracks for m in t if m.type == "lyrics"]
    assert lyrics and all(m.text.startswith("Motif ") for m in lyrics)
