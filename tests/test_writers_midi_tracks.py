"""``--motif-tracks`` (session 26, daw26): one silent track per family after the song's tracks, holding a copy of
its occurrences' notes, so that a DAW's piano roll shows which notes a motif is and where it ends (a marker shows
only its start, and Ableton Live reads no markers). Checked on real files with mido, as a DAW reads them: the
song's tracks are the default output's, message for message; each family track holds exactly its occurrences'
notes (the JSON report's); it is silent (a channel the song never uses, volume 0 before its first note); the
file annotated again finds the same families and gets one set of family tracks, not two. The default output
does not change (tests/test_writers_midi*.py pin it)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import mido
import pytest
from test_musescore import MuseScore, musescore  # noqa: F401 - musescore is a fixture
from typer.testing import CliRunner

from motifcli.cli import app
from motifcli.midi_copy import COPY_TAG
from motifcli.readers.midi import read_midi

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "pop909-101.mid"


def annotate(src: Path, out: Path, *extra: str) -> tuple[Path, dict]:
    result = CliRunner().invoke(app, ["annotate", str(src), "-o", f"{out}/", "-f", "midi,json", "-q", *extra])
    assert result.exit_code == 0, result.output
    stem = src.name.rsplit(".", 1)[0]
    return out / f"{stem}.motifs.mid", json.loads((out / f"{stem}.motifs.json").read_text())


def plain(track: mido.MidiTrack) -> list[str]:
    return [str(msg) for msg in track]


def notes_of(track: mido.MidiTrack) -> set[tuple[int, int, int]]:
    """(on tick, off tick, pitch) of every note of ``track`` (note-ons paired first in, first out per channel and key)."""
    tick, open_, out = 0, {}, set()
    for msg in track:
        tick += msg.time
        if msg.type == "note_on" and msg.velocity:
            open_.setdefault((msg.channel, msg.note), []).append(tick)
        elif msg.type in ("note_on", "note_off") and open_.get((msg.channel, msg.note)):
            out.add((open_[(msg.channel, msg.note)].pop(0), tick, msg.note))
    return out


def expected_notes(family: dict, tpb: int) -> set[tuple[int, int, int]]:
    return {(round(n["onset"] * tpb), max(round(n["offset"] * tpb), round(n["onset"] * tpb) + 1), n["pitch"])
            for occ in family["occurrences"] for n in occ["notes"]}


def check(src: Path, tmp_path: Path) -> tuple[mido.MidiFile, mido.MidiFile, dict]:
    """Annotate ``src`` with and without the option; assert the song and the family tracks; return both files."""
    default, _ = annotate(src, tmp_path / "default")
    out, report = annotate(src, tmp_path / "tracks", "--motif-tracks")
    before, after = mido.MidiFile(default), mido.MidiFile(out)
    song = len(before.tracks)
    families = report["motifs"]
    assert families and len(after.tracks) == song + len(families)
    assert after.ticks_per_beat == before.ticks_per_beat
    # the song: the default output's tracks, message for message (notes, tempo map, programs, CCs, names, marks)
    assert [plain(t) for t in after.tracks[:song]] == [plain(t) for t in before.tracks]
    song_channels = {m.channel for t in before.tracks for m in t if not m.is_meta and hasattr(m, "channel")}
    song_notes = set().union(*(notes_of(t) for t in before.tracks))
    for family, track in zip(families, after.tracks[song:]):
        assert track.name.startswith(f"Motif {family['name']} (")
        assert track[1].type == "sequencer_specific" and tuple(track[1].data) == COPY_TAG
        # exactly the occurrences' notes, at their ticks and pitches
        assert notes_of(track) == expected_notes(family, after.ticks_per_beat), family["name"]
        assert notes_of(track) <= song_notes  # copies of the song's own notes
        channels = {m.channel for m in track if not m.is_meta}
        assert len(channels) == 1 and not channels & song_channels and 9 not in channels  # a channel of its own
        first = next(m for m in track if not m.is_meta)
        assert (first.type, first.control, first.value) == ("control_change", 7, 0)  # silent before its first note
    return before, after, report


def test_each_family_gets_a_silent_track_of_its_notes_after_the_song(tmp_path: Path) -> None:
    before, after, report = check(EXAMPLE, tmp_path)
    assert [t.name for t in after.tracks[:4]] == ["", "MELODY", "BRIDGE", "PIANO"]
    assert after.tracks[4].name == "Motif A (PIANO)"
    # neighbouring family tracks take different channels (MuseScore joins neighbours of one channel)
    channels = [next(m.channel for m in t if not m.is_meta) for t in after.tracks[4:]]
    assert all(a != b for a, b in zip(channels, channels[1:]))


def test_a_music21_file_and_a_type_0_file(tmp_path: Path) -> None:
    """A notation program's export (music21: every part on channel 1) and a hardware sequencer's type-0 file,
    which becomes type 1: its one track first and unchanged, then the family tracks."""
    music21 = pytest.importorskip("music21")
    src = tmp_path / "bwv66.mid"
    music21.corpus.parse("bach/bwv66.6").write("midi", fp=str(src))
    _, after, _ = check(src, tmp_path / "m21")
    assert [t.name for t in after.tracks[1:5]] == ["Soprano", "Alto", "Tenor", "Bass"]
    midi = mido.MidiFile(EXAMPLE)
    zero = mido.MidiFile(type=0, ticks_per_beat=midi.ticks_per_beat)
    zero.tracks.append(mido.merge_tracks(midi.tracks))
    zero.save(tmp_path / "zero.mid")
    before, after, _ = check(tmp_path / "zero.mid", tmp_path / "zero")
    assert before.type == 0 and after.type == 1


def test_annotating_the_output_again_finds_the_same_families_and_replaces_the_tracks(tmp_path: Path) -> None:
    first, report = annotate(EXAMPLE, tmp_path / "one", "--motif-tracks")
    assert len(read_midi(first).tracks) == len(read_midi(EXAMPLE).tracks)  # the copies are not read
    again, report2 = annotate(first, tmp_path / "two", "--motif-tracks")
    strip = lambda r: [(m["name"], [o["notes"] for o in m["occurrences"]]) for m in r["motifs"]]  # noqa: E731
    assert strip(report2) == strip(report)
    assert [plain(t) for t in mido.MidiFile(again).tracks] == [plain(t) for t in mido.MidiFile(first).tracks]
    plain_again, _ = annotate(first, tmp_path / "three")  # without the option: the copies are gone
    default, _ = annotate(EXAMPLE, tmp_path / "default")
    assert plain_again.read_bytes() == default.read_bytes()


def test_a_song_using_every_channel_is_refused_not_doubled(tmp_path: Path) -> None:
    midi = mido.MidiFile(EXAMPLE)
    midi.tracks[1].insert(1, mido.Message("program_change", channel=9, program=0))  # fill 4..16 (not 10: drums)
    for c in range(3, 16):
        if c != 9:
            midi.tracks[1].insert(1, mido.Message("control_change", channel=c, control=7, value=100))
    midi.save(tmp_path / "full.mid")
    result = CliRunner().invoke(app, ["annotate", str(tmp_path / "full.mid"), "-o", f"{tmp_path}/out/", "-f", "midi",
                                      "--motif-tracks"])
    assert result.exit_code == 1
    assert "--motif-tracks needs a MIDI channel the song does not use" in result.output
    assert not (tmp_path / "out" / "full.motifs.mid").exists()


def test_the_run_record_names_the_option_only_when_given(tmp_path: Path) -> None:
    """--resume must redo a file annotated without the option; a default run's record stays as it was."""
    _, plain_report = annotate(EXAMPLE, tmp_path / "a")
    _, report = annotate(EXAMPLE, tmp_path / "b", "--motif-tracks")
    assert "motif_tracks" not in plain_report["run"]["options"]
    assert report["run"]["options"]["motif_tracks"] is True


