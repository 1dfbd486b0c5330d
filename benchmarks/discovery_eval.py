"""Score note-level motif discovery with the MIREX pattern metrics (mir_eval.pattern), per piece and per corpus.

A *method* is any callable ``(Piece) -> patterns`` (mir_eval format: patterns -> occurrences ->
``(onset, pitch)``), listed by name in :data:`METHODS`. A new method plugs in with one line::

    METHODS["discovery"] = lambda piece: my_patterns(piece.score)

Run one method over one split of a corpus; it writes ``benchmarks/results/<method>-<corpus>-<split>.json``
(per-piece scores and seconds, the mean, the exact command) and prints a markdown table row::

    python -m benchmarks.discovery_eval --method siatec --corpus bps --split tune

Aggregation is the plain mean over pieces, as MIREX reports it. Patterns are ranked by the method
(FFP and FFTP_est use its first five).
"""

from __future__ import annotations

import argparse
import json
import shlex
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import mir_eval.pattern

from benchmarks.motif_corpora import Pattern, Piece, load_corpus

RESULTS = Path(__file__).resolve().parent / "results"
REPO_ROOT = Path(__file__).resolve().parents[1]

# The metrics the tables show, in mir_eval.pattern.evaluate's names.
METRICS = ("P_est", "R_est", "F_est", "P_occ.75", "R_occ.75", "F_occ.75", "P_occ.5", "R_occ.5", "F_occ.5",
           "P_3", "R_3", "F_3", "FFTP_est", "FFP")
TABLE = ("F_est", "P_est", "R_est", "F_occ.75", "F_occ.5", "F_3", "FFTP_est", "FFP")


ONSET_DECIMALS = 4  # mir_eval matches (onset, pitch) exactly: 9.666667 and 9.6666...6 must be one onset


def clean(patterns: Sequence[Sequence[Sequence[tuple[float, int]]]]) -> list[Pattern]:
    """Onsets rounded to ONSET_DECIMALS, plain ints, no empty occurrence or pattern (mir_eval rejects both)."""
    out: list[Pattern] = []
    for pattern in patterns:
        occs = [sorted({(round(float(o), ONSET_DECIMALS), int(p)) for o, p in occ}) for occ in pattern]
        occs = [o for o in occs if o]
        if occs:
            out.append(occs)
    return out


