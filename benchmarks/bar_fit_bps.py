"""Issue 9: how a bar of another length than the model's 4-beat roll is fed to it, pad or resample.

BPS-motif dev (16 Beethoven first movements, note-level motif labels; develop/measure only). Each
piece's MIDI is annotated by the real pipeline (its time signatures fit the notes for 15 of 16, so
the bars are the written ones), with bars of other lengths padded (``pad``: drawn as written, the
rest of the roll empty) or stretched to the roll (``resample``). Scored per bar of the piece's meter
map, as benchmarks/grouping.py scores POP909: a bar's true label is the motif family of the
labelled occurrence covering most of it (bars under no occurrence are left out), its predicted
label the family of the occurrence (any track) holding its middle, else its own; adjusted Rand
index per piece, averaged over pieces, at the model's calibrated threshold.

    python benchmarks/bar_fit_bps.py --json benchmarks/meter-results/bar_fit_bps.json
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from training.datafolder import find_data_root  # noqa: E402


def spans(folder: Path) -> dict[str, list[tuple[float, float, str]]]:
    """Per piece: (start, end, family) of every labelled occurrence."""
    occ: dict[tuple[str, str, str], list[float]] = {}
    with open(folder / "labels.csv") as f:
        for row in csv.DictReader(f):
            key = (row["piece"], row["motif"], row["occurrence"])
            lo, hi = float(row["onset_beats"]), float(row["offset_beats"])
            if key in occ:
                occ[key] = [min(occ[key][0], lo), max(occ[key][1], hi)]
            else:
                occ[key] = [lo, hi]
    out: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    for (piece, motif, _), (lo, hi) in occ.items():
        out[piece].append((lo, hi, motif))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path, default=REPO / "exported_models" / "motif-default.onnx")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from sklearn.metrics import adjusted_rand_score

    import motifcli
    from motifcli.model import load_model

    folder = find_data_root() / "bps_motif_dev"
    model = load_model(args.model, provider="cpu")
    labelled = spans(folder)
    rows: dict[str, dict[str, float]] = {}
    for piece in sorted(labelled):
        score = motifcli.read_score(folder / "scores" / f"{piece}.mid")
        meter = score.meter_map
        truth, keep = [], []
        for i, bar in enumerate(meter.bars):
            cover = defaultdict(float)
            for lo, hi, fam in labelled[piece]:
                cover[fam] += max(0.0, min(hi, bar.end) - max(lo, bar.start))
            if cover and max(cover.values()) > 0.5 * bar.length:
                truth.append(max(cover, key=cover.__getitem__))
                keep.append(i)
        row = {"source": meter.source, "meter": meter.sections()[0]["time_signature"], "bars": len(keep)}
        for fit in ("pad", "resample"):
            ann = motifcli.annotate(score, model, bar_fit=fit)
            pred = []
            for i in keep:
                bar = meter.bars[i]
                middle = bar.start + bar.length / 2
                fam = next((o.family for o in ann.occurrences if o.start <= middle < o.end), f"single{i}")
                pred.append(fam)
            row[fit] = float(adjusted_rand_score(truth, pred))
        rows[piece] = row
        print(piece, row, flush=True)
    for group, names in (("all", list(rows)), ("not 4-beat bars", [p for p in rows if rows[p]["meter"] not in ("4/4", "2/2")])):
        if names:
            print(f"| {group} ({len(names)}) | " + " | ".join(
                f"{np.mean([rows[p][fit] for p in names]):.3f}" for fit in ("pad", "resample")) + " |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
