"""POP909 downbeat-phase development loop (issue 9 phase 7): a cache of the songs, the misses in buckets.

Usage (from the repository root, PYTHONPATH=.):
    python benchmarks/pop_phase_dev.py cache --split tune [--out /tmp/pop_phase_tune.pkl]
    python benchmarks/pop_phase_dev.py misses --cache /tmp/pop_phase_tune.pkl [--json out.json]
    python benchmarks/pop_phase_dev.py labels --cache /tmp/pop_phase_tune.pkl [--json out.json]

``cache`` reads every song of the split once (notes per track, ``beat_midi.txt``'s downbeats, the
product's estimate); ``misses`` sorts the dominant-phase misses into buckets: 2 beats off (beat 1 vs
3), 1 or 3 beats off, a fraction of a beat off, songs whose beat_midi marks change phase (under 80% of
the marks on the dominant phase), and, for the labelled songs, whether the labels side with beat_midi.
``labels`` asks which bar-line sequence the hand-made motif labels (60 tune songs) start on.
Tune = song id < 500 (the ranker's weights are fitted there); test only when the brief says so.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import pickle
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from benchmarks import meter as bench  # noqa: E402
from motifcli.meter import nominal_bar_length  # noqa: E402
from motifcli.meter_estimate import estimate_meter  # noqa: E402
from motifcli.readers.midi import read_midi  # noqa: E402

STEADY_SHARE = 0.8  # marks on the dominant phase: below this beat_midi's own marks change phase


def _tracks(score) -> dict[str, tuple[np.ndarray, ...]]:
    out = {}
    for t in score.tracks:
        if not t.is_pitched:
            continue
        on, off, p = t.arrays()
        v = np.array([n.velocity for n in t.notes], dtype=np.float64)
        out[t.name.strip().upper() or str(t.index)] = (on, off, p.astype(np.float64), v)
    return out


def half_songs(split: str):
    """POP909's songs of one meter half (tune: id < 500, test: the rest), each as (folder, score,
    beat_midi's bar length, downbeats, beats)."""
    for song in sorted(p for p in (bench.DATA / "pop909").iterdir() if p.is_dir()):
        if (int(song.name) < 500) != (split == "tune"):
            continue
        score = read_midi(song / f"{song.name}.mid")
        yield (song, score, *bench.pop909_downbeats(song, score))


def cache(split: str, out: str) -> None:
    rows = []
    for song, score, bar, downbeats, beats in half_songs(split):
        est = estimate_meter(score)
        rows.append({"song": song.name, "tracks": _tracks(score), "bar": bar, "downbeats": downbeats,
                     "beats": beats, "est_name": est.name, "est_downbeats": np.array(est.downbeats),
                     "end": score.end_beat})
    with open(out, "wb") as f:
        pickle.dump(rows, f)
    print(f"{len(rows)} songs -> {out}")


def label_phases() -> dict[str, tuple[float, float]]:
    """Song -> (label phase mod 4 on whole beats, share of label onsets on it)."""
    out = {}
    for path in sorted((bench.DATA / "pop909_motif_labels").glob("*.mid")):
        onsets = np.array([n.onset for t in read_midi(path).tracks for n in t.notes])
        phase, count = collections.Counter((np.round(onsets) % 4).tolist()).most_common(1)[0]
        out[path.stem] = (phase, count / len(onsets))
    return out


def off_beats(est: float, truth: float, bar: float) -> float:
    """How far the estimate's phase is from the truth, in beats mod bar (0 .. bar)."""
    return float((est - truth) % bar)


def bucket(row: dict, est_downbeats: np.ndarray, est_bar: float) -> str:
    bar = row["bar"]
    truth = bench.dominant_phase(row["downbeats"], bar)
    if abs(est_bar - bar) > 1e-6:
        return "bar length"
    est = bench.dominant_phase(est_downbeats, est_bar)
    if bench.phase_ok(est, truth, bar):
        return "right"
    d = off_beats(est, truth, bar)
    near = round(d)
    if abs(d - near) > bench.TOL:
        return "fraction of a beat"
    near %= bar
    if bar == 4 and near == 2:
        return "2 beats (1 vs 3)"
    return "1 or 3 beats" if bar == 4 else f"{int(near)} beats (3/4)"


def steady_share(row: dict) -> float:
    """Share of beat_midi's marks on its dominant phase."""
    bar = row["bar"]
    truth = bench.dominant_phase(row["downbeats"], bar)
    return float(np.mean([bench.phase_ok(d % bar, truth, bar) for d in row["downbeats"]]))


