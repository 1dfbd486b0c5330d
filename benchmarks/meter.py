"""Meter and downbeat estimation benchmarks (issue 9): POP909, BPS-motif dev, MTC-ANN dev, timing.

Usage (from the repository root, PYTHONPATH=.):
    python benchmarks/meter.py pop909 [--limit N] [--candidates 4/4,3/4,...] [--prior 5/8=-0.05] [--json out.json]
    python benchmarks/meter.py written bps|mtc [--candidates ...] [--prior NAME=VALUE ...] [--penalty P] [--json out.json]
    python benchmarks/meter.py labels [--json out.json]
    python benchmarks/meter.py time [--runs 5] [--songs 100]

POP909 ground truth (``beat_midi.txt``, one row per beat: time in seconds, then two 0/1 columns):
column 2 marks every 2nd beat in duple songs and every 3rd in triple ones (the bar in 3/4, the
half bar in 4/4); column 3 marks every 4th beat in duple songs and every 6th in triple ones (the
bar in 4/4, two bars in 3/4). So the truth is: triple when column 2's most common spacing is 3
beats, then bars = column 2's marks; else 4 beats per bar and bars = column 3's marks. The first
downbeat is the first such mark, turned from seconds to beats through the MIDI's tempo map; the
dominant phase is the phase (mod bar) most marks share, since the first mark often opens an
irregular bar. "Right" = within 1/4 beat modulo the true bar length. Songs with id < 500 are the
tune split (the downbeat model's weights were fitted there), the rest the test split.

The note-level corpora (BPS, MTC) are read by the project's MIDI reader; the estimator is given
only the notes (their time-signature events are dropped, as if removed from the file) and is
compared with the written meter, which the MIDI's own time-signature events carry (pickups are
padded to a full bar there, so written bar lines fall on the MIDI's).
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

try:
    from benchmarks import meter_truths
except ImportError:  # run from inside benchmarks/ (phase_ablation.py imports this module as ``meter``)
    import meter_truths  # type: ignore[no-redef]
from motifcli import meter_sections
from motifcli.meter import MeterMap
from motifcli.meter_estimate import CANDIDATES, MORE_CANDIDATES, Candidate, estimate_meter, time_signatures_consistent
from motifcli.readers.midi import read_midi
from motifcli.score import Score, TimeSignature
from training.datafolder import data_root

DATA = data_root()
TOL = 0.25  # beats
CLEAR_SHARE = 0.9  # labels command: a song's label onsets this much on one bar phase = a clear human grid


def pop909_downbeats(song: Path, score: Score) -> tuple[float, np.ndarray, np.ndarray]:
    """(beats per bar, every downbeat in beats, every beat in beats) from beat_midi.txt (module docstring)."""
    rows = np.loadtxt(song / "beat_midi.txt", ndmin=2)
    marks2 = np.flatnonzero(rows[:, 1] == 1)
    spacing = collections.Counter(np.diff(marks2).tolist()).most_common(1)
    triple = bool(spacing) and spacing[0][0] == 3
    marks = marks2 if triple else np.flatnonzero(rows[:, 2] == 1)
    beats = score.beats_at(rows[:, 0])
    return (3.0 if triple else 4.0), beats[marks], beats


def pop909_truth(song: Path, score: Score) -> tuple[float, float, float, np.ndarray]:
    """(beats per bar, first downbeat, dominant downbeat phase, all downbeats) in beats, from beat_midi.txt."""
    bar, downbeats, _ = pop909_downbeats(song, score)
    return bar, float(downbeats[0]), dominant_phase(downbeats, bar), downbeats


def dominant_phase(downbeats: np.ndarray | tuple, bar: float) -> float:
    """The phase (mod bar, to 1/8 beat) that most downbeats share: the song's regular bar lines."""
    phases = (np.round(np.asarray(downbeats) % bar * 8) / 8) % bar
    return float(collections.Counter(phases.tolist()).most_common(1)[0][0])


def found_fraction(estimated: np.ndarray, truth: np.ndarray) -> float:
    """Fraction of true downbeats within TOL of an estimated bar line."""
    if len(truth) == 0 or len(estimated) == 0:
        return 0.0
    i = np.clip(np.searchsorted(estimated, truth), 1, len(estimated) - 1)
    d = np.minimum(np.abs(estimated[i] - truth), np.abs(estimated[i - 1] - truth))
    return float(np.mean(d <= TOL))


