"""The MIDI writer starts from the reader's parse (``Score.parsed_source``) instead of parsing the
input again: the output must be byte-identical to a fresh parse, and writing must not change the
reader's MidiFile (a second write, e.g. with lyrics, starts from the same events)."""

from __future__ import annotations

import mido

from motifcli import writers
from motifcli.readers.midi import read_midi
from marker_lane import assert_lane
from writers_fixtures import labelled_annotation, needs_data, pop909_path

pytestmark = needs_data


def test_reused_parse_gives_the_same_bytes_and_stays_untouched(tmp_path):
    score = read_midi(pop909_path("022"))
    assert isinstance(score.parsed_source, mido.MidiFile)
    parsed = score.parsed_source
    tracks_before = list(parsed.tracks)
    type_before = parsed.type
    annotation = labelled_annotation(score, "022")
    assert annotation.occurrences  # markers to add, or the test proves nothing

    reused, reused_lyrics = tmp_path / "reused.mid", tmp_path / "reused-lyrics.mid"
    writers.write(annotation, score, "midi", reused)
    writers.write(annotation, score, "midi", reused_lyrics, lyrics=True)
    assert parsed.tracks == tracks_before and parsed.type == type_before
    assert all(a is b for a, b in zip(parsed.tracks, tracks_before))

    score.parsed_source = None  # the writer parses score.source again, as before
    fresh, fresh_lyrics = tmp_path / "fresh.mid", tmp_path / "fresh-lyrics.mid"
    writers.write(annotation, score, "midi", fresh)
    writers.write(annotation, score, "midi", fresh_lyrics, lyrics=True)
    assert reused.read_bytes() == fresh.read_bytes()
    assert reused_lyrics.read_bytes() == fresh_lyrics.read_bytes()
    assert reused.read_bytes() != reused_lyrics.read_bytes()
    assert_lane(mido.MidiFile(reused), {o.label: round(min((n.onset for n in o.notes), default=o.start) * 480)
                                        for o in annotation.occurrences})  # each named once, one marker per moment
