"""Nested leave-one-piece-out of the tuning procedure: which discovery constants carry BPS tune's over-fit?

    PYTHONPATH=$PWD python -m benchmarks.loo_tuning [--corpus bps --split tune] [--only k1,k2] [--choose F_est]
        [--model] [--no-joint] [--out benchmarks/results/loo_tuning-bps-tune-F_est.json]

For every constant in ``GRID`` (DiscoverySettings fields the phases chose on BPS tune, a grid of 3-7 values
around today's default) each piece is scored once per value, the others at their defaults (cached per
(constant, value) under /tmp, keyed by the discovery code, so a rerun only scores what is new). Then, for
each held-out piece, each constant's value is chosen on the other pieces (best mean ``--choose``; ties go
to the default, then to the value nearest it in the grid) and the held-out piece is scored with it:

* per constant: the fold choices, the held-out mean of F_est / F_occ(.75) / F_3 (the constant's LOO
  estimate; equal to the defaults' when every fold keeps the default), and the in-sample best;
* the procedure: every constant set at once to its fold choice, the held-out piece discovered with that
  joint setting (one extra run per fold), against the same joint choice made and scored on all pieces.

Today's defaults are the grid's centres and were chosen on all pieces, so a fold's choice is not blind to
its held-out piece through the grid itself: the estimate is optimistic where the default is the choice.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import statistics
import time
from pathlib import Path

from benchmarks.discovery_errors import clean, fast_scores
from benchmarks.discovery_sweep import pieces
from motifcli.atomic import atomic_write_text
from motifcli.discovery import DiscoverySettings, discover

_REPO = Path(__file__).resolve().parent.parent
METRICS = ("F_est", "F_occ.75", "F_3", "P_est", "R_est")
SHOWN = ("F_est", "F_occ.75", "F_3")

# constant -> grid (today's default included); ordered roughly by the stage that uses it
GRID: dict[str, tuple] = {
    # candidates (core.py, candidates.py, patterns.py)
    "min_notes": (3, 4, 5, 6),
    "max_notes": (8, 10, 12, 14, 16),
    "max_beats": (4.0, 6.0, 8.0, 10.0, 12.0),
    "extend_share": (0.4, 0.5, 0.6, 0.7, 0.8),
    "oscillation_penalty": (0.5, 0.6, 0.7, 0.8, 0.9, 1.0),
    "opening_figure": (0.0, 0.3, 0.5, 0.7),
    # choice of families (families.py)
    "redundancy": (0.6, 0.7, 0.8, 0.9, 1.0),
    "max_families": (10, 15, 20, 25, 30, 40),
    "notes_per_family": (100.0, 150.0, 200.0, 250.0, 300.0, 400.0),
    "relative_salience": (0.0, 0.02, 0.05),
    "grown_redundancy": (0.7, 0.8, 0.9, 1.0),
    "subfigure": (0.0, 0.7, 0.8, 0.9, 1.0),
    "min_occurrences": (2, 3),
    # variants (align.py, families.py)
    "variant_tolerance": (0.6, 0.8, 1.0, 1.2, 1.5),
    "max_gaps": (0, 1, 2),
    "gap_cost": (0.25, 0.5, 0.75, 1.0),
    "exemplars": (4, 6, 8, 12, 16),
    "bar_position_crowd": (10, 15, 20, 30, 40),
    "bar_position_agree": (0.5, 0.6, 0.67, 0.75, 0.85),
    # extent (extent.py)
    "grow_share": (0.0, 0.2, 0.25, 0.33, 0.4, 0.5),
    "grow_max_notes": (16, 20, 24, 32),
    "grow_max_beats": (8.0, 12.0, 16.0, 24.0),
    "grow_rest": (0.25, 0.5, 1.0, 2.0),
    "grow_to_long": (0.0, 1.5, 2.0, 3.0, 4.0),
    "grow_from_long": (0.0, 3.0, 4.5, 6.0, 8.0, 12.0),
    "grow_vary": (0, 1, 2),
    # output filters (doubling.py, register.py)
    "doubled": (0.0, 0.3, 0.5, 0.7),
    "doubled_parallel": (0.0, 0.3, 0.5, 0.7),
    "buried": (0.0, 0.15, 0.25, 0.35, 0.5),
    "buried_top": (0.3, 0.5, 0.7),
    "buried_crowd": (10, 15, 20, 30),
    "buried_imitation": (0.0, 2.0, 4.0, 8.0),
    # salience and order (salience.py)
    "salience_discount": (0.0, 0.5, 1.0, 1.5, 2.0),
    "salience_length": (0.0, 0.15, 0.3, 0.45, 0.6),
    "salience_transposed": (0.0, 0.125, 0.25, 0.5),
    "order_opening": (0.0, 0.025, 0.05, 0.1, 0.2),
    "order_exact": (0.0, 0.5, 1.0, 1.5, 2.0),
    "order_own": (0.0, 0.5, 0.8, 0.98, 1.0),
    # short cells (cells.py)
    "short_cells": (0, 1, 2, 3, 4, 5),
    "cell_max_notes": (2, 3, 4),
    "cell_min_statements": (4, 5, 6, 8, 10),
    "cell_rest_share": (0.25, 0.5, 0.75, 1.0),
    "cell_redundancy": (0.3, 0.4, 0.5, 0.6, 0.7),
    "cell_neighbourhood": (0.0, 2.0, 4.0, 8.0),
    "cell_salience": (0.1, 0.2, 0.3, 0.5, 1.0),
    # texture (texture.py, texture_lead.py)
    "texture_similarity": (0.3, 0.35, 0.4, 0.45, 0.5),
    "texture_max_bars": (2, 3, 4, 6),
    "texture_voice_share": (0.5, 0.6, 0.7, 0.8, 0.9),
    "texture_covers_voice": (0.3, 0.4, 0.5, 0.6, 0.7),
    "texture_chord_share": (0.02, 0.05, 0.1, 0.2),
    "texture_family_chords": (0.02, 0.05, 0.1, 0.2),
    "texture_lead": (1.2, 1.5, 2.0, 3.0),
    "texture_lead_lines": (0.0, 0.8, 1.0, 1.5),
    "texture_lead_share": (0.0, 0.5, 0.75, 1.0),
    "texture_notes_per_family": (50.0, 75.0, 100.0, 150.0, 200.0),
    "texture_long_share": (0.2, 0.34, 0.5),
    # accompaniment figures (accompaniment.py, figuration.py)
    "accompaniment_below": (0.0, 6.0, 7.5, 9.0, 12.0),
    "accompaniment_lead": (3, 4, 5, 7),
    "accompaniment_even": (0.7, 0.8, 0.9, 1.0),
    "accompaniment_pivot": (0, 2, 3, 4),
    "accompaniment_above": (0.0, 0.3, 0.5, 0.7),
    "figuration_in_place": (0.0, 0.3, 0.4, 0.5, 0.6),
    # rules on or off, and the choices between ways (the phases chose these on the same pieces too)
    "drop_open_at_cap": (True, False),
    "extend_kept": ("empty", "always", "off"),
    "grow_all": (True, False),
    "keep_inserted": (True, False),
    "use_variants": (True, False),
    "bass_voice": (True, False),
    "diatonic_keys": (True, False),
    "bar_position": ("off", "bar", "half", "beat"),
    "buried_varied": (True, False),
    "cell_closed": (True, False),
    "cell_longest_first": (True, False),
    "cell_free_statements": (True, False),
    "cell_free_of_lines": (True, False),
    "cell_notated_only": (True, False),
    "texture": (True, False),
    "texture_coarse": (True, False),
    "texture_merge_runs": (True, False),
    "texture_bar_runs": (True, False),
    "texture_other_lines": (True, False),
    "texture_staves": (True, False),
    "texture_line_rules": ("alone", "always"),
    "staff_voices": ("alone", "all", "off"),
    "separate_lines": (True, False),
    "accompaniment_even_on": ("core", "grown"),
}


def _code_tag(corpus: str, split: str) -> str:
    """The discovery and reading code and the split: a cache written by other code is never read."""
    digest = hashlib.sha1(f"{corpus}/{split}".encode())
    for path in sorted((_REPO / "motifcli").rglob("*.py")):
        digest.update(path.read_bytes())
    digest.update((_REPO / "benchmarks" / "discovery_errors.py").read_bytes())
    return digest.hexdigest()[:10]


def spec(field: str, value: object) -> str:
    return f"{field}={value}"


class Scorer:
    """Per-piece fast scores of settings overrides on one split, cached in a JSON file per code version."""

    def __init__(self, corpus: str, split: str, model: object | None = None) -> None:
        ps = [p for p in pieces(corpus, split) if clean(p.patterns)]  # MTC-ANN has unlabelled songs
        self.model = model
        self.names = [p.name for p in ps]
        self._pieces = ps
        self._refs = [clean(p.patterns) for p in ps]
        self.path = Path(f"/tmp/loo_tuning-{_code_tag(corpus, split)}{'-model' if model else ''}.json")
        self.cache: dict[str, list[dict[str, float]]] = (
            json.loads(self.path.read_text()) if self.path.exists() else {})

    def piece(self, i: int, overrides: dict[str, object]) -> dict[str, float]:
        """Scores of piece ``i`` with ``overrides`` (not cached: the joint settings of one fold)."""
        settings = dataclasses.replace(DiscoverySettings(), **overrides)
        found = discover(self._pieces[i].score, self.model, settings=settings)
        r = fast_scores(clean([[o.points() for o in f.occurrences] for f in found]), self._refs[i])
        return {m: float(r[m]) for m in METRICS}

    def all(self, key: str, overrides: dict[str, object]) -> list[dict[str, float]] | None:
        """Scores of every piece with ``overrides``, cached under ``key``; None when the settings fail."""
        if key not in self.cache:
            try:
                self.cache[key] = [self.piece(i, overrides) for i in range(len(self.names))]
            except Exception as exc:  # a grid value the code refuses: not a choice
                print(f"  {key}: {type(exc).__name__}: {exc}", flush=True)
                self.cache[key] = []
            atomic_write_text(self.path, json.dumps(self.cache))
        return self.cache[key] or None


def val(row: dict[str, float], m: str) -> float:
    """One piece's metric ``m``; "mean3" is the mean of F_est, F_occ(.75) and F_3 (a choice that weighs all three)."""
    return statistics.fmean(row[k] for k in SHOWN) if m == "mean3" else row[m]


