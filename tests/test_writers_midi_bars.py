"""The annotated MIDI's time signatures are the run's bars (issue 9): written, read back, shown by MuseScore.

Real files throughout: POP909 songs (a performed pickup of 2.1667 beats, irregular bars), a Bach
chorale written to MIDI without its meter, mido for the events, the project's reader for the round
trip, and MuseScore 3's MIDI import for what a musician sees.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import mido
import pytest

import motifcli
from motifcli import writers
from motifcli.meter import SIGNATURE_SLACK, MeterMap
from motifcli.readers import read_score
from motifcli.readers.midi import read_midi
from motifcli.writers.midi_bars import declared_signature, signature_below, signature_events
from writers_fixtures import REPO, absolute_events, needs_data, pop909_path, time_signatures

EXAMPLE = REPO / "examples" / "pop909-101.mid"  # estimated 4/4, pickup 2.1667 beats (not on a 1/32 grid)
TPB = 480


def others(midi: mido.MidiFile) -> list[list[tuple[int, object]]]:
    """Every track's events but time signatures, markers, lyrics and the end of track."""
    return [[e for e in absolute_events(t) if not any(k in str(e[1]) for k in ("time_signature", "'marker'", "'lyrics'",
                                                                          "end_of_track"))] for t in midi.tracks]


def annotated(path: Path, dest: Path, **options: object) -> tuple[motifcli.Annotation, Path]:
    score = read_score(path)
    run_options = {k: v for k, v in options.items() if k != "keep_time_signatures"}
    annotation = motifcli.annotate(score, **run_options)
    out = dest / writers.output_name(path, "midi")
    writers.write(annotation, score, "midi", out, keep_time_signatures=bool(options.get("keep_time_signatures")))
    return annotation, out


def held_bars(meter: MeterMap, end: float) -> list:
    """The bars that hold music (an estimated map may end with an empty bar after the last note)."""
    return [b for b in meter.bars if b.start < end - 1e-6]


def assert_same_bars(a: MeterMap, b: MeterMap, end: float, tol: float = 1e-6) -> None:
    """Same bar lines, lengths and printed numbers; same signatures but on ``b``'s irregular bars,
    which a MIDI file can only state as a bar of their own length (a 6-beat bar of 4/4 is 6/4)."""
    left, right = held_bars(a, end), held_bars(b, end)
    assert [x.number for x in left] == [x.number for x in right]
    regular = [i for i, x in enumerate(right) if abs(x.length - x.nominal_length) < 1e-6 or i in (0, len(right) - 1)]
    assert [(left[i].numerator, left[i].denominator) for i in regular] == [
        (right[i].numerator, right[i].denominator) for i in regular]
    assert max(abs(x.start - y.start) for x, y in zip(left, right)) <= tol
    assert max(abs(x.length - y.length) for x, y in zip(left[:-1], right[:-1])) <= tol


def occurrence_bars(annotation: motifcli.Annotation) -> list[tuple]:
    """Each occurrence: its label, bars (printed numbers), span, notes and similarity."""
    return [(o.text, o.start_bar, o.end_bar, o.start_bar_label, o.end_bar_label, round(o.start, 6), round(o.end, 6),
             o.track, tuple(o.note_indices), round(o.similarity, 9)) for o in annotation.occurrences]


def declared_bar_lines(events: list[tuple[int, int, int]], end_tick: int) -> list[Fraction]:
    """Bar lines (beats) as a reader going by declared lengths lays them, moving each event back to
    the bar line at or before it (MuseScore 3's import)."""
    lines, pos, k = [], Fraction(0), 0
    sig = (4, 4)
    while pos * TPB < end_tick:
        while k < len(events) and events[k][0] <= pos * TPB + SIGNATURE_SLACK * TPB:
            sig = events[k][1:]
            k += 1
        lines.append(pos)
        pos += Fraction(4 * sig[0], sig[1])
    return lines


def test_declared_signature_is_the_1_32_beat_at_or_below() -> None:
    assert declared_signature(2.0) == (2, 4)
    assert declared_signature(1.0) == (1, 4)
    assert declared_signature(1.5) == (3, 8)
    assert declared_signature(6.0) == (6, 4)
    assert declared_signature(26 / 12) == (69, 128)  # 2.1667 beats -> 2.15625, never 2.1875
    assert declared_signature(0.001) == (1, 128)
    num, den = declared_signature(8.04)  # a numerator over 255 halves the resolution
    assert num <= 255 and 4 * num / den <= 8.04
    # a performed pickup: strictly below its end, never a plain signature (MuseScore, see midi_bars)
    assert signature_below(2.0) == (63, 128)
    assert signature_below(1.0) == (31, 128)
    assert signature_below(26 / 12) == (69, 128)
    assert signature_below(1.5) == (47, 128)