def misses(path: str, out: str | None) -> dict:
    rows = pickle.load(open(path, "rb"))
    labels = label_phases()
    table = collections.Counter()
    unsteady = collections.Counter()
    offsets = collections.Counter()  # (beat_midi steady?, estimate minus truth in beats mod bar) of phase misses
    lines = []
    for row in rows:
        num, den = (int(x) for x in row["est_name"].split("/"))
        est_bar = nominal_bar_length(num, den)
        b = bucket(row, row["est_downbeats"], est_bar)
        table[b] += 1
        share = steady_share(row)
        if share < STEADY_SHARE:
            unsteady[b] += 1
        if b == "right":
            continue
        lab = labels.get(row["song"])
        truth = bench.dominant_phase(row["downbeats"], row["bar"])
        est = bench.dominant_phase(row["est_downbeats"], row["bar"])
        if b != "bar length":
            offsets[f"{'steady' if share >= STEADY_SHARE else 'unsteady'} +{round(off_beats(est, truth, row['bar']))}"] += 1
        side = ""
        if lab:
            def agree(p: float) -> bool:
                return min((p - lab[0]) % 4, (lab[0] - p) % 4) <= 0.75
            side = f"labels({lab[1]:.2f}): beat_midi {agree(truth)} estimate {agree(est)}"
        lines.append(f"{row['song']} {b:20s} truth {truth:.3f} est {est:.3f} marks on dominant {share:.2f} {side}")
    n = len(rows)
    summary = {"songs": n, "buckets": dict(table.most_common()),
               f"of which beat_midi marks change phase (< {STEADY_SHARE} on the dominant)": dict(unsteady.most_common()),
               "phase misses by estimate minus beat_midi (beats), steady / unsteady beat_midi": dict(sorted(offsets.items())),
               "songs whose beat_midi marks change phase": sum(steady_share(r) < STEADY_SHARE for r in rows),
               "dominant phase right": round(table["right"] / n, 4)}
    print("\n".join(lines))
    print(json.dumps(summary, indent=1))
    if out:
        with open(out, "w") as f:
            json.dump({"summary": summary, "misses": lines}, f, indent=1)
    return summary


def on_lines(onsets: np.ndarray, lines: np.ndarray, tol: float = 0.75) -> float:
    """Share of ``onsets`` within ``tol`` beats of a bar line in ``lines`` (labels sit on whole beats)."""
    lines = np.sort(np.asarray(lines, dtype=np.float64))
    if len(lines) < 2 or len(onsets) == 0:
        return 0.0
    i = np.clip(np.searchsorted(lines, onsets), 1, len(lines) - 1)
    d = np.minimum(np.abs(lines[i] - onsets), np.abs(lines[i - 1] - onsets))
    return float(np.mean(d <= tol))


def labels_lines(path: str, out: str | None) -> dict:
    """Which bar-line *sequence* the hand-made motif labels start on: beat_midi's downbeats (with their
    phase changes), one grid at beat_midi's dominant phase, the estimate's path, one grid at its dominant
    phase. Mean share of label onsets within 0.75 beat of a line, for songs whose beat_midi marks are
    steady (>= STEADY_SHARE on the dominant phase) and for those whose marks change phase."""
    rows = {r["song"]: r for r in pickle.load(open(path, "rb"))}
    sums: dict[tuple[bool, str], float] = collections.defaultdict(float)
    counts = collections.Counter()
    for lab in sorted((bench.DATA / "pop909_motif_labels").glob("*.mid")):
        row = rows.get(lab.stem)
        if row is None:
            continue
        onsets = np.array(sorted(n.onset for t in read_midi(lab).tracks for n in t.notes))
        bar, end = row["bar"], row["end"]
        dom = bench.dominant_phase(row["downbeats"], bar)
        est_bar = 4.0 if row["est_name"] == "4/4" else bar
        est_dom = bench.dominant_phase(row["est_downbeats"], est_bar)
        steady = steady_share(row) >= STEADY_SHARE
        counts[steady] += 1
        for name, lines in (("beat_midi downbeats", row["downbeats"]),
                            ("beat_midi dominant grid", np.arange(dom, end + bar, bar)),
                            ("estimate path", row["est_downbeats"]),
                            ("estimate dominant grid", np.arange(est_dom, end + est_bar, est_bar))):
            sums[(steady, name)] += on_lines(onsets, lines)
    summary = {("steady" if s else "unsteady") + f" ({counts[s]} songs): {name}": round(v / counts[s], 4)
               for (s, name), v in sorted(sums.items())}
    print(json.dumps(summary, indent=1))
    if out:
        with open(out, "w") as f:
            json.dump(summary, f, indent=1)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("cache")
    c.add_argument("--split", choices=["tune", "test"], default="tune")
    c.add_argument("--out", default="/tmp/pop_phase_tune.pkl")
    m = sub.add_parser("misses")
    m.add_argument("--cache", default="/tmp/pop_phase_tune.pkl")
    m.add_argument("--json")
    lab = sub.add_parser("labels")
    lab.add_argument("--cache", default="/tmp/pop_phase_tune.pkl")
    lab.add_argument("--json")
    args = parser.parse_args(argv)
    if args.cmd == "cache":
        cache(args.split, args.out)
    elif args.cmd == "labels":
        labels_lines(args.cache, args.json)
    else:
        misses(args.cache, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
