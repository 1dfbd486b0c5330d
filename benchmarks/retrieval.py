"""The retrieval table of benchmarks/RESULTS.md: every run × (AUC-PR, mAP, P@1, P@5, P@10, train time).

Reads what ``python -m training evaluate -c RUN --split SPLIT`` left in ``runs/RUN/`` (metrics and
PR curves) and ``run.json`` (seconds per stage), prints a markdown table and draws all pooled PR
curves in one PNG.

    python benchmarks/retrieval.py --split test --runs cl vicreg vicreg_cl cl_res vicreg_cl_res
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from training.evaluate import plot_pr_curves  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", default="test")
    ap.add_argument("--runs", nargs="+", required=True)
    ap.add_argument("--runs-dir", type=Path, default=REPO / "runs")
    ap.add_argument("--png", type=Path, default=None)
    args = ap.parse_args()
    rows: dict[str, tuple[dict, float | None]] = {}
    curves: dict[str, tuple[np.ndarray, np.ndarray, float]] = {}
    for run in args.runs:
        folder = args.runs_dir / run
        metrics = json.loads((folder / f"metrics-{args.split}.json").read_text())["results"]
        info = folder / "run.json"
        secs = json.loads(info.read_text())["seconds"] if info.exists() else {}
        train = (secs.get("pretrain", 0.0) or 0.0) + (secs.get("finetune", 0.0) or 0.0)
        npz = np.load(folder / f"curves-{args.split}.npz")
        for name, scores in metrics.items():
            if name in rows and name in ("raw roll", "shifted roll"):
                continue
            if name.endswith("(after pretraining)"):
                label, t = f"{run.replace('_cl', '')} (pretrain stage of {run})", secs.get("pretrain")
            elif name in ("raw roll", "shifted roll"):
                label, t = name, None
            else:
                label, t = name, train
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
