"""The MIDI reader against real POP909 files (checked with mido directly) and small files built here."""

from __future__ import annotations

from collections import defaultdict
from itertools import accumulate
from pathlib import Path

import mido
import pytest

from motifcli.errors import ScoreReadError
from motifcli.readers.midi import read_midi
from motifcli.score import Note
from training.datafolder import find_data_root


def _pop909() -> Path | None:
    root = find_data_root()
    return root / "pop909" if root is not None else None


POP909 = _pop909()
needs_pop909 = pytest.mark.skipif(POP909 is None, reason="POP909 data (shared/data/pop909) not found")
SONGS = ["021", "022", "023", "025"]  # 022, 023 and 025 change tempo


def song(number: str) -> Path:
    assert POP909 is not None
    return POP909 / number / f"{number}.mid"


def mido_notes(track: mido.MidiTrack, tpb: int) -> list[tuple[float, float, int, int]]:
    """(onset, offset, pitch, velocity), pairing ons and offs first in, first out per (channel, pitch)
    and ending notes still open at the end of the track there (the documented rule)."""
    tick = 0
    open_: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    out = []
    for msg in track:
        tick += msg.time
        if msg.type == "note_on" and msg.velocity > 0:
            open_[(msg.channel, msg.note)].append((tick, msg.velocity))
        elif msg.type in ("note_on", "note_off") and open_[(msg.channel, msg.note)]:
            start, velocity = open_[(msg.channel, msg.note)].pop(0)
            out.append((start / tpb, tick / tpb, msg.note, velocity))
    for (_, pitch), starts in open_.items():
        out.extend((start / tpb, tick / tpb, pitch, velocity) for start, velocity in starts)
    return sorted(out, key=lambda n: (n[0], n[2]))


@needs_pop909
@pytest.mark.parametrize("number", SONGS)
def test_pop909_notes_match_mido(number: str):
    path = song(number)
    midi = mido.MidiFile(path)
    score = read_midi(path)
    assert score.format == "midi" and score.ticks_per_beat == 480
    assert [t.name for t in score.tracks] == ["Track 1", "MELODY", "BRIDGE", "PIANO"]
    assert [t.source_index for t in score.tracks] == [0, 1, 2, 3]
    assert [t.name for t in score.pitched_tracks()] == ["MELODY", "BRIDGE", "PIANO"]
    for track, mtrack in zip(score.tracks, midi.tracks):
        expected = mido_notes(mtrack, 480)
        got = [(n.onset, n.offset, n.pitch, n.velocity) for n in track.notes]
        assert sorted(got) == sorted(expected)
        assert got == sorted(got, key=lambda n: (n[0], n[2]))  # notes come sorted by onset, pitch
        note_ons = sum(1 for m in mtrack if m.type == "note_on" and m.velocity > 0)
        assert len(track.notes) == note_ons
    assert score.note_count == sum(1 for m in midi.merged_track if m.type == "note_on" and m.velocity > 0)


@needs_pop909
@pytest.mark.parametrize("number", SONGS)
def test_pop909_tempo_map_matches_mido(number: str):
    path = song(number)
    midi = mido.MidiFile(path)
    score = read_midi(path)
    tick = 0
    expected = []
    for msg in midi.tracks[0]:
        tick += msg.time
        if msg.type == "set_tempo":
            expected.append((tick / 480, msg.tempo))
    assert [(t.beat, t.microseconds_per_beat) for t in score.tempos] == expected
    if number != "021":
        assert len({t.microseconds_per_beat for t in score.tempos}) > 1
    # mido's own clock (it follows set_tempo while iterating) agrees with Score.seconds_at
    seconds = 0.0
    ends = []
    for msg in midi:
        seconds += msg.time
        if msg.type == "note_on" and msg.velocity == 0 or msg.type == "note_off":
            ends.append(seconds)
    last_offset = score.end_beat
    assert float(score.seconds_at(last_offset)) == pytest.approx(max(ends), abs=1e-6)


def write(path: Path, tracks: list[list[mido.Message | mido.MetaMessage]], tpb: int = 480, kind: int = 1) -> Path:
    midi = mido.MidiFile(type=kind, ticks_per_beat=tpb)
    for messages in tracks:
        midi.tracks.append(mido.MidiTrack(messages))
    midi.save(path)
    return path


