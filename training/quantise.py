"""Quantise an exported encoder for the CPU runtime with onnxruntime's own tooling (issue 10 item 2).

The runtime needs no change: onnxruntime runs dynamic int8 (MatMulInteger) and static QDQ graphs as
they are. What this module adds is the bookkeeping: the quantised file keeps the source's model
card (tensor names, encoding, grouping threshold) and says in two more metadata entries how it was
quantised and from which fp32 file (``ModelCard.quantisation`` / ``source_model``), so ``motif
info`` and every report can tell the two apart. Modes:

- ``dynamic``: int8 weights of MatMul/Gemm, activations quantised per batch at run time (no data);
- ``dynamic-channel``: the same with one scale per output channel;
- ``static``: QDQ, weights int8 per channel, activations uint8 with ranges calibrated on POP909
  *train-split* bars (never val/test, never BPS/MTC); 7-bit weights (``reduce_range``), as
  onnxruntime advises for x86 CPUs without VNNI (this machine's EPYC has AVX2, no VNNI);

float16 (``onnxruntime.transformers.float16.convert_float_to_float16``, float32 input/output) was
tried and is not offered: the converted model crashed onnxruntime 1.32's CPU provider (segfault) on
its first run (benchmarks/phase8-quant8.md).

Only MatMul and Gemm are quantised: the roll skip (flatten, normalise, concatenate) stays float, so
the exact-repeat half of the embedding is untouched.

    python -m training.quantise --mode dynamic -o exported_models/ablations/motif-default-int8.onnx
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import onnx

from motifcli.contract import ModelCard
from training.export import _write_with_metadata, read_card

MODES = ("dynamic", "dynamic-channel", "static")
OPS = ["MatMul", "Gemm"]
DESCRIPTIONS = {
    "dynamic": "dynamic int8 weights (MatMul, Gemm; per tensor), uint8 activations at run time",
    "dynamic-channel": "dynamic int8 weights (MatMul, Gemm; per channel), uint8 activations at run time",
    "static": "static QDQ: int8 weights per channel (7-bit range), uint8 activations calibrated (MinMax) on {n} "
              "POP909 train-split bars (MatMul, Gemm)",
}


def source_tag(path: Path) -> str:
    """``name sha256:<12 hex>`` of the fp32 file: which model a quantised one came from, checkably."""
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
    return f"{Path(path).name} sha256:{digest}"


class RollReader:
    """onnxruntime's CalibrationDataReader protocol over an array of rolls, ``batch`` rows a run."""

    def __init__(self, input_name: str, rolls: np.ndarray, batch: int = 64) -> None:
        self.input_name = input_name
        self._batches: Iterator[np.ndarray] = iter(
            [np.ascontiguousarray(rolls[i : i + batch], dtype=np.float32) for i in range(0, len(rolls), batch)])

    def get_next(self) -> dict[str, np.ndarray] | None:
        batch = next(self._batches, None)
        return None if batch is None else {self.input_name: batch}

    def rewind(self) -> None:  # pragma: no cover - part of the protocol, unused by MinMax
        raise NotImplementedError


def calibration_rolls(card: ModelCard, songs: int = 20, max_bars: int = 1024, seed: int = 0) -> np.ndarray:
    """Rolls of PIANO bars of the first ``songs`` POP909 *train-split* songs (shippable data), at most ``max_bars``."""
    from motifcli.encoding import render_rolls
    from training.data import Split, unlabelled_bars

    bars = unlabelled_bars(list(Split.load().train)[:songs], card.spec)
    if len(bars) > max_bars:
        keep = np.random.default_rng(seed).choice(len(bars), max_bars, replace=False)
        bars = [bars[i] for i in sorted(keep)]
    return render_rolls([b.notes for b in bars], card.spec)


def _prepare(source: Path, out: Path) -> None:
    """onnxruntime's pre-processing (graph folding, ONNX shape inference), as its docs advise before
    quantising. Its symbolic shape inference is skipped: it asserts on the exported Reshape shapes."""
    from onnxruntime.quantization.shape_inference import quant_pre_process

    quant_pre_process(str(source), str(out), skip_symbolic_shape=True)


def _dynamic(source: Path, out: Path, per_channel: bool) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(source), str(out), op_types_to_quantize=OPS, per_channel=per_channel,
                     weight_type=QuantType.QInt8)


def _static(source: Path, out: Path, card: ModelCard, rolls: np.ndarray) -> None:
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static

    quantize_static(str(source), str(out), RollReader(card.input_name, rolls), quant_format=QuantFormat.QDQ,
                    op_types_to_quantize=OPS, per_channel=True, reduce_range=True,
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                    calibrate_method=CalibrationMethod.MinMax)


def quantise(source: Path, out: Path, mode: str, rolls: np.ndarray | None = None) -> ModelCard:
    """Write ``out``: ``source`` quantised by ``mode`` (see the module doc), its card carried over and marked.

    ``rolls`` feed the static mode's calibration (default: :func:`calibration_rolls`). Returns the new card.
    ``source`` is never written; ``out`` appears whole or not at all.
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
    source, out = Path(source), Path(out)
    if source.resolve() == out.resolve():
        raise ValueError(f"{out}: would overwrite the source model")
    card = read_card(source)
    if card.quantisation is not None:
        raise ValueError(f"{source}: already quantised ({card.quantisation})")
    description = DESCRIPTIONS[mode]
    with tempfile.TemporaryDirectory() as tmp:
        raw, prepared = Path(tmp) / "quantised.onnx", Path(tmp) / "prepared.onnx"
        if mode.startswith("dynamic"):
            _prepare(source, prepared)
            _dynamic(prepared, raw, per_channel=mode == "dynamic-channel")
        elif mode == "static":
            rolls = calibration_rolls(card) if rolls is None else rolls
            _prepare(source, prepared)
            _static(prepared, raw, card, rolls)
            description = description.format(n=len(rolls))
        new = replace(card, quantisation=description, source_model=source_tag(source))
        _write_with_metadata(onnx.load(str(raw)), new, out)
    return new


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.quantise", description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path, default=Path("exported_models/motif-default.onnx"), help="fp32 source")
    ap.add_argument("--mode", choices=MODES, default="dynamic")
    ap.add_argument("-o", "--output", type=Path, required=True)
    ap.add_argument("--songs", type=int, default=20, help="static: POP909 train-split songs to calibrate on")
    ap.add_argument("--max-bars", type=int, default=1024, help="static: at most this many calibration bars")
    args = ap.parse_args(argv)
    try:
        rolls = calibration_rolls(read_card(args.model), args.songs, args.max_bars) if args.mode == "static" else None
        card = quantise(args.model, args.output, args.mode, rolls)
    except (OSError, ValueError, onnx.checker.ValidationError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    size = args.output.stat().st_size / 1e6
    print(f"wrote {args.output} ({size:.2f} MB): {card.quantisation}; from {card.source_model}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
