"""The first section's bar length from the opening (issue 9 phase 6, ``meter_estimate.opening_stage1``).

Folk songs that change meter often open with a few bars of a meter the rest of the song leaves; the
whole-piece stage 1 then gives the later meter to the opening too. Real tunes from music21's corpus
(Essen ``kinder0.abc``, parsed by music21): the first 6 bars of a 3/4 tune (X:16, no pickup) or a 6/8
tune (X:34, an eighth pickup), followed at a bar line by a longer 4/4 tune (X:9), written by mido as
one-line MIDI without time signature, first note at beat 0. Tunes in one meter keep their estimate.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from motifcli import meter_estimate
from motifcli.meter_estimate import estimate_meter, is_notated
from motifcli.readers.midi import read_midi

music21 = pytest.importorskip("music21")
from test_meter_folk import ESSEN, midi_without_meter, unmetred, written  # noqa: E402 - after the music21 skip


def kinder(number: int) -> tuple[float, float, list[tuple[float, float, int]]]:
    """(bar length, phase of the written bar lines, notes from beat 0) of kinder0.abc's tune X:number."""
    text = ESSEN.read_text(errors="replace")
    block = re.search(rf"(?ms)^X:\s*{number}\s*$.*?(?=^X:|\Z)", text)
    assert block, number
    score = music21.converter.parse(block.group(0), format="abc")
    if isinstance(score, music21.stream.Opus):
        score = score.scores[0]
    return written(score)


def opening_then_4_4(number: int, bars: int, tmp_path: Path):
    """The first ``bars`` bars (after any pickup) of tune X:number, then X:9 (4/4) from the next bar line."""
    bar, phase, notes = kinder(number)
    later_bar, later_phase, later = kinder(9)
    assert (later_bar, later_phase) == (4.0, 0.0)  # the tunes are what the test says
    cut = phase + bars * bar
    head = [(a, min(b, cut), p) for a, b, p in notes if a < cut - 1e-9]
    tail = [(a + cut, b + cut, p) for a, b, p in later]
    midi = read_midi(midi_without_meter(head + tail, tmp_path / "changing.mid"))
    assert midi.time_signatures == [] and is_notated(midi)
    return midi, bar, phase, cut


@pytest.mark.parametrize(("number", "bar", "phase"), [(16, 3.0, 0.0), (34, 3.0, 0.5)])
def test_opening_meter_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   number: int, bar: float, phase: float) -> None:
    """Six bars of 3/4 (or 6/8) before a longer 4/4 tune: the estimate's bar length and phase are the
    opening's; with the rule off (``OPENING_BEATS = None``) the two stages' whole-piece 4/4 wins (the
    one-line re-ranker, which weighs the opening itself, switched off for that comparison)."""
    midi, written_bar, written_phase, cut = opening_then_4_4(number, 6, tmp_path)
    assert (written_bar, written_phase) == (bar, phase)
    estimate = estimate_meter(midi)
    assert estimate.beats_per_bar == pytest.approx(bar)
    assert estimate.first_downbeat == pytest.approx(phase)
    lines = [b.start for b in estimate.to_meter_map(midi.end_beat).bars if b.start < cut - 1e-6]
    assert all(abs((x - phase) % bar) < 1e-6 for x in lines[1:])  # the opening's bar lines are the written ones
    monkeypatch.setattr(meter_estimate, "OPENING_BEATS", None)
    monkeypatch.setattr(meter_estimate, "NOTATED_RERANK", False)
    assert estimate_meter(midi).beats_per_bar == pytest.approx(4.0)


@pytest.mark.parametrize("piece", ["kinder0 X:34", "bwv130.6"])
def test_pieces_in_one_meter_keep_their_estimate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: str) -> None:
    """A whole tune in one meter (and a four-voice chorale, which never reaches the rule) is estimated
    exactly as with the rule off."""
    midi = unmetred(piece, tmp_path)
    on = estimate_meter(midi)
    monkeypatch.setattr(meter_estimate, "OPENING_BEATS", None)
    off = estimate_meter(midi)
    assert (on.name, on.first_downbeat, on.downbeats) == (off.name, off.first_downbeat, off.downbeats)


