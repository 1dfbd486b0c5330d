"""One table of score suffixes (motifcli.suffixes): reader, batch and writers agree on every one.

Before, ``.smf``/``.kar`` were known to the output namer and the MIDI writer but not to the reader
or the folder scan, so ``motif annotate song.kar`` was refused while ``song.motifs.mid`` was the
name it would have written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from motifcli import batch, writers
from motifcli.readers import read_score
from motifcli.readers.midi import is_midi_path
from motifcli.suffixes import MIDI_SUFFIXES, MUSICXML_SUFFIXES, SCORE_SUFFIXES, score_format

BAD = Path(__file__).resolve().parent / "data" / "bad"


def test_every_suffix_has_one_format():
    assert set(SCORE_SUFFIXES) == set(MIDI_SUFFIXES) | set(MUSICXML_SUFFIXES)
    assert not set(MIDI_SUFFIXES) & set(MUSICXML_SUFFIXES)
    for suffix in SCORE_SUFFIXES:
        fmt = score_format(f"song{suffix.upper()}")
        assert fmt == ("midi" if suffix in MIDI_SUFFIXES else "musicxml")
        assert is_midi_path(f"song{suffix}") == (fmt == "midi")
        assert writers.output_name(f"song{suffix}", "json") == "song.motifs.json"
    assert score_format("song.mp3") is None and writers.output_name("song.mp3", "json") == "song.mp3.motifs.json"


@pytest.mark.parametrize("suffix", MIDI_SUFFIXES)
def test_every_midi_suffix_is_read_and_found_in_folders(tmp_path, suffix):
    source = tmp_path / f"one{suffix}"
    source.write_bytes((BAD / "midi_type2.mid").read_bytes())
    score = read_score(source)
    assert [len(t.notes) for t in score.tracks] == [4, 6] and score.format == "midi"
    found = [s.path.name for s in batch.discover([tmp_path])]
    assert found == [source.name]
