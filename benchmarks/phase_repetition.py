"""Issue 9 cue "a motif's repeats fall on the same beat of the bar": POP909 downbeat phase from bar repetition.

    PYTHONPATH=. python benchmarks/phase_repetition.py measure [--limit N] [--json benchmarks/meter-results/phase_repetition.json]
    PYTHONPATH=. python benchmarks/phase_repetition.py combine [--json ...] [--folds 5]

Tune songs only (id < 500; the test songs are never read). ``measure``: for each song, the estimate's
quarter-beat grid (``estimate_meter``: offset = its first downbeat mod 1) gives 4 candidate phases
(bars starting at offset + k + 4j, k = 0..3). At each phase the PIANO track (and, separately, all
pitched tracks) is cut into 4-beat bars the way ``--unit bar`` windows are cut (a note belongs to the
bar its onset's grid step falls in; rolls from ``encoding.render_rolls``), the non-empty bars are
embedded with the shipped model, and a repetition score is taken per phase:

- ``maxsim``: mean over bars of the largest cosine similarity to any other bar (all others are at
  least one bar away);
- ``near``: share of bars with another bar closer than the model's grouping_threshold (cosine distance);
- the same two on the raw rolls (flattened, no model): ``raw_maxsim``, ``raw_near`` (distance < 0.5);
- ``latent_maxsim``: ``maxsim`` on the learned part of the embedding alone (the shipped embedding is the
  normalised latent beside 0.75 x the normalised roll, ``residual_roll``).

Reported: how often each score's argmax phase is beat_midi's dominant phase / first mark, against the
whole-song ranker's argmax (``phase_ranker.phase_scores``) and the shipped estimate (ranker + path).
Per-song scores go to ``--json``; ``combine`` reads them and adds ``w x`` (a repetition score,
centred over the 4 candidates) to each beat's log-odds before the Viterbi path, ``w`` chosen by
5-fold cross-validation on the tune songs (benchmarks/phase24-phaseemb24.md).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from meter import DATA, dominant_phase, phase_ok, pop909_truth  # noqa: E402

from motifcli.downbeats import _clean  # noqa: E402
from motifcli.encoding import EncodingSpec, fold_pitches, grid_steps, render_rolls  # noqa: E402
from motifcli.meter_estimate import beat_features, downbeat_logodds, estimate_meter  # noqa: E402
from motifcli.model import load_model  # noqa: E402
from motifcli.phase_ranker import phase_scores  # noqa: E402
from motifcli.readers.midi import read_midi  # noqa: E402

BAR = 4.0
SCORES = ("maxsim", "near", "raw_maxsim", "raw_near", "latent_maxsim")


def bar_notes(onsets: np.ndarray, offsets: np.ndarray, pitches: np.ndarray, origin: float,
              spec: EncodingSpec) -> list[np.ndarray]:
    """Note arrays (onset step, offset step, pitch column) of the 4-beat bars from ``origin`` on
    (notes before it dropped): the bar of a note is the one its onset's grid step falls in."""
    on = grid_steps(onsets, spec.steps_per_beat, origin)
    off = np.maximum(grid_steps(offsets, spec.steps_per_beat, origin), on + 1)
    keep = on >= 0
    on, off, cols = on[keep], off[keep], fold_pitches(pitches[keep], spec.pitch_low, spec.pitch_count) - spec.pitch_low
    if len(on) == 0:
        return []
    bar = on // spec.steps
    start = bar * spec.steps
    arr = np.stack([on - start, np.minimum(off - start, spec.steps), cols], axis=1)
    order = np.argsort(bar, kind="stable")
    bar, arr = bar[order], arr[order]
    cuts = np.flatnonzero(np.diff(bar)) + 1
    return np.split(arr, cuts)  # non-empty bars only