def score(estimated_patterns: Sequence, reference_patterns: Sequence) -> dict[str, float]:
    """mir_eval.pattern's MIREX metrics of one piece: establishment, occurrence (c=.75, .5), three-layer, FFP, FFTP_est.

    No estimated pattern scores 0 everywhere (mir_eval warns and returns zeros).
    """
    est, ref = clean(estimated_patterns), clean(reference_patterns)
    if not ref:
        raise ValueError("a piece without reference patterns cannot be scored")
    if not est:
        return dict.fromkeys(METRICS, 0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores = mir_eval.pattern.evaluate(ref, est)
        # mir_eval 0.8's evaluate() passes ``thresh`` but occurrence_FPR's parameter is ``thres``, so
        # its "F_occ.5" is computed at c = .75; compute c = .5 here.
        scores["F_occ.5"], scores["P_occ.5"], scores["R_occ.5"] = mir_eval.pattern.occurrence_FPR(ref, est, thres=0.5)
    return {k: float(scores[k]) for k in METRICS}


def aggregate(per_piece: Sequence[dict[str, float]]) -> dict[str, float]:
    """Mean of each metric over pieces (MIREX's aggregation)."""
    return {k: statistics.fmean(s[k] for s in per_piece) for k in METRICS} if per_piece else {}


# ---------------------------------------------------------------- methods

def _reference(piece: Piece) -> list[Pattern]:
    return piece.patterns


def _siatec(piece: Piece) -> list[Pattern]:
    from benchmarks.baselines.siatec import siatec_patterns

    return siatec_patterns(piece)


def _shipped(piece: Piece) -> list[Pattern]:
    from benchmarks.baselines.shipped import shipped_patterns

    return shipped_patterns(piece)


_LAZY: list[object] = []  # one lazy shipped model for the whole run, as the CLI hands discovery


def _discovery(piece: Piece) -> list[Pattern]:
    """The note-level discovery as the product runs it: families -> patterns, ranked. Like the CLI it
    gets the shipped model lazily (``motifcli.model.LazyModel``), opened only for a piece with a
    leading chordal track (texture bars clustered by the bar model, ``texture_model="cluster"``)."""
    try:
        from motifcli.discovery import discover
    except ImportError as exc:  # not merged on this branch
        raise KeyError(f"method 'discovery' needs motifcli.discovery ({exc})") from exc
    if not _LAZY:
        from motifcli.model import LazyModel

        _LAZY.append(LazyModel())
    return [[occ.points() for occ in family.occurrences] for family in discover(piece.score, _LAZY[0])]


def _discovery_no_model(piece: Piece) -> list[Pattern]:
    """The note-level discovery without any model (texture bars by their points alone: phase 5's default)."""
    from motifcli.discovery import discover

    return [[occ.points() for occ in family.occurrences] for family in discover(piece.score)]


def _discovery_no_transpose(piece: Piece) -> list[Pattern]:
    """The "no invariance" ablation of the alignment: only exact-pitch repeats (``transpose=False``)."""
    from motifcli.discovery import DiscoverySettings, discover

    found = discover(piece.score, None, DiscoverySettings(transpose=False))
    return [[occ.points() for occ in family.occurrences] for family in found]


MODEL_TOLERANCE = 1.5  # the ablation rows' looser alignments, vetted by the model (DISCOVERY-ALGO.md)
ABLATION_MODELS = {"model": None, "note-vicreg": "exported_models/ablations/note-vicreg.onnx",
                   "note-noinv": "exported_models/ablations/note-noinv.onnx",
                   "note-centred": "exported_models/ablations/note-centred.onnx",
                   "note-centred-bn": "exported_models/ablations/note-centred-bn.onnx"}
_loaded: dict[str, object] = {}


def _discovery_with(name: str) -> Callable[[Piece], list[Pattern]]:
    """Discovery with a learned embedding vetting alignments up to MODEL_TOLERANCE (issue 10's ablation rows).

    ``model`` is the shipped model (``motifcli.load_model()``); ``note-vicreg`` the VICReg-only note
    model ("no fine-tuning"). Loaded once per run; load time is not counted in s/piece after the first.
    """

    def method(piece: Piece) -> list[Pattern]:
        import motifcli
        from motifcli.discovery import DiscoverySettings, discover

        path = ABLATION_MODELS[name]
        if name not in _loaded:
            _loaded[name] = motifcli.load_model() if path is None else motifcli.load_model(REPO_ROOT / path)
        # a note model cannot embed bars: its rows group a leading chordal track's texture bars by their
        # points (texture_model "off", as discovery-nomodel); the shipped bar model does both jobs
        texture_model = "cluster" if path is None else "off"
        found = discover(piece.score, _loaded[name],
                         DiscoverySettings(model_tolerance=MODEL_TOLERANCE, texture_model=texture_model))
        return [[occ.points() for occ in family.occurrences] for family in found]

    return method


def _discovery_texture(name: str) -> Callable[[Piece], list[Pattern]]:
    """The default discovery with another bar encoder grouping the texture bars (the one place the default
    uses a learned embedding), cut at that encoder's own threshold from the shipped calibration recipe
    (``benchmarks/texture_ablation.py``). ``texture-vicreg``: no fine-tuning; ``texture-cl``: no VICReg."""

    def method(piece: Piece) -> list[Pattern]:
        from benchmarks.texture_ablation import TEXTURE_ABLATIONS, thresholds
        from motifcli.discovery import DiscoverySettings, discover
        from motifcli.model import LazyModel

        if name not in _loaded:
            _loaded[name] = LazyModel(REPO_ROOT / TEXTURE_ABLATIONS[name])
        settings = DiscoverySettings(texture_model_distance=thresholds()[name])
        return [[occ.points() for occ in family.occurrences] for family in discover(piece.score, _loaded[name], settings)]

    return method


METHODS: dict[str, Callable[[Piece], list[Pattern]]] = {
    "reference": _reference,  # the ground truth itself: every score is 1.0
    "siatec": _siatec,  # SIA/SIATEC point-set baseline, chromatic pitch (benchmarks/baselines/siatec.py)
    "siatec-morph": lambda p: __import__("benchmarks.baselines.siatec", fromlist=["x"]).siatec_patterns(
        p, pitch="morphetic"),  # the same on an estimated diatonic (morphetic) pitch
    "shipped": _shipped,  # today's bar-level product output (benchmarks/baselines/shipped.py)
    "discovery": _discovery,  # the note-level discovery as the product runs it (lazy shipped model)
    "discovery-nomodel": _discovery_no_model,  # the same given no model (texture bars by their points)
    "discovery+model": _discovery_with("model"),  # + the shipped model vetting looser alignments
    "discovery+note-vicreg": _discovery_with("note-vicreg"),  # + the VICReg-only note model (no fine-tuning)
    "discovery-notranspose": _discovery_no_transpose,  # no invariance: exact-pitch repeats only
    "discovery+note-noinv": _discovery_with("note-noinv"),  # + a note model trained without transposition
    "discovery+note-centred": _discovery_with("note-centred"),  # + the note model with a centred latent (NOTE-MODEL.md)
    "discovery+note-centred-bn": _discovery_with("note-centred-bn"),  # + its ablation: centring alone, VICReg only
    "discovery+texture-vicreg": _discovery_texture("texture-vicreg"),  # texture bars by the VICReg-only bar model
    "discovery+texture-cl": _discovery_texture("texture-cl"),  # texture bars by the triplet-only bar model
}


def _across(by_family: bool) -> Callable[[Sequence[Piece]], dict[str, list[Pattern]]]:
    """Cross-piece discovery (``motifcli.discovery.across``, phase20-across20.md): the split's pieces as one
    collection, or (``by_family``) each MTC tune family (``meta["tunefamily"]``, the corpus's metadata) as
    one; each piece scored against its own references as usual."""

    def method(pieces: Sequence[Piece]) -> dict[str, list[Pattern]]:
        from motifcli.discovery.across import discover_across

        groups: dict[str, list[Piece]] = {}
        for p in pieces:
            groups.setdefault(p.meta.get("tunefamily", "") if by_family else "", []).append(p)
        out: dict[str, list[Pattern]] = {}
        for group in groups.values():
            for p, fams in zip(group, discover_across([p.score for p in group])):
                out[p.name] = [[occ.points() for occ in f.occurrences] for f in fams]
        return out

    return method


# methods that read a whole split at once (a collection): pieces -> patterns per piece name
COLLECTION_METHODS: dict[str, Callable[[Sequence[Piece]], dict[str, list[Pattern]]]] = {
    "discovery-across": _across(False),  # the split as one collection
    "discovery-across-family": _across(True),  # each tune family as one collection (MTC)
}


def use_model(path: Path) -> None:
    """Let ``discovery`` (lazily, as the CLI) and ``shipped`` use the encoder at ``path``."""
    from benchmarks.baselines import shipped
    from motifcli.model import LazyModel

    _LAZY[:] = [LazyModel(path)]
    shipped.MODEL_PATH[:] = [path]
    shipped.shipped_model.cache_clear()


def run(method: str, corpus: str, split: str, names: Sequence[str] | None = None) -> dict:
    """Run ``method`` on every piece; per-piece metrics and seconds plus their mean."""
    if method not in METHODS and method not in COLLECTION_METHODS:
        raise KeyError(f"unknown method {method!r}; methods: {sorted([*METHODS, *COLLECTION_METHODS])}")
    pieces = load_corpus(corpus, split, names)
    unlabelled = [p.name for p in pieces if not clean(p.patterns)]  # 3 MTC test songs: mir_eval cannot score them
    pieces = [p for p in pieces if p.name not in unlabelled]
    rows, estimated = [], {}
    together: dict[str, list[Pattern]] = {}
    if method in COLLECTION_METHODS:  # one run over the collection: its time shared out evenly
        t0 = time.perf_counter()
        together = COLLECTION_METHODS[method](pieces)
        share = (time.perf_counter() - t0) / max(len(pieces), 1)
    for piece in pieces:
        t0 = time.perf_counter()
        est = together[piece.name] if method in COLLECTION_METHODS else METHODS[method](piece)
        seconds = share if method in COLLECTION_METHODS else time.perf_counter() - t0
        rows.append({"piece": piece.name, "notes": len(piece.notes), "patterns": len(clean(est)),
                     "seconds": seconds, **score(est, piece.patterns)})
        estimated[piece.name] = clean(est)
    return {
        "method": method, "corpus": corpus, "split": split, "pieces": len(rows), "unlabelled_left_out": unlabelled,
        "mean": aggregate(rows),
        "median_seconds_per_piece": statistics.median(r["seconds"] for r in rows) if rows else 0.0,
        "total_seconds": sum(r["seconds"] for r in rows),
        "mean_patterns": statistics.fmean(r["patterns"] for r in rows) if rows else 0.0,
        "per_piece": rows,
        "estimated": estimated,  # main() writes these to a side file, for re-scoring without re-running
    }


def table_row(result: dict) -> str:
    """One markdown row: method | corpus/split | metrics | patterns/piece | s/piece."""
    m = result["mean"]
    cells = [result["method"], f"{result['corpus']} {result['split']} ({result['pieces']})",
             *(f"{m[k]:.3f}" for k in TABLE), f"{result['mean_patterns']:.1f}",
             f"{result['median_seconds_per_piece']:.2f}"]
    return "| " + " | ".join(cells) + " |"


TABLE_HEADER = ("| method | corpus split (pieces) | " + " | ".join(TABLE) + " | patterns/piece | s/piece (median) |\n"
                "|" + "---|" * (len(TABLE) + 4))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.discovery_eval", description=__doc__.split("\n")[0])
    ap.add_argument("--method", required=True, help=f"one of {sorted([*METHODS, *COLLECTION_METHODS])}")
    ap.add_argument("--corpus", required=True, choices=["bps", "pop909", "mtc"])
    ap.add_argument("--split", default="tune", help="bps/mtc: tune, test, all; pop909: train, val, test, all")
    ap.add_argument("--pieces", nargs="*", help="only these pieces (overrides --split)")
    ap.add_argument("--out", type=Path, help="JSON file (default benchmarks/results/METHOD-CORPUS-SPLIT.json)")
    ap.add_argument("--model", type=Path, help="methods discovery and shipped: this ONNX encoder in place of the "
                    "shipped one (a quantised or distilled candidate, phase 8)")
    args = ap.parse_args(argv)
    if args.model is not None:
        use_model(args.model)
    try:
        result = run(args.method, args.corpus, args.split, args.pieces or None)
    except KeyError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 2
    split_name = args.split if not args.pieces else "pieces"
    result["split"] = split_name
    result["command"] = "python -m benchmarks.discovery_eval " + shlex.join(
        list(argv) if argv is not None else sys.argv[1:])
    out = args.out or RESULTS / f"{args.method}-{args.corpus}-{split_name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".patterns.json").write_text(json.dumps(result.pop("estimated")) + "\n")
    out.write_text(json.dumps(result, indent=1) + "\n")
    row = table_row(result)
    out.with_suffix(".md").write_text(f"{TABLE_HEADER}\n{row}\n\n`{result['command']}`\n")
    print(TABLE_HEADER)
    print(row)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