def test_drums_are_split_from_the_pitched_channel(tmp_path: Path):
    path = write(
        tmp_path / "mixed.mid",
        [
            [
                mido.MetaMessage("track_name", name="BAND"),
                mido.Message("note_on", channel=0, note=60, velocity=80, time=0),
                mido.Message("note_on", channel=9, note=36, velocity=100, time=0),
                mido.Message("note_off", channel=9, note=36, time=240),
                mido.Message("note_off", channel=0, note=60, time=240),
            ]
        ],
        kind=0,
    )
    score = read_midi(path)
    assert [(t.name, t.is_drum, t.channel, len(t.notes)) for t in score.tracks] == [
        ("BAND", False, 0, 1),
        ("BAND", True, 9, 1),
    ]
    assert score.tracks[0].notes == [Note(0.0, 1.0, 60, 80, 0)]
    assert score.tracks[1].notes == [Note(0.0, 0.5, 36, 100, 9)]
    assert [t.name for t in score.pitched_tracks()] == ["BAND"]


EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "pop909-101.mid"  # type 1: one channel per track


def type0_copy(source: Path, dest: Path) -> Path:
    """``source`` merged into one track, as a type-0 file holds it: every instrument on its own channel."""
    original = mido.MidiFile(source)
    merged = mido.MidiFile(type=0, ticks_per_beat=original.ticks_per_beat)
    merged.tracks.append(mido.merge_tracks(original.tracks))
    merged.save(dest)
    return dest


def test_a_type0_file_is_read_one_track_per_channel(tmp_path: Path):
    """A type-0 file was read as one track holding the melody, the bridge and the piano together, so
    note-level discovery split that mixture into voices (POP909 021 as type 0: 7 families, 57
    occurrences, all in one track; as type 1: 10 and 39). Each channel is now its own track, with the
    notes the type-1 file has in its track on that channel."""
    type1 = read_midi(EXAMPLE)
    score = read_midi(type0_copy(EXAMPLE, tmp_path / "type0.mid"))
    by_channel = {t.channel: t.notes for t in type1.pitched_tracks()}
    assert len(by_channel) == 3 and None not in by_channel
    assert [(t.channel, t.source_index, t.is_drum) for t in score.pitched_tracks()] == [(c, 0, False) for c in sorted(by_channel)]
    for track in score.pitched_tracks():
        assert track.notes == by_channel[track.channel]
    # each channel keeps the name its track had (the merged track holds each name before its channel's
    # events; session 25, tests/test_usertrial25.py; before, every channel was "MELODY, channel C")
    names = {t.channel: t.name for t in type1.pitched_tracks()}
    assert [t.name for t in score.pitched_tracks()] == [names[c] for c in sorted(by_channel)]


def test_overlapping_same_pitch_pairs_first_in_first_out(tmp_path: Path):
    path = write(
        tmp_path / "overlap.mid",
        [
            [
                mido.Message("note_on", note=60, velocity=50, time=0),
                mido.Message("note_on", note=60, velocity=70, time=480),
                mido.Message("note_on", note=60, velocity=0, time=480),  # velocity 0 = note-off
                mido.Message("note_off", note=60, time=480),
            ]
        ],
    )
    notes = read_midi(path).tracks[0].notes
    assert [(n.onset, n.offset, n.velocity) for n in notes] == [(0.0, 2.0, 50), (1.0, 3.0, 70)]


