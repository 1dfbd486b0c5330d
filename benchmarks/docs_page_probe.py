"""Which page of the README's POP909 picture is the most coloured, with a given bar model (sweep25).

    PYTHONPATH=$PWD python -m benchmarks.docs_page_probe OUTDIR [--model FILE]

The README says its picture is "the page with the most coloured notes, page 10 today"; the page is chosen by
``tests/test_musescore.py::most_coloured_page`` after ``motif annotate examples/pop909-101.mid --format musicxml``
and a MuseScore 3 render at 100 dpi. This does the same steps and prints every page's coloured-pixel count, so a
model change (the bar model groups the song's piano texture bars) can be checked against the claim without
rewriting docs/img; it also reports how far the chosen page is from the committed picture.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
SONG = REPO / "examples" / "pop909-101.mid"
PICTURE = REPO / "docs" / "img" / "pop909-annotated.png"


def coloured(page: Path) -> int:
    """Saturated pixels (family colours; notation is black and grey), as most_coloured_page counts them."""
    hsv = np.asarray(Image.open(page).convert("RGB").convert("HSV"))
    return int(((hsv[..., 1] > 80) & (hsv[..., 2] > 60)).sum())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--model", type=Path, help="bar model (default: the shipped one)")
    args = ap.parse_args()
    out = args.out.resolve()
    (out / "home").mkdir(parents=True, exist_ok=True)
    extra = ["--model", str(args.model)] if args.model else []
    subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(SONG), "--format", "musicxml", "--format",
                    "json", "-o", str(out), "-q", *extra], check=True, env=dict(os.environ, NO_COLOR="1"))
    xml = next(out.glob("*.motifs.musicxml"))
    report = json.loads(next(out.glob("*.motifs.json")).read_text())
    job = out / "job.json"
    job.write_text(json.dumps([{"in": str(xml), "out": [str(out / "score.png")]}]))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(out / "home"), XDG_RUNTIME_DIR=str(out / "home"))
    subprocess.run(["mscore3", "-r", "100", "-j", str(job)], check=True, env=env, capture_output=True, timeout=600)
    pages = sorted(out.glob("score-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    counts = {int(p.stem.rsplit("-", 1)[1]): coloured(p) for p in pages}
    best = max(counts, key=lambda k: counts[k])
    print(f"model: {report.get('model', {}).get('path') if report.get('model') else None}")
    print(f"families: {len(report['motifs'])}; pages: {len(pages)}; coloured pixels per page: {counts}")
    print(f"most coloured page: {best} of {len(pages)}")
    chosen = np.asarray(Image.open(pages[best - 1]).convert("RGB"), dtype=int)
    committed = np.asarray(Image.open(PICTURE).convert("RGB"), dtype=int)
    if chosen.shape != committed.shape:
        print(f"differs from {PICTURE.name}: sizes {chosen.shape} vs {committed.shape}")
    else:
        diff = np.abs(chosen - committed).max(axis=2)
        print(f"against {PICTURE.name}: {int((diff > 0).sum())} pixels differ, at most by {int(diff.max())} of 255")


if __name__ == "__main__":
    main()