def test_only_one_line_notated_input_is_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The opening is consulted for one-line notated input only: not for a chorale, nor when the meter
    or the bar offset is given."""
    calls: list[int] = []
    real = meter_estimate.opening_stage1

    def spy(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(meter_estimate, "opening_stage1", spy)
    estimate_meter(unmetred("bwv130.6", tmp_path))
    tune = unmetred("kinder0 X:34", tmp_path)
    estimate_meter(tune, meter="6/8")
    estimate_meter(tune, bar_offset=0.5)
    assert not calls
    estimate_meter(tune)
    assert calls


def test_split_gives_the_later_meter_after_the_opening(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``OPENING_SPLIT`` (phase 6b, on by default): six bars of 6/8 (X:6) before 4/4 (X:9). The
    meter-change search finds no change (it looks only among meters on the same beat), so in phase 6
    the opening's 6/8 ruled the whole piece and most written 4/4 bar lines were missed; with the split
    the map changes to the whole piece's own 4/4 bars at the written bar line, and the first
    section's estimate is untouched. The split belongs to the two stages, so the one-line re-ranker (on by
    default since phase 9) is switched off here. The default reads the opening as 3/4 (the same bar lines as
    6/8), a meter on the quarter beat like 4/4, so the meter-change search itself finds the change at the
    written bar line: the last assertions."""
    midi, bar, phase, cut = opening_then_4_4(6, 6, tmp_path)
    reranked = estimate_meter(midi)  # the default
    monkeypatch.setattr(meter_estimate, "NOTATED_RERANK", False)
    end = midi.end_beat
    written_lines = [phase + k * bar for k in range(int((cut - phase) // bar))]
    written_lines += [cut + 4.0 * k for k in range(int((end - cut) // 4.0) + 1) if cut + 4.0 * k < end - 1e-6]

    def found(estimate) -> float:
        starts = estimate.to_meter_map(end).starts
        return sum(min(abs(starts - x)) <= 0.25 for x in written_lines) / len(written_lines)

    split = estimate_meter(midi)  # the default
    monkeypatch.setattr(meter_estimate, "OPENING_SPLIT", False)
    plain = estimate_meter(midi)
    assert (split.name, split.first_downbeat) == (plain.name, plain.first_downbeat) == ("6/8", 0.0)
    assert not plain.sections and split.sections
    changes = [(b.start, b.numerator, b.denominator) for a, b in zip(split.sections, split.sections[1:])
               if (a.numerator, a.denominator) != (b.numerator, b.denominator)]
    assert changes == [(pytest.approx(cut), 4, 4)]
    assert found(plain) < 0.6 and found(split) == 1.0
    assert [b.number for b in split.sections[:3]] == ["1", "2", "3"]  # bars numbered on through the change
    assert (reranked.name, reranked.first_downbeat) == ("3/4", 0.0)
    assert [(b.start, b.numerator, b.denominator) for a, b in zip(reranked.sections, reranked.sections[1:])
            if (a.numerator, a.denominator) != (b.numerator, b.denominator)] == [(pytest.approx(cut), 4, 4)]
    assert found(reranked) == 1.0


def test_split_keeps_one_meter_when_the_opening_fits_to_the_end(tmp_path: Path) -> None:
    """``split_opening`` places no change when the opening's map fits the whole piece as well as the
    whole piece's own map (here: the same map), so the opening's meter stays throughout."""
    from motifcli import meter_opening
    from motifcli.meter import MeterMap
    from motifcli.meter_estimate import CANDIDATES, RESOLUTION, accent_grid

    midi = unmetred("kinder0 X:34", tmp_path)
    grid = accent_grid(midi)
    same = MeterMap.regular(3.0, 0.5, midi.end_beat, 6, 8)
    levels = {(c.numerator, c.denominator): c.levels for c in CANDIDATES}
    assert meter_opening.split_opening(grid, RESOLUTION, same, same, levels) == ()
    other = MeterMap.regular(4.0, 0.0, midi.end_beat, 4, 4)  # a worse later map: still no change
    assert meter_opening.split_opening(grid, RESOLUTION, same, other, levels) == ()
