"""Offline study of family ORDER: discover once in the base order, re-rank by candidate saliences, score.

    PYTHONPATH=$PWD python -m benchmarks.rank_sweep --corpus bps --split tune [--model --set k=v]

Families are found once with the ordering settings at 0 (the base salience; the default cap, so the
family SET is today's: a wider cap changes families.choose) and pickled under /tmp/rank5; each mode
(``l=0.3,t=0.5``: salience_length / _transposed; ``r``, salience_redundancy, removed in session 8) re-sorts them and scores the
first five (FFTP_est, FFP; ``--full``: every metric). The shipped figures come from discovery_sweep. Also prints, per feature,
the mean over families in our first five that do / do not establish a reference pattern (score >= .5).
"""

from __future__ import annotations

import argparse
import dataclasses
import pickle
import statistics
from pathlib import Path

from benchmarks.discovery_eval import TABLE, clean, score
from benchmarks.discovery_sweep import parse_set, pieces
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.salience import plainness, ranked, transposed_share


def found(corpus: str, split: str, model_arg: str | None, sets: list[str]) -> list[tuple[list, list, float]]:
    tag = f"cap-{corpus}-{split}-{bool(model_arg)}-{'_'.join(sets)}"
    cache = Path(f"/tmp/rank5/{tag}.pkl")
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    base = {"salience_length": 0.0, "salience_transposed": 0.0}
    settings = DiscoverySettings(**{**base, **parse_set(sets)})  # the base order: re-ranked below
    wide = settings  # the default cap: families past it are not re-ranked (a wider cap changes choose())
    model = None
    if model_arg:
        import motifcli

        model = motifcli.load_model()
    out = []
    for piece in pieces(corpus, split):
        fams = discover(piece.score, model, settings=wide)
        total = sum(len(t.notes) for t in piece.score.tracks)
        out.append((fams, piece.patterns, total))
    cache.parent.mkdir(exist_ok=True)
    cache.write_bytes(pickle.dumps(out))
    return out


KEYS = {"l": "salience_length", "t": "salience_transposed"}  # "r" (salience_redundancy): removed in session 8 (tidy8)


def weights(mode: str) -> DiscoverySettings:
    """``"l=0.3,t=0.5"`` -> those ordering settings, the others 0; ``"old"``: all 0 (the base salience)."""
    out = {v: 0.0 for v in KEYS.values()}
    if mode != "old":
        out |= {KEYS[k]: float(v) for k, v in (item.split("=") for item in mode.split(","))}
    return DiscoverySettings(**out)


def evaluate(data, mode: str, cap: int, full: bool = False) -> dict[str, float]:
    rows = []
    for fams, refs, _ in data:
        order = ranked(fams, weights(mode))[:cap]
        if full:
            rows.append(score([[o.points() for o in f.occurrences] for f in order], refs))
        else:  # the family set is fixed: only the first five's metrics can change
            rows.append(first_five([[o.points() for o in f.occurrences] for f in order[:5]], refs))
    keys = TABLE if full else ("FFTP_est", "FFP")
    return {k: statistics.fmean(r[k] for r in rows) for k in keys}


def first_five(est: list, refs: list) -> dict[str, float]:
    """FFTP_est and FFP as mir_eval.pattern.evaluate computes them (its first_n_* on the first five)."""
    import warnings

    import mir_eval

    est, ref = clean(est), clean(refs)
    if not est:
        return {"FFTP_est": 0.0, "FFP": 0.0}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {"FFTP_est": float(mir_eval.pattern.first_n_target_proportion_R(ref, est, n=5)),
                "FFP": float(mir_eval.pattern.first_n_three_layer_P(ref, est, n=5))}


def analyse(data) -> None:
    """Mean features of our first five, split by whether they establish a reference (score >= .5)."""
    import mir_eval

    groups: dict[bool, list[dict[str, float]]] = {True: [], False: []}
    for fams, refs, _ in data:
        top = fams[:5]
        est, ref = clean([[o.points() for o in f.occurrences] for f in top]), clean(refs)
        m = mir_eval.pattern._compute_score_matrix(ref, est, "cardinality_score")  # refs x est
        end = max(o.end for f in fams for o in f.occurrences)
        for j, f in enumerate(top):
            feats = {"plain": plainness(f), "transposed": transposed_share(f), "base": f.salience,
                     "first": min(o.start for o in f.occurrences) / end}
            feats["rank"] = j
            feats["occs"] = len(f.occurrences)
            feats["npo"] = f.notes_per_occurrence
            groups[bool(m[:, j].max() >= 0.5)].append(feats)
    for hit, rows in groups.items():
        keys = rows[0].keys() if rows else []
        print("matched" if hit else "unmatched", len(rows), " ".join(f"{k}={statistics.fmean(r[k] for r in rows):.3f}" for k in keys))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="bps")
    ap.add_argument("--split", default="tune")
    ap.add_argument("--set", nargs="*", default=[])
    ap.add_argument("--model", nargs="?", const="default")
    ap.add_argument("--analyse", action="store_true")
    ap.add_argument("--full", action="store_true", help="every metric (slow), not only the first five's")
    ap.add_argument("--modes", nargs="*", default=["old", "new"])
    args = ap.parse_args()
    data = found(args.corpus, args.split, args.model, args.set)
    cap = DiscoverySettings().max_families
    if args.analyse:
        analyse(data)
    for mode in args.modes:
        m = evaluate(data, mode, cap, args.full)
        print(f"{mode:16s}", " ".join(f"{k}={v:.3f}" for k, v in m.items()), flush=True)


if __name__ == "__main__":
    main()
