"""Issue 9, phase 25: POP909 downbeat phase from where repeated figures *start*, folded modulo 4 beats.

    PYTHONPATH=. python benchmarks/phase_figstart.py measure [--limit N] [--json benchmarks/meter-results/phase_figstart.json]
    PYTHONPATH=. python benchmarks/phase_figstart.py report  [--json ...]
    PYTHONPATH=.:benchmarks python benchmarks/phase_figstart.py combine [--json ...] [--folds 5]
    PYTHONPATH=.:benchmarks python benchmarks/phase_figstart.py local [--json ...] [--folds 5]
    PYTHONPATH=.:benchmarks python benchmarks/phase_figstart.py logit [--json ...]
    PYTHONPATH=.:benchmarks python benchmarks/phase_figstart.py variants [--json ...]
    PYTHONPATH=. python benchmarks/phase_figstart.py opening [--json ...]
    PYTHONPATH=. python benchmarks/phase_figstart.py time [--songs 60] [--runs 3]

Phase 24 compared whole bars cut at each phase (sections repeat at every phase, so it failed). Here the
cue is the issue's wording taken literally: where do repeated figures begin? Tune songs only (id < 500;
test songs never read). Repeats are found **without the meter**, so the cue is independent of the
estimate; only the histogram is read on the estimate's quarter-beat grid (offset = its first downbeat
mod 1; candidate k = bars starting at offset + k + 4j, as phase 24 and the ranker):

- ``disc``: the note-level discovery (``discover(score, None, ...)``) with its three meter uses off
  (``bar_position="off"``, ``grow_from_long=0``, ``texture=False``: texture bars are cut at the
  estimate's bar lines; checked: ``score.meter`` stays unset); each occurrence's first note (``disc_start``) and its
  longest note (``disc_long``, the "accented" head);
- ``mel``: an exact-repeat finder on the MELODY track's skyline: tokens (pitch interval, inter-onset
  interval in quarter beats), every lag's diagonal runs of >= ``MIN_RUN`` equal tokens (SIA-like
  translation vectors, time lag >= 1 beat); each run's two first notes, each note counted once;
- ``all``: the same finder on every pitched track's skyline, pooled.

Each cue is stored as a 16-bin histogram of start onsets (quarter-beat bins from the offset, mod 4
beats). Fixed before any score was looked at: the per-candidate feature is the log share of starts
within 1/4 beat of the candidate's downbeat, ``log((n_k + 1) / (N + 4))``. ``report`` gives argmax
accuracy against beat_midi; ``combine`` reruns phase 24's 5-fold CV combination
(``phase_repetition_combine.py``) with these features and their own weight grid.
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
from meter import DATA  # noqa: E402
from phase_repetition import argmax_accuracy, report_head, truth_row  # noqa: E402

from motifcli.discovery import DiscoverySettings, discover  # noqa: E402
from motifcli.readers.midi import read_midi  # noqa: E402

BAR = 4.0
MIN_RUN = 4  # equal tokens in a run = 5 notes
MIN_LAG = 1.0  # beats between the two statements
CUES = ("disc_start", "disc_long", "mel", "all")
METER_FREE = DiscoverySettings(bar_position="off", grow_from_long=0.0, texture=False)  # texture bars are cut at the estimate's bar lines


def skyline(on: np.ndarray, pitch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The highest pitch at each onset (onsets within 1/24 beat merged), by time."""
    if len(on) == 0:
        return on, pitch
    slot = np.round(on * 24).astype(np.int64)
    order = np.lexsort((-pitch, slot))
    slot, on, pitch = slot[order], on[order], pitch[order]
    first = np.r_[True, slot[1:] != slot[:-1]]
    return on[first], pitch[first]