def mean(rows: list[dict[str, float]], m: str, idx: list[int]) -> float:
    return statistics.fmean(val(rows[i], m) for i in idx)


def choose(grid: tuple, default: object, scores: dict[object, list[dict[str, float]]], m: str,
           idx: list[int]) -> object:
    """The grid value with the best mean ``m`` over pieces ``idx``; ties: the default, then the nearest to it."""
    centre = grid.index(default)
    return max(scores, key=lambda v: (round(mean(scores[v], m, idx), 9), v == default, -abs(grid.index(v) - centre)))


def constant_report(field: str, scores: dict[object, list[dict[str, float]]], default: object, n: int,
                    m: str) -> dict:
    """Fold choices and held-out scores of one constant (chosen on ``m``), and its in-sample shape."""
    grid = GRID[field]
    folds = []
    for i in range(n):
        rest = [k for k in range(n) if k != i]
        v = choose(grid, default, scores, m, rest)
        folds.append({"held_out": i, "value": v, **{k: scores[v][i][k] for k in SHOWN}})
    everything = list(range(n))
    best = choose(grid, default, scores, m, everything)
    in_sample = {str(v): {k: mean(scores[v], k, everything) for k in (*SHOWN, m)} for v in grid if v in scores}
    d = in_sample[str(default)][m]
    others = sorted((in_sample[str(v)][m] for v in grid if v in scores and v != default), reverse=True)
    neighbours = [grid[j] for j in (grid.index(default) - 1, grid.index(default) + 1) if 0 <= j < len(grid)]
    return {
        "field": field, "default": default, "grid": list(grid), "folds": folds,
        "loo": {k: statistics.fmean(f[k] for f in folds) for k in SHOWN},
        "best_in_sample": best, "in_sample": in_sample,
        "spread": max(row[m] for row in in_sample.values()) - min(row[m] for row in in_sample.values()),
        "margin": d - others[0] if others else 0.0,  # default minus the best other value (>0: default on top)
        "neighbour_drop": min((d - in_sample[str(v)][m] for v in neighbours if v in scores), default=0.0),
        "distinct_choices": len({str(f["value"]) for f in folds}),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default="bps")
    ap.add_argument("--split", default="tune")
    ap.add_argument("--only", default="", help="comma-separated constants (default: all of GRID)")
    ap.add_argument("--choose", default="F_est", help="the metric a fold chooses on (F_est, F_occ.75, F_3, mean3: their mean)")
    ap.add_argument("--out", default="", help="JSON report (default benchmarks/results/loo_tuning-CORPUS-SPLIT-METRIC.json)")
    ap.add_argument("--no-joint", action="store_true", help="skip the joint (procedure) runs")
    ap.add_argument("--model", action="store_true", help="pass the shipped model (the product default on POP909)")
    args = ap.parse_args()
    fields = [f for f in (args.only.split(",") if args.only else GRID)]
    default = DiscoverySettings()
    model = None
    if args.model:
        import motifcli

        model = motifcli.load_model()
    sc = Scorer(args.corpus, args.split, model)
    n = len(sc.names)
    base = sc.all("", {})
    t0 = time.time()
    per_field: dict[str, dict[object, list[dict[str, float]]]] = {}
    for field in fields:
        d = getattr(default, field)
        assert d in GRID[field], f"{field}: default {d} not in its grid"
        per_field[field] = {}
        for v in GRID[field]:
            rows = base if v == d else sc.all(spec(field, v), {field: v})
            if rows:
                per_field[field][v] = rows
        print(f"scored {field} ({time.time() - t0:.0f} s)", flush=True)
    reports = [constant_report(f, per_field[f], getattr(default, f), n, args.choose) for f in fields]
    base_mean = {k: mean(base, k, list(range(n))) for k in SHOWN}
    print(f"\n{args.corpus} {args.split}, {n} pieces; defaults in-sample "
          + " / ".join(f"{base_mean[k]:.3f}" for k in SHOWN) + f"; folds choose on {args.choose}\n")
    print("| constant | default | fold choices (" + ", ".join(sc.names) + ") | distinct | in-sample best "
          f"| spread {args.choose} | default margin | LOO F_est | LOO F_occ(.75) | LOO F_3 |")
    print("|---" * 10 + "|")
    for r in sorted(reports, key=lambda r: r["loo"]["F_est"] if args.choose == "mean3" else r["loo"][args.choose]):
        print(f"| `{r['field']}` | {r['default']} | " + " ".join(str(f["value"]) for f in r["folds"])
              + f" | {r['distinct_choices']} | {r['best_in_sample']} | {r['spread']:.3f} | {r['margin']:+.3f} | "
              + " | ".join(f"{r['loo'][k]:.3f}" for k in SHOWN) + " |")
    joint = None
    if not args.no_joint:
        joint = joint_report(sc, reports, n, args.choose)
        print(f"\nprocedure (every constant at its fold choice at once), held-out: "
              + " / ".join(f"{joint['loo'][k]:.3f}" for k in SHOWN)
              + "; the same joint choice made and scored on all pieces: "
              + " / ".join(f"{joint['in_sample'][k]:.3f}" for k in SHOWN))
        for f in joint["folds"]:
            print(f"  held out {sc.names[f['held_out']]}: changed {f['changed'] or '-'} -> "
                  + " / ".join(f"{f[k]:.3f}" for k in SHOWN) + "  (defaults "
                  + " / ".join(f"{base[f['held_out']][k]:.3f}" for k in SHOWN) + ")")
    out = Path(args.out or _REPO / "benchmarks" / "results" / f"loo_tuning-{args.corpus}-{args.split}-{args.choose}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"corpus": args.corpus, "split": args.split, "pieces": sc.names, "choose": args.choose,
                               "defaults": base_mean, "defaults_per_piece": base, "constants": reports,
                               "joint": joint}, indent=1, default=str))
    print(f"\nwrote {out}")


def joint_report(sc: Scorer, reports: list[dict], n: int, m: str) -> dict:
    """The one-at-a-time procedure applied at once: per fold, every constant at its fold choice."""
    default = DiscoverySettings()
    folds = []
    for i in range(n):
        changed = {r["field"]: r["folds"][i]["value"] for r in reports
                   if r["folds"][i]["value"] != getattr(default, r["field"])}
        folds.append({"held_out": i, "changed": changed, **sc.piece(i, changed)})
    whole = {r["field"]: r["best_in_sample"] for r in reports if r["best_in_sample"] != getattr(default, r["field"])}
    rows = sc.all("joint:" + " ".join(f"{k}={v}" for k, v in sorted(whole.items())), whole) or []
    return {"folds": folds, "loo": {k: statistics.fmean(f[k] for f in folds) for k in SHOWN},
            "in_sample_changed": whole,
            "in_sample": {k: mean(rows, k, list(range(n))) for k in SHOWN} if rows else {}}


if __name__ == "__main__":
    main()
