"""The notated-input ranker decides the downbeat phase only for bar lengths it was fitted on enough
pieces of (issue 9 phase 5, ``meter_estimate.NOTATED_RANKER_BARS``): 2/4, 3/4 and 6/8, 4/4, 9/8.
For 3/2 (and 5/8, which its corpus lacks) stage 1's metric-template phase is used.

Real piece: an Essen ballad in 3/2 with a half-bar pickup (``ballad30.abc``, the 91st tune), parsed by
music21 and written as MIDI without a time signature, first note at beat 0 (as tests/test_meter_folk.py
does).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from motifcli import meter_estimate, meter_ranker
from motifcli.meter import nominal_bar_length, parse_meter
from motifcli.meter_estimate import estimate_meter, is_quantised
from motifcli.readers.midi import read_midi

music21 = pytest.importorskip("music21")
from test_meter_folk import midi_without_meter, written  # noqa: E402 - after the music21 skip

BALLAD = Path(music21.__file__).parent / "corpus" / "essenFolksong" / "ballad30.abc"


def ballad_3_2(tmp_path: Path):
    """The 91st tune of ballad30.abc (3/2, a pickup of half a bar) as motif reads it from meterless MIDI."""
    text = BALLAD.read_text(errors="replace")
    parts = re.split(r"(?m)^(?=X:)", text)
    header = parts[0] if not parts[0].startswith("X:") else ""
    tune = [p for p in parts if p.startswith("X:")][90]
    score = music21.converter.parse(header + tune, format="abc")
    if isinstance(score, music21.stream.Opus):
        score = score.scores[0]
    bar, phase, notes = written(score)
    assert (bar, phase) == (6.0, 3.0)  # the piece is what the test says
    midi = read_midi(midi_without_meter(notes, tmp_path / "ballad.mid"))
    assert midi.time_signatures == [] and is_quantised(midi)
    return midi


def test_3_2_phase_from_the_template(tmp_path: Path) -> None:
    """Given 3/2, the bar lines fall on the written ones (half a bar after the first note); the
    ranker, asked as in phase 4, puts them a quarter after it."""
    midi = ballad_3_2(tmp_path)
    estimate = estimate_meter(midi, meter="3/2")
    assert estimate.beats_per_bar == 6.0
    assert estimate.first_downbeat == pytest.approx(3.0)
    assert all(abs((d - 3.0) % 6.0) < 1e-6 for d in estimate.downbeats)


def test_3_2_with_the_ranker_for_every_bar_length(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The phase-4 behaviour (NOTATED_RANKER_BARS = None) is still reachable, and differs here."""
    midi = ballad_3_2(tmp_path)
    monkeypatch.setattr(meter_estimate, "NOTATED_RANKER_BARS", None)
    assert estimate_meter(midi, meter="3/2").first_downbeat != pytest.approx(3.0)


@pytest.mark.parametrize(("signature", "asked"), [("3/4", True), ("4/4", True), ("9/8", True),
                                                  ("3/2", False), ("5/8", False)])
def test_ranker_asked_only_for_known_bar_lengths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 signature: str, asked: bool) -> None:
    """Which bar lengths reach the ranker (notated input, the meter given)."""
    calls: list[float] = []
    real = meter_ranker.rank

    def spy(*args, **kwargs):
        calls.append(kwargs.get("bar"))
        return real(*args, **kwargs)

    monkeypatch.setattr(meter_ranker, "rank", spy)
    estimate_meter(ballad_3_2(tmp_path), meter=signature)
    assert bool(calls) is asked
    if asked:
        assert calls[0] == pytest.approx(nominal_bar_length(*parse_meter(signature)))
