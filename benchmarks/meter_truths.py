"""Two more meter truths beside "the first section" (issue 9, phase 11): the main meter and bar-line agreement.

``benchmarks/meter.py written``'s "right" scores the first written section only, so a tune that opens
with one bar of 3/4 and then runs 40 bars of 4/4 is scored on that one bar. These figures score the
whole piece, decided before any estimate was looked at (benchmarks/phase11-mtc11.md):

- **main meter**: the written *section* (a run of consecutive bars of one written bar length; for
  POP909 a run of beat_midi marks at one spacing) that covers most of the piece's duration; its bar
  length and downbeat phase (the phase, mod that bar, most of its full bars start on). The estimate
  over that same stretch: the estimated bar length that covers most of the stretch's beats, and the
  phase (mod the written bar) most estimated bar lines inside the stretch share. Right = same bar
  length and phase within TOL.
- **bar-line agreement**: the written bar lines over the whole piece (a pickup's start and the piece's
  end are not bar lines) that have an estimated one within TOL (recall), the estimated ones that have
  a written one within TOL (precision), and F; per piece and pooled over the corpus.

Pure functions on plain arrays, so a hand-made pair of maps tests them (tests/test_meter_truths.py).
"""

from __future__ import annotations

import collections
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from motifcli.meter import MeterMap

TOL = 0.25  # beats, as benchmarks/meter.py
_EPS = 1e-6


@dataclass(frozen=True)
class Section:
    """A run of bars of one nominal length: where it starts and ends, its bar length and phase."""

    start: float
    end: float
    bar: float
    phase: float  # mod bar: where most of its full bars start

    @property
    def duration(self) -> float:
        return self.end - self.start


def sections_of(starts: Sequence[float], lengths: Sequence[float], nominal: Sequence[float]) -> list[Section]:
    """Runs of consecutive bars with the same nominal length (``starts``/``lengths``/``nominal`` per bar)."""
    out: list[Section] = []
    k = 0
    n = len(starts)
    while k < n:
        j = k
        while j + 1 < n and abs(nominal[j + 1] - nominal[k]) < _EPS:
            j += 1
        bar = float(nominal[k])
        full = [starts[i] for i in range(k, j + 1) if lengths[i] >= bar - _EPS] or [starts[k] + lengths[k]]
        out.append(Section(float(starts[k]), float(starts[j] + lengths[j]), bar, modal_phase(full, bar)))
        k = j + 1
    return out


def modal_phase(lines: Sequence[float], bar: float) -> float:
    """The phase (mod ``bar``, to 1/8 beat) that most of these bar lines share."""
    phases = (np.round(np.asarray(lines, dtype=float) % bar * 8) / 8) % bar
    return float(collections.Counter(phases.tolist()).most_common(1)[0][0])


def map_sections(meter_map: MeterMap) -> list[Section]:
    """A MeterMap's sections by bar length (3/4 then 6/8 is one section: the same bar)."""
    bars = meter_map.bars
    return sections_of([b.start for b in bars], [b.length for b in bars], [b.nominal_length for b in bars])


def marks_sections(marks: np.ndarray, end: float) -> list[Section]:
    """POP909: beat_midi's downbeat marks as bars (mark to mark, the last to ``end``); a bar's nominal
    length is its own length to 1/8 beat, so irregular bars make their own sections."""
    marks = np.asarray(marks, dtype=float)
    marks = marks[marks < end - _EPS]
    if len(marks) == 0:
        return []
    stops = np.append(marks[1:], max(end, marks[-1] + _EPS))
    lengths = stops - marks
    nominal = np.round(lengths * 8) / 8
    if len(nominal) > 1:  # the last bar runs to the music's end: it takes the bar before's length
        nominal[-1] = nominal[-2]
    return sections_of(marks.tolist(), lengths.tolist(), nominal.tolist())


def main_section(sections: Sequence[Section]) -> Section:
    """The section that covers most of the piece (the earliest on a tie)."""
    return max(sections, key=lambda s: (s.duration, -s.start))