def _ts_right(events: list, end: float, bar: float, dominant: float) -> bool:
    """Do a file's time-signature events give beat_midi's bar length and dominant phase?"""
    ts_map = MeterMap.from_time_signatures(events, end)
    first = ts_map.bars[min(1, len(ts_map.bars) - 1)]
    return abs(first.nominal_length - bar) < 1e-6 and phase_ok(dominant_phase(ts_map.starts, bar), dominant, bar)


def phase_ok(estimated: float, truth: float, bar: float, tol: float = TOL) -> bool:
    d = (estimated - truth) % bar
    return min(d, bar - d) <= tol


def candidate_set(names: str | None, priors: list[str] | None) -> tuple[Candidate, ...]:
    """The product's CANDIDATES, or those named (from CANDIDATES + MORE_CANDIDATES), priors overridden."""
    pool = {c.name: c for c in (*CANDIDATES, *MORE_CANDIDATES)}
    chosen = list(CANDIDATES) if not names else [pool[n.strip()] for n in names.split(",") if n.strip()]
    for item in priors or []:
        name, value = item.split("=")
        chosen = [dataclasses.replace(c, prior=float(value)) if c.name == name else c for c in chosen]
    return tuple(chosen)


def split_of(corpus: str, piece: str) -> str:
    """``tune`` or ``test`` (benchmarks/splits/: MTC by tune family, BPS by piece)."""
    splits = json.loads((Path(__file__).parent / "splits" / f"{corpus}.json").read_text())
    if corpus == "bps":
        return "tune" if piece in splits["tune"] else "test"
    import csv

    with open(DATA / "mtc_ann_dev" / "pieces.csv", newline="") as f:
        family = {r["piece"]: r["tunefamily"] for r in csv.DictReader(f)}
    return "tune" if family.get(piece) in set(splits["tune_families"]) else "test"


def run_pop909(limit: int | None, quiet: bool = False, candidates: tuple[Candidate, ...] = CANDIDATES) -> dict:
    songs = sorted(p for p in (DATA / "pop909").iterdir() if p.is_dir())[:limit]
    rows = []
    for song in songs:
        score = read_midi(song / f"{song.name}.mid")
        bar, first, dominant, downbeats = pop909_truth(song, score)
        est = estimate_meter(score, candidates=candidates)
        given = estimate_meter(score, meter=(int(bar), 4))
        est_map = est.to_meter_map(score.end_beat)
        est_lines = est_map.starts
        ts = score.time_signatures
        rows.append({
            "song": song.name,
            "split": "tune" if int(song.name) < 500 else "test",
            "true_bar": bar,
            "true_first_downbeat": round(first, 3),
            "est_meter": est.name,
            "est_phase": est.first_downbeat,
            "confidence": round(est.confidence, 3),
            "bar_ok": abs(est.beats_per_bar - bar) < 1e-6,
            "true_dominant_phase": dominant,
            "est_dominant_phase": dominant_phase(est.downbeats, est.beats_per_bar),
            "phase_ok": phase_ok(est.first_downbeat, first, bar),
            "dominant_ok": phase_ok(dominant_phase(est.downbeats, est.beats_per_bar), dominant, bar),
            # the phase alone, judged at the true bar length (as if the meter were given)
            "phase_given_meter_ok": phase_ok(given.first_downbeat, first, bar),
            "dominant_given_meter_ok": phase_ok(dominant_phase(given.downbeats, bar), dominant, bar),
            "downbeats_found": round(found_fraction(est_lines, downbeats), 4),
            "est_meter_changes": meter_sections.change_count(est.to_meter_map(score.end_beat).bars),
            "tick0_ok": phase_ok(0.0, first, bar),
            "tick0_dominant_ok": phase_ok(0.0, dominant, bar),
            "midi_ts": f"{ts[0].numerator}/{ts[0].denominator}" if ts else "",
            "midi_ts_consistent": bool(ts) and time_signatures_consistent(ts, score, estimate=est),
            "midi_ts_right": bool(ts) and _ts_right(ts, score.end_beat, bar, dominant),
            # phase 11: beat_midi's marks as the written bar lines: main meter and bar-line agreement
            **meter_truths.main_meter(meter_truths.marks_sections(downbeats, score.end_beat), est_map),
            **meter_truths.agreement(downbeats, meter_truths.bar_lines(est_map), score.end_beat),
        })
    summary = {}
    for split in ("tune", "test", "all"):
        sel = [r for r in rows if split == "all" or r["split"] == split]
        if not sel:
            continue
        n = len(sel)
        summary[split] = {
            "songs": n,
            "downbeat_phase_correct": round(sum(r["phase_ok"] for r in sel) / n, 4),
            "downbeat_phase_correct_given_meter": round(sum(r["phase_given_meter_ok"] for r in sel) / n, 4),
            "dominant_phase_correct": round(sum(r["dominant_ok"] for r in sel) / n, 4),
            "dominant_phase_correct_given_meter": round(sum(r["dominant_given_meter_ok"] for r in sel) / n, 4),
            "mean_downbeats_found": round(float(np.mean([r["downbeats_found"] for r in sel])), 4),
            "tick0_baseline_dominant_correct": round(sum(r["tick0_dominant_ok"] for r in sel) / n, 4),
            "beats_per_bar_correct": round(sum(r["bar_ok"] for r in sel) / n, 4),
            "both_correct": round(sum(r["bar_ok"] and r["phase_ok"] for r in sel) / n, 4),
            "tick0_baseline_phase_correct": round(sum(r["tick0_ok"] for r in sel) / n, 4),
            "triple_songs": sum(r["true_bar"] == 3 for r in sel),
            # phase 4: POP909 songs are one meter each (beat_midi), so any change found is false
            "songs_with_a_false_meter_change": sum(r["est_meter_changes"] > 0 for r in sel),
            "midi_ts_consistent": sum(r["midi_ts_consistent"] for r in sel),
            "midi_ts_consistent_and_right": sum(r["midi_ts_consistent"] and r["midi_ts_right"] for r in sel),
            "midi_ts_right": sum(r["midi_ts_right"] for r in sel),
            "main_meter_and_bar_lines": meter_truths.summarise(sel),
        }
    if not quiet:
        print(json.dumps(summary, indent=1))
    return {"summary": summary, "songs": rows}