def repetition(vectors: np.ndarray, threshold: float) -> tuple[float, float]:
    """(mean over bars of the max cosine similarity to another bar, share with one within ``threshold``)."""
    if len(vectors) < 2:
        return 0.0, 0.0
    v = vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9)
    sim = v @ v.T
    np.fill_diagonal(sim, -np.inf)
    best = sim.max(axis=1)
    return float(best.mean()), float(np.mean(1.0 - best < threshold))


def song_scores(notes: tuple[np.ndarray, ...], offset: float, model, threshold: float) -> dict[str, list[float]]:
    """Each repetition score at the 4 candidate phases (offset + k)."""
    out: dict[str, list[float]] = {k: [] for k in SCORES}
    spec = model.spec
    for k in range(4):
        bars = bar_notes(notes[0], notes[1], notes[2], offset + k, spec)
        rolls = render_rolls(bars, spec)
        emb = model.embed(rolls) if len(rolls) else np.zeros((0, model.embedding_dim))
        m, n = repetition(emb, threshold)
        rm, rn = repetition(rolls.reshape(len(rolls), -1), 0.5)
        # the learned part alone: the embedding is [latent, residual_roll x roll], each normalised
        lm, _ = repetition(emb[:, : emb.shape[1] - spec.steps * spec.pitch_count], threshold)
        for key, value in zip(SCORES, (m, n, rm, rn, lm)):
            out[key].append(round(value, 8))
    return out


def track_notes(score, which: str) -> tuple[np.ndarray, ...]:
    if which == "piano":
        tracks = [t for t in score.tracks if t.name.upper() == "PIANO"]
    else:
        tracks = score.pitched_tracks()
    arrs = [t.arrays() for t in tracks if t.notes]
    if not arrs:
        return np.zeros(0), np.zeros(0), np.zeros(0, dtype=np.int64)
    on, off, p = (np.concatenate(x) for x in zip(*arrs))
    keep = np.isfinite(on) & (on >= 0) & np.isfinite(off)
    return on[keep], off[keep], p[keep]


def truth_row(song: Path, score) -> dict:
    """A tune song's row: beat_midi's truth, the shipped estimate and whether it is right, the candidate phases
    (offset + k) that are right, and the whole-song ranker's score per phase (also used by phase_figstart.py)."""
    bar, first, dominant, _ = pop909_truth(song, score)
    est = estimate_meter(score)
    offset = est.first_downbeat % 1.0
    row = {"song": song.name, "true_bar": bar, "est_meter": est.name, "offset": offset,
           "est_first_ok": phase_ok(est.first_downbeat, first, bar),
           "est_dominant_ok": phase_ok(dominant_phase(est.downbeats, est.beats_per_bar), dominant, bar),
           "dominant_k": [k for k in range(4) if bar == BAR and phase_ok(offset + k, dominant, bar)],
           "first_k": [k for k in range(4) if bar == BAR and phase_ok(offset + k, first, bar)]}
    notes = _clean(score)
    end = float(notes[1].max()) if len(notes[1]) else 0.0
    beats = offset + np.arange(int(max(end - offset, 0.0)) + 1)
    feats = beat_features(notes, beats)
    row["ranker"] = [round(float(v), 6) for v in phase_scores(feats, downbeat_logodds(notes, beats, feats=feats))]
    return row


def measure(limit: int | None, out: str | None) -> None:
    model = load_model()
    threshold = model.grouping_threshold or 0.5
    songs = sorted(p for p in (DATA / "pop909").iterdir() if p.is_dir() and int(p.name) < 500)[:limit]
    rows, t_piano, t_bars = [], [], []
    for song in songs:
        score = read_midi(song / f"{song.name}.mid")
        row = truth_row(song, score)
        offset = row["offset"]
        ends = _clean(score)[1]
        end = float(ends.max()) if len(ends) else 0.0
        for which in ("piano", "all"):
            t0 = time.perf_counter()
            sc = song_scores(track_notes(score, which), offset, model, threshold)
            dt = time.perf_counter() - t0
            if which == "piano":
                t_piano.append(dt)
                t_bars.append(dt / max(4 * (end - offset) / BAR, 1))
            row[which] = sc
        rows.append(row)
    print(f"{len(rows)} tune songs; PIANO repetition scores (4 phases): median {1000 * statistics.median(t_piano):.1f} ms "
          f"a song, {1000 * statistics.median(t_bars):.3f} ms a bar")
    report(rows)
    if out:
        Path(out).write_text(json.dumps(rows) + "\n")


