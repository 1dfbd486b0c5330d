"""Where the bars are: a meter map for a whole piece, and meter/downbeat estimation for MIDI.

Everything bar-shaped (windows, bar numbers, labels) needs the real bar lines, not a 4-beat grid
from tick 0. A :class:`MeterMap` holds every bar of a piece (start and length in quarter beats,
printed number, time signature) and says where it came from:

- ``written``: a MusicXML file's own measures and printed numbers (:meth:`MeterMap.from_written_measures`);
- ``midi``: a MIDI file's time-signature events, used only when they agree with the notes
  (:func:`time_signatures_consistent`, :meth:`MeterMap.from_time_signatures`), or, for notation
  software's MIDI of a piece with a pickup (the meter at tick 0, the pickup's notes from tick 0), the
  file's bar lengths after a pickup found in the notes (``meter_signatures.shifted_time_signatures``);
- ``estimated``: found from the notes by :func:`estimate_meter` (with a confidence 0..1);
- ``user``: ``--meter``/``--bar-offset`` overrides.

Pure numpy on purpose: this module is imported on the annotate path, which must start fast.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

SOURCES = ("written", "midi", "estimated", "user")
_EPS = 1e-6
SPAN_END_EPS = 1e-3  # beats: an occurrence ending this close after a bar line ends in the bar before
# beats: a note played less than this before a bar line is heard on it (starts the bar after; the
# bar windows' half step at 8 steps per beat; just under a 64th note, so a written 64th before a bar
# line stays in its bar). For played MIDI only: written bars (MusicXML) are exact. Bar numbers of
# occurrences and the notation of MIDI use it.
ONSET_SNAP = 1 / 16 - 1e-5
# beats: MIDI time signatures are whole 1/32 beats (writers/midi_bars.py declares a bar of another
# length up to 1/32 beat short and puts the next event at the exact bar line): an event up to this
# after a bar line of its section is that bar's end, not the start of a sliver of a bar
SIGNATURE_SLACK = 1 / 32
PLAUSIBLE_BAR = 1.5  # quarter beats: the shortest bar a meter has (POP909's "1/4" is a placeholder)
PICKUP_DENOMINATOR = 32  # a first signature this fine (16/32, 69/128) is a pickup's own length, not a meter


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: where it starts and how long it is (quarter beats), its printed number, its meter."""

    start: float
    length: float
    number: str
    numerator: int
    denominator: int

    @property
    def end(self) -> float:
        return self.start + self.length

    @property
    def nominal_length(self) -> float:
        """The length its time signature asks for (a pickup or a split half is shorter)."""
        return nominal_bar_length(self.numerator, self.denominator)


def nominal_bar_length(numerator: int, denominator: int) -> float:
    """Quarter beats in a full bar of ``numerator/denominator`` (6/8 -> 3.0)."""
    return numerator * 4.0 / denominator


def numbers_unusable(numbers: Sequence[str]) -> bool:
    """True when written measure numbers cannot be the bars' labels: most steps between neighbours do
    not increase (music21 writes ``number="0"`` on every Measure made without a number, while
    MuseScore shows 1..N). A split measure ("16", "16a"), a repeated volta number or a movement
    restarting at 1 is one step among many, so such files keep their numbers."""
    if len(numbers) < 2:
        return False
    values = [re.match(r"\s*(-?\d+)", str(n)) for n in numbers]
    flat = sum(1 for a, b in zip(values, values[1:])
               if a is None or b is None or int(b.group(1)) <= int(a.group(1)))
    return flat * 2 > len(numbers) - 1


def parse_meter(text: str) -> tuple[int, int]:
    """``"3/4"`` -> (3, 4); ValueError with the reason for anything else (the ``--meter`` override)."""
    match = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{1,2})\s*", text)
    if not match:
        raise ValueError(f"meter {text!r} is not like 3/4")
    numerator, denominator = int(match.group(1)), int(match.group(2))
    if numerator < 1 or denominator not in (1, 2, 4, 8, 16, 32):
        raise ValueError(f"meter {text!r}: numerator must be >= 1 and denominator a power of two up to 32")
    return numerator, denominator


