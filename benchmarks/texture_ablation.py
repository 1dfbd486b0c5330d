"""Grouping thresholds of the bar ablation encoders, for issue 10's ablation where the default uses a model.

The note-level default uses the learned bar embedding in one place: the texture bars of a chordal track
that leads (a POP909 piano) are clustered by the shipped bar model, cut at its calibrated
``grouping_threshold`` (0.45, chosen on the POP909 val songs by ``training/calibrate.py``). The
ablation encoders in ``exported_models/ablations/`` carry no threshold (their distances spread
differently), so an honest swap needs each one's own: this script runs the shipped recipe
(``training.calibrate.tune``: highest mean ARI over the calibration songs, the same threshold grid)
on the same POP909 val songs and writes ``benchmarks/results/texture-thresholds.json``, which
``discovery_eval``'s ``discovery+texture-*`` methods read::

    python -m benchmarks.texture_ablation            # calibrate every model of TEXTURE_ABLATIONS

The model files are not changed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
THRESHOLDS_FILE = REPO_ROOT / "benchmarks" / "results" / "texture-thresholds.json"

# method suffix -> encoder: "no fine-tuning" (VICReg only) and "no pretraining" (triplets from scratch)
TEXTURE_ABLATIONS = {"texture-vicreg": "exported_models/ablations/vicreg.onnx",
                     "texture-cl": "exported_models/ablations/cl.onnx",
                     "texture-shipped": "exported_models/motif-default.onnx"}


def calibrate(path: Path, songs: list[str]) -> tuple[float, list[tuple[float, float]]]:
    """The shipped calibration recipe on ``songs`` for the encoder at ``path``; the card is not written."""
    from training.calibrate import PipelineMethod, load_song, tune

    method = PipelineMethod(path)
    labelled = [load_song(s, method.model.spec) for s in songs]
    return tune(method.predict, labelled)


def thresholds() -> dict[str, float]:
    """The calibrated thresholds written by :func:`main` (method suffix -> cosine distance)."""
    if not THRESHOLDS_FILE.exists():
        raise KeyError(f"{THRESHOLDS_FILE} missing: run python -m benchmarks.texture_ablation first")
    return {k: float(v["threshold"]) for k, v in json.loads(THRESHOLDS_FILE.read_text())["models"].items()}


def main() -> int:
    from training.data import Split

    songs = list(Split.load().val)
    out: dict[str, dict] = {}
    for name, rel in TEXTURE_ABLATIONS.items():
        best, curve = calibrate(REPO_ROOT / rel, songs)
        out[name] = {"model": rel, "threshold": best, "curve": [{"threshold": t, "ari": a} for t, a in curve]}
        print(f"{name}: {rel} threshold {best:.2f} (mean ARI {dict(curve)[best]:.3f} on {len(songs)} val songs)")
    THRESHOLDS_FILE.parent.mkdir(parents=True, exist_ok=True)
    THRESHOLDS_FILE.write_text(json.dumps({"songs": songs, "criterion": "mean adjusted Rand index over songs "
                                           "(training.calibrate.tune)", "models": out}, indent=1) + "\n")
    print(f"wrote {THRESHOLDS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