def repeat_starts(on: np.ndarray, pitch: np.ndarray, min_run: int = MIN_RUN, min_lag: float = MIN_LAG,
                  bar_lag: bool = False, weighted: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(onsets, weights) where an exact repeat (intervals and rhythm, any transposition) of >= min_run tokens
    starts: for every lag d, runs of tokens equal to the tokens d notes later; both statements' first notes,
    each note once (weight 1, or with ``weighted`` its longest run). ``bar_lag``: only repeats a whole number
    of 4-beat spans apart (within 1/4 beat; a difference of onsets, so still no phase is assumed)."""
    on, pitch = skyline(on, pitch)
    n = len(on) - 1
    if n < min_run + 1:
        return np.zeros(0), np.zeros(0)
    iv = np.clip(np.diff(pitch).astype(np.int64), -60, 60)
    ioi = np.clip(np.round(np.diff(on) * 4).astype(np.int64), 0, 63)
    tok = (iv + 64) * 64 + ioi
    best = np.zeros(len(on))
    for d in range(1, n):
        eq = tok[:-d] == tok[d:]
        if eq.sum() < min_run:
            continue
        padded = np.r_[False, eq, False].astype(np.int8)
        edges = np.diff(padded)
        s, e = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        lag = on[s + d] - on[s]
        keep = (e - s >= min_run) & (lag >= min_lag)
        if bar_lag:
            keep &= np.abs((lag + 2.0) % BAR - 2.0) <= 0.25
        run = (e - s)[keep].astype(float)
        for idx in (s[keep], s[keep] + d):
            np.maximum.at(best, idx, run)
    starts = best > 0
    return on[starts], (best[starts] if weighted else np.ones(int(starts.sum())))


def histogram(onsets: np.ndarray, offset: float, weights: np.ndarray | None = None) -> list[float]:
    """Start onsets (weighted) in 16 quarter-beat bins, mod 4 beats from ``offset``."""
    bins = np.round((np.asarray(onsets) - offset) * 4).astype(np.int64) % 16
    return np.bincount(bins, weights=weights, minlength=16).astype(float).tolist()


def feature(h16: list[float]) -> list[float]:
    """Per candidate k: log share of starts within 1/4 beat of beat k (bins 4k-1, 4k, 4k+1)."""
    h = np.asarray(h16)
    near = np.array([h[(4 * k - 1) % 16] + h[4 * k] + h[4 * k + 1] for k in range(4)])
    return np.log((near + 1.0) / (h.sum() + 4.0)).tolist()


def disc_cues(score) -> tuple[np.ndarray, np.ndarray]:
    """(first-note onsets, longest-note onsets) of every occurrence the meter-free discovery finds."""
    starts, longs = [], []
    assert score.meter is None, "read the score afresh: the cue must not see a meter"
    families = discover(score, None, METER_FREE)
    assert score.meter is None, "discovery used the meter"
    for fam in families:
        for occ in fam.occurrences:
            starts.append(occ.start)
            dur = [n.offset - n.onset for n in occ.notes]
            longs.append(occ.notes[int(np.argmax(dur))].onset)
    return np.asarray(starts), np.asarray(longs)


def finder_cue(score, which: str, **options) -> np.ndarray:
    """Start onsets of the exact-repeat finder on the MELODY track, or on every pitched track ("all")."""
    return finder_weighted(score, which, **options)[0]


def finder_weighted(score, which: str, **options) -> tuple[np.ndarray, np.ndarray]:
    tracks = [t for t in score.pitched_tracks() if t.notes and (which == "all" or t.name.upper() == "MELODY")]
    out = [repeat_starts(*_on_pitch(t), **options) for t in tracks]
    if not out:
        return np.zeros(0), np.zeros(0)
    return np.concatenate([o[0] for o in out]), np.concatenate([o[1] for o in out])


def _on_pitch(track) -> tuple[np.ndarray, np.ndarray]:
    on, _, pitch = track.arrays()
    keep = np.isfinite(on) & (on >= 0)
    return on[keep], pitch[keep].astype(np.int64)


def tune_songs(limit: int | None) -> list[Path]:
    return sorted(p for p in (DATA / "pop909").iterdir() if p.is_dir() and int(p.name) < 500)[:limit]


def measure(limit: int | None, out: str | None) -> None:
    rows, times = [], {"disc": [], "mel": [], "all": []}
    for song in tune_songs(limit):
        score = read_midi(song / f"{song.name}.mid")
        row = truth_row(song, score)
        offset = row["offset"]
        t0 = time.perf_counter()
        starts, longs = disc_cues(score)
        t1 = time.perf_counter()
        mel = finder_cue(score, "melody")
        t2 = time.perf_counter()
        every = finder_cue(score, "all")
        t3 = time.perf_counter()
        times["disc"].append(t1 - t0)
        times["mel"].append(t2 - t1)
        times["all"].append(t3 - t2)
        row["h16"] = {"disc_start": histogram(starts, offset), "disc_long": histogram(longs, offset),
                      "mel": histogram(mel, offset), "all": histogram(every, offset)}
        row["cue"] = {c: {"logshare": [round(v, 6) for v in feature(row["h16"][c])]} for c in CUES}
        rows.append(row)
    print(f"{len(rows)} tune songs; median ms a song (one pass, shared machine): "
          + ", ".join(f"{k} {1000 * statistics.median(v):.1f}" for k, v in times.items()))
    report(rows)
    if out:
        Path(out).write_text(json.dumps(rows) + "\n")


def report(rows: list[dict]) -> None:
    four = report_head(rows, ("starts a song (median)",))

    def acc(get) -> tuple[float, float]:
        return argmax_accuracy(four, get)

    for cue in CUES:
        n = statistics.median(sum(r["h16"][cue]) for r in four)
        print(f"| {cue} argmax | %.3f | %.3f | {n:.0f} |" % acc(lambda r, c=cue: r["cue"][c]["logshare"]))
    print("\nWhere the start histogram's mass lies, beats after the true downbeat (quarter-beat bins 0..15, summed over songs, share):")
    for cue in CUES:
        tot = np.zeros(16)
        for r in four:
            tot += np.roll(np.asarray(r["h16"][cue]), -4 * r["dominant_k"][0])
        print(f"  {cue}: " + " ".join(f"{v:.3f}" for v in tot / tot.sum()))
    steady = _steady(four)
    rk = np.array([int(np.argmax(r["ranker"])) in r["dominant_k"] for r in four])
    print(f"steady songs (>= 80% of beat_midi's marks on one phase, phase 7): {steady.mean():.3f} of these songs, "
          f"{steady[~rk].mean():.3f} of the ranker's {int((~rk).sum())} misses")
    for cue in CUES:
        rk = np.array([int(np.argmax(r["ranker"])) in r["dominant_k"] for r in four])
        rp = np.array([int(np.argmax(r["cue"][cue]["logshare"])) in r["dominant_k"] for r in four])
        off = [(int(np.argmax(r["cue"][cue]["logshare"])) - r["dominant_k"][0]) % 4 for r in four]
        same = np.array([int(np.argmax(r["cue"][cue]["logshare"])) == int(np.argmax(r["ranker"])) for r in four])
        print(f"{cue} vs ranker (dominant): both right {np.sum(rk & rp)}, ranker only {np.sum(rk & ~rp)}, "
              f"cue only {np.sum(~rk & rp)}, neither {np.sum(~rk & ~rp)} (of which on the ranker's wrong phase "
              f"{np.sum(~rk & ~rp & same)}); cue argmax minus truth (beats 0..3): {np.bincount(off, minlength=4).tolist()}")
        print(f"   steady share where the cue sits on the ranker's wrong phase: {steady[~rk & ~rp & same].mean():.3f}; "
              f"where the cue alone is right: {steady[~rk & rp].mean():.3f}")


def _steady(rows: list[dict]) -> np.ndarray:
    """Per song: do >= 80% of beat_midi's downbeat marks share one phase (phase 7's "steady" songs)?"""
    from meter import pop909_downbeats

    out = []
    for r in rows:
        song = DATA / "pop909" / r["song"]
        bar, downbeats, _ = pop909_downbeats(song, read_midi(song / f"{song.name}.mid"))
        phases = (np.round(downbeats % bar * 8) / 8) % bar
        out.append(np.max(np.unique(phases, return_counts=True)[1]) >= 0.8 * len(phases))
    return np.asarray(out)


def combine(rows: list[dict], folds: int) -> None:
    """Phase 24's combination (bias on each beat's log-odds before the Viterbi path, CV over variants)."""
    import phase_repetition_combine as prc  # benchmarks/

    prc.WEIGHTS = (0.3, 1.0, 3.0, 10.0)  # log-share spread over the 4 candidates: median 1.6-2.4 (the ranker's 7.0)
    for r in rows:  # combine reads row[which][key]: the 4-vector of one cue
        r["cue"] = {c: r["cue"][c]["logshare"] for c in CUES}
    prc.FEATURES = tuple(("cue", c) for c in CUES)
    prc.combine(rows, folds)


def logit(rows: list[dict], folds: int) -> None:
    """Path-free upper bound (phase 24's ``phase_repetition_logit.py`` fit): a conditional logit over the 4
    candidates on the ranker score plus, per cue, the log shares at the 4 beats relative to the candidate
    or the 16-bin start shares relative to it; argmax accuracy under 5-fold CV (dominant-phase target)."""
    from phase_repetition_logit import fit  # benchmarks/

    rows = [r for r in rows if r["dominant_k"]]
    y = np.array([r["dominant_k"][0] for r in rows])
    first_sets = [set(r["first_k"]) for r in rows]
    fold = np.arange(len(rows)) % folds

    def x_of(cues: tuple[str, ...], bins: int) -> np.ndarray:
        out = []
        for r in rows:
            cols = [np.asarray(r["ranker"], dtype=np.float64)[:, None]]
            for c in cues:
                if bins == 4:
                    v = np.asarray(r["cue"][c]["logshare"])
                    v = v - v.mean()
                else:
                    h = np.asarray(r["h16"][c])
                    v = h / max(h.sum(), 1.0)
                cols.append(np.stack([np.roll(v, -k * (bins // 4)) for k in range(4)]))
            out.append(np.concatenate(cols, axis=1))
        x = np.stack(out)
        return x / (x.reshape(-1, x.shape[2]).std(axis=0) + 1e-9)

    print(f"{len(rows)} tune songs (4/4, grid holds the dominant phase); target: dominant phase")
    print("| features | CV dominant | CV first mark |\n|---|---|---|")
    sets = [((), 4)] + [((c,), b) for c in CUES for b in (4, 16)] + [(CUES, 4), (CUES, 16)]
    for cues, bins in sets:
        x = x_of(cues, bins)
        pick = np.zeros(len(rows), dtype=int)
        for f in range(folds):
            w = fit(x[fold != f], y[fold != f])
            pick[fold == f] = np.argmax(x[fold == f] @ w, axis=1)
        first = np.mean([p in s for p, s in zip(pick, first_sets)])
        name = "ranker only" if not cues else f"+ {' + '.join(cues)} ({'log shares at 4 beats' if bins == 4 else '16-bin shares'})"
        print(f"| {name} | {np.mean(pick == y):.3f} | {first:.3f} |")


FINDER_VARIANTS = [dict(min_run=r, bar_lag=b, weighted=w) for r in (4, 8) for b in (False, True) for w in (False, True)]


def variants(rows: list[dict], folds: int) -> None:
    """The finder's settings (run length 4 / 8 tokens, any lag / whole-bar lags, each start once / weighted by
    its run), MELODY and all tracks: argmax alone, right where the ranker is wrong, and the path-free logit
    (ranker + the variant's log shares) under 5-fold CV. Exploratory: chosen on the same tune songs."""
    from phase_repetition_logit import fit  # benchmarks/

    four = [r for r in rows if r["dominant_k"]]
    scores = {r["song"]: read_midi(DATA / "pop909" / r["song"] / f"{r['song']}.mid") for r in four}
    y = np.array([r["dominant_k"][0] for r in four])
    first_sets = [set(r["first_k"]) for r in four]
    fold = np.arange(len(four)) % folds
    rk = np.array([int(np.argmax(r["ranker"])) for r in four])
    miss = rk != y
    print(f"{len(four)} songs; ranker argmax wrong on {int(miss.sum())}")
    print("| track | min run | whole-bar lags | weighted | argmax dominant | argmax first | right where ranker wrong "
          "| logit CV dominant | logit CV first |\n|---|---|---|---|---|---|---|---|---|")
    for which in ("melody", "all"):
        for opt in FINDER_VARIANTS:
            logs = []
            for r in four:
                on, wt = finder_weighted(scores[r["song"]], which, **opt)
                logs.append(feature(histogram(on, r["offset"], wt)))
            cue = np.asarray(logs)
            pick = np.argmax(cue, axis=1)
            dom, fst = np.mean(pick == y), np.mean([p in s for p, s in zip(pick, first_sets)])
            ranker = np.asarray([r["ranker"] for r in four], dtype=np.float64)[:, :, None]
            rolled = np.stack([np.stack([np.roll(c - c.mean(), -k) for k in range(4)]) for c in cue])
            x = np.concatenate([ranker, rolled], axis=2)  # as logit(): x[song, k] = ranker[k], cue at k + j
            x = x / (x.reshape(-1, x.shape[2]).std(axis=0) + 1e-9)
            lp = np.zeros(len(four), dtype=int)
            for f in range(folds):
                w = fit(x[fold != f], y[fold != f])
                lp[fold == f] = np.argmax(x[fold == f] @ w, axis=1)
            lf = np.mean([p in s for p, s in zip(lp, first_sets)])
            print(f"| {which} | {opt['min_run']} | {opt['bar_lag']} | {opt['weighted']} | {dom:.3f} | {fst:.3f} | "
                  f"{int(np.sum(pick[miss] == y[miss]))} of {int(miss.sum())} | {np.mean(lp == y):.3f} | {lf:.3f} |")


def opening(rows: list[dict]) -> None:
    """First mark from the opening alone: the all-tracks finder's starts within 16 / 32 / 64 beats of the
    first note, argmax of their log shares, against the shipped estimate's first mark (exploratory)."""
    four = [r for r in rows if r["dominant_k"]]
    picks: dict[int, list[tuple[int, int]]] = {16: [], 32: [], 64: []}
    for r in four:
        score = read_midi(DATA / "pop909" / r["song"] / f"{r['song']}.mid")
        on = finder_cue(score, "all")
        first_on = min(float(t.arrays()[0].min()) for t in score.pitched_tracks() if t.notes)
        for span, out in picks.items():
            sel = on[(on >= first_on) & (on < first_on + span)]
            out.append((int(np.argmax(feature(histogram(sel, r["offset"])))), len(sel)))
    est = np.array([r["est_first_ok"] for r in four])
    print("| opening span (beats) | songs with starts there | cue first mark | estimate first mark | cue right where "
          "the estimate is wrong | cue wrong where it is right |\n|---|---|---|---|---|---|")
    for span, out in picks.items():
        has = np.array([n > 0 for _, n in out])
        ok = np.array([p in r["first_k"] for (p, _), r in zip(out, four)])
        print(f"| {span} | {int(has.sum())} | {ok[has].mean():.3f} | {est[has].mean():.3f} | "
              f"{int((ok & ~est & has).sum())} of {int((~est & has).sum())} | {int((~ok & est & has).sum())} |")


def timing(songs: int, runs: int) -> None:
    """Median over ``runs`` passes of each cue's median ms a song, over the first ``songs`` tune songs."""
    scores = [read_midi(s / f"{s.name}.mid") for s in tune_songs(songs)]
    per = {"disc": [], "mel": [], "all": []}
    for _ in range(runs):
        t = {k: [] for k in per}
        for score in scores:
            for key, fn in (("disc", lambda: disc_cues(score)), ("mel", lambda: finder_cue(score, "melody")),
                            ("all", lambda: finder_cue(score, "all"))):
                t0 = time.perf_counter()
                fn()
                t[key].append(time.perf_counter() - t0)
        for k in per:
            per[k].append(statistics.median(t[k]))
    print(f"{len(scores)} songs x {runs} runs, ms a song (median of the runs' medians; runs): "
          + "; ".join(f"{k} {1000 * statistics.median(v):.2f} ({', '.join(f'{1000 * x:.2f}' for x in v)})"
                      for k, v in per.items()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=("measure", "report", "combine", "local", "logit", "variants", "opening", "time"))
    parser.add_argument("--limit", type=int)
    parser.add_argument("--json", default="benchmarks/meter-results/phase_figstart.json")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--songs", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.command == "measure":
        measure(args.limit, args.json)
    elif args.command == "report":
        report(json.loads(Path(args.json).read_text()))
    elif args.command == "combine":
        combine(json.loads(Path(args.json).read_text()), args.folds)
    elif args.command == "local":
        from phase_figstart_local import local  # benchmarks/

        local(json.loads(Path(args.json).read_text()), args.folds)
    elif args.command == "variants":
        variants(json.loads(Path(args.json).read_text()), args.folds)
    elif args.command == "opening":
        opening(json.loads(Path(args.json).read_text()))
    elif args.command == "logit":
        logit(json.loads(Path(args.json).read_text()), args.folds)
    else:
        timing(args.songs, args.runs)


if __name__ == "__main__":
    main()