def test_the_option_without_midi_output_gets_a_note(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["annotate", str(EXAMPLE), "-o", f"{tmp_path}/", "-f", "json", "--motif-tracks"])
    assert result.exit_code == 0
    assert "note: --motif-tracks acts on MIDI output only" in result.output


@pytest.mark.musescore
def test_musescore_imports_a_silent_part_per_family(musescore: MuseScore, tmp_path: Path) -> None:  # noqa: F811
    """MuseScore 3's MIDI import (a stand-in for a DAW's): one part per family, named after it, at volume 0."""
    music21 = pytest.importorskip("music21")
    src = tmp_path / "bwv66.mid"
    music21.corpus.parse("bach/bwv66.6").write("midi", fp=str(src))
    out, report = annotate(src, tmp_path / "out", "--motif-tracks")
    mscx = tmp_path / "bwv66.mscx"
    musescore.job([{"in": str(out), "out": [str(mscx)]}], tmp_path)
    score = ET.parse(mscx).getroot().find("Score")
    parts = {p.findtext("trackName"): p for p in score.findall("Part")}
    for family in report["motifs"]:
        name = next(n for n in parts if f"Motif {family['name']} (" in n)
        volume = parts[name].find("Instrument/Channel/controller[@ctrl='7']")
        assert volume is not None and volume.get("value") == "0"
    assert all(p.find("Instrument/Channel/controller[@ctrl='7']") is None
               for n, p in parts.items() if "Motif" not in n)  # the song's parts keep their volume