def test_estimated_bars_replace_the_input_time_signatures(tmp_path: Path) -> None:
    annotation, out = annotated(EXAMPLE, tmp_path)
    meter = annotation.meter_map
    assert meter.source == "estimated" and meter.has_pickup and abs(meter.first_downbeat - 26 / 12) < 1e-6
    before, after = mido.MidiFile(EXAMPLE), mido.MidiFile(out)
    assert time_signatures(before) == [(0, 1, 4), (0, 4, 4)]  # POP909's placeholders
    assert time_signatures(after) == [(0, 69, 128), (1040, 4, 4)] == signature_events(meter, TPB)
    # time signatures only on the conductor track; every other event at its tick, in its order
    assert all(m.type != "time_signature" for t in after.tracks[1:] for m in t)
    assert others(after) == others(before)
    assert len(after.tracks) == len(before.tracks) and after.ticks_per_beat == before.ticks_per_beat
    # what our reader makes of it: the run's bars, to the tick; a length reader: <= 1/32 beat early
    back = read_midi(out)
    assert back.meter_map.source == "midi"
    assert_same_bars(back.meter_map, meter, back.end_beat, tol=0.5 / TPB)
    end_tick = round(back.end_beat * TPB)
    lines = declared_bar_lines(time_signatures(after), end_tick)
    starts = [b.start for b in held_bars(meter, back.end_beat)]
    assert len(lines) - len(starts) in (0, 1)  # a declared line may fall just before the last note's end
    errors = [s - float(x) for s, x in zip(starts, lines)]
    assert all(-1e-9 <= e <= SIGNATURE_SLACK + 1e-9 for e in errors) and max(errors) > 0.01  # 2.1667 - 2.15625


def test_keep_time_signatures_leaves_the_input_ones(tmp_path: Path) -> None:
    _, out = annotated(EXAMPLE, tmp_path, keep_time_signatures=True)
    before, after = mido.MidiFile(EXAMPLE), mido.MidiFile(out)
    def unmarked(midi: mido.MidiFile) -> list:  # every event, time signatures too, but the markers
        return [[e for e in absolute_events(t) if "'marker'" not in str(e[1]) and "end_of_track" not in str(e[1])]
                for t in midi.tracks]

    assert unmarked(after) == unmarked(before)
    assert time_signatures(after) == time_signatures(before) == [(0, 1, 4), (0, 4, 4)]


def test_cli_writes_the_bars_and_keeps_them_on_request(tmp_path: Path) -> None:
    """``motif annotate`` (the real CLI, one process per run): the run's bars by default,
    ``--keep-time-signatures`` the input's; the JSON report's meter is the one written."""
    import json
    import subprocess
    import sys

    before = EXAMPLE.read_bytes()
    for flag, folder in (([], "bars"), (["--keep-time-signatures"], "kept")):
        out = tmp_path / folder
        proc = subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(EXAMPLE), "-o", f"{out}/",
                               "-f", "midi", "-f", "json", "-q", *flag], capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
    report = json.loads((tmp_path / "bars" / "pop909-101.motifs.json").read_text())
    assert report["meter"]["source"] == "estimated" and report["meter"]["pickup_beats"] == pytest.approx(26 / 12)
    assert time_signatures(mido.MidiFile(tmp_path / "bars" / "pop909-101.motifs.mid")) == [(0, 69, 128), (1040, 4, 4)]
    assert time_signatures(mido.MidiFile(tmp_path / "kept" / "pop909-101.motifs.mid")) == time_signatures(mido.MidiFile(EXAMPLE))
    assert EXAMPLE.read_bytes() == before  # the input is never written


@needs_data
@pytest.mark.parametrize("path", [EXAMPLE, pop909_path("023"), pop909_path("037")])
def test_round_trip_same_bars_and_families(tmp_path: Path, path: Path) -> None:
    """Annotating the annotated MIDI: its time signatures now agree with the notes (source midi),
    the same bars and bar numbers (023, 037: irregular 2-, 6-, 7-beat bars), the same families."""
    first, out = annotated(path, tmp_path)
    (tmp_path / "again").mkdir()
    second, out2 = annotated(out, tmp_path / "again")
    assert first.meter_map.source == "estimated" and second.meter_map.source == "midi"
    end = read_midi(out).end_beat
    assert_same_bars(second.meter_map, first.meter_map, end)
    assert [o.text for o in second.occurrences] == [o.text for o in first.occurrences]
    assert occurrence_bars(second) == occurrence_bars(first)
    # and the second output keeps the first's time signatures (meter source midi: nothing rewritten)
    assert time_signatures(mido.MidiFile(out2)) == time_signatures(mido.MidiFile(out))