class _TimeSignatureLike(Protocol):
    beat: float
    numerator: int
    denominator: int


@dataclass(frozen=True)
class MeterMap:
    """All bars of a piece, in order and without gaps, plus where they came from.

    ``bars[0]`` starts at beat 0 (or where the first written measure starts). Beats after the last
    bar belong to the last bar; beats before the first to the first.
    """

    bars: tuple[Bar, ...]
    source: str = "estimated"
    confidence: float = 1.0
    _starts: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.bars:
            raise ValueError("a meter map needs at least one bar")
        if self.source not in SOURCES:
            raise ValueError(f"source {self.source!r} is not one of {SOURCES}")
        object.__setattr__(self, "_starts", np.array([b.start for b in self.bars], dtype=np.float64))

    # --- constructors -------------------------------------------------------------------------

    @classmethod
    def from_written_measures(
        cls,
        starts: Sequence[float],
        numbers: Sequence[str] | None,
        time_signatures: Iterable[_TimeSignatureLike],
        end_beat: float | None = None,
        lengths: Sequence[float] | None = None,
    ) -> MeterMap:
        """The measures a MusicXML file writes (``Score.measure_starts``/``measure_numbers``/``time_signatures``).

        Lengths default to the distance to the next measure; the last one to its time signature's
        length, cut at ``end_beat`` when the music ends sooner. Numbers default to 1, 2, ...
        (0 for a pickup), also where the written ones are unusable (:func:`numbers_unusable`).
        """
        if not starts:
            raise ValueError("no measures")
        sigs = _sorted_signatures(time_signatures)
        out: list[Bar] = []
        for i, start in enumerate(starts):
            num, den = _signature_at(sigs, float(start))
            if lengths is not None:
                length = float(lengths[i])
            elif i + 1 < len(starts):
                length = float(starts[i + 1]) - float(start)
            else:
                length = nominal_bar_length(num, den)
                if end_beat is not None and float(start) < end_beat < float(start) + length:
                    length = end_beat - float(start)
            out.append(Bar(float(start), length, "", num, den))
        if numbers is not None and len(numbers) != len(out):
            raise ValueError(f"{len(numbers)} numbers for {len(out)} measures")
        if numbers is not None and not numbers_unusable(numbers):
            out = [Bar(b.start, b.length, str(n), b.numerator, b.denominator) for b, n in zip(out, numbers)]
        else:
            pickup = out[0].length < out[0].nominal_length - _EPS and len(out) > 1
            out = [Bar(b.start, b.length, str(i + (0 if pickup else 1)), b.numerator, b.denominator)
                   for i, b in enumerate(out)]
        return cls(tuple(out), source="written", confidence=1.0)

    @classmethod
    def from_time_signatures(
        cls,
        events: Iterable[_TimeSignatureLike],
        end_beat: float,
        first_downbeat: float = 0.0,
        source: str = "midi",
        confidence: float = 1.0,
    ) -> MeterMap:
        """Bars from MIDI time-signature events: each event starts a bar (the bar before it is cut
        short; one that would leave up to :data:`SIGNATURE_SLACK` of a bar runs on to it).

        ``first_downbeat`` > 0 puts a pickup bar numbered "0" before it. Bars run to ``end_beat``.
        A first event whose one bar is shorter than the next event's (1/4 then 4/4 a beat later) is
        a pickup too, as MuseScore writes and reads one, and as :mod:`motifcli.writers.midi_bars`
        writes an estimated map's.
        """
        sigs = _sorted_signatures(events) or [(0.0, 4, 4)]
        if first_downbeat <= _EPS and _opens_with_pickup(sigs):
            first_downbeat, sigs = sigs[1][0], sigs[1:]
        if sigs[0][0] > first_downbeat + _EPS:
            sigs.insert(0, (first_downbeat, 4, 4))
        bars: list[Bar] = []
        if first_downbeat > _EPS:
            num, den = _signature_at(sigs, first_downbeat)
            bars.append(Bar(0.0, first_downbeat, "0", num, den))
        end = max(float(end_beat), first_downbeat + _EPS)
        section_starts = [max(s[0], first_downbeat) for s in sigs] + [math.inf]
        number = 1
        for k, (_, num, den) in enumerate(sigs):
            pos, stop = section_starts[k], section_starts[k + 1]
            if stop <= pos + _EPS:
                continue
            length = nominal_bar_length(num, den)
            while pos < min(stop, end) - _EPS:
                bar_len = min(length, stop - pos)
                if 0 < stop - pos - length <= SIGNATURE_SLACK + _EPS:
                    bar_len = stop - pos  # the event is the bar line (a declared length rounded down)
                bars.append(Bar(pos, bar_len, str(number), num, den))
                number += 1
                pos += bar_len
        if not bars:
            num, den = sigs[0][1], sigs[0][2]
            bars.append(Bar(0.0, nominal_bar_length(num, den), "1", num, den))
        return cls(tuple(bars), source=source, confidence=confidence)

    @classmethod
    def regular(
        cls,
        beats_per_bar: float,
        first_downbeat: float,
        end_beat: float,
        numerator: int | None = None,
        denominator: int | None = None,
        source: str = "estimated",
        confidence: float = 1.0,
    ) -> MeterMap:
        """Equal bars of ``beats_per_bar`` quarter beats whose bar lines fall on ``first_downbeat`` + k bars.

        ``first_downbeat`` is taken modulo the bar; what lies before it is a pickup bar "0".
        """
        if beats_per_bar <= 0:
            raise ValueError("beats_per_bar must be > 0")
        if numerator is None or denominator is None:
            numerator, denominator = _signature_for_length(beats_per_bar)
        phase = float(first_downbeat) % beats_per_bar
        if beats_per_bar - phase < _EPS:
            phase = 0.0
        return cls.from_time_signatures(
            [(phase, numerator, denominator)], end_beat, phase, source=source, confidence=confidence
        )

    @classmethod
    def from_downbeats(
        cls,
        downbeats: Sequence[float],
        end_beat: float,
        numerator: int,
        denominator: int,
        source: str = "estimated",
        confidence: float = 1.0,
    ) -> MeterMap:
        """Bars between given downbeats (an estimate's), a pickup "0" before the first, full bars after the last."""
        lines = sorted({round(float(d), 9) for d in downbeats if d >= 0})
        if not lines:
            return cls.regular(nominal_bar_length(numerator, denominator), 0.0, end_beat, numerator, denominator,
                               source=source, confidence=confidence)
        length = nominal_bar_length(numerator, denominator)
        while lines[0] - length > -_EPS:  # a first downbeat a bar or more in: the bars before are regular
            lines.insert(0, lines[0] - length)
        bars: list[Bar] = []
        if lines[0] > _EPS:
            bars.append(Bar(0.0, lines[0], "0", numerator, denominator))
        pos = lines[-1]
        while pos + length < end_beat - _EPS:
            pos += length
            lines.append(pos)
        for i, start in enumerate(lines):
            stop = lines[i + 1] if i + 1 < len(lines) else start + length
            bars.append(Bar(start, stop - start, str(i + 1), numerator, denominator))
        return cls(tuple(bars), source=source, confidence=confidence)

    # --- queries --------------------------------------------------------------------------------

    @property
    def starts(self) -> np.ndarray:
        """Bar start beats (a read-only view)."""
        view = self._starts.view()
        view.flags.writeable = False
        return view

    @property
    def end_beat(self) -> float:
        return self.bars[-1].end

    @property
    def has_pickup(self) -> bool:
        first = self.bars[0]
        return len(self.bars) > 1 and first.length < first.nominal_length - _EPS

    @property
    def first_downbeat(self) -> float:
        """Beat of the first full bar's downbeat (after a pickup when there is one)."""
        return self.bars[1].start if self.has_pickup else self.bars[0].start

    def bar_index_at(self, beat: float) -> int:
        """0-based index of the bar holding ``beat`` (clamped to the first and last bar)."""
        i = bisect.bisect_right(self._starts, float(beat) + _EPS) - 1
        return min(max(i, 0), len(self.bars) - 1)

    def bar_at(self, beat: float) -> Bar:
        return self.bars[self.bar_index_at(beat)]

    def bar_number_at(self, beat: float) -> str:
        """The printed number of the bar holding ``beat`` ("0" for a pickup, "16a" for a split measure)."""
        return self.bar_at(beat).number

    def bar_value(self, index: int) -> int:
        """Bar ``index``'s printed number as an integer: its leading digits ("16a" -> 16, "0" -> 0),
        else the bar's 1-based position (a number with no digits)."""
        match = re.match(r"\s*(-?\d+)", self.bars[index].number)
        return int(match.group(1)) if match else index + 1

    def span_bars(self, start: float, end: float) -> dict[str, int | str]:
        """An occurrence's bars for the report: ``start_bar``/``end_bar`` (printed numbers as integers)
        and ``start_bar_label``/``end_bar_label`` (as printed, "16a"); the first bar is the one holding
        ``start + ONSET_SNAP`` (a first note played a hair before a bar line starts the bar after; not
        for written bars), the last the one holding ``end - SPAN_END_EPS`` (an occurrence ending on a
        bar line does not reach into the next bar)."""
        first = self.bar_index_at(start + (0.0 if self.source == "written" else ONSET_SNAP))
        last = max(first, self.bar_index_at(max(start, end - SPAN_END_EPS)))
        return {
            "start_bar": self.bar_value(first),
            "end_bar": self.bar_value(last),
            "start_bar_label": self.bars[first].number,
            "end_bar_label": self.bars[last].number,
        }

    def bars_overlapping(self, start: float, end: float) -> list[Bar]:
        """Bars that share time with [start, end) (a zero-length span gets the bar holding it)."""
        first = self.bar_index_at(start)
        if end <= start + _EPS:
            return [self.bars[first]]
        last = self.bar_index_at(end - _EPS * 10)
        return list(self.bars[first : last + 1])

    def sections(self) -> list[dict[str, Any]]:
        """Runs of bars in one time signature: start beat, signature, beats per bar, first bar number."""
        out: list[dict[str, Any]] = []
        for bar in self.bars:
            sig = f"{bar.numerator}/{bar.denominator}"
            if not out or out[-1]["time_signature"] != sig:
                out.append({
                    "start_beat": round(bar.start, 6),
                    "time_signature": sig,
                    "beats_per_bar": bar.nominal_length,
                    "first_bar": bar.number,
                })
        return out

    def to_dict(self) -> dict[str, Any]:
        """The report's ``meter`` field (documented in docs/architecture.md).

        ``source``: written | midi | estimated | user; ``confidence``: 0..1 (1 unless estimated);
        ``first_downbeat_beats``: first full bar's downbeat in quarter beats; ``pickup_beats``: length
        of a pickup bar (0 if none); ``sections``: one per time signature run (``start_beat``,
        ``time_signature``, ``beats_per_bar`` in quarter beats, ``first_bar`` printed number);
        ``bar_count``; ``irregular_bars``: bars other than the first whose length differs from
        their time signature's (``number``, ``start_beat``, ``length_beats``).
        """
        irregular = [
            {"number": b.number, "start_beat": round(b.start, 6), "length_beats": round(b.length, 6)}
            for i, b in enumerate(self.bars)
            if i > 0 and i < len(self.bars) - 1 and abs(b.length - b.nominal_length) > _EPS
        ]
        return {
            "source": self.source,
            "confidence": round(float(self.confidence), 3),
            "first_downbeat_beats": round(self.first_downbeat, 6),
            "pickup_beats": round(self.bars[0].length, 6) if self.has_pickup else 0.0,
            "sections": self.sections(),
            "bar_count": len(self.bars),
            "irregular_bars": irregular,
        }


