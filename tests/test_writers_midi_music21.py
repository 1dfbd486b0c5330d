"""The annotated MIDI read back by a second, independent parser: music21's own MIDI reader.

mido wrote the file and the other MIDI tests read it with mido; a DAW or notation program is not
mido, so the markers, the lyrics and every original note are checked again through music21
(``music21.midi.MidiFile`` for the raw events, ``converter.parse`` for the notes).
"""

from __future__ import annotations

import pytest

from motifcli import writers
from motifcli.readers.midi import read_midi
from motifcli.writers.labels import label_text
from writers_fixtures import labelled_annotation, needs_data, pop909_path

pytestmark = needs_data
music21 = pytest.importorskip("music21")


def events_by_tick(track) -> list[tuple[int, object]]:
    """(absolute tick, event) for every non-delta event of a music21 MidiTrack."""
    tick, out = 0, []
    for ev in track.events:
        if ev.isDeltaTime():
            tick += ev.time
        else:
            out.append((tick, ev))
    return out


def text_events(track, kind) -> list[tuple[int, str]]:
    return sorted((t, ev.data.decode("utf-8", "replace")) for t, ev in events_by_tick(track) if ev.type == kind)


def note_ons(track) -> list[tuple[int, int, int]]:
    return sorted((t, ev.pitch, ev.channel) for t, ev in events_by_tick(track)
                  if ev.type == music21.midi.ChannelVoiceMessages.NOTE_ON and ev.velocity > 0)


def test_markers_lyrics_and_notes_through_music21(tmp_path) -> None:
    song, track_name = "022", "MELODY"
    score = read_midi(pop909_path(song))
    annotation = labelled_annotation(score, song, track_name)
    dest = tmp_path / "song.motifs.mid"
    writers.write(annotation, score, "midi", dest, lyrics=True)

    before, after = music21.midi.MidiFile(), music21.midi.MidiFile()
    before.open(str(score.path)), before.read(), before.close()
    after.open(str(dest)), after.read(), after.close()
    assert after.ticksPerQuarterNote == before.ticksPerQuarterNote == 480
    assert len(after.tracks) == len(before.tracks)

    # schema 2: at each occurrence's first note (its start when it lists none)
    first = lambda o: min((n.onset for n in o.notes), default=o.start)  # noqa: E731
    expected = sorted((round(first(o) * 480), o.text) for o in annotation.occurrences)
    assert len(expected) >= 6
    meta = music21.midi.MetaEvents
    # conductor track, exact ticks; a marker says where it is ("Motif A1 (MELODY)")
    assert text_events(after.tracks[0], meta.MARKER) == sorted(
        (round(first(o) * 480), label_text(o)) for o in annotation.occurrences)
    source = score.track_named(track_name).source_index
    starts = {t for t, _, _ in note_ons(before.tracks[source])}  # music21's reading of the notes
    assert all(tick in starts for (tick, _), o in zip(expected, sorted(annotation.occurrences,
               key=lambda o: (round(first(o) * 480), o.text))) if o.notes)
    assert text_events(after.tracks[source], meta.LYRIC) == expected
    for number, (old, new) in enumerate(zip(before.tracks, after.tracks)):
        assert note_ons(new) == note_ons(old)  # every note at its tick, pitch and channel
        if number != source:
            assert text_events(new, meta.LYRIC) == []
        if number != 0:
            assert text_events(new, meta.MARKER) == []

    # and music21's score import sees the same notes in the annotated file as in the original; it
    # quantises each bar's notes, so its notes depend on the bars (1328 notes in the original's 1/4
    # bars, 1220 in the estimated bars the default writes): compared with the input's bars kept
    kept = tmp_path / "kept.motifs.mid"
    writers.write(annotation, score, "midi", kept, lyrics=True, keep_time_signatures=True)
    flat = lambda p: sorted((float(n.offset), n.pitch.midi) for n in music21.converter.parse(p).flatten().notes  # noqa: E731
                            if n.isNote)
    assert flat(str(kept)) == flat(str(score.path))
    # music21 reads the default's pickup (29/128: 0.90625 of the 0.9167 beats estimated) and 4/4;
    # it lays a second 29/128 measure before the 4/4 that follows 1/96 beat after the pickup's
    # declared end (benchmarks/phase9-midibars9.md, "Other readers"), where MuseScore and ours do not
    part = music21.converter.parse(str(dest)).parts[0]
    sigs = [ts.ratioString for ts in part.recurse().getElementsByClass(music21.meter.TimeSignature)]
    assert sigs[0] == "29/128" and "4/4" in sigs[1:3], sigs
