"""Does a note model tell a family's genuine variants from its extra statements? (phase 7, benchmarks/phase7-varmodel7.md)

For every family the default discovery finds on BPS-motif tune that establishes a reference
pattern (cardinality score >= .75, as ``occ_probes embed``), three kinds of statement are embedded
(first-note-normalised windows, as ``motifcli.discovery.embed.window_rolls`` draws them) and
scored by their cosine distance to the family's nearest exact statement (up to 8 exemplars):

- *labelled variants*: the family's varied statements (similarity < 1) that match a reference
  occurrence (>= .5);
- *extra*: its varied statements that match none (what precision loses);
- *missing*: reference occurrences of that pattern no statement of the family matches (>= .5),
  from the score's notes (what recall loses); ``missing_line``: those with one note per onset and
  within 3 notes of the exemplars' length (the single-line statements an aligner could reach).

Reported per representation: AUC labelled-vs-extra (the shipped model: 0.50, the alignment
distance 0.57, phase6-occ6.md), AUC missing-vs-extra (is a missing statement nearer its family
than the family's own extras?), and the within-family share of (missing, extra) pairs where the
missing one is nearer. Representations: the pitch-normalised roll itself (flattened, cosine) and
each ``--model``. Deterministic.

    PYTHONPATH=$PWD python -m benchmarks.variant_probe --split tune --model exported_models/motif-default.onnx \
        --model exported_models/ablations/note-variant.onnx
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

from benchmarks.discovery_errors import clean
from benchmarks.discovery_sweep import pieces
from benchmarks.occ_errors import card_matrix
from benchmarks.occ_probes import note_rolls as rolls
from motifcli.discovery import discover


@dataclass
class FamilyCase:
    """One established family: its exemplars, labelled variants, extras and missing statements (note lists)."""

    piece: str
    exemplars: list = field(default_factory=list)
    labelled: list = field(default_factory=list)
    labelled_alignment: list = field(default_factory=list)  # 1/similarity - 1 of each labelled variant
    extra: list = field(default_factory=list)
    extra_alignment: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    missing_line: list = field(default_factory=list)  # indices into missing: one note per onset, length within 3


def cases(split: str) -> list[FamilyCase]:
    """The families of the default discovery on BPS-motif ``split`` that establish a reference."""
    out = []
    for p in pieces("bps", split):
        refs = clean(p.patterns)
        by_point: dict = {}
        for n in p.notes:
            by_point.setdefault((round(float(n.onset), 4), int(n.pitch)), n)
        for f in discover(p.score):
            e = clean([[o.points() for o in f.occurrences]])[0]
            ms = [card_matrix(r, e) for r in refs]
            rel = [i for i, m in enumerate(ms) if m.max() >= 0.75]
            ex = [o for o in f.occurrences if o.similarity == 1][:8]
            if not rel or len(ex) < 2:
                continue
            i = max(rel, key=lambda i: ms[i].max(axis=0).mean())
            m = ms[i]
            c = FamilyCase(p.name, [list(o.notes) for o in ex])
            for k, o in enumerate(f.occurrences):
                if o.similarity >= 1:
                    continue
                labelled = m[:, k].max() >= 0.5
                (c.labelled if labelled else c.extra).append(list(o.notes))
                (c.labelled_alignment if labelled else c.extra_alignment).append(1 / o.similarity - 1)
            for r, ro in enumerate(refs[i]):
                if m[r].max() < 0.5:
                    notes = [by_point[(round(float(t), 4), int(q))] for t, q in ro if (round(float(t), 4), int(q)) in by_point]
                    if len(notes) >= 2:
                        c.missing.append(sorted(notes, key=lambda n: (n.onset, -n.pitch)))
                        onsets = [n.onset for n in notes]
                        if len(set(onsets)) == len(onsets) and abs(len(notes) - len(c.exemplars[0])) <= 3:
                            c.missing_line.append(len(c.missing) - 1)
            out.append(c)
    return out


Embed = Callable[[Sequence[list]], np.ndarray]


def distances(c: FamilyCase, embed: Embed) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cosine distance of each labelled / extra / missing statement to the nearest exemplar."""
    groups = [c.exemplars, c.labelled, c.extra, c.missing]
    emb = embed([s for g in groups for s in g]).astype(np.float64)
    emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)
    X = emb[: len(c.exemplars)]
    out, at = [], len(c.exemplars)
    for g in groups[1:]:
        out.append((1 - emb[at:at + len(g)] @ X.T).min(axis=1) if g else np.zeros(0))
        at += len(g)
    return out[0], out[1], out[2]


def _auc(pos: list, neg: list) -> float:
    y = np.r_[np.ones(len(pos)), np.zeros(len(neg))]
    return float(roc_auc_score(y, -np.r_[pos, neg])) if len(pos) and len(neg) else float("nan")


def score(cs: list[FamilyCase], embed: Embed) -> dict[str, float]:
    lab, ext, mis, line, wins = [], [], [], [], []
    for c in cs:
        dl, de, dm = distances(c, embed)
        lab += dl.tolist()
        ext += de.tolist()
        mis += dm.tolist()
        line += dm[c.missing_line].tolist()
        if len(de) and len(dm):
            wins += (dm[:, None] < de[None, :]).ravel().tolist()
    return {"auc_labelled_vs_extra": _auc(lab, ext), "auc_missing_vs_extra": _auc(mis, ext),
            "auc_missing_line_vs_extra": _auc(line, ext),
            "missing_nearer_in_family": float(np.mean(wins)) if wins else float("nan"),
            "median_d_labelled": float(np.median(lab)), "median_d_extra": float(np.median(ext)),
            "median_d_missing": float(np.median(mis))}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="tune")
    ap.add_argument("--model", action="append", default=[])
    ap.add_argument("--out", default="")
    args = ap.parse_args(argv)
    from motifcli.encoding import EncodingSpec
    from motifcli.model import load_model

    cs = cases(args.split)
    n = {k: sum(len(getattr(c, k)) for c in cs) for k in ("labelled", "extra", "missing", "missing_line")}
    print(f"{len(cs)} families; statements {n}; AUC alignment distance labelled-vs-extra "
          f"{_auc(sum((c.labelled_alignment for c in cs), []), sum((c.extra_alignment for c in cs), [])):.3f}")
    note_grid = EncodingSpec(encoding="onset-sustain", steps_per_beat=4, segment_beats=8, pitch_low=24, pitch_count=84)
    reps: dict[str, Embed] = {"normalised roll, note grid": lambda s: rolls(s, note_grid).reshape(len(s), -1)}
    for path in args.model:
        model = load_model(path)
        reps[path] = lambda s, m=model: m.embed(rolls(s, m.spec))
    results = {}
    for name, embed in reps.items():
        results[name] = score(cs, embed)
        print(name, " ".join(f"{k}={v:.3f}" for k, v in results[name].items()), flush=True)
    if args.out:
        Path(args.out).write_text(json.dumps({"split": args.split, "families": len(cs), "statements": n,
                                              "results": results}, indent=2))


if __name__ == "__main__":
    main()