def bar_lines_from_summary(meter: dict[str, Any]) -> list[tuple[float, str]]:
    """Each bar's start beat and printed number, as a report's ``meter`` summary (:meth:`MeterMap.to_dict`)
    describes them: its sections, pickup and irregular bars (a report read back from JSON has no map);
    none for a summary without sections or bars. Beside ``to_dict``, so the two change together."""
    sections, count = meter.get("sections") or [], int(meter.get("bar_count") or 0)
    if not sections or count <= 0:
        return []
    irregular = {int(round(float(b["start_beat"]) * 1e6)): float(b["length_beats"])
                 for b in meter.get("irregular_bars") or []}
    pickup = float(meter.get("pickup_beats") or 0.0)
    bars: list[tuple[float, str]] = []
    for k, section in enumerate(sections):
        beat = float(section["start_beat"])
        stop = float(sections[k + 1]["start_beat"]) if k + 1 < len(sections) else math.inf
        match = re.match(r"\s*(-?\d+)", str(section.get("first_bar", "")))
        number = int(match.group(1)) if match else len(bars) + 1
        while beat < stop - 1e-6 and len(bars) < count:
            bars.append((beat, str(number)))
            length = float(section["beats_per_bar"])
            if not bars[1:] and pickup > 0:
                length = pickup
            beat += irregular.get(int(round(beat * 1e6)), length)
            number += 1
    return bars