def load_written(path: Path) -> tuple[Score, MeterMap, float]:
    """A BPS/MTC MIDI file moved to start at its first note, and its written bars (moved alike).

    The files pad a pickup to a full bar, which would hand tick 0 the answer.
    """
    score = read_midi(path)
    shift = min(n.onset for t in score.tracks for n in t.notes)
    for t in score.tracks:
        t.notes = [dataclasses.replace(n, onset=n.onset - shift, offset=n.offset - shift) for n in t.notes]
    end = score.end_beat
    padded = MeterMap.from_time_signatures(score.time_signatures, end + shift)
    truth = MeterMap.from_downbeats([b.start - shift for b in padded.bars if b.start - shift >= -1e-6],
                                    end, padded.bars[0].numerator, padded.bars[0].denominator)
    return score, _with_sections(truth, padded, shift), shift


def run_written(corpus: str, candidates: tuple[Candidate, ...] = CANDIDATES) -> dict:
    folder = DATA / ("bps_motif_dev" if corpus == "bps" else "mtc_ann_dev") / "scores"
    rows = []
    for path in sorted(folder.glob("*.mid")):
        score, truth, shift = load_written(path)
        end = score.end_beat
        first_sig = truth.bars[0]
        est = estimate_meter(score, candidates=candidates)  # the notes only: time signatures never reach it
        est_map = est.to_meter_map(end)
        first_bar = first_sig.nominal_length
        true_lines = truth.starts[truth.starts < end - 1e-6]
        hits = np.array([np.min(np.abs(est_map.starts - b)) <= TOL for b in true_lines])
        # bars of the first section only (until the first meter change)
        first_section = [b.start for b in truth.bars if (b.numerator, b.denominator) == (first_sig.numerator, first_sig.denominator)]
        est_lines = est_map.starts[est_map.starts < end - 1e-6]
        est_written = [np.min(np.abs(truth.starts - b)) <= TOL for b in est_lines]
        rows.append({
            "piece": path.stem,
            "split": split_of(corpus, path.stem),
            "written": ";".join(f"{s['time_signature']}@{s['start_beat']:g}" for s in truth.sections()),
            "meter_changes": len(truth.sections()) - 1,
            "est_meter": est.name,
            "est_phase": est.first_downbeat,
            "confidence": round(est.confidence, 3),
            "meter_ok": abs(est.beats_per_bar - first_bar) < 1e-6,
            "signature_ok": est.name == f"{first_sig.numerator}/{first_sig.denominator}",
            "phase_ok": phase_ok(est.first_downbeat, truth.first_downbeat, first_bar),
            # notated input: bar lines a sixteenth off pass TOL but are wrong (phase 4 of issue 9)
            "phase_exact": phase_ok(est.first_downbeat, truth.first_downbeat, first_bar, tol=0.01),
            "tick0_ok": phase_ok(0.0, truth.first_downbeat, first_bar),
            "pickup_beats": round(shift % first_bar, 3),
            "bar_lines_found": round(float(hits.mean()) if len(hits) else 0.0, 4),
            # phase 4: estimated bar lines that are written ones (precision), meter changes found
            "bar_lines_written": round(float(np.mean(est_written)) if est_written else 0.0, 4),
            "est_meter_changes": meter_sections.change_count(est_map.bars),
            "est_sections": ";".join(f"{s['time_signature']}@{s['start_beat']:g}" for s in est_map.sections()),
            # would the written signatures, as MIDI events on the moved notes, pass the consistency check?
            "written_ts_accepted": time_signatures_consistent(_events(truth), score, end, est),
            "first_section_bars": len(first_section),
            # phase 11: "right" read off the estimated map's first full bar (the bars the product writes),
            # where "meter_ok"/"phase_ok" read the estimate's name and phase (a found meter change can differ)
            "map_first_bar_ok": _map_first_bar_ok(est_map, first_bar, truth.first_downbeat),
            # phase 11: the main meter (the written section covering most of the piece) and bar-line agreement
            **meter_truths.main_meter(meter_truths.map_sections(truth), est_map),
            **meter_truths.agreement(meter_truths.bar_lines(truth), meter_truths.bar_lines(est_map), end),
        })
    n = len(rows)
    summary = {
        "pieces": n,
        "right (bar length of the first section + downbeat phase)": round(sum(r["meter_ok"] and r["phase_ok"] for r in rows) / n, 4),
        "right_exact_phase": round(sum(r["meter_ok"] and r["phase_exact"] for r in rows) / n, 4),
        "right_by_the_map_first_bar": round(sum(r["map_first_bar_ok"] for r in rows) / n, 4),
        "bar_length_correct": round(sum(r["meter_ok"] for r in rows) / n, 4),
        "signature_exact": round(sum(r["signature_ok"] for r in rows) / n, 4),
        "phase_correct": round(sum(r["phase_ok"] for r in rows) / n, 4),
        "tick0_baseline_phase_correct": round(sum(r["tick0_ok"] for r in rows) / n, 4),
        "mean_fraction_of_written_bar_lines_found": round(float(np.mean([r["bar_lines_found"] for r in rows])), 4),
        "pieces_with_meter_changes": sum(r["meter_changes"] > 0 for r in rows),
        "written_time_signatures_accepted_as_midi": round(sum(r["written_ts_accepted"] for r in rows) / n, 4),
        "right_without_meter_changes": _frac([r for r in rows if not r["meter_changes"]]),
        "confusions": collections.Counter(f"{r['written'].split('@')[0]}->{r['est_meter']}" for r in rows if not r["meter_ok"]).most_common(),
        "candidates": [f"{c.name}{c.prior:+g}" for c in candidates],
    }
    summary["meter_changes"] = _change_summary(rows)
    summary["main_meter_and_bar_lines"] = meter_truths.summarise(rows)
    for split in ("tune", "test"):
        sel = [r for r in rows if r["split"] == split]
        summary[split] = {"main_meter_and_bar_lines": meter_truths.summarise(sel),
                          "right_by_the_map_first_bar": round(sum(r["map_first_bar_ok"] for r in sel) / max(len(sel), 1), 4),"pieces": len(sel), "right": _frac(sel), "meter_changes": _change_summary(sel),
                          "right_exact_phase": round(sum(r["meter_ok"] and r["phase_exact"] for r in sel) / max(len(sel), 1), 4),
                          "bar_length_correct": round(sum(r["meter_ok"] for r in sel) / max(len(sel), 1), 4),
                          "phase_correct": round(sum(r["phase_ok"] for r in sel) / max(len(sel), 1), 4)}
    print(json.dumps(summary, indent=1))
    return {"summary": summary, "pieces": rows}


