"""Defects of session 25's user trial mended in fixes25 (benchmarks/phase25-fixes25.md), each on a real file.

- Measures made in music21 without a number are all written ``number="0"``; every bar label read "0" where
  MuseScore shows 1..N. Written numbers that mostly do not increase are replaced by the bars' places.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

music21 = pytest.importorskip("music21")

from motifcli.meter import numbers_unusable  # noqa: E402
from motifcli.readers.musicxml import read_musicxml  # noqa: E402


def _unnumbered(path: Path, pickup: bool) -> Path:
    """A one-part tune of 8 measures made without numbers, written by music21 (all ``number="0"``)."""
    from music21 import meter, note, stream

    part = stream.Part()
    if pickup:
        m = stream.Measure()
        m.append(meter.TimeSignature("4/4"))
        m.append(note.Note("G4", quarterLength=1))
        m.padAsAnacrusis()
        part.append(m)
    for bar in range(8):
        m = stream.Measure()
        if bar == 0 and not pickup:
            m.append(meter.TimeSignature("4/4"))
        for p in ("C4", "E4", "G4", "E4"):
            m.append(note.Note(p, quarterLength=1))
        part.append(m)
    score = stream.Score([part])
    score.write("musicxml", fp=str(path))
    return path


@pytest.mark.parametrize("pickup", [False, True])
def test_measures_music21_wrote_without_numbers_are_numbered_by_place(tmp_path: Path, pickup: bool) -> None:
    path = _unnumbered(tmp_path / "unnumbered.musicxml", pickup)
    assert set(re.findall(r'<measure[^>]* number="([^"]*)"', path.read_text())) == {"0"}
    score = read_musicxml(path)
    want = [str(i) for i in range(0 if pickup else 1, 9)]
    assert score.measure_numbers == want
    assert score.meter.bar_number_at(4.5 if not pickup else 1.5) == ("2" if not pickup else "1")


def test_written_numbers_with_legitimate_repeats_are_kept() -> None:
    """A pickup, split measures, a volta's repeated number and a movement restarting at 1 stay as written."""
    assert not numbers_unusable(["0", "1", "2", "3", "4"])
    assert not numbers_unusable(["1", "2", "2a", "3", "3a", "4"])
    assert not numbers_unusable(["1", "2", "3", "4", "4", "5", "6"])
    assert not numbers_unusable(["1", "2", "3", "4", "1", "2", "3", "4"])
    assert not numbers_unusable(["7"])
    assert numbers_unusable(["0", "0", "0"])
    assert numbers_unusable(["1", "1", "1", "2"])
    assert numbers_unusable(["", "", "x"])