def _opens_with_pickup(sigs: list[tuple[float, int, int]]) -> bool:
    """The first event, at beat 0, holds one bar shorter than the next event's bar, in a signature
    no written meter uses (under 1.5 quarter beats, or a denominator of 32 or more) or in lowest
    terms (1/2, 3/8, 3/4, 3/2): a pickup.

    1/4 at 0 then 4/4 at beat 1 is how MuseScore 3 writes a pickup to MIDI (and its import reads
    any shorter first bar as one): the pickup's own length as a fraction in lowest terms, so a
    two-beat pickup of 4/2 is 1/2, a dotted quarter's of 6/8 is 3/8 and three beats of 4/4 are 3/4
    (benchmarks/phase28-scoremidi28.md); writers/midi_bars.py declares a longer pickup as 16/32,
    69/128. A plain first bar before a longer meter in a signature not in lowest terms (MTC's 6/8
    then 9/8) stays bar 1.
    """
    if len(sigs) < 2 or sigs[0][0] > _EPS:
        return False
    _, num, den = sigs[0]
    first = nominal_bar_length(num, den)
    return (_EPS < sigs[1][0] <= first + SIGNATURE_SLACK + _EPS
            and first < nominal_bar_length(sigs[1][1], sigs[1][2]) - _EPS
            and (first < PLAUSIBLE_BAR - _EPS or den >= PICKUP_DENOMINATOR or math.gcd(num, den) == 1))


