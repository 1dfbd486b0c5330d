"""The retrieval table of benchmarks/RESULTS.md: every run × (AUC-PR, mAP, P@1, P@5, P@10, train time).

Reads what ``python -m training evaluate -c RUN --split SPLIT`` left in ``runs/RUN/`` (metrics and
PR curves) and ``run.json`` (seconds per stage), prints a markdown table and draws all pooled PR
curves in one PNG.

    python benchmarks/retrieval.py --split test --runs cl vicreg vicreg_cl cl_res vicreg_cl_res
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from training.evaluate import BASELINES, plot_pr_curves  # noqa: E402


def stage_seconds(folder: Path, stage: str) -> float:
    """Wall seconds a stage took in this run folder, from its log.csv (0 when it did not run here)."""
    log = folder / "log.csv"
    if not log.exists():
        return 0.0
    rows = [r for r in csv.DictReader(log.open()) if r["stage"] == stage]
    return float(rows[-1]["seconds"]) if rows else 0.0


def has_pretrain(run: str) -> bool:
    from training.config import load_config

    return load_config(run).pretrain.epochs > 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", default="test")
    ap.add_argument("--runs", nargs="+", required=True)
    ap.add_argument("--runs-dir", type=Path, default=REPO / "runs")
    ap.add_argument("--png", type=Path, default=None)
    ap.add_argument("--shared-pretrain", default="vicreg_cl",
                    help="run whose pretraining the runs with copied pretrain checkpoints share (for train time)")
    args = ap.parse_args()
    rows: dict[str, tuple[dict, float | None]] = {}
    curves: dict[str, tuple[np.ndarray, np.ndarray, float]] = {}
    seen: set[tuple] = set()
    shared = stage_seconds(args.runs_dir / args.shared_pretrain, "pretrain")
    for run in args.runs:
        folder = args.runs_dir / run
        metrics = json.loads((folder / f"metrics-{args.split}.json").read_text())["results"]
        pre = stage_seconds(folder, "pretrain") or (shared if has_pretrain(run) else 0.0)
        fine = stage_seconds(folder, "finetune")
        npz = np.load(folder / f"curves-{args.split}.npz")
        for name, scores in metrics.items():
            key = tuple(round(v, 6) for v in scores.values())
            if key in seen:
                continue  # the same encoder reached twice (shared pretraining, baselines in every run)
            seen.add(key)
            if name.endswith("(after pretraining)"):
                label, t = f"{run}: after VICReg pretraining only", pre
            elif name in BASELINES:
                label, t = name, None
            else:
                label, t = name, pre + fine
            rows[label] = (scores, t)
            curves[label] = (npz[f"{name}|precision"], npz[f"{name}|recall"], scores["auc_pr"])
    print(f"| run ({args.split} songs) | AUC-PR | mAP | P@1 | P@5 | P@10 | train time |")
    print("|---|---|---|---|---|---|---|")
    for label, (s, t) in rows.items():
        tt = "untrained" if t is None else f"{t / 60:.1f} min"
        print(f"| {label} | {s['auc_pr']:.4f} | {s['map']:.4f} | {s['p_at_1']:.3f} | {s['p_at_5']:.3f} | "
              f"{s['p_at_10']:.3f} | {tt} |")
    png = args.png or REPO / "benchmarks" / f"pr-curves-{args.split}.png"
    plot_pr_curves(curves, png, f"Motif retrieval, POP909 {args.split} songs (pooled PR)")
    print(f"\nPR curves: {png.relative_to(REPO)}")


if __name__ == "__main__":
    main()
