"""music21's check of each parsed measure's length, in time linear in the number of bars.

music21's ``PartParser.adjustTimeAttributesFromMeasure`` asks a measure that looks short for its bar
length (``Measure.barDuration``). A measure that writes no time signature of its own finds it by a
context search, which builds a tree of the whole part parsed so far: quadratic in the bars. A file whose
durations do not add up exactly (music21's Schumann op. 41/1 i: 4 parts of 374 bars, a third of them a
hair short) took 2.2 s to read (0.8 s now), 25.7 s with its bars written four times over (3.7 s now;
benchmarks/phase28-corpus28.md).

While the part is parsed, the time signature such a search finds is known: the last one of the part,
when every time signature so far stood alone at the start of its measure's own elements and the
measures' offsets only grew. Then the measure is given that one for the call; otherwise (none yet, one in
a voice or mid-bar, two in a bar, a measure at the offset of the one before) music21 searches as before.
"""

from __future__ import annotations

from typing import Any

_KNOWN: dict[int, Any] = {}  # id(measure) -> the time signature its context search would find
_MEASURE_CLASS: list[type] = []


def _known_meter_measure() -> type:
    """A ``stream.Measure`` whose ``barDuration`` takes the known time signature (made once, on first use)."""
    if not _MEASURE_CLASS:
        from music21 import stream

        class _KnownMeterMeasure(stream.Measure):
            @property
            def barDuration(self) -> Any:  # noqa: N802 - music21's name
                own = self.timeSignature
                return (own if own is not None else _KNOWN[id(self)]).barDuration

        _MEASURE_CLASS.append(_KnownMeterMeasure)
    return _MEASURE_CLASS[0]


def linear_bar_lengths(parser: Any) -> None:
    """Wrap ``parser.adjustTimeAttributesFromMeasure`` (a music21 ``PartParser``) so that a measure without
    its own time signature takes the part's last one instead of searching the part for it."""
    from music21 import meter, stream

    adjust = parser.adjustTimeAttributesFromMeasure
    state: dict[str, Any] = {"last": None, "safe": True, "offset": None}

    def adjust_known(m: Any) -> Any:
        own = list(m.recurse().getElementsByClass(meter.TimeSignature))
        offset = parser.lastMeasureOffset  # where m was inserted
        if state["offset"] is not None and offset <= state["offset"]:
            state["safe"] = False  # two measures at one offset: leave the search to music21
        state["offset"] = offset
        known = state["last"] if state["safe"] and not own and type(m) is stream.Measure else None
        if known is not None:
            _KNOWN[id(m)] = known
            m.__class__ = _known_meter_measure()
        try:
            return adjust(m)
        finally:
            if known is not None:
                m.__class__ = stream.Measure
                del _KNOWN[id(m)]
            if own:
                if len(own) == 1 and own[0] is m.timeSignature and own[0].activeSite is m:
                    state["last"] = own[0]
                else:
                    state["safe"] = False

    parser.adjustTimeAttributesFromMeasure = adjust_known
