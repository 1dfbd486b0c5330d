#!/usr/bin/env bash
# Phase 24 (issue 10 item 2): the paper-size bar encoder on a lent GPU, its ablations, seeds and a
# student of the shipped size distilled from it. Write-up and every command: benchmarks/phase24-gpu24.md.
#
# Runs from the repository root. Needs .devdata/ (POP909 MIDI and beat files, the motif labels, and
# the pretraining-bar cache in .devdata/cache) and .whl/ (mido, which the GPU machine lacks), both
# made by benchmarks/gpu24_pack.sh and ignored by git. Everything that comes back is under $OUT:
# logs, retrieval metrics (val and test, scored by training.pipeline.evaluate on the GPU machine's
# CPU) and float16 encoder weights (training/slim.py), as one tar split into 15 MB parts.
#
#   DRY=1 OUT=/tmp/gpu24 bash training/gpu_phase24.sh     # here, on the CPU: 2 steps an epoch
#   SET=phase25 BUDGET=470 bash training/gpu_phase24.sh    # phase 25's runs (jobs_phase25; benchmarks/phase25-gpu25.md)
#
# BUDGET (seconds, default 360) bounds the training jobs: what has not finished by then is killed and
# the rest is packed and returned all the same, so one slow run cannot cost the lease's results.
set -u
OUT=${OUT:-/tmp/gpu24-out}
DRY=${DRY:-0}
BUDGET=${BUDGET:-360}
mkdir -p "$OUT" runs/cfg runs/logs
if ls .whl/*.whl >/dev/null 2>&1 && ! python3 -c "import mido" 2>/dev/null; then
  python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site .whl/*.whl || exit 1
  export PYTHONPATH=/tmp/site
fi
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH} MOTIF_DATA=$PWD/.devdata MOTIF_TRAINING_CACHE=$PWD/.devdata/cache PYTHONUNBUFFERED=1
PY=${PY:-python3}
{ nvidia-smi || true; $PY -c "import torch; print(torch.__version__, torch.cuda.is_available())"; } >runs/logs/env.txt 2>&1

# a copy of a config under a new name and seed (DRY: every stage 1 epoch of 2 steps)
config() {  # name base seed
  sed -e "s/^name = .*/name = \"$1\"/" -e "s/^seed = .*/seed = $3/" "training/configs/$2.toml" >"runs/cfg/$1.toml"
  if [ "$DRY" = 1 ]; then
    sed -i -e 's/^epochs = [1-9][0-9]*/epochs = 1/' -e 's/^steps_per_epoch = .*/steps_per_epoch = 2/' -e 's/^steps = .*/steps = 4/' "runs/cfg/$1.toml"
  fi
}

# train, score on val and test, slim the last weights of each stage; with "noskip", the paper's pure
# rows too (the same checkpoints scored without the roll skip)
stages() {  # name base seed [noskip]
  local c=runs/cfg/$1.toml r=runs/$1 ck s
  $PY -m training pretrain -c "$c" --out "$r" --quiet --device auto || return 1
  $PY -m training finetune -c "$c" --out "$r" --quiet --device auto || return 1
  if [ "${EVAL:-1}" = 1 ]; then  # EVAL=0: scored afterwards on the CPU (phase 27), so the lease trains only
    for s in val test; do $PY -m training evaluate -c "$c" --out "$r" --split $s >/dev/null || return 1; done
  fi
  for s in pretrain finetune; do
    ck=$(ls "$r"/checkpoints/$s-epoch*.pt 2>/dev/null | sort -V | tail -1)
    [ -z "$ck" ] || $PY -m training.slim slim "$ck" "$r/$(basename "$ck" .pt).slim.pt" --config "$c" || return 1
  done
  if [ "${4:-}" = noskip ]; then
    sed -e 's/^residual_roll = .*/residual_roll = 0.0/' -e "s/^name = .*/name = \"$1_noskip\"/" "$c" >"runs/cfg/$1_noskip.toml"
    mkdir -p "runs/$1_noskip" && ln -sfn "../$1/checkpoints" "runs/$1_noskip/checkpoints"
    for s in val test; do $PY -m training evaluate -c "runs/cfg/$1_noskip.toml" --out "runs/$1_noskip" --split $s >/dev/null || return 1; done
  fi
}

train() {
  config "$1" "$2" "$3"
  stages "$@" >"runs/logs/$1.log" 2>&1 && echo "done $1 $(date +%T)" || echo "FAILED $1 $(date +%T)"
}