def argmax_accuracy(four: list[dict], get) -> tuple[float, float]:
    """Share of songs whose per-phase score ``get(row)`` peaks on beat_midi's dominant phase, and on its first mark
    (also used by phase_figstart.py)."""
    dom = np.mean([int(np.argmax(get(r))) in r["dominant_k"] for r in four])
    fst = np.mean([int(np.argmax(get(r))) in r["first_k"] for r in four])
    return float(dom), float(fst)


def report_head(rows: list[dict], extra: tuple[str, ...] = ()) -> list[dict]:
    """Print the phase table's head and its first two rows (the shipped estimate, the ranker's argmax), with
    ``extra`` columns left empty there; return the songs it scores (also used by phase_figstart.py)."""
    four = [r for r in rows if r["dominant_k"]]
    blank = " |" * len(extra)
    print(f"songs with 4/4 truth and the estimate's grid holding the dominant phase: {len(four)} of {len(rows)}")
    print("| phase picked by | dominant phase | first mark |" + "".join(f" {c} |" for c in extra)
          + "\n|---|---|---|" + "---|" * len(extra))
    print(f"| shipped estimate (ranker + path), these songs | {np.mean([r['est_dominant_ok'] for r in four]):.3f} | "
          f"{np.mean([r['est_first_ok'] for r in four]):.3f} |{blank}")
    print("| whole-song ranker argmax | %.3f | %.3f |" % argmax_accuracy(four, lambda r: r["ranker"]) + blank)
    return four


def report(rows: list[dict]) -> None:
    four = report_head(rows)

    def acc(get) -> tuple[float, float]:
        return argmax_accuracy(four, get)

    for which in ("piano", "all"):
        for key in SCORES:
            print(f"| {which} {key} argmax | %.3f | %.3f |" % acc(lambda r, w=which, k=key: r[w][k]))
    # complementarity: where the ranker is wrong, how often is the repetition score right, and vice versa
    for which, key in (("piano", "maxsim"), ("piano", "latent_maxsim"), ("all", "maxsim"), ("piano", "raw_maxsim")):
        rk = np.array([int(np.argmax(r["ranker"])) in r["dominant_k"] for r in four])
        rp = np.array([int(np.argmax(r[which][key])) in r["dominant_k"] for r in four])
        print(f"{which} {key} vs ranker (dominant): both right {np.sum(rk & rp)}, ranker only {np.sum(rk & ~rp)}, "
              f"repetition only {np.sum(~rk & rp)}, neither {np.sum(~rk & ~rp)}")
        # offsets of the repetition argmax from the truth (0 right, 2 = beat 3, 1/3 = a beat off)
        off = [(int(np.argmax(r[which][key])) - r["dominant_k"][0]) % 4 for r in four]
        print(f"   repetition argmax minus truth (beats): {np.bincount(off, minlength=4).tolist()}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=("measure", "report", "combine"))
    parser.add_argument("--limit", type=int)
    parser.add_argument("--json", default="benchmarks/meter-results/phase_repetition.json")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    if args.command == "measure":
        measure(args.limit, args.json)
    elif args.command == "report":
        report(json.loads(Path(args.json).read_text()))
    else:
        from phase_repetition_combine import combine  # benchmarks/

        combine(json.loads(Path(args.json).read_text()), args.folds)


if __name__ == "__main__":
    main()
