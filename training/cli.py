"""``python -m training``: pretrain | finetune | evaluate | export | calibrate | all, one --config per run."""

from __future__ import annotations

import json
import time
from pathlib import Path

import typer

from training.config import load_config

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True, help="Train, evaluate and export motif encoders.")

ConfigOpt = typer.Option(..., "--config", "-c", help="Run config (TOML); a bare name looks in training/configs/.")
OutOpt = typer.Option(None, "--out", help="Run folder (default: runs/<config name>).")
ResumeOpt = typer.Option(False, "--resume", help="Continue from the latest verified checkpoint in the run folder.")
QuietOpt = typer.Option(False, "--quiet", help="No progress bars.")
DeviceOpt = typer.Option(None, "--device", help="Train on cpu, cuda or auto (CUDA where present); default: the config's (cpu).")


def _setup(config: Path, out: Path | None, device: str | None = None):
    import torch

    from training.loop import init_distributed

    cfg = load_config(config, {"device": device} if device else None)
    torch.set_num_threads(cfg.threads)
    out_dir = out or Path("runs") / cfg.name
    out_dir.mkdir(parents=True, exist_ok=True)
    return cfg, out_dir, init_distributed()


@app.command()
def pretrain(config: Path = ConfigOpt, out: Path = OutOpt, resume: bool = ResumeOpt, quiet: bool = QuietOpt,
             device: str = DeviceOpt) -> None:
    """VICReg pretraining on unlabelled POP909 bars (skipped when the config has 0 epochs)."""
    from training.pipeline import pretrain as run

    cfg, out_dir, info = _setup(config, out, device)
    secs = run(cfg, out_dir, info, resume, not quiet)
    typer.echo(f"pretrain: {secs:.1f} s -> {out_dir}")


@app.command()
def finetune(config: Path = ConfigOpt, out: Path = OutOpt, resume: bool = ResumeOpt, quiet: bool = QuietOpt,
             device: str = DeviceOpt) -> None:
    """Triplet fine-tuning on labelled bars (from the pretrained encoder when there is one)."""
    from training.pipeline import finetune as run

    cfg, out_dir, info = _setup(config, out, device)
    secs = run(cfg, out_dir, info, resume, not quiet)
    typer.echo(f"finetune: {secs:.1f} s -> {out_dir}")


@app.command()
def evaluate(
    config: Path = ConfigOpt,
    out: Path = OutOpt,
    split: str = typer.Option(None, "--split", help="train, val or test (default: the config's eval_split)."),
) -> None:
    """Motif retrieval (AUC-PR, mAP, P@K) of the run and the raw-roll baselines; writes metrics-<split>.json."""
    from training.pipeline import evaluate as run

    cfg, out_dir, _ = _setup(config, out)
    results = run(cfg, out_dir, split)
    typer.echo(json.dumps(results, indent=2))


@app.command()
def export(
    config: Path = ConfigOpt,
    out: Path = OutOpt,
    onnx_path: Path = typer.Option(None, "--onnx", help="Where to write the model (default: <run>/model.onnx)."),
    threshold: float = typer.Option(None, "--threshold", help="Grouping threshold to record by hand (else run calibrate)."),
) -> None:
    """Export the run's encoder to ONNX with the metadata contract, then check onnxruntime parity."""
    from training.export_run import export_run

    cfg, out_dir, _ = _setup(config, out)
    path, diff = export_run(cfg, out_dir, onnx_path, threshold)
    typer.echo(f"exported {path} (max |torch - onnxruntime| = {diff:.2e})")


@app.command()
def calibrate(
    config: Path = ConfigOpt,
    out: Path = OutOpt,
    onnx_path: Path = typer.Option(None, "--onnx", help="The exported model to calibrate (default: <run>/model.onnx)."),
) -> None:
    """Choose the grouping threshold on the config's calibration songs; write it into the model's card."""
    from training.export_run import calibrate_run

    cfg, out_dir, _ = _setup(config, out)
    path, threshold = calibrate_run(cfg, out_dir, onnx_path)
    typer.echo(f"calibrated {path}: grouping_threshold {threshold:.2f} (mean ARI on {cfg.calibrate.split} songs; "
               f"curve in {out_dir / 'calibration.json'})")


@app.command("all")
def run_all(config: Path = ConfigOpt, out: Path = OutOpt, resume: bool = ResumeOpt, quiet: bool = QuietOpt,
            onnx_path: Path = typer.Option(None, "--onnx", help="Where to write the model."),
            device: str = DeviceOpt) -> None:
    """pretrain → finetune → evaluate → export → calibrate: a complete, shippable model."""
    from training.export_run import calibrate_run, export_run
    from training.pipeline import evaluate as run_eval
    from training.pipeline import finetune as run_ft
    from training.pipeline import pretrain as run_pt
    from training.pipeline import run_info

    cfg, out_dir, info = _setup(config, out, device)
    t0 = time.time()
    secs = {"pretrain": run_pt(cfg, out_dir, info, resume, not quiet)}
    secs["finetune"] = run_ft(cfg, out_dir, info, resume, not quiet)
    if info.is_main:
        results = run_eval(cfg, out_dir)
        path, diff = export_run(cfg, out_dir, onnx_path, None)
        t_cal = time.time()
        _, threshold = calibrate_run(cfg, out_dir, onnx_path)
        secs["calibrate"] = time.time() - t_cal
        secs["total"] = time.time() - t0
        run_info(cfg, out_dir, secs)
        mine = results.get(cfg.name, {})
        typer.echo(f"{cfg.name}: AUC-PR {mine.get('auc_pr', float('nan')):.4f} mAP {mine.get('map', float('nan')):.4f}; "
                   f"raw roll AUC-PR {results['raw roll']['auc_pr']:.4f}; exported {path} (parity {diff:.1e}, "
                   f"grouping_threshold {threshold:.2f}); "
                   f"{secs['total']:.0f} s")


def main() -> None:
    from motifcli.errors import ModelError
    from training.loop import CheckpointError

    try:
        app()
    except (CheckpointError, ModelError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise SystemExit(1) from None
