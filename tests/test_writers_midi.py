"""MIDI output: every input event kept at its tick and in its order, plus markers (and lyrics)."""

from __future__ import annotations

from pathlib import Path

import mido
import pytest

from motifcli import writers
from motifcli.readers.midi import read_midi
from motifcli.writers.labels import label_text
from motifcli.writers.midi_bars import signature_events
from marker_lane import assert_lane, markers, parts
from writers_fixtures import absolute_events, labelled_annotation, needs_data, pop909_path, time_signatures

pytestmark = needs_data


def without_added(events, texts):
    """The events that were there before: added markers/lyrics dropped, end-of-track and time
    signatures set aside (an estimated meter's bars replace the input's: test_writers_midi_bars.py)."""
    kept = [e for e in events if not any(f"text={t!r}" in str(e[1]) for t in texts)]
    return [e for e in kept if "end_of_track" not in str(e[1]) and "time_signature" not in str(e[1])]


def first_note_tick(occ) -> int:
    """Schema 2: markers and lyrics sit at the occurrence's first note (its span's start if it has none)."""
    return round((min(n.onset for n in occ.notes) if occ.notes else occ.start) * 480)


def note_on_ticks(track) -> set[int]:
    tick, out = 0, set()
    for msg in track:
        tick += msg.time
        if msg.type == "note_on" and msg.velocity > 0:
            out.add(tick)
    return out


def end_tick(track):
    tick = sum(m.time for m in track)
    assert track[-1].type == "end_of_track"
    return tick


@pytest.mark.parametrize("song, track", [("022", "MELODY"), ("039", "PIANO")])
def test_markers_at_exact_ticks_and_events_untouched(tmp_path, song, track):
    score = read_midi(pop909_path(song))
    annotation = labelled_annotation(score, song, track)
    assert len(annotation.occurrences) >= 6
    dest = tmp_path / writers.output_name(score.path, "midi")
    writers.write(annotation, score, "midi", dest, lyrics=True)

    before, after = mido.MidiFile(score.path), mido.MidiFile(dest)
    assert after.type == before.type and after.ticks_per_beat == before.ticks_per_beat == 480
    assert len(after.tracks) == len(before.tracks)
    texts = {o.text for o in annotation.occurrences} | {text for _, text in markers(after)}
    # POP909's placeholder 1/4 is replaced by the estimated bars (the only change to old events)
    assert score.meter_map.source == "estimated"
    assert time_signatures(after) == signature_events(score.meter_map, 480) != time_signatures(before)
    for old, new in zip(before.tracks, after.tracks):
        # every original event, same absolute tick, same order (new ones removed)
        assert without_added(absolute_events(new), texts) == without_added(absolute_events(old), ())
        added = [t for t, m in absolute_meta(new) if m.type in ("marker", "lyrics")]
        assert end_tick(new) == max([end_tick(old), *added])  # moved only when a marker is later

    # one marker per moment (session 26): each occurrence named once, at its first note's tick (or a
    # fraction of a beat before, with one that starts there), on the conductor track
    assert markers(after) == sorted((t, m.text) for t, m in absolute_meta(after.tracks[0]) if m.type == "marker")
    assert_lane(after, {o.label: first_note_tick(o) for o in annotation.occurrences})
    # ... on a tick where the file itself starts a note of the occurrence's track (read with mido)
    starts = note_on_ticks(before.tracks[score.track_named(track).source_index])
    assert all(first_note_tick(o) in starts for o in annotation.occurrences if o.notes)
    assert {t for t, _ in markers(after)} <= {first_note_tick(o) for o in annotation.occurrences}  # a moment's first
    assert any(first_note_tick(o) != round(o.start * 480) for o in annotation.occurrences)
    assert all(place.startswith(track) for _, text in markers(after) for _, place in parts(text))

    source = score.track_named(track).source_index
    lyrics = [(t, m.text) for t, m in absolute_meta(after.tracks[source]) if m.type == "lyrics"]
    assert sorted(lyrics) == sorted((first_note_tick(o), o.text) for o in annotation.occurrences)  # on its track
    for number, trk in enumerate(after.tracks):  # nothing else got lyrics
        if number != source:
            assert not any(m.type == "lyrics" for _, m in absolute_meta(trk))
        assert trk[-1].type == "end_of_track"

    # the notes motif reads back are the same notes
    again = read_midi(dest)
    assert [t.notes for t in again.tracks] == [t.notes for t in score.tracks]


def absolute_meta(track):
    tick = 0
    for msg in track:
        tick += msg.time
        if msg.is_meta:
            yield tick, msg


def test_no_lyrics_unless_asked(tmp_path):
    score = read_midi(pop909_path("021"))
    annotation = labelled_annotation(score, "021", "MELODY")
    dest = tmp_path / "out.mid"
    writers.write(annotation, score, "midi", dest)
    midi = mido.MidiFile(dest)
    assert not any(m.type == "lyrics" for t in midi.tracks for m in t)
    assert_lane(midi, {o.label: first_note_tick(o) for o in annotation.occurrences})


