"""Note-level retrieval on BPS-motif and the transposition test, for any set of ONNX models.

Retrieval (BPS-motif dev, ``--split tune`` by default; never trained on): every labelled
occurrence is one query, its window starting at its first note and holding the occurrence's own
notes (``benchmarks.mtc_retrieval.rolls``: cut at the roll's length). Candidates: every other
occurrence of the same piece; positives: those of the same family (pattern). Scores as in
``mtc_retrieval``: AUC-PR of all (query, candidate) pairs pooled and mAP over queries.

Transposition test: each occurrence window is transposed by a random 1-6 semitones up or down
(seeded) and embedded; ``d_transposed`` is its cosine distance to the untransposed embedding,
``d_other`` the distance between two different occurrences of the same piece. Reported: medians,
the 95th percentile of ``d_transposed``, and ``closer``: the share of (window, other window) pairs
where the transposed copy is nearer than the other window (1.0 = perfectly invariant, 0.5 = chance).

Representations: raw roll and first-note-normalised roll (each on each model's grid), and each
model on raw rolls; each ``--model`` also on first-note-normalised rolls (retrieval only). Deterministic (seeded); timings are not reported here.

    python -m benchmarks.note_retrieval --split tune --model exported_models/ablations/note-vicreg.onnx
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import average_precision_score

from benchmarks.motif_corpora import NoteRow, load_corpus
from benchmarks.mtc_retrieval import NORMAL_PITCH, RESULTS, cosine_similarity, rolls

MAX_SHIFT = 6


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One labelled occurrence: its piece, family (pattern name) and notes."""

    piece: str
    family: str
    notes: tuple[NoteRow, ...]


def bps_occurrences(split: str) -> list[Occurrence]:
    """Every occurrence of every BPS-motif piece of ``split``, with its notes from the score."""
    out = []
    for piece in load_corpus("bps", split):
        by_point: dict[tuple[float, int], list[NoteRow]] = {}
        for n in piece.notes:
            by_point.setdefault((float(n.onset), int(n.pitch)), []).append(n)
        for name, pattern in zip(piece.pattern_names, piece.patterns):
            for occ in pattern:
                notes = tuple(by_point[(float(o), int(p))][0] for o, p in occ if (float(o), int(p)) in by_point)
                if notes:
                    out.append(Occurrence(piece.name, name, notes))
    return out


def within_piece(sim: np.ndarray, pieces: Sequence[str], families: Sequence[str]) -> dict[str, float]:
    """Pooled AUC-PR and mAP: candidates are the other occurrences of the query's piece."""
    song, fam = np.asarray(pieces), np.asarray(families)
    y_true, y_score, aps = [], [], []
    for i in range(len(song)):
        cand = song == song[i]
        cand[i] = False
        rel = fam[cand] == fam[i]
        if not rel.any() or rel.all():
            continue
        y_true.append(rel)
        y_score.append(sim[i, cand])
        aps.append(average_precision_score(rel, sim[i, cand]))
    t, s = np.concatenate(y_true), np.concatenate(y_score)
    return {"auc_pr": float(average_precision_score(t, s)), "map": float(np.mean(aps)), "queries": len(aps),
            "occurrences": len(song), "positive_rate": float(t.mean())}


def transposed(occs: Sequence[Occurrence], seed: int = 0) -> list[Occurrence]:
    """Each occurrence moved by a random nonzero shift in [-MAX_SHIFT, MAX_SHIFT] semitones."""
    rng = np.random.default_rng(seed)
    out = []
    for o in occs:
        k = int(rng.integers(1, MAX_SHIFT + 1)) * (1 if rng.random() < 0.5 else -1)
        out.append(Occurrence(o.piece, o.family, tuple(NoteRow(n.track, n.onset, n.offset, n.pitch + k) for n in o.notes)))
    return out


