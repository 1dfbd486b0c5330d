"""Cross-song motif retrieval on MTC-ANN dev: does a representation find the same motif in other songs?

Query: one annotated occurrence. Candidates: every annotated occurrence of the *other* songs of the
split. Positives: those with the same key (tune family, motif class). Queries without a positive
in another song are skipped (they cannot be scored). Each occurrence becomes one roll of the
shipped model's grid (``motifcli.encoding.encode_notes``: 4 beats x 8 steps, 84 pitches) starting
at its first onset; longer occurrences are cut at 4 beats, as the model sees them. Representations:

- ``raw roll``: the flattened roll, cosine similarity;
- ``normalised roll (first note)``: the occurrence transposed so its first note (the lowest of its
  first onset) is MIDI 60, then rolled: exact transpositions become identical;
- ``normalised roll (lowest note)``: the same with its lowest note at MIDI 60;
- ``model``: the shipped ONNX embedding of the raw roll (cosine);
- ``model (shipped), input normalised (first note)``: the shipped embedding of that roll;
- with ``--model PATH`` (repeatable): ``model <file>`` and its input-normalised row, each model's
  rolls drawn on its own card's grid (an 8-beat note-level model sees up to 8 beats).

Metrics (scikit-learn): AUC-PR = average precision of all (query, candidate) pairs pooled; mAP =
mean over queries of their average precision. Deterministic: one run gives the numbers.

    python -m benchmarks.mtc_retrieval --split test
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.metrics import average_precision_score

from motifcli.encoding import EncodingSpec, encode_notes

from benchmarks.motif_corpora import MtcOccurrence, load_corpus, mtc_occurrences

RESULTS = Path(__file__).resolve().parent / "results"
NORMAL_PITCH = 60


def rolls(occurrences: Sequence[MtcOccurrence], spec: EncodingSpec, normalise: str | None) -> np.ndarray:
    """One roll per occurrence, window starting at its first onset.

    ``normalise``: None (as written), "first" (first note moved to NORMAL_PITCH) or "lowest" (lowest note).
    """
    out = np.zeros((len(occurrences), *spec.shape), dtype=np.float32)
    for k, occ in enumerate(occurrences):
        notes = sorted(occ.notes, key=lambda n: (n.onset, n.pitch))
        if not notes:
            continue
        on = np.array([n.onset for n in notes])
        off = np.array([n.offset for n in notes])
        pitch = np.array([n.pitch for n in notes], dtype=np.int64)
        if normalise == "first":
            pitch = pitch - pitch[0] + NORMAL_PITCH
        elif normalise == "lowest":
            pitch = pitch - pitch.min() + NORMAL_PITCH
        out[k] = encode_notes(on, off, pitch, float(on[0]), spec)
    return out


def cosine_similarity(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64).reshape(len(x), -1)
    x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    return x @ x.T


def retrieval(sim: np.ndarray, pieces: Sequence[str], keys: Sequence[tuple[str, str]]) -> dict[str, float]:
    """Pooled AUC-PR and mAP of cross-song retrieval (same-song candidates excluded)."""
    song = np.asarray(pieces)
    key = np.array(["\x00".join(k) for k in keys])
    other = song[:, None] != song[None, :]
    rel = (key[:, None] == key[None, :]) & other
    y_true, y_score, aps = [], [], []
    for i in range(len(song)):
        cand = other[i]
        r = rel[i, cand]
        if not r.any():
            continue
        y_true.append(r)
        y_score.append(sim[i, cand])
        aps.append(average_precision_score(r, sim[i, cand]))
    pooled_true, pooled_score = np.concatenate(y_true), np.concatenate(y_score)
    return {"auc_pr": float(average_precision_score(pooled_true, pooled_score)), "map": float(np.mean(aps)),
            "queries": len(aps), "occurrences": len(song), "positive_rate": float(pooled_true.mean())}


def model_rows(model, occs: Sequence[MtcOccurrence], label: str, pieces: Sequence[str],
               keys: Sequence[tuple[str, str]]) -> dict[str, dict[str, float]]:
    """Retrieval of one loaded model on raw and first-note-normalised rolls of its own grid."""
    raw, norm = rolls(occs, model.spec, None), rolls(occs, model.spec, "first")
    return {f"model ({label})": retrieval(cosine_similarity(model.embed(raw)), pieces, keys),
            f"model ({label}), input normalised (first note)": retrieval(cosine_similarity(model.embed(norm)), pieces, keys),
            # as the runtime (discovery/embed.window_rolls) draws it: the first note mid-range, not at MIDI 60
            f"model ({label}), input normalised (first note mid-range)": retrieval(
                cosine_similarity(model.embed(_mid_range(norm, model.spec))), pieces, keys)}


def _mid_range(first: np.ndarray, spec: EncodingSpec) -> np.ndarray:
    from benchmarks.note_retrieval import mid_range  # lazy: note_retrieval imports this module

    return mid_range(first, spec)


def run(split: str, extra_models: Sequence[Path] = ()) -> dict:
    import motifcli

    occs = mtc_occurrences(load_corpus("mtc", split))
    occs = [o for o in occs if o.notes]
    model = motifcli.load_model(provider="cpu")
    spec = model.spec
    raw, norm, low = rolls(occs, spec, None), rolls(occs, spec, "first"), rolls(occs, spec, "lowest")
    pieces = [o.piece for o in occs]
    keys = [o.key for o in occs]
    rows = {}
    t0 = time.perf_counter()
    rows["raw roll"] = retrieval(cosine_similarity(raw), pieces, keys)
    rows["normalised roll (first note)"] = retrieval(cosine_similarity(norm), pieces, keys)
    rows["normalised roll (lowest note)"] = retrieval(cosine_similarity(low), pieces, keys)
    rows["model (shipped)"] = retrieval(cosine_similarity(model.embed(raw)), pieces, keys)
    rows["model (shipped), input normalised (first note)"] = retrieval(cosine_similarity(model.embed(norm)), pieces, keys)
    for path in extra_models:
        rows.update(model_rows(motifcli.load_model(path, provider="cpu"), occs, Path(path).name, pieces, keys))
    return {"split": split, "model": str(model.path), "extra_models": [str(p) for p in extra_models],
            "seconds": time.perf_counter() - t0, "rows": rows}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.mtc_retrieval", description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="tune", choices=["tune", "test", "all"])
    ap.add_argument("--model", action="append", type=Path, default=[],
                    help="another ONNX model to score beside the shipped one (repeatable)")
    args = ap.parse_args(argv)
    result = run(args.split, args.model)
    result["command"] = "python -m benchmarks.mtc_retrieval " + shlex.join(list(argv) if argv is not None else sys.argv[1:])
    RESULTS.mkdir(exist_ok=True)
    suffix = "".join(f"+{p.stem}" for p in args.model)
    out = RESULTS / f"mtc-retrieval-{args.split}{suffix}.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    print("| representation | MTC split | queries | AUC-PR | mAP |\n|---|---|---|---|---|")
    for name, r in result["rows"].items():
        print(f"| {name} | {args.split} ({r['occurrences']} occ.) | {r['queries']} | {r['auc_pr']:.3f} | {r['map']:.3f} |")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