def estimate_over(est: MeterMap, start: float, end: float, bar: float) -> tuple[float, float | None]:
    """The estimate over [start, end): the bar length covering most of its beats, and the phase (mod
    the written ``bar``) most estimated bar lines inside it share (None: no bar line inside)."""
    cover: dict[float, float] = collections.defaultdict(float)
    for b in est.bars:
        overlap = min(b.end, end) - max(b.start, start)
        if overlap > _EPS:
            cover[round(b.nominal_length, 6)] += overlap
    length = max(cover, key=cover.__getitem__) if cover else 0.0
    inside = [float(x) for x in bar_lines(est) if start - TOL <= x < end - _EPS]
    return length, (modal_phase(inside, bar) if inside else None)


def bar_lines(meter_map: MeterMap) -> np.ndarray:
    """A map's bar lines: every bar's start but a pickup's (the music's start is no bar line then)."""
    starts = np.asarray(meter_map.starts, dtype=float)
    return starts[1:] if meter_map.has_pickup else starts


def phase_ok(estimated: float, truth: float, bar: float, tol: float = TOL) -> bool:
    d = (estimated - truth) % bar
    return min(d, bar - d) <= tol


def main_meter(written: list[Section], est: MeterMap) -> dict:
    """The main-meter figure of one piece: the written main section and the estimate over it."""
    main = main_section(written)
    length, phase = estimate_over(est, main.start, main.end, main.bar)
    bar_ok = abs(length - main.bar) < _EPS
    ph_ok = phase is not None and phase_ok(phase, main.phase, main.bar)
    return {"main_bar": main.bar, "main_phase": main.phase, "main_start": round(main.start, 3),
            "main_share": round(main.duration / max(sum(s.duration for s in written), _EPS), 3),
            "main_est_bar": length, "main_est_phase": phase,
            "main_bar_ok": bar_ok, "main_phase_ok": ph_ok, "main_ok": bar_ok and ph_ok}


def agreement(written: np.ndarray, estimated: np.ndarray, end: float) -> dict:
    """Bar lines in [0, end) on both sides within TOL: counts, recall, precision, F of one piece."""
    w = np.sort(np.asarray(written, dtype=float))
    e = np.sort(np.asarray(estimated, dtype=float))
    w = w[(w >= -TOL) & (w < end - _EPS)]
    e = e[(e >= -TOL) & (e < end - _EPS)]
    w_hit = int(sum(_near(e, x) for x in w))
    e_hit = int(sum(_near(w, x) for x in e))
    r = w_hit / len(w) if len(w) else 0.0
    p = e_hit / len(e) if len(e) else 0.0
    return {"lines_written": len(w), "lines_estimated": len(e), "written_found": w_hit, "estimated_written": e_hit,
            "line_recall": round(r, 4), "line_precision": round(p, 4), "line_f": round(_f(p, r), 4)}


def summarise(rows: list[dict]) -> dict:
    """Main meter right (and its two parts) and bar-line agreement, mean per piece and pooled."""
    n = len(rows)
    if not n:
        return {}
    pooled_r = sum(r["written_found"] for r in rows) / max(sum(r["lines_written"] for r in rows), 1)
    pooled_p = sum(r["estimated_written"] for r in rows) / max(sum(r["lines_estimated"] for r in rows), 1)
    return {
        "pieces": n,
        "main_meter_right": round(sum(r["main_ok"] for r in rows) / n, 4),
        "main_bar_length_correct": round(sum(r["main_bar_ok"] for r in rows) / n, 4),
        "main_phase_correct": round(sum(r["main_phase_ok"] for r in rows) / n, 4),
        "main_section_mean_share": round(float(np.mean([r["main_share"] for r in rows])), 4),
        "line_recall_mean": round(float(np.mean([r["line_recall"] for r in rows])), 4),
        "line_precision_mean": round(float(np.mean([r["line_precision"] for r in rows])), 4),
        "line_f_mean": round(float(np.mean([r["line_f"] for r in rows])), 4),
        "line_recall_pooled": round(pooled_r, 4),
        "line_precision_pooled": round(pooled_p, 4),
        "line_f_pooled": round(_f(pooled_p, pooled_r), 4),
    }


def _near(sorted_lines: np.ndarray, x: float) -> bool:
    return bool(len(sorted_lines)) and bool(np.min(np.abs(sorted_lines - x)) <= TOL + _EPS)


def _f(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0
