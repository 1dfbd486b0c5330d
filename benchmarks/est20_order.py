"""Does an analyst's first five follow the top line, the spread over the form, coverage, statements? (est20)

    PYTHONPATH=$PWD python -m benchmarks.est20_order [--corpus bps --split tune] [--model] [--set k=v ...] [RULE ...]

The reported families (defaults, or ``--set``) are re-sorted offline by salience x factor and scored by
``discovery_errors.fast_scores`` (FFTP_est, FFP; F_est / F_occ / F_3 cannot move: the same families).
A re-sort of the final list equals an output-order rule placed beside ``salience.output_weights``: the
rules after the order (``buried``) judge each family alone. Texture families keep factor 1 (as
``output_weights``). A RULE is ``feature^w`` (factor = feature ** w) or ``feature~w`` (factor = 1 - w x
(1 - feature)); features, per line family:

- ``top``: share of its statements' notes with no higher note sounding at their onset (the tune's line);
- ``spread``: share of the piece's ten equal time spans in which a statement starts (returns across the form);
- ``cover``: its coverage (share of voiced notes in its statements);
- ``stmts``: statements / the piece's largest family's statements;
- ``long``: notes per statement / 12 (at most 1).

Each rule is scored per piece with the 4-vs-4 held-out check and leave-one-out of ``est_halves.report``.
"""

from __future__ import annotations

import statistics


from benchmarks.discovery_errors import clean, fast_scores
from benchmarks.discovery_sweep import parse_set, pieces, probe_model, probe_parser
from benchmarks.est_halves import report
from motifcli.discovery import DiscoverySettings, Family, discover
from motifcli.discovery.register import Sounding


def features(fams: list[Family], score) -> list[dict[str, float]]:
    notes = [n for t in score.pitched_tracks() for n in t.notes]
    start = min(n.onset for n in notes)
    length = max(n.offset for n in notes) - start
    sounding = Sounding(score)
    most = max((len(f.occurrences) for f in fams), default=1)
    out = []
    for f in fams:
        occs = f.occurrences
        top = 1.0 - statistics.fmean(sounding.under_share(o) for o in occs)
        spans = {min(9, int(10 * (o.start - start) / length)) for o in occs}
        out.append({"top": top, "spread": len(spans) / 10, "cover": f.coverage, "stmts": len(occs) / most,
                    "long": min(1.0, f.notes_per_occurrence / 12), "texture": float(f.is_texture)})
    return out


def factor(rule: str, feat: dict[str, float]) -> float:
    if not rule or feat["texture"]:
        return 1.0
    if "^" in rule:
        name, w = rule.split("^")
        return max(feat[name], 1e-6) ** float(w)
    name, w = rule.split("~")
    return 1.0 - float(w) * (1.0 - feat[name])


def resort(fams: list[Family], feats: list[dict[str, float]], rule: str) -> list[int]:
    """Indices of ``fams`` by salience x factor, ties in the given order (as ``opening_ordered``)."""
    score = [f.salience * factor(rule, x) for f, x in zip(fams, feats)]
    return sorted(range(len(fams)), key=lambda i: (-score[i], i))


def main() -> None:
    ap = probe_parser(__doc__, per_piece=False, model=True)
    ap.add_argument("rules", nargs="*", default=[])
    ap.add_argument("--metric", default="FFTP_est,FFP")
    args = ap.parse_args()
    settings = DiscoverySettings(**parse_set(args.set))
    model = probe_model(args)
    ps = [p for p in pieces(args.corpus, args.split) if clean(p.patterns)]
    found = [discover(p.score, model, settings) for p in ps]
    feats = [features(fs, p.score) for fs, p in zip(found, ps)]
    est = [clean([[o.points() for o in f.occurrences] for f in fs]) for fs in found]
    refs = [clean(p.patterns) for p in ps]
    rules = ["", *args.rules]
    scores = {r: [fast_scores([e[i] for i in resort(fs, x, r)], ref) for fs, x, e, ref in zip(found, feats, est, refs)]
              for r in rules}
    if args.corpus == "bps":  # the first five's features, labelled (best establishment >= .75) or not
        for fs, x, e, ref, p in zip(found, feats, est, refs, ps):
            for j, (f, fx) in enumerate(zip(fs[:8], x[:8])):
                best = max(fast_scores([e[j]], [r])["F_est"] for r in ref)
                print(p.name, j + 1, f.label, f"best {best:.2f}", " ".join(f"{k} {v:.2f}" for k, v in fx.items() if k != "texture"))
    names = [p.name for p in ps]
    for m in args.metric.split(","):
        report(names, scores, rules, "", m)
    for r in rules:
        print(f"{r or 'defaults':14s} " + " / ".join(f"{statistics.fmean(s[m] for s in scores[r]):.3f}" for m in ("FFTP_est", "FFP")))



if __name__ == "__main__":
    main()
