"""Defects of session 25's user trial mended in fixes25 (benchmarks/phase25-fixes25.md), each on a real file.

- Measures made in music21 without a number are all written ``number="0"``; every bar label read "0" where
  MuseScore shows 1..N. Written numbers that mostly do not increase are replaced by the bars' places.
- A phrase stated back to back 3+ times came out as half as many statements of twice its length
  (``extend_tiled``); a tune of one arpeggio figure got no motif (``figuration_above``), and a run that
  finds none said only "motifs 0" (a line per such file now says so and why).
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


def _phrase_tune(path: Path, times: int) -> Path:
    """The trial's lead sheet: "E D C D | E E E -" (a 2-bar, 7-note phrase) ``times`` times in a row, with
    chord symbols, written by music21 (benchmarks/usertrial25_inputs.py ``lead_sheet_part``)."""
    from music21 import stream

    from benchmarks.usertrial25_inputs import lead_sheet_part

    stream.Score([lead_sheet_part(times)]).write("musicxml", fp=str(path))
    return path


@pytest.mark.parametrize("times", [4, 6])
def test_a_phrase_stated_back_to_back_is_counted_each_time(tmp_path: Path, times: int) -> None:
    """Each statement is one occurrence of the 7-note phrase, not half as many of the phrase twice (extend_tiled)."""
    from motifcli.discovery import discover

    families = discover(read_musicxml(_phrase_tune(tmp_path / "lead.musicxml", times)))
    assert len(families) == 1
    starts = sorted(o.start for o in families[0].occurrences)
    assert starts == [8.0 * k for k in range(times)]
    assert {len(o.notes) for o in families[0].occurrences} == {7}


def test_a_sequenced_figure_is_counted_each_time(tmp_path: Path) -> None:
    """The trial's volta tune: a 6-note figure moved up a semitone every 2 bars, 4 statements of 6 notes."""
    from music21 import stream

    from benchmarks.usertrial25_inputs import sequence_bars
    from motifcli.discovery import discover

    part = stream.Part()
    for m in sequence_bars():
        part.append(m)
    path = tmp_path / "sequence.musicxml"
    stream.Score([part]).write("musicxml", fp=str(path))
    (family,) = discover(read_musicxml(path))
    assert sorted(o.start for o in family.occurrences) == [0.0, 6.0, 12.0, 18.0]
    assert sorted(o.transposition for o in family.occurrences) == [0, 1, 2, 3]


def _arpeggio_tune(path: Path) -> Path:
    """The trial's tune of one figure (benchmarks/usertrial25_inputs.py ``figure_tune``, without its tempo
    marks): C E G E in even quarters, up a semitone each bar, then D C A in 3/4; its only part."""
    from music21 import stream

    from benchmarks.usertrial25_inputs import figure_tune

    stream.Score([figure_tune(tempi=False)]).write("musicxml", fp=str(path))
    return path


def test_a_file_with_no_motif_says_so_and_why(tmp_path: Path) -> None:
    """A run that finds no family printed only "motifs 0" in the table; now a line per such file, in the
    text summary and in ``--json``'s results."""
    import json

    from music21 import note, stream
    from typer.testing import CliRunner

    from motifcli.cli import app

    two = tmp_path / "two.musicxml"
    stream.Score([stream.Part([note.Note("C4"), note.Note("G4")])]).write("musicxml", fp=str(two))
    result = CliRunner().invoke(app, ["annotate", str(two), "-f", "json", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0
    assert "two.musicxml: no repeated motif found: 2 notes are too few for a figure to come back" in result.output
    result = CliRunner().invoke(app, ["annotate", str(two), "-f", "json", "-o", str(tmp_path / "out2"), "--json"])
    (row,) = json.loads(result.stdout)["results"]
    assert row["status"] == "ok" and row["note"].startswith("no repeated motif found")
    lead = _phrase_tune(tmp_path / "lead.musicxml", 4)
    result = CliRunner().invoke(app, ["annotate", str(lead), "-f", "json", "-o", str(tmp_path / "out3")])
    assert "no repeated motif" not in result.output


def test_a_tune_of_one_arpeggio_figure_gets_it_as_its_motif(tmp_path: Path) -> None:
    """Figuration in place (a chord figure marking time) is accompaniment only under another line: the
    trial's one-part tune of C E G E figures got no family (``figuration_above``), now one a bar."""
    from motifcli.discovery import DiscoverySettings, discover

    score = read_musicxml(_arpeggio_tune(tmp_path / "arpeggio.musicxml"))
    assert discover(score, settings=DiscoverySettings(figuration_above=0)) == []  # before
    figure, *rest = discover(score)
    starts = [o.start for o in figure.occurrences]
    assert sorted(starts) == [4.0 * k for k in range(8)] + [56.0 + 4.0 * k for k in range(8)]
    assert {len(o.notes) for o in figure.occurrences} == {4}
    assert [sorted(o.start for o in f.occurrences) for f in rest] == [[32.0 + 3.0 * k for k in range(8)]]
    # only where the rule would leave no family ("empty", the default): "always" is the same here
    assert discover(score, settings=DiscoverySettings(figuration_above_when="always")) == [figure, *rest]