def _sorted_signatures(events: Iterable[Any]) -> list[tuple[float, int, int]]:
    """(beat, numerator, denominator) tuples from TimeSignature-likes or tuples, sorted, last per beat wins."""
    by_beat: dict[float, tuple[float, int, int]] = {}
    for e in events:
        beat, num, den = (e if isinstance(e, tuple) else (e.beat, e.numerator, e.denominator))
        if int(num) >= 1 and int(den) >= 1:
            by_beat[round(float(beat), 9)] = (float(beat), int(num), int(den))
    return [by_beat[k] for k in sorted(by_beat)]


def _signature_at(sigs: list[tuple[float, int, int]], beat: float) -> tuple[int, int]:
    current = (4, 4)
    for s_beat, num, den in sigs:
        if s_beat <= beat + _EPS:
            current = (num, den)
        else:
            break
    if not sigs or sigs[0][0] > beat + _EPS:  # before the first event: that event's meter
        current = (sigs[0][1], sigs[0][2]) if sigs else (4, 4)
    return current


def _signature_for_length(beats: float) -> tuple[int, int]:
    if abs(beats - round(beats)) < _EPS:
        return int(round(beats)), 4
    if abs(beats * 2 - round(beats * 2)) < _EPS:
        return int(round(beats * 2)), 8
    return int(round(beats * 4)), 16


# --- estimation (in motifcli.meter_estimate; importable from here without a cycle) ----------------

_ESTIMATION = ("CANDIDATES", "MeterEstimate", "estimate_meter", "meter_map_for", "time_signatures_consistent")


def __getattr__(name: str) -> Any:
    if name in _ESTIMATION:
        from motifcli import meter_estimate

        return getattr(meter_estimate, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Bar", "MeterMap", "ONSET_SNAP", "SOURCES", "nominal_bar_length", "parse_meter", *_ESTIMATION]
