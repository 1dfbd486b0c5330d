"""POP909 development loop for texture families: per-song discovery vs the bar grouping, and fast sweeps.

    PYTHONPATH=$PWD python -m benchmarks.pop_texture_loop --splits val train [--set key=value ...] [--per-song]
    PYTHONPATH=$PWD python -m benchmarks.pop_texture_loop --splits val train --dump   # one line per family

Runs ``discover(score, LazyModel(), DiscoverySettings(**set))`` (the product's ``--method discovery``)
on the labelled POP909 songs of the given splits (never ``test``) and scores each song with
``discovery_errors.fast_scores`` (mir_eval.pattern's formulas, checked against ``discovery_eval``).
``--shipped`` scores the bar grouping from a ``discovery_eval`` result file instead of re-running it.
``--dump`` prints, per reported family: kind (T texture / v voice), track, occurrences, notes per
occurrence, bars per occurrence, best establishment against the references; and per reference:
its occurrences' lengths in bars and its best establishment by any family.
For tuning only: reported figures come from ``discovery_eval`` (mir_eval itself).
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import time
from pathlib import Path

from benchmarks.discovery_errors import establishment, fast_scores
from benchmarks.discovery_sweep import parse_set
from benchmarks.motif_corpora import load_corpus
from motifcli.discovery import DiscoverySettings, discover

CACHE = Path("/tmp/motif-pop-texture-loop")


def pieces(split: str) -> list:
    """The labelled songs of ``split`` (pickled once: reading 40 songs costs more than discovering them)."""
    if split == "test":
        raise SystemExit("the test split is scored once by the integrator, not in this loop")
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{split}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    out = load_corpus("pop909", split)
    path.write_bytes(pickle.dumps(out))
    return out


def points(family) -> list:
    return [o.points() for o in family.occurrences]


def run(splits: list[str], settings: DiscoverySettings, model: object | None, dump: bool = False,
        only: list[str] | None = None) -> dict[str, dict]:
    """Per song: fast scores (F_est, P_est, R_est, F_occ.75, F_3) and the family count."""
    out: dict[str, dict] = {}
    for split in splits:
        for piece in pieces(split):
            if only and piece.name not in only:
                continue
            fams = discover(piece.score, model, settings)
            est = [points(f) for f in fams]
            s = fast_scores(est, piece.patterns) if est else dict.fromkeys(("F_est", "F_occ.75", "F_3"), 0.0)
            out[piece.name] = {**s, "fams": len(fams), "split": split}
            if dump:
                _dump(piece, fams)
    return out


def _bars(score, occ_points: list) -> float:
    starts = score.meter_map.starts
    import numpy as np

    on = [p[0] for p in occ_points]
    a = int(np.searchsorted(starts, min(on) + 0.05, side="right"))
    b = int(np.searchsorted(starts, max(on) + 0.05, side="right"))
    return b - a + 1


def _dump(piece, fams) -> None:
    print(f"== {piece.name}")
    for r, ref in enumerate(piece.patterns):
        best = max((establishment(ref, points(f)) for f in fams), default=0.0)
        bars = [_bars(piece.score, o) for o in ref]
        print(f"  ref {r}: occ={len(ref)} notes={statistics.median(map(len, ref)):.0f} bars={bars} best_est={best:.2f}")
    for k, f in enumerate(fams):
        kind = "T" if f.is_texture else "v"
        trk = piece.score.tracks[f.occurrences[0].notes[0].track].name
        est = max((establishment(ref, points(f)) for ref in piece.patterns), default=0.0)
        bars = [_bars(piece.score, o.points()) for o in f.occurrences]
        print(f"  {f.label} {kind} {trk:6s} occ={len(f.occurrences):2d} per={f.notes_per_occurrence:3d} "
              f"bars={bars} sal={f.salience:.3f} est={est:.2f}")


def summary(rows: dict[str, dict], label: str) -> None:
    for split in sorted({r["split"] for r in rows.values()}):
        sub = [r for r in rows.values() if r["split"] == split]
        m = {k: statistics.fmean(r[k] for r in sub) for k in ("F_est", "F_occ.75", "F_3", "fams")}
        print(f"{label:40s} {split:5s} ({len(sub)}) F_est {m['F_est']:.3f} F_occ {m['F_occ.75']:.3f} "
              f"F_3 {m['F_3']:.3f} fams {m['fams']:.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--splits", nargs="+", default=["val", "train"])
    ap.add_argument("--set", nargs="*", default=[])
    ap.add_argument("--no-model", action="store_true", help="discovery-nomodel (texture bars by their points)")
    ap.add_argument("--per-song", action="store_true")
    ap.add_argument("--dump", action="store_true")
    ap.add_argument("--pieces", nargs="*", help="only these songs (of the given splits)")
    ap.add_argument("--save", type=Path, help="write the per-song rows (JSON) here")
    args = ap.parse_args()
    settings = DiscoverySettings(**parse_set(args.set))
    model = None
    if not args.no_model:
        from motifcli.model import LazyModel

        model = LazyModel()
    t0 = time.perf_counter()
    rows = run(args.splits, settings, model, args.dump, args.pieces)
    if args.per_song:
        for name, r in sorted(rows.items()):
            print(f"{name} {r['split']:5s} F_est {r['F_est']:.3f} F_occ {r['F_occ.75']:.3f} F_3 {r['F_3']:.3f} "
                  f"fams {r['fams']}")
    summary(rows, " ".join(args.set) or "defaults")
    if args.save:
        import json

        args.save.write_text(json.dumps(rows, indent=1))
    print(f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