def _map_first_bar_ok(est_map: MeterMap, bar: float, first_downbeat: float) -> bool:
    """The estimated map's first full bar has the written first bar's length and starts on its phase."""
    first = est_map.bars[1] if est_map.has_pickup else est_map.bars[0]
    return abs(first.nominal_length - bar) < 1e-6 and phase_ok(est_map.first_downbeat, first_downbeat, bar)


def _change_summary(rows: list[dict]) -> dict:
    """Phase 4's measures: bar lines found/written in pieces with and without written meter changes,
    changes found vs written, pieces without changes given a (false) change."""
    changed = [r for r in rows if r["meter_changes"]]
    steady = [r for r in rows if not r["meter_changes"]]

    def mean(sel: list[dict], key: str) -> float:
        return round(float(np.mean([r[key] for r in sel])), 4) if sel else 0.0

    return {
        "pieces_with_changes": len(changed),
        "with_changes_bar_lines_found": mean(changed, "bar_lines_found"),
        "with_changes_bar_lines_written": mean(changed, "bar_lines_written"),
        "with_changes_changes_written": sum(r["meter_changes"] for r in changed),
        "with_changes_changes_found": sum(r["est_meter_changes"] for r in changed),
        "with_changes_pieces_with_a_change_found": sum(r["est_meter_changes"] > 0 for r in changed),
        "without_changes_pieces": len(steady),
        "without_changes_bar_lines_found": mean(steady, "bar_lines_found"),
        "without_changes_bar_lines_written": mean(steady, "bar_lines_written"),
        "without_changes_false_change_pieces": sum(r["est_meter_changes"] > 0 for r in steady),
        # of which the one-meter estimate was right (bar length and phase): changed for the worse
        "without_changes_false_change_pieces_one_meter_right": sum(
            r["est_meter_changes"] > 0 and r["meter_ok"] and r["phase_ok"] for r in steady),
        "without_changes_one_meter_right": sum(r["meter_ok"] and r["phase_ok"] for r in steady),
        "all_bar_lines_found": mean(rows, "bar_lines_found"),
        "all_bar_lines_written": mean(rows, "bar_lines_written"),
    }