def transposition_test(embed: Callable[[np.ndarray], np.ndarray], spec, occs: Sequence[Occurrence],
                       normalise: str | None = None) -> dict[str, float]:
    """Distance of each window to its transposed copy vs to the other windows of its piece."""
    a = _unit(embed(rolls(occs, spec, normalise)))
    b = _unit(embed(rolls(transposed(occs), spec, normalise)))
    d_t = 1.0 - np.sum(a * b, axis=1)
    d_all = 1.0 - a @ a.T
    song = np.array([o.piece for o in occs])
    same = (song[:, None] == song[None, :]) & ~np.eye(len(occs), dtype=bool)
    closer = (d_all > d_t[:, None])[same].mean()
    d_other = d_all[same]
    return {"d_transposed_median": float(np.median(d_t)), "d_transposed_p95": float(np.percentile(d_t, 95)),
            "d_other_median": float(np.median(d_other)), "d_other_p05": float(np.percentile(d_other, 5)),
            "closer": float(closer)}


def mid_range(first: np.ndarray, spec) -> np.ndarray:
    """Rolls normalised to ``NORMAL_PITCH`` moved so the first note sits mid-range, as the runtime draws them."""
    shift = spec.pitch_low + spec.pitch_count // 2 - NORMAL_PITCH
    out = np.zeros_like(first)
    if shift >= 0:
        out[..., shift:] = first[..., : first.shape[-1] - shift]
    else:
        out[..., :shift] = first[..., -shift:]
    return out


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64).reshape(len(x), -1)
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def _flat(x: np.ndarray) -> np.ndarray:
    return x.reshape(len(x), -1)


def run(split: str, model_paths: Sequence[Path]) -> dict:
    import motifcli

    occs = bps_occurrences(split)
    pieces, fams = [o.piece for o in occs], [o.family for o in occs]
    models = {"shipped": motifcli.load_model(provider="cpu")}
    models.update({Path(p).name: motifcli.load_model(p, provider="cpu") for p in model_paths})
    retrieval, transposition = {}, {}
    grids = {}
    for name, model in models.items():
        grid = f"{model.spec.segment_beats:g} beats x {model.spec.steps_per_beat}/beat, {model.spec.encoding}"
        if grid not in grids:
            grids[grid] = model.spec
            for label, norm in (("raw roll", None), ("normalised roll (first note)", "first")):
                key = f"{label} [{grid}]"
                retrieval[key] = within_piece(cosine_similarity(rolls(occs, model.spec, norm)), pieces, fams)
                transposition[key] = transposition_test(_flat, model.spec, occs, norm)
        key = f"model {name} [{grid}]"
        retrieval[key] = within_piece(cosine_similarity(model.embed(rolls(occs, model.spec, None))), pieces, fams)
        transposition[key] = transposition_test(model.embed, model.spec, occs)
        if name != "shipped":  # as the runtime (discovery/embed.window_rolls) feeds a "normalised" model
            key = f"model {name}, input normalised (first note mid-range) [{grid}]"
            retrieval[key] = within_piece(cosine_similarity(model.embed(mid_range(rolls(occs, model.spec, "first"), model.spec))),
                                          pieces, fams)
    return {"split": split, "occurrences": len(occs), "pieces": len(set(pieces)),
            "models": {k: str(m.path) for k, m in models.items()}, "retrieval": retrieval, "transposition": transposition}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.note_retrieval", description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="tune", choices=["tune", "test", "all"])
    ap.add_argument("--model", action="append", type=Path, default=[], help="ONNX model beside the shipped one")
    ap.add_argument("--out", type=Path, help="JSON file (default benchmarks/results/note-retrieval-bps-SPLIT.json)")
    args = ap.parse_args(argv)
    result = run(args.split, args.model)
    result["command"] = "python -m benchmarks.note_retrieval " + shlex.join(list(argv) if argv is not None else sys.argv[1:])
    RESULTS.mkdir(exist_ok=True)
    out = args.out or RESULTS / f"note-retrieval-bps-{args.split}.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"BPS-motif {args.split}: {result['occurrences']} occurrences in {result['pieces']} pieces")
    print("| representation | queries | AUC-PR | mAP |\n|---|---|---|---|")
    for k, r in result["retrieval"].items():
        print(f"| {k} | {r['queries']} | {r['auc_pr']:.3f} | {r['map']:.3f} |")
    print("\n| representation | median d(transposed) | p95 d(transposed) | median d(other) | p5 d(other) | closer |")
    print("|---|---|---|---|---|---|")
    for k, r in result["transposition"].items():
        print(f"| {k} | {r['d_transposed_median']:.3f} | {r['d_transposed_p95']:.3f} | {r['d_other_median']:.3f} "
              f"| {r['d_other_p05']:.3f} | {r['closer']:.3f} |")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
