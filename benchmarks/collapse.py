"""Collapse check: effective rank of each run's latent on the validation bars.

Effective rank = exp(entropy of the normalised singular values) of the centred latents (Roy &
Vetterli 2007): 1 for a collapsed embedding, up to the latent size (128) for a fully spread one.

    python benchmarks/collapse.py cl vicreg vicreg_cl vicreg_cl_gentle
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import torch

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from training.config import load_config  # noqa: E402
from motifcli.encoding import render_rolls  # noqa: E402
from training.data import Split  # noqa: E402
from training.pipeline import load_encoder, split_bars  # noqa: E402


def effective_rank(x: np.ndarray) -> float:
    s = np.linalg.svd(x - x.mean(0), compute_uv=False)
    p = s / s.sum()
    p = p[p > 0]
    return float(np.exp(-(p * np.log(p)).sum()))


def main() -> None:
    torch.set_num_threads(2)
    split = Split.load()
    print("| run | stage | effective rank of the 128-d latent (val bars) |")
    print("|---|---|---|")
    for run in sys.argv[1:]:
        cfg = load_config(run)
        bars = split_bars(cfg, split.val)
        rolls = torch.from_numpy(render_rolls((b.notes for b in bars), cfg.encoding))
        stages = [s for s in ("pretrain", "finetune") if getattr(cfg, s).epochs > 0]
        for stage in stages:
            enc = load_encoder(cfg, REPO / "runs" / run, stage)
            with torch.no_grad():
                z = enc(rolls).numpy()
            print(f"| {run} | {stage} | {effective_rank(z):.1f} |")
    raw = render_rolls((b.notes for b in split_bars(load_config(sys.argv[1]), split.val)), load_config(sys.argv[1]).encoding)
    print(f"| raw roll | - | {effective_rank(raw.reshape(len(raw), -1)):.1f} (of 2688) |")


if __name__ == "__main__":
    main()
