"""The smoke config end to end on real POP909 data: train, evaluate, export, parity, resume, DDP."""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
onnx = pytest.importorskip("onnx")

from training.config import load_config  # noqa: E402
from training.data import data_root  # noqa: E402

REPO = Path(__file__).resolve().parents[1]

try:
    data_root()
except FileNotFoundError:
    pytest.skip("POP909 data not available", allow_module_level=True)


@pytest.fixture(scope="session", autouse=True)
def training_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Bar caches go to a temp folder, never into the working tree (issue 8 #22)."""
    cache = tmp_path_factory.mktemp("training-cache")
    os.environ["MOTIF_TRAINING_CACHE"] = str(cache)
    return cache


def run_training(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "training", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=timeout)


def encoder_state(run: Path) -> dict:
    from training.loop import latest_checkpoint, load_checkpoint

    return load_checkpoint(latest_checkpoint(run / "checkpoints"))["encoder"]


@pytest.fixture(scope="module")
def smoke_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("smoke")
    t0 = time.time()
    proc = run_training("all", "-c", "smoke", "--out", str(out), "--quiet")
    elapsed = time.time() - t0
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert elapsed < 120, f"smoke pipeline took {elapsed:.0f} s"  # ~30 s of CPU; the CI machine is shared
    return out


def test_smoke_pipeline_writes_everything(smoke_run: Path) -> None:
    assert (smoke_run / "model.onnx").exists()
    assert (smoke_run / "log.csv").read_text().count("\n") == 1 + 2 + 2  # header + 2 epochs per stage
    assert sorted(p.name for p in (smoke_run / "checkpoints").glob("*.pt")) == [
        "finetune-epoch1.pt", "finetune-epoch2.pt", "pretrain-epoch1.pt", "pretrain-epoch2.pt"]
    import json

    metrics = json.loads((smoke_run / "metrics-val.json").read_text())["results"]
    assert {"raw roll", "shifted roll", "smoke"} <= set(metrics)
    for scores in metrics.values():
        assert 0 < scores["auc_pr"] <= 1 and scores["queries"] > 100


def test_bar_cache_goes_to_the_configured_folder(smoke_run: Path, training_cache: Path) -> None:
    assert list(training_cache.glob("unlabelled-*.npz"))


def test_all_calibrates_a_threshold_the_runtime_reads(smoke_run: Path, tmp_path: Path) -> None:
    import json

    from motifcli.model import load_model
    from training.calibrate import THRESHOLDS

    report = json.loads((smoke_run / "calibration.json").read_text())
    curve = {c["threshold"]: c["ari"] for c in report["curve"]}
    assert sorted(curve) == sorted(THRESHOLDS) and len(report["songs"]) == 2
    best = max(curve.values())
    model = load_model(smoke_run / "model.onnx", provider="cpu", threads=1)
    assert np.isfinite(model.grouping_threshold) and model.grouping_threshold in THRESHOLDS
    assert curve[model.grouping_threshold] == best
    assert model.model_card.method == "vicreg+triplet"

    # the stage on its own: a model exported without a threshold gets one
    from training.export import read_card, write_card

    copy = tmp_path / "model.onnx"
    shutil.copy(smoke_run / "model.onnx", copy)
    write_card(copy, dataclasses.replace(read_card(copy), grouping_threshold=None))
    assert load_model(copy, provider="cpu", threads=1).grouping_threshold is None
    proc = run_training("calibrate", "-c", "smoke", "--out", str(tmp_path), "--onnx", str(copy))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert load_model(copy, provider="cpu", threads=1).grouping_threshold == model.grouping_threshold


def test_export_contract_and_parity(smoke_run: Path) -> None:
    import onnxruntime as ort

    from training.export import parity
    from training.pipeline import load_encoder

    model = onnx.load(str(smoke_run / "model.onnx"))
    meta = {p.key: p.value for p in model.metadata_props}
    for key in ("encoding", "steps_per_beat", "segment_beats", "pitch_low", "pitch_count", "distance", "method",
                "training_data", "version", "embedding_dim"):
        assert key in meta, key
    assert meta["method"] == "vicreg+triplet" and meta["encoding"] == "onset-sustain"
    assert model.opset_import[0].version >= 17
    sess = ort.InferenceSession(str(smoke_run / "model.onnx"), providers=["CPUExecutionProvider"])
    assert sess.get_inputs()[0].name == "pianoroll" and sess.get_outputs()[0].name == "embedding"
    cfg = load_config("smoke")
    rng = np.random.default_rng(0)
    for n in (1, 7, 33):  # dynamic batch
        rolls = (rng.random((n, *cfg.encoding.shape)) < 0.05).astype(np.float32)
        assert parity(load_encoder(cfg, smoke_run), smoke_run / "model.onnx", rolls) <= 1e-4
        assert sess.run(None, {"pianoroll": rolls})[0].shape == (n, int(meta["embedding_dim"]))


def test_sigkill_then_resume_gives_identical_weights(smoke_run: Path, tmp_path: Path) -> None:
    """Kill the pretrain stage after its first checkpoint, resume: same weights as uninterrupted."""
    out = tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "training", "pretrain", "-c", "smoke", "--out", str(out), "--quiet"],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while not (out / "checkpoints" / "pretrain-epoch1.pt.sha256").exists():
        assert time.time() < deadline and proc.poll() is None, "no first checkpoint"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert run_training("pretrain", "-c", "smoke", "--out", str(out), "--resume", "--quiet").returncode == 0
    assert run_training("finetune", "-c", "smoke", "--out", str(out), "--resume", "--quiet").returncode == 0
    a, b = encoder_state(out), encoder_state(smoke_run)
    assert a.keys() == b.keys()
    for k in a:
        assert torch.equal(a[k], b[k]), k


def test_corrupt_checkpoint_is_reported_not_loaded(smoke_run: Path, tmp_path: Path) -> None:
    out = tmp_path / "corrupt"
    shutil.copytree(smoke_run / "checkpoints", out / "checkpoints")
    victim = out / "checkpoints" / "finetune-epoch2.pt"
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF
    victim.write_bytes(bytes(data))
    proc = run_training("finetune", "-c", "smoke", "--out", str(out), "--resume", "--quiet")
    assert proc.returncode != 0
    assert "do not match the recorded SHA-256" in proc.stderr + proc.stdout


@pytest.mark.slow
def test_torchrun_two_processes_on_cpu(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "OMP_NUM_THREADS": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2", "-m", "training",
         "pretrain", "-c", "smoke", "--out", str(tmp_path / "ddp"), "--quiet"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=180,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (tmp_path / "ddp" / "checkpoints" / "pretrain-epoch2.pt").exists()
    rows = (tmp_path / "ddp" / "log.csv").read_text().strip().splitlines()
    assert len(rows) == 3  # rank 0 logs alone


def test_checkpoint_killed_before_its_digest_is_passed_over(smoke_run: Path, tmp_path: Path) -> None:
    """A SIGKILL between writing a checkpoint and its digest: resume from the epoch before."""
    from training.loop import latest_checkpoint

    ckpt = tmp_path / "checkpoints"
    shutil.copytree(smoke_run / "checkpoints", ckpt)
    (ckpt / "finetune-epoch2.pt.sha256").unlink()
    assert latest_checkpoint(ckpt) == ckpt / "finetune-epoch1.pt"
    proc = run_training("finetune", "-c", "smoke", "--out", str(tmp_path), "--resume", "--quiet")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (ckpt / "finetune-epoch2.pt.sha256").exists()
    a, b = encoder_state(tmp_path), encoder_state(smoke_run)
    for k in a:
        assert torch.equal(a[k], b[k]), k