distil() {  # teacher_run name base seed: a student of the shipped size, its teacher in torch on the GPU
  local t; t=$(ls "runs/$1"/checkpoints/finetune-epoch*.pt 2>/dev/null | sort -V | tail -1)
  [ -n "$t" ] || { echo "FAILED $2 (no teacher)"; return; }
  config "$2" "$3" "$4"
  sed -i -e "s#^teacher = .*#teacher = \"$PWD/$t\"#" -e "s#^teacher_config = .*#teacher_config = \"runs/cfg/$1.toml\"#" "runs/cfg/$2.toml"
  mkdir -p "runs/$2"
  $PY -m training.distil -c "runs/cfg/$2.toml" -o "runs/$2/student.onnx" --log "runs/$2/distil.json" \
    --weights "runs/$2/student.pt" >"runs/logs/$2.log" 2>&1 && echo "done $2 $(date +%T)" \
    || { [ -e "runs/$2/student.pt" ] && echo "$2 trained, export failed $(date +%T)" || echo "FAILED $2 $(date +%T)"; }
}

jobs_phase24() {
for s in 0 1 2; do train "ctl_s$s" motif_default $s & done
for s in 0 1 2; do train "paper_cl_s$s" paper_cl $s & done
for s in 1 2; do train "paper_default_s$s" paper_default $s noskip & done
train paper_long_s0 paper_long 0 noskip &
{ train paper_default_s0 paper_default 0 noskip; distil paper_default_s0 distil_paper distil_paper 0; } &
wait
}

# Phase 25 (benchmarks/phase25-gpu25.md): length or size? The shipped size with 100 VICReg epochs (3 seeds);
# a second paper_long seed and its student; two more student seeds from phase 24's paper_long_s0 teacher, whose
# float16 weights travel in .devdata/teacher/paper_long_s0 (gpu24_pack.sh TEACHER=...), restored here.
jobs_phase25() {
for s in 0 1 2; do train "motif_long_s$s" motif_long $s & done
{ train paper_long_s1 paper_long 1; distil paper_long_s1 distil_long_s1 distil_long 0; } &
{ if [ -e .devdata/teacher/paper_long_s0/finetune-epoch4.slim.pt ]; then
    config paper_long_s0 paper_long 0
    $PY -m training.slim restore .devdata/teacher/paper_long_s0/finetune-epoch4.slim.pt runs/paper_long_s0 \
      >runs/logs/restore.log 2>&1 || echo "FAILED restore"
    for s in 1 2; do distil paper_long_s0 "distil_long_t0_s$s" distil_long $s; done
  else echo "FAILED distil_long_t0 (no teacher in .devdata/teacher)"; fi; } &
wait
}

# Phase 25, second call: does distillation itself (not the teacher's size) make the students group better? Students
# of two shipped-size motif_long teachers (float16 weights in .devdata/teacher/motif_long_s0, _s2).
jobs_phase25b() {
for t in motif_long_s0 motif_long_s2; do
  { config "$t" motif_long "${t#motif_long_s}"
    $PY -m training.slim restore ".devdata/teacher/$t/finetune-epoch4.slim.pt" "runs/$t" >"runs/logs/restore-$t.log" 2>&1 \
      && distil "$t" "distil_$t" distil_long 0 || echo "FAILED restore $t"; } &
done
wait
}

# Phase 27 (benchmarks/phase27-gpu27.md): is the shipped 0.2's grouping a lucky teacher seed? Two more paper-size
# teachers (seeds 1, 2; phase 25 lost seed 1 to its budget), each then its student (distil_long, student seed 0).
# No scoring here (EVAL=0): teachers and students are scored on the CPU from the weights that come back.
jobs_phase27() {
for s in 1 2; do { EVAL=0 train "paper_long_s$s" paper_long $s; distil "paper_long_s$s" "distil_long_s$s" distil_long 0; } & done
wait
}

SET=${SET:-phase24}
if [ "${1:-}" = jobs ]; then "jobs_$SET"; exit 0; fi
echo "start $(date +%T), set $SET, budget $BUDGET s"
OUT=$OUT DRY=$DRY PY=$PY SET=$SET timeout "$BUDGET" bash "$0" jobs || echo "budget reached: unfinished jobs killed"
echo "end $(date +%T)"

# what comes back: results.tgz (logs, configs, metrics, the small models) always; the paper-size float16
# weights (9.6 MB each) in weights.tgz, split into 15 MB parts. Full checkpoints (with the optimiser) stay.
tar -czf "$OUT/results.tgz" --sort=name --exclude='checkpoints' --exclude='paper_*.slim.pt' \
  --exclude='curves-*.npz' runs
( cd runs && ls paper_default_s0/*.slim.pt paper_default_s[12]/finetune-*.slim.pt paper_long_s[012]/finetune-*.slim.pt \
    paper_cl_s0/finetune-*.slim.pt 2>/dev/null | tar -czf "$OUT/weights.tgz" -T - )
( cd "$OUT" && split -b 15M weights.tgz weights.tgz.part- && rm weights.tgz && ls -la )
