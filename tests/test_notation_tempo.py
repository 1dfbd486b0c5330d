"""MIDI written as MusicXML keeps the tempo's real changes as metronome marks (usertrial25's item 4), and a
performed tempo map's small drifts do not put a mark on every bar."""

from __future__ import annotations

from pathlib import Path

import mido
import music21
from typer.testing import CliRunner

from motifcli.cli import app
from motifcli.score import TempoChange
from motifcli.writers.notation_bars import tempo_marks


def _tempo(beat: float, bpm: float) -> TempoChange:
    return TempoChange(beat, round(60_000_000 / bpm))


def test_marks_at_real_changes_only() -> None:
    bars = [4.0 * i for i in range(12)]
    # 90 for 4 bars, 140 for 4, back to 90; drifts of 3% between bars change nothing
    tempos = [_tempo(0, 90), _tempo(6, 92.7), _tempo(16, 140), _tempo(20, 136), _tempo(32, 90)]
    marks = tempo_marks(tempos, bars)
    assert sorted(marks) == [0, 4, 8]
    assert [round(marks[i]) for i in (0, 4, 8)] == [90, 140, 90]
    drifting = [_tempo(b, 100 * (1.04 if k % 2 else 1.0)) for k, b in enumerate(bars)]  # +-4% every bar
    assert list(tempo_marks(drifting, bars)) == [0]
    # a slow ritardando: a mark each time it has slowed 10% more since the last mark
    rit = [_tempo(b, 120 * 0.97 ** k) for k, b in enumerate(bars)]
    assert list(tempo_marks(rit, bars)) == [0, 4, 8]
    assert tempo_marks([], bars) == {0: 120.0}


def test_midi_tempo_changes_reach_the_musicxml(tmp_path: Path) -> None:
    mid = mido.MidiFile(type=1, ticks_per_beat=480)
    conductor = mido.MidiTrack([mido.MetaMessage("time_signature", numerator=4, denominator=4, time=0),
                                mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(90), time=0),
                                mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(140), time=16 * 480),
                                mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(90), time=16 * 480)])
    tune = mido.MidiTrack([mido.MetaMessage("track_name", name="Tune", time=0)])
    figure = [60, 64, 67, 64]
    for bar in range(12):
        for step, pitch in enumerate(figure):
            tune.append(mido.Message("note_on", note=pitch + bar % 3, velocity=80, time=0))
            tune.append(mido.Message("note_off", note=pitch + bar % 3, velocity=0, time=480))
    mid.tracks += [conductor, tune]
    src = tmp_path / "tempi.mid"
    mid.save(str(src))
    result = CliRunner().invoke(app, ["annotate", str(src), "-f", "musicxml", "-o", str(tmp_path / "out/"), "-q"])
    assert result.exit_code == 0, result.output
    parsed = music21.converter.parse(str(tmp_path / "out" / "tempi.motifs.musicxml"))
    marks = [(m.measureNumber, round(m.number)) for m in parsed.recurse().getElementsByClass("MetronomeMark")]
    assert marks == [(1, 90), (5, 140), (9, 90)]
