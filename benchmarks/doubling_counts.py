"""How many statements ``doubled`` drops, per corpus: families, statements off / on, statements dropped.

    PYTHONPATH=$PWD python -m benchmarks.doubling_counts

The cases of ``benchmarks/identity_hashes.py families`` (BPS tune + test, POP909 val + test, three
chorales, ten MTC songs, the shipped model lazily as the CLI hands it) plus MTC-ANN tune; families
are the same objects with and without the rule (it runs on the output), so only statements move.
"""

from __future__ import annotations

from collections import defaultdict

from benchmarks.identity_hashes import chorales
from benchmarks.motif_corpora import load_corpus, mtc_names
from motifcli.discovery import DiscoverySettings, discover
from motifcli.model import LazyModel


def main() -> None:
    lazy = LazyModel()
    cases: dict[str, list] = defaultdict(list)
    for split in ("tune", "test"):
        cases[f"bps {split}"] = [p.score for p in load_corpus("bps", split)]
    for split in ("val", "test"):
        cases[f"pop909 {split}"] = [p.score for p in load_corpus("pop909", split)]
    cases["chorales (3)"] = [s for _, s in chorales()]
    cases["mtc (10 of identity_hashes)"] = [p.score for p in load_corpus("mtc", names=mtc_names()[:10])]
    cases["mtc tune"] = [p.score for p in load_corpus("mtc", "tune")]
    print("| case | pieces | families off / on | statements off | on | dropped | pieces with a drop |\n|---|---|---|---|---|---|---|")
    for name, scores in cases.items():
        fo = fn = so = sn = touched = 0
        for score in scores:
            off, on = discover(score, lazy, DiscoverySettings(doubled=0.0)), discover(score, lazy)
            fo, fn = fo + len(off), fn + len(on)
            a, b = sum(len(f.occurrences) for f in off), sum(len(f.occurrences) for f in on)
            so, sn, touched = so + a, sn + b, touched + (a != b)
        print(f"| {name} | {len(scores)} | {fo} / {fn} | {so} | {sn} | {so - sn} ({(so - sn) / max(so, 1):.1%}) | {touched} |")


if __name__ == "__main__":
    main()