def _with_sections(truth: MeterMap, padded: MeterMap, shift: float) -> MeterMap:
    """The shifted bar lines with each bar's written signature (meter changes kept)."""
    bars = []
    for bar in truth.bars:
        written = padded.bar_at(bar.start + shift + 1e-6)
        bars.append(dataclasses.replace(bar, numerator=written.numerator, denominator=written.denominator))
    return MeterMap(tuple(bars), source="written")


def _events(truth: MeterMap) -> list[TimeSignature]:
    """Time-signature events for a written map: the first at its first downbeat, then each change."""
    sections = truth.sections()
    events = []
    for k, section in enumerate(sections):
        num, den = (int(x) for x in section["time_signature"].split("/"))
        events.append(TimeSignature(truth.first_downbeat if k == 0 else section["start_beat"], num, den))
    return events


def _frac(rows: list[dict]) -> float:
    return round(sum(r["meter_ok"] and r["phase_ok"] for r in rows) / len(rows), 4) if rows else 0.0


def run_labels() -> dict:
    """Whose bar grid do the hand-made motif labels (pop909_motif_labels) follow: beat_midi's or ours?

    The labels sit on whole beats; a song's label phase is the whole beat (mod 4) most label onsets
    share. A grid agrees when its dominant phase is within 0.75 beat of it (the labels are rounded).
    """
    rows = []
    for path in sorted((DATA / "pop909_motif_labels").glob("*.mid")):
        song = DATA / "pop909" / path.stem
        if not song.is_dir():
            continue
        onsets = np.array([n.onset for t in read_midi(path).tracks for n in t.notes])
        score = read_midi(song / f"{song.name}.mid")
        bar, _, dominant, _ = pop909_truth(song, score)
        est = estimate_meter(score)
        counts = collections.Counter((np.round(onsets) % 4).tolist()).most_common(1)[0]
        rows.append({"song": path.stem, "label_phase": counts[0], "label_phase_share": round(counts[1] / len(onsets), 3),
                     "beat_midi_phase": dominant, "estimated_phase": dominant_phase(est.downbeats, est.beats_per_bar),
                     "estimated_meter": est.name})

    def agree(phase: float, label: float) -> bool:
        return min((phase - label) % 4, (label - phase) % 4) <= 0.75

    clear = [r for r in rows if r["label_phase_share"] >= CLEAR_SHARE]
    split = [r for r in rows if not agree(r["estimated_phase"], r["beat_midi_phase"])]
    summary = {
        "songs": len(rows),
        "labels_agree_with_beat_midi": sum(agree(r["beat_midi_phase"], r["label_phase"]) for r in rows),
        "labels_agree_with_estimate": sum(agree(r["estimated_phase"], r["label_phase"]) for r in rows),
        "labels_agree_with_tick0": sum(agree(0.0, r["label_phase"]) for r in rows),
        # songs whose label onsets share one bar phase (>= CLEAR_SHARE of them): a clear human bar grid
        "clear_songs": len(clear),
        "clear_agree_with_beat_midi": sum(agree(r["beat_midi_phase"], r["label_phase"]) for r in clear),
        "clear_agree_with_estimate": sum(agree(r["estimated_phase"], r["label_phase"]) for r in clear),
        "clear_agree_with_tick0": sum(agree(0.0, r["label_phase"]) for r in clear),
        # where the estimate and beat_midi disagree, whom do the labels side with?
        "estimate_vs_beat_midi_disagree": len(split),
        "of_which_labels_side_with_estimate": sum(agree(r["estimated_phase"], r["label_phase"]) for r in split),
        "of_which_labels_side_with_beat_midi": sum(agree(r["beat_midi_phase"], r["label_phase"]) for r in split),
        "disagreeing_songs": [r["song"] for r in split],
    }
    print(json.dumps(summary, indent=1))
    return {"summary": summary, "songs": rows}


