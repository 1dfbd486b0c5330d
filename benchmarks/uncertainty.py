"""How sure are the discovery figures? Bootstrap intervals over pieces, from the committed per-piece results.

The BPS and POP909 splits hold 8-30 pieces, so a mean moves by several hundredths when one piece changes. This
reads the per-piece rows that ``benchmarks.discovery_eval`` wrote (``benchmarks/results/<method>-<corpus>-<split>.json``)
and reports, per figure, the mean with a 95% percentile-bootstrap interval over pieces (resampling pieces with
replacement), and for two methods scored on the same pieces the paired difference with its interval and the share
of resamples in which it is above zero. Nothing is rescored: the intervals describe the committed numbers.

    python -m benchmarks.uncertainty            # prints the markdown tables of benchmarks/UNCERTAINTY.md
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results"
FIGURES = ("F_est", "F_occ.75", "F_3")
RESAMPLES = 10_000
SEED = 0


def per_piece(name: str) -> dict[str, dict[str, float]]:
    """piece -> figure -> value, from results/<name>.json (as discovery_eval wrote it); names joined by '+' pool files."""
    table: dict[str, dict[str, float]] = {}
    for part in name.split("+"):
        rows = json.loads((RESULTS / f"{part}.json").read_text())["per_piece"]
        table.update({row["piece"]: {f: float(row[f]) for f in FIGURES} for row in rows})
    return table


def exists(name: str) -> bool:
    """Every result file a (possibly '+'-pooled) name needs is there."""
    return all((RESULTS / f"{part}.json").exists() for part in name.split("+"))


def label(name: str) -> str:
    """A pooled name shortened: 'discovery-bps-tune+discovery-bps-test' -> 'discovery-bps-{tune,test}'."""
    parts = name.split("+")
    if len(parts) == 1:
        return name
    stem = parts[0].rsplit("-", 1)[0]
    if all(p.rsplit("-", 1)[0] == stem for p in parts):
        return stem + "-{" + ",".join(p.rsplit("-", 1)[1] for p in parts) + "}"
    return name


def resample_indices(n: int, rng: np.random.Generator) -> np.ndarray:
    """RESAMPLES x n piece indices drawn with replacement: one row per bootstrap replicate."""
    return rng.integers(0, n, size=(RESAMPLES, n))


def interval(values: Sequence[float], idx: np.ndarray) -> tuple[float, float, float, float]:
    """Mean, 2.5th and 97.5th percentiles of the resampled means, and the share of resampled means above zero."""
    v = np.asarray(values, dtype=float)
    means = v[idx].mean(axis=1)
    lo, hi = np.percentile(means, [2.5, 97.5])
    return float(v.mean()), float(lo), float(hi), float((means > 0).mean())


def one_method(name: str, targets: dict[str, float] | None = None) -> list[str]:
    """Markdown rows: figure | mean | 95% interval | share of resamples at or above the target."""
    table = per_piece(name)
    pieces = sorted(table)
    idx = resample_indices(len(pieces), np.random.default_rng(SEED))
    rows = []
    for f in FIGURES:
        values = [table[p][f] for p in pieces]
        mean, lo, hi, _ = interval(values, idx)
        cell = ""
        if targets and f in targets:
            means = np.asarray(values)[idx].mean(axis=1)
            cell = f"{(means >= targets[f]).mean():.3f} (target {targets[f]:.2f})"
        rows.append(f"| {label(name)} ({len(pieces)}) | {f} | {mean:.3f} | {lo:.3f} - {hi:.3f} | {cell} |")
    return rows


def paired(a: str, b: str) -> list[str]:
    """Markdown rows: a - b on the pieces both scored, with its interval and the share of resamples above zero."""
    ta, tb = per_piece(a), per_piece(b)
    pieces = sorted(set(ta) & set(tb))
    idx = resample_indices(len(pieces), np.random.default_rng(SEED))
    rows = []
    for f in FIGURES:
        diff = [ta[p][f] - tb[p][f] for p in pieces]
        mean, lo, hi, above = interval(diff, idx)
        wins = sum(d > 0 for d in diff)
        losses = sum(d < 0 for d in diff)
        rows.append(f"| {label(a)} - {label(b)} ({len(pieces)}) | {f} | {mean:+.3f} | {lo:+.3f} - {hi:+.3f} | {above:.3f} | "
                    f"{wins} / {losses} |")
    return rows


BPS_TARGETS = {"F_est": 0.70, "F_occ.75": 0.45, "F_3": 0.35}


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.uncertainty", description=__doc__.split("\n")[0])
    ap.parse_args(argv)
    print("| result file (pieces) | figure | mean | 95% bootstrap interval | share of resamples >= target |")
    print("|---|---|---|---|---|")
    for name, targets in (("discovery-bps-tune", BPS_TARGETS), ("discovery-bps-test", BPS_TARGETS),
                          ("discovery-bps-tune+discovery-bps-test", BPS_TARGETS),
                          ("discovery-pop909-val", None), ("discovery-pop909-test", None),
                          ("discovery-pop909-train", None)):
        if exists(name):
            print("\n".join(one_method(name, targets)))
    print()
    print("| paired difference (pieces) | figure | mean | 95% bootstrap interval | share of resamples > 0 | pieces up / down |")
    print("|---|---|---|---|---|---|")
    pairs = [(f"discovery-pop909-{split}", f"shipped-pop909-{split}") for split in ("val", "test", "train")]
    pairs.append(("+".join(a for a, _ in pairs), "+".join(b for _, b in pairs)))
    for a, b in pairs:
        if exists(a) and exists(b):
            print("\n".join(paired(a, b)))


if __name__ == "__main__":
    main()