def test_user_meter_is_written(tmp_path: Path) -> None:
    annotation, out = annotated(EXAMPLE, tmp_path, meter="3/4", origin=1.0)
    assert annotation.meter_map.source == "user"
    assert time_signatures(mido.MidiFile(out)) == [(0, 31, 128), (480, 3, 4)]  # performed: a pickup 1/32 short
    again = read_midi(out)
    back = MeterMap.from_time_signatures(again.time_signatures, again.end_beat)  # what the file says
    assert back.bars[0].number == "0" and back.bars[0].length == 1.0 and back.bars[1].start == 1.0
    assert_same_bars(back, annotation.meter_map, again.end_beat)
    # the file's 3/4 disagrees with this 4/4 song's notes: annotated again without --meter, it is
    # not taken (performed input, meter_estimate.time_signatures_consistent) and the bars are estimated
    assert again.meter_map.source == "estimated"


def test_musicxml_input_midi_unchanged(tmp_path: Path) -> None:
    music21 = pytest.importorskip("music21")
    source = Path(str(music21.corpus.getWork("bach/bwv1.6")))
    score = read_score(source)
    annotation = motifcli.annotate(score)
    a, b = tmp_path / "a.mid", tmp_path / "b.mid"
    writers.write(annotation, score, "midi", a)
    writers.write(annotation, score, "midi", b, keep_time_signatures=True)
    assert a.read_bytes() == b.read_bytes()
    assert time_signatures(mido.MidiFile(a)) == [(round(s.beat * TPB), s.numerator, s.denominator)
                                            for s in score.time_signatures]


def test_chorale_without_meter_round_trip(tmp_path: Path) -> None:
    """A chorale's notes as MIDI with no time signature: estimated bars (a 1-beat pickup, 1/4 then
    4/4) written, and read back as the same bars from the file (source midi), same families."""
    pytest.importorskip("music21")
    from test_notation_meter import midi_of

    src = midi_of("bach/bwv1.6", tmp_path / "bwv1.6.mid", signature=False)
    first, out = annotated(src, tmp_path)
    assert first.meter_map.source == "estimated" and first.meter_map.has_pickup
    sigs = time_signatures(mido.MidiFile(out))
    assert sigs[:2] == [(0, 1, 4), (TPB, 4, 4)]
    (tmp_path / "again").mkdir()
    second, _ = annotated(out, tmp_path / "again")
    assert second.meter_map.source == "midi"
    assert_same_bars(second.meter_map, first.meter_map, read_midi(out).end_beat)
    assert occurrence_bars(second) == occurrence_bars(first)


@pytest.mark.musescore
@pytest.mark.parametrize("song", ["101", "202", "bwv1.6"])
def test_musescore_shows_the_report_bars(musescore, tmp_path: Path, song: str) -> None:  # noqa: F811
    """MuseScore 3's MIDI import: the pickup an uncounted measure (101: 69/128 for 2.1667 beats;
    202: 63/128 for 2 beats, performed; the chorale without its meter: 1/4, notated), then measures
    numbered as the report's bars (202: an irregular 7-beat bar 55, written 7/4), each starting at
    most 1/32 beat before the map's bar line."""
    from test_musescore import DIVISION, read_mscx

    if song.startswith("bwv"):
        pytest.importorskip("music21")
        from test_notation_meter import midi_of

        path = midi_of(f"bach/{song}", tmp_path / f"{song}.mid", signature=False)
    else:
        path = REPO / "examples" / f"pop909-{song}.mid"
    annotation, out = annotated(path, tmp_path)
    assert annotation.meter_map.has_pickup
    first = {"101": (69, 128), "202": (63, 128), "bwv1.6": (1, 4)}[song]
    assert time_signatures(mido.MidiFile(out))[0] == (0, *first)
    mscx = tmp_path / "out.mscx"
    proc = musescore.run("-o", str(mscx), str(out))
    assert proc.returncode == 0 and mscx.is_file(), proc.stderr[-2000:]
    shown = read_mscx(mscx)
    meter = annotation.meter_map
    bars = held_bars(meter, read_midi(out).end_beat)
    ticks = shown.measure_ticks[:-1]
    assert len(ticks) >= len(bars)
    for bar, tick, printed in zip(bars, ticks, shown.printed):
        error = bar.start - tick / DIVISION
        assert -1e-9 <= error <= SIGNATURE_SLACK + 1e-9, (bar, tick)
        assert printed == int(bar.number) or (bar.number == "0" and printed == 0), (bar, printed)


from test_musescore import musescore  # noqa: E402,F401 - the fixture (skips where MuseScore 3 is missing)