def test_beats_do_not_depend_on_tempo_or_resolution(tmp_path: Path):
    def one(tpb: int, tempo: int) -> list[tuple[float, float]]:
        path = write(
            tmp_path / f"t{tpb}_{tempo}.mid",
            [
                [
                    mido.MetaMessage("set_tempo", tempo=tempo),
                    mido.Message("note_on", note=64, velocity=90, time=tpb // 2),
                    mido.Message("note_off", note=64, time=3 * tpb),
                ]
            ],
            tpb=tpb,
        )
        return [(n.onset, n.offset) for n in read_midi(path).tracks[0].notes]

    assert one(96, 400_000) == one(960, 1_000_000) == [(0.5, 3.5)]


def test_not_midi_is_a_read_error(tmp_path: Path):
    path = tmp_path / "fake.mid"
    path.write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt ")
    with pytest.raises(ScoreReadError, match="not a readable MIDI file") as info:
        read_midi(path)
    assert info.value.path == str(path)


def test_a_limit_of_one_reads_in_the_singular():
    """``--max-notes 1`` said "more than 1 notes" (audit13); the message counts in the singular now."""
    from motifcli.limits import ReadLimits

    with pytest.raises(ScoreReadError, match=r"more than 1 note \(raise the limit with --max-notes\)"):
        read_midi(EXAMPLE, ReadLimits(max_notes=1))
    with pytest.raises(ScoreReadError, match=r"longer than 1 beat \(raise the limit with --max-beats\)"):
        read_midi(EXAMPLE, ReadLimits(max_beats=1))


def test_a_grace_note_written_off_first_leaves_the_notes_after_it_alone(tmp_path: Path):
    """music21 writes a grace note as a note of no length with its note-off first at the tick
    (Haydn op. 1 no. 1/ii, music21's corpus, has two). First-in-first-out pairing left that note-on open:
    it took the next note's off, and every later note of that pitch the one after, up to a note
    lasting to the end of the file (24 beats past its written end in Beethoven op. 59 no. 1/ii)."""
    music21 = pytest.importorskip("music21")
    written = music21.corpus.parse("haydn/opus1no1/movement2")
    dest = tmp_path / "haydn.mid"
    written.write("midi", fp=dest)
    score = read_midi(dest)
    notes = [n for t in score.tracks for n in t.notes]
    assert sum(n.offset == n.onset for n in notes) >= 2  # the grace notes, of no length, as written
    for track in score.tracks:  # each part is one line: no note of a pitch outlasts the next one's onset
        by_pitch = defaultdict(list)
        for n in track.notes:
            by_pitch[n.pitch].append(n)
        for same in by_pitch.values():
            assert all(a.offset <= b.onset for a, b in zip(same, same[1:]))
    midi = mido.MidiFile(dest)  # no note lasts past the file's last note event (music21 writes the repeats out)
    last = max(tick for t in midi.tracks for tick, m in zip(accumulate(m.time for m in t), t) if m.type.startswith("note"))
    assert max(n.offset for n in notes) == pytest.approx(last / midi.ticks_per_beat)


def test_a_safety_note_off_before_each_note_on_keeps_the_notes_long(tmp_path: Path):
    """Some sequencers send a note-off of the key just before every note-on. A note-on right after a
    note-off that closed nothing is of no length only where no note-off comes for it before the key's
    next note-on (music21's grace notes, above); here each note's own off follows, so each keeps its length."""
    track = mido.MidiTrack()
    for pitch in [60, 62, 60, 64]:
        track.append(mido.Message("note_off", note=pitch, velocity=0, time=0))
        track.append(mido.Message("note_on", note=pitch, velocity=80, time=0))
        track.append(mido.Message("note_off", note=pitch, velocity=0, time=480))
    grace = mido.MidiTrack()  # music21's grace note: off, on at one tick, then the next note of the key
    for msg in (mido.Message("note_off", note=67, velocity=0, time=0), mido.Message("note_on", note=67, velocity=80, time=0),
                mido.Message("note_on", note=69, velocity=80, time=0), mido.Message("note_off", note=69, velocity=0, time=480),
                mido.Message("note_on", note=67, velocity=80, time=0), mido.Message("note_off", note=67, velocity=0, time=480)):
        grace.append(msg)
    path = tmp_path / "safety.mid"
    mido.MidiFile(tracks=[track, grace], ticks_per_beat=480).save(path)
    score = read_midi(path)
    safety, graced = score.tracks
    assert [(n.onset, n.offset, n.pitch) for n in safety.notes] == [(0, 1, 60), (1, 2, 62), (2, 3, 60), (3, 4, 64)]
    assert sorted((n.onset, n.offset, n.pitch) for n in graced.notes) == [(0, 0, 67), (0, 1, 69), (1, 2, 67)]
