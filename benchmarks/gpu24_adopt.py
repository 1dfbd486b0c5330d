"""Phase 24: how exported_models/motif-default.onnx 0.2.0 was made from the GPU run's student.

The student (``runs/distil_long/student.onnx`` of the lent GPU machine: training/gpu_phase24.sh's
distillation, teacher ``paper_long`` seed 0) is copied, its grouping threshold calibrated with the
shipped recipe on the 10 POP909 val songs (``training.calibrate.calibrate_model``: highest mean ARI;
0.50), and its card completed: version 0.2.0, the training data of student and teacher (the card the
GPU machine wrote named music21 parts that distil_paper.toml does not use: fixed in training/distil.py),
and the teacher named by run, config and seed. Weights are not touched.

    python -m benchmarks.gpu24_adopt /work/gpu24/runs/distil_long/student.onnx exported_models/motif-default.onnx
"""

from __future__ import annotations

import argparse
import shutil
import sys
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

VERSION = "0.2.0"
BARS = 47577  # the distillation's bars (benchmarks/results/gpu24/distil_long/distil.json, "bars")
TEACHER = ("paper_long seed 0 (training/configs/paper_long.toml: 6 layers, d_model 256, 8 heads, ff 1024, 4.8M "
           "parameters; 100 VICReg epochs then the shipped triplet fine-tune; trained on a lent H200, "
           "benchmarks/phase24-gpu24.md)")


def main(argv: list[str] | None = None) -> int:
    from training.calibrate import calibrate_model
    from training.config import load_config
    from training.data import Split
    from training.distil import load_distil_config, student_training_data
    from training.export import read_card, write_card
    from training.export_run import run_card

    ap = argparse.ArgumentParser(prog="python -m benchmarks.gpu24_adopt", description=__doc__.split("\n\n")[0])
    ap.add_argument("student", type=Path)
    ap.add_argument("output", type=Path)
    args = ap.parse_args(argv)
    tmp = args.output.with_suffix(".adopt.onnx")
    shutil.copyfile(args.student, tmp)
    threshold = calibrate_model(tmp, list(Split.load().val))
    card = read_card(tmp)
    teacher = run_card(load_config("paper_long"), Split.load())
    data = student_training_data(load_distil_config("distil_paper"), teacher, BARS)
    write_card(tmp, replace(card, version=VERSION, training_data=data, source_model=TEACHER))
    tmp.replace(args.output)
    print(f"wrote {args.output}: grouping_threshold {threshold:.2f}, version {VERSION}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
