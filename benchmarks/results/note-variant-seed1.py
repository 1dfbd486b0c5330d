"""One-off record (phase 7): a config of benchmarks/phase7-varmodel7.md rerun with seed 1 (the seed check).

    PYTHONPATH=$PWD MOTIF_TRAINING_CACHE=/tmp/nm/cache nice -n 5 python benchmarks/results/note-variant-seed1.py \
        [training/configs/note_variant.toml runs/note_variant_seed1]
    ... benchmarks/results/note-variant-seed1.py training/configs/note_variant_plainviews.toml runs/note_variant_plainviews_seed1
"""
import sys
from pathlib import Path

import torch

from training.config import load_config
from training.note_pipeline import pretraining_windows
from training.variant_pipeline import export, train

config, out_dir = (sys.argv[1:3] + ["training/configs/note_variant.toml", "runs/note_variant_seed1"][len(sys.argv[1:3]):])
cfg = load_config(config, {"seed": 1})
torch.set_num_threads(cfg.threads)
w = pretraining_windows(cfg)
out = Path(out_dir)
print("train", train(cfg, out, w), flush=True)
print("parity", export(cfg, out, out / "model.onnx", w), flush=True)
