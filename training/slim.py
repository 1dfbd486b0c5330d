"""Encoder-only, half-precision copies of run checkpoints: what a lent GPU machine sends back.

The device tool returns at most 16 MiB a file and 64 MiB a call. A paper-size encoder (6 layers,
d_model 256, 4.8M parameters) is 19 MB in float32 and its checkpoint with the AdamW state three
times that. ``slim`` keeps the encoder's weights as float16 (half the bytes; the expander and the
optimiser are only needed to resume); ``restore`` writes them back as a float32, digest-checked
checkpoint that ``training.pipeline.load_encoder`` and the ``export`` stage read as usual.
``rounding_error`` says what the float16 round trip costs: the largest cosine distance between a
bar's embedding from the trained weights and from the restored ones (benchmarks/phase24-gpu24.md).

    python -m training.slim slim runs/x/checkpoints/finetune-epoch4.pt out/x-finetune4.pt
    python -m training.slim restore out/x-finetune4.pt runs/x
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

from training.loop import load_checkpoint, save_checkpoint


def halve(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Floating-point tensors as float16 on the CPU; integer buffers unchanged."""
    return {k: (v.detach().cpu().half() if v.is_floating_point() else v.detach().cpu()) for k, v in state.items()}


def widen(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    return {k: (v.float() if v.is_floating_point() else v) for k, v in state.items()}


def slim(checkpoint: Path, out: Path) -> Path:
    """Write ``checkpoint``'s encoder as float16 to ``out`` (plus its stage and epoch)."""
    return _save_slim(load_checkpoint(checkpoint), out)


def _save_slim(state: dict, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"stage": state["stage"], "epoch": state["epoch"], "encoder": halve(state["encoder"])}, out)
    return out


def restore(slim_path: Path, run_dir: Path) -> Path:
    """Write ``slim_path`` back as ``run_dir/checkpoints/<stage>-epoch<N>.pt`` (float32, with digest)."""
    state = torch.load(slim_path, map_location="cpu", weights_only=True)
    path = run_dir / "checkpoints" / f"{state['stage']}-epoch{state['epoch']}.pt"
    save_checkpoint(path, {"stage": state["stage"], "epoch": state["epoch"], "encoder": widen(state["encoder"]),
                           "expander": None, "optimizer": None})
    return path


@torch.no_grad()
def rounding_error(encoder: torch.nn.Module, rolls: torch.Tensor) -> float:
    """Largest cosine distance between embeddings before and after a float16 round trip of the weights."""
    encoder = encoder.cpu().eval()
    before = encoder.embed(rolls)
    original = {k: v.clone() for k, v in encoder.state_dict().items()}
    encoder.load_state_dict(widen(halve(original)))
    after = encoder.embed(rolls)
    encoder.load_state_dict(original)
    return float((1 - (before * after).sum(dim=1)).max())


def checked_slim(checkpoint: Path, out: Path, config: str) -> dict:
    """``slim`` plus the round trip's cost on the config's validation bars, written beside ``out`` as JSON."""
    import json

    from motifcli.encoding import render_rolls
    from training.config import load_config
    from training.data import Split
    from training.model import Encoder
    from training.pipeline import split_bars

    state = load_checkpoint(checkpoint)  # read and digest-checked once, for the copy and the measurement
    _save_slim(state, out)
    cfg = load_config(config)
    encoder = Encoder(cfg.encoding.steps, cfg.encoding.pitch_count, cfg.model)
    encoder.load_state_dict(state["encoder"])
    rolls = torch.from_numpy(render_rolls([b.notes for b in split_bars(cfg, Split.load().val)], cfg.encoding))
    report = {"checkpoint": str(checkpoint), "bars": len(rolls), "max_cosine_distance": rounding_error(encoder, rolls),
              "bytes": out.stat().st_size}
    out.with_suffix(".json").write_text(json.dumps(report, indent=1) + "\n")
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.slim", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="verb", required=True)
    s = sub.add_parser("slim", help="checkpoint -> encoder-only float16 file")
    s.add_argument("checkpoint", type=Path)
    s.add_argument("out", type=Path)
    s.add_argument("--config", default=None, help="run config: also measure the round trip on its val bars")
    r = sub.add_parser("restore", help="float16 file -> float32 checkpoint in a run folder")
    r.add_argument("slim_path", type=Path)
    r.add_argument("run_dir", type=Path)
    args = ap.parse_args(argv)
    if args.verb == "restore":
        print(restore(args.slim_path, args.run_dir))
    elif args.config:
        print(checked_slim(args.checkpoint, args.out, args.config))
    else:
        print(slim(args.checkpoint, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