def test_type0_file_gets_markers_and_lyrics_in_its_only_track(tmp_path):
    original = mido.MidiFile(pop909_path("023"))
    merged = mido.MidiFile(type=0, ticks_per_beat=original.ticks_per_beat)
    merged.tracks.append(mido.merge_tracks(original.tracks))
    source = tmp_path / "023.mid"
    merged.save(source)
    score = read_midi(source)
    assert score.tracks and all(t.source_index == 0 for t in score.tracks)
    track = max(score.pitched_tracks(), key=lambda t: len(t.notes))
    from writers_fixtures import annotation_from_spans, label_spans

    annotation = annotation_from_spans(score, label_spans("023"), track.index)
    dest = tmp_path / "023.motifs.mid"
    writers.write(annotation, score, "midi", dest, lyrics=True)
    out = mido.MidiFile(dest)
    assert out.type == 0 and len(out.tracks) == 1
    texts = {o.text for o in annotation.occurrences} | {text for _, text in markers(out)}
    assert without_added(absolute_events(out.tracks[0]), texts) == without_added(absolute_events(merged.tracks[0]), ())
    metas = list(absolute_meta(out.tracks[0]))
    expected = sorted((first_note_tick(o), o.text) for o in annotation.occurrences)
    assert_lane(out, {o.label: first_note_tick(o) for o in annotation.occurrences})  # in its only track
    assert sorted((t, m.text) for t, m in metas if m.type == "lyrics") == expected


def test_marker_after_the_end_of_track_moves_only_the_end(tmp_path):
    score = read_midi(pop909_path("021"))
    annotation = labelled_annotation(score, "021", "MELODY")
    last_note_tick = end_tick(mido.MidiFile(score.path).tracks[1])
    late = annotation.motifs[0].occurrences[-1]
    late.start = last_note_tick / 480 + 3.0
    late.notes, late.note_indices = [], []  # no notes: its marker goes at its start, past the end
    dest = tmp_path / "late.mid"
    writers.write(annotation, score, "midi", dest)
    out = mido.MidiFile(dest)
    events = list(absolute_meta(out.tracks[0]))
    assert events[-1][1].type == "end_of_track" and events[-1][0] == last_note_tick + 3 * 480
    assert events[-2][1].type == "marker" and events[-2][1].text == label_text(late)  # a moment of its own
    assert end_tick(out.tracks[1]) == last_note_tick  # other tracks keep their length


def test_musicxml_input_gets_a_built_midi_file(tmp_path):
    music21 = pytest.importorskip("music21")
    from motifcli.readers import read_score
    from writers_fixtures import annotation_from_spans

    path = next(p for p in music21.corpus.getPaths() if p.name == "bwv66.6.mxl")
    score = read_score(path)
    annotation = annotation_from_spans(score, [(1, 5, "x"), (9, 13, "x"), (5, 9, "y"), (13, 17, "y")], 0)
    dest = tmp_path / "bwv66.6.motifs.mid"
    writers.write(annotation, score, "midi", dest, lyrics=True)
    again = read_midi(dest)
    assert [[(n.onset, n.pitch) for n in t.notes] for t in again.pitched_tracks()] == [
        [(n.onset, n.pitch) for n in t.notes] for t in score.pitched_tracks()
    ]
    midi = mido.MidiFile(dest)
    assert_lane(midi, {o.label: round(o.start * 480) for o in annotation.occurrences})
    assert markers(midi) == sorted((t, m.text) for t, m in absolute_meta(midi.tracks[0]) if m.type == "marker")
    lyrics = [(t, m.text) for t, m in absolute_meta(midi.tracks[1]) if m.type == "lyrics"]
    assert sorted(lyrics) == sorted((round(o.start * 480), o.text) for o in annotation.occurrences)


def test_annotating_an_annotated_file_replaces_its_marks(tmp_path):
    """A DAW user annotates, edits and annotates again: the second file holds one set of markers and
    lyrics (the first run's are taken out), and a song's own lyric and marker stay."""
    score = read_midi(pop909_path("021"))
    annotation = labelled_annotation(score, "021", "MELODY")
    first = tmp_path / "once.mid"
    writers.write(annotation, score, "midi", first, lyrics=True)
    edited = mido.MidiFile(first)
    edited.tracks[0].insert(1, mido.MetaMessage("marker", text="Chorus", time=0))
    edited.tracks[1].insert(1, mido.MetaMessage("lyrics", text="Motif of love", time=0))
    source = tmp_path / "edited.mid"
    edited.save(source)
    again = read_midi(source)
    second = tmp_path / "twice.mid"
    writers.write(labelled_annotation(again, "021", "MELODY"), again, "midi", second, lyrics=True)

    def marks(path):
        return sorted((i, t, m.type, m.text) for i, track in enumerate(mido.MidiFile(path).tracks)
                      for t, m in absolute_meta(track) if m.type in ("marker", "lyrics"))

    own = [m for m in marks(first)]
    assert own and len(marks(second)) == len(own) + 2  # not stacked: one set, plus the user's two
    assert [m for m in marks(second) if m[3] not in ("Chorus", "Motif of love")] == own
    notes = [[e for e in absolute_events(track) if "note_" in str(e[1])] for track in mido.MidiFile(second).tracks]
    assert notes == [[e for e in absolute_events(track) if "note_" in str(e[1])] for track in mido.MidiFile(first).tracks]
