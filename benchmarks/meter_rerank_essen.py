"""The re-ranker (motifcli/meter_rerank.py) on Essen's kinder0.abc, which no meter fit has seen (issue 9 phase 9).

Every one-line tune of kinder0.abc is parsed by music21, written by mido as MIDI without a time signature
(first note at beat 0, as tests/test_meter_folk.py does) and read by motif's reader; the estimate with
``meter_estimate.NOTATED_RERANK`` off and on is scored against the first full bar's meter and phase: strict
(the written bar length and exact phase), and lenient (2/4 written, 4/4 estimated at a nested phase, right).

Usage (PYTHONPATH=.:tests):
    python benchmarks/meter_rerank_essen.py
"""

from __future__ import annotations

import collections
import re
import sys
import tempfile
from pathlib import Path


def right(est, bar: float, phase: float, lenient: bool) -> bool:
    """The written bar length at the exact phase (lenient: 4/4 for 2/4 on either half too)."""
    def on(b: float) -> bool:
        return abs(((est.first_downbeat - phase + b / 2) % b) - b / 2) < 0.01
    if abs(est.beats_per_bar - bar) < 1e-6:
        return on(bar)
    return lenient and abs(bar - 2) < 1e-6 and abs(est.beats_per_bar - 4) < 1e-6 and on(2.0)


def tunes(counts: collections.Counter | None = None) -> list[tuple[int, float, float, object]]:
    """kinder0's one-line tunes as motif reads them: (number, written bar length, phase of the first full bar,
    Score of the MIDI without a time signature); ``counts`` gets the skipped and polyphonic tunes."""
    from test_meter_folk import ESSEN, essen_tune, midi_without_meter, written

    from motifcli import meter_estimate as me
    from motifcli.readers.midi import read_midi

    counts = collections.Counter() if counts is None else counts
    tmp = Path(tempfile.mkdtemp())
    out = []
    for n in (int(x) for x in re.findall(r"(?m)^X:\s*(\d+)", ESSEN.read_text(errors="replace"))):
        try:
            bar, phase, notes = written(essen_tune(n))
        except Exception:  # noqa: BLE001 - a tune music21 cannot read is counted and skipped
            counts["skipped"] += 1
            continue
        score = read_midi(midi_without_meter(notes, tmp / f"{n}.mid"))
        if not me._is_monophonic(me._clean(score)):
            counts["polyphonic"] += 1
            continue
        out.append((n, bar, phase, score))
    return out


def main() -> int:
    from motifcli import meter_estimate as me

    counts: collections.Counter = collections.Counter()
    for _, bar, phase, score in tunes(counts):
        counts["tunes"] += 1
        saved = me.NOTATED_RERANK
        try:
            for label, on in (("off", False), ("on", True)):
                me.NOTATED_RERANK = on
                est = me.estimate_meter(score)
                counts[f"{label}_strict"] += right(est, bar, phase, False)
                counts[f"{label}_lenient"] += right(est, bar, phase, True)
        finally:
            me.NOTATED_RERANK = saved
    print(dict(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
