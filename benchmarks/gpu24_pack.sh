#!/usr/bin/env bash
# Phase 24: what training/gpu_phase24.sh needs on a lent GPU machine that the repository does not carry
# (benchmarks/phase24-gpu24.md). Both folders are ignored by git and named in the device tool's `carry`.
#   .devdata/  POP909 MIDI and beat_midi.txt of every song, the motif labels (MIT; 18 MB), and the
#              pretraining-bar cache (training.pipeline.pretraining_bars), so the GPU machine parses no
#              unlabelled song; MOTIF_DATA and MOTIF_TRAINING_CACHE point there.
#   .whl/      mido, the one runtime dependency the GPU machine's Python (3.12) lacks.
# TEACHER=<folder holding a run's finetune-epoch*.slim.pt> also copies those float16 weights to
# .devdata/teacher/<folder name> (phase 25: TEACHER=/work/gpu24/runs/paper_long_s0, 9.2 MB).
set -eu
src=$(PYTHONPATH=$PWD python3 -c "from training.datafolder import data_root; print(data_root())")
rm -rf .devdata && mkdir -p .devdata/pop909 .devdata/cache
( cd "$src" && find pop909 \( -name '*.mid' -o -name beat_midi.txt \) -print0 | tar --null -T - -cf - ) | tar -xf - -C .devdata
cp -r "$src/pop909_motif_labels" .devdata/
PYTHONPATH=$PWD MOTIF_TRAINING_CACHE=$PWD/.devdata/cache ${PY:-python3} -c "
from training.config import load_config
from training.data import Split
from training.pipeline import pretraining_bars
print(len(pretraining_bars(load_config('motif_default'), Split.load())), 'pretraining bars cached')"
mkdir -p .whl && python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
  --platform manylinux2014_x86_64 -d .whl mido==1.3.3
if [ -n "${TEACHER:-}" ]; then
  mkdir -p ".devdata/teacher/$(basename "$TEACHER")" && cp "$TEACHER"/finetune-epoch*.slim.pt ".devdata/teacher/$(basename "$TEACHER")/"
fi
du -sh .devdata .whl
