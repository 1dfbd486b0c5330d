"""One-off record (phase 7): note_variant.toml with seed 1, the seed check of benchmarks/phase7-varmodel7.md.

    PYTHONPATH=$PWD MOTIF_TRAINING_CACHE=/tmp/nm/cache nice -n 5 python benchmarks/results/note-variant-seed1.py
"""
import torch
from pathlib import Path
from training.config import load_config
from training.note_pipeline import pretraining_windows
from training.variant_pipeline import export, train
cfg = load_config("training/configs/note_variant.toml", {"seed": 1})
torch.set_num_threads(cfg.threads)
w = pretraining_windows(cfg)
out = Path("runs/note_variant_seed1")
print("train", train(cfg, out, w), flush=True)
print("parity", export(cfg, out, out / "model.onnx", w), flush=True)