def run_time(runs: int, songs: int) -> dict:
    """Median over songs of the median over runs of estimate_meter's wall time (score already read)."""
    paths = sorted(p for p in (DATA / "pop909").iterdir() if p.is_dir())[:songs]
    per_song, per_song_cpu = [], []
    for song in paths:
        score = read_midi(song / f"{song.name}.mid")
        estimate_meter(score)  # warm
        times, cpu = [], []
        for _ in range(runs):
            t0, c0 = time.perf_counter(), time.process_time()
            estimate_meter(score)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        per_song.append(statistics.median(times) * 1000)
        per_song_cpu.append(statistics.median(cpu) * 1000)
    out = {"songs": len(per_song), "runs_per_song": runs, "median_ms": round(statistics.median(per_song), 2),
           "p90_ms": round(float(np.percentile(per_song, 90)), 2), "max_ms": round(max(per_song), 2),
           "median_cpu_ms": round(statistics.median(per_song_cpu), 2),
           "load_average_1min": round(os.getloadavg()[0], 2), "cpus": os.cpu_count()}
    print(json.dumps(out, indent=1))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pop909")
    p.add_argument("--limit", type=int)
    p.add_argument("--json")
    w = sub.add_parser("written")
    w.add_argument("corpus", choices=["bps", "mtc"])
    w.add_argument("--json")
    for q in (p, w):
        q.add_argument("--candidates", help="comma-separated meters from CANDIDATES + MORE_CANDIDATES")
        q.add_argument("--prior", action="append", help="NAME=VALUE: that candidate's prior (repeatable)")
        q.add_argument("--penalty", type=float, help="meter_sections.CHANGE_PENALTY (inf: no meter changes, as before phase 4)")
    lab = sub.add_parser("labels")
    lab.add_argument("--json")
    t = sub.add_parser("time")
    t.add_argument("--runs", type=int, default=5)
    t.add_argument("--songs", type=int, default=100)
    t.add_argument("--json")
    t.add_argument("--penalty", type=float, help="meter_sections.CHANGE_PENALTY (inf: no change search)")
    args = parser.parse_args(argv)
    if getattr(args, "penalty", None) is not None:
        meter_sections.CHANGE_PENALTY = args.penalty
    if args.cmd == "pop909":
        result = run_pop909(args.limit, candidates=candidate_set(args.candidates, args.prior))
    elif args.cmd == "written":
        result = run_written(args.corpus, candidate_set(args.candidates, args.prior))
    elif args.cmd == "labels":
        result = run_labels()
    else:
        result = run_time(args.runs, args.songs)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
