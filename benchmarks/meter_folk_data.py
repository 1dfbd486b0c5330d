"""Training pieces for the quantised-input meter ranker (issue 9 phase 4), from music21's corpus.

One-line tunes (essenFolksong, oneills1850, ryansMammoth, nottingham-dataset, airdsAirs, miscFolk) and
Bach chorales, all shippable (music21's corpus licence) and all with written meters and pickups.
BPS-motif and MTC-ANN are never read here: they are the measure.

Each piece becomes its notes (onset, offset, pitch; tied notes merged; moved so the first note is at
beat 0, as ``benchmarks/meter.py written`` moves BPS/MTC) and its truth: the first full bar's time
signature and the phase of its bar lines. Parsing thousands of abc tunes takes minutes, so a random
sample is parsed and cached (pickle, outside the repository).

Usage (PYTHONPATH=.):
    python benchmarks/meter_folk_data.py --out /tmp/meterfolk/corpus.pkl [--per-source N] [--seed 0]
"""

from __future__ import annotations

import argparse
import pickle
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

ABC_SOURCES = {  # corpus folder -> how many tunes to sample (a share of the whole)
    "essenFolksong": 1400,
    "oneills1850": 250,
    "ryansMammoth": 250,
    "nottingham-dataset": 150,
    "airdsAirs": 150,
    "miscFolk": 100,
}
CHORALES = 150


def _corpus_dir() -> Path:
    import music21

    return Path(music21.__file__).parent / "corpus"


def abc_tunes(folder: Path) -> list[tuple[str, str]]:
    """(id, text) of every tune in the folder's abc files: a tune is one ``X:`` block, with the
    file's header lines (before the first X:) in front."""
    out = []
    for path in sorted(folder.rglob("*.abc")):
        text = path.read_text(errors="replace")
        parts = re.split(r"(?m)^(?=X:)", text)
        header = parts[0] if parts and not parts[0].startswith("X:") else ""
        for k, part in enumerate(p for p in parts if p.startswith("X:")):
            out.append((f"{folder.name}/{path.name}#{k}", header + part))
    return out


def piece_truth(score) -> dict | None:
    """Notes and written meter of a music21 score: None when it has no meter or too few bars."""
    from music21 import meter as m21meter
    from music21 import note as m21note
    from music21 import chord as m21chord

    parts = list(score.parts) if score.parts else [score]
    measures = list(parts[0].getElementsByClass("Measure"))
    if len(measures) < 4:
        return None
    # the first full bar: its time signature and start are the truth (a pickup is a short first bar)
    ts = None
    first_full = None
    for m in measures[:3]:
        found = m.getElementsByClass(m21meter.TimeSignature)
        if found:
            ts = found[0]
        full = ts is not None and abs(m.duration.quarterLength - ts.barDuration.quarterLength) < 1e-6
        if full and first_full is None:
            first_full = m
            break
    if ts is None or first_full is None:
        return None
    onsets, offsets, pitches = [], [], []
    for part in parts:
        flat = part.stripTies().flatten()
        for el in flat.notes:
            if isinstance(el, m21note.Note):
                ps = [el.pitch.midi]
            elif isinstance(el, m21chord.Chord):
                ps = [p.midi for p in el.pitches]
            else:
                continue
            on = float(el.offset)
            dur = float(el.duration.quarterLength)
            if dur <= 0:
                continue
            for p in ps:
                onsets.append(on)
                offsets.append(on + dur)
                pitches.append(p)
    if len(onsets) < 12:
        return None
    onsets = np.array(onsets)
    shift = float(onsets.min())
    bar = float(ts.barDuration.quarterLength)
    return {
        "onsets": onsets - shift,
        "offsets": np.array(offsets) - shift,
        "pitches": np.array(pitches, dtype=np.float64),
        "signature": f"{ts.numerator}/{ts.denominator}",
        "bar": bar,
        "phase": float((float(first_full.offset) - shift) % bar),
        "parts": len(parts),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="/tmp/meterfolk/corpus.pkl")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every source's sample size")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    import music21

    rng = random.Random(args.seed)
    root = _corpus_dir()
    jobs: list[tuple[str, str, str]] = []  # (source, id, abc text or corpus path)
    for folder, n in ABC_SOURCES.items():
        tunes = abc_tunes(root / folder)
        rng.shuffle(tunes)
        jobs += [(folder, i, t) for i, t in tunes[: int(n * args.scale)]]
    chorales = sorted(str(p) for p in (root / "bach").glob("bwv*.mxl"))
    rng.shuffle(chorales)
    jobs += [("bach", Path(p).name, p) for p in chorales[: int(CHORALES * args.scale)]]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    pieces, failed, t0 = [], 0, time.time()
    for k, (source, ident, item) in enumerate(jobs):
        try:
            if source == "bach":
                score = music21.converter.parse(item)
            else:
                score = music21.converter.parse(item, format="abc")
            if isinstance(score, music21.stream.Opus):
                score = score.scores[0]
            truth = piece_truth(score)
        except Exception:  # noqa: BLE001 - a tune music21 cannot read is skipped and counted
            truth = None
        if truth is None:
            failed += 1
            continue
        truth.update(source=source, id=ident)
        pieces.append(truth)
        if k % 200 == 0:
            print(f"{k}/{len(jobs)} kept {len(pieces)} skipped {failed} {time.time() - t0:.0f}s", flush=True)
            with open(out, "wb") as f:
                pickle.dump(pieces, f)
    with open(out, "wb") as f:
        pickle.dump(pieces, f)
    print(f"done: kept {len(pieces)} skipped {failed} in {time.time() - t0:.0f}s -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
