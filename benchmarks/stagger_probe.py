"""Staggered duplicate families: one passage parsed as two families whose statements are shifted phrasings.

    PYTHONPATH=$PWD python -m benchmarks.stagger_probe count [--list] [--share 0.5] CORPUS ...   # bps:tune pop909:val mtc:tune m21
    PYTHONPATH=$PWD python -m benchmarks.stagger_probe score CORPUS ...                           # F_est / F_occ(.75) / F_3 of the drop rule

Criterion (fixed in session 27 before any score was looked at; phase27-stagger27.md). For two line
families X (later in the output order) and Y (earlier) of one piece's output (texture families are
whole bars and are left out):

- note overlap both ways: a = |notes(X) & notes(Y)| / |notes(X)|, b = the same over |notes(Y)|, notes
  being (track, note index) over all statements;
- every pair of statements s of X and t of Y that share a note is *staggered* when one starts
  earlier AND ends earlier than the other (onsets of first and last notes; a shifted phrasing), else
  *nested* (one's span holds the other's: a cell inside a phrase, or the same span);
- X is a **staggered duplicate** of Y when min(a, b) >= ``share`` (0.5) and at least half of their
  note-sharing statement pairs are staggered; a **nested** pair when max(a, b) >= ``share`` and most
  pairs are nested.

A family is counted once, as a staggered duplicate when it is one of at least one earlier family.
``score``: the rule "drop a line family that is a staggered duplicate of an earlier kept one"
(output order), applied to discovery's output as it is (no slot refilled), scored by
``discovery_errors.fast_scores`` (mir_eval's figures) with the lazy shipped model, as the CLI runs;
for BPS tune also the 4-vs-4 halves of ``est_halves``.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
from dataclasses import dataclass
from pathlib import Path

from motifcli.discovery.stagger import family_notes, statement_pairs
from motifcli.discovery.types import Family

M21 = {  # the eye26 ten's music21 pieces (their MIDI/Essen inputs below) and a few more quartets and sonatas
    "bwv66.6": "bach/bwv66.6.mxl", "bwv130.6": "bach/bwv130.6.mxl",
    "k545-i": "mozart/k545/movement1_exposition.mxl", "haydn74-1-i": "haydn/opus74no1/movement1.mxl",
    "maple-leaf": "joplin/maple_leaf_rag.mxl", "foster": "leadSheet/fosterBrownHair.mxl",
    "dichterliebe-2": "schumann_robert/dichterliebe_no2.xml",
    "haydn74-1-ii": "haydn/opus74no1/movement2.mxl", "haydn1-1-i": "haydn/opus1no1/movement1.mxl",
    "beet18-1-ii": "beethoven/opus18no1/movement2.mxl", "k458-i": "mozart/k458/movement1.mxl",
    "k80-i": "mozart/k80/movement1.mxl", "k155-i": "mozart/k155/movement1.mxl",
}


SHORT: set[str] = set()  # pieces read as a short tune (filled by outputs)


@dataclass(frozen=True)
class Pair:
    later: int  # index in the output order
    earlier: int
    a: float  # share of the later family's notes in the earlier's statements
    b: float  # ... and the other way
    staggered: int  # note-sharing statement pairs that are shifted phrasings
    nested: int  # ... whose spans hold one another

    def kind(self, share: float) -> str:
        shared = self.staggered + self.nested
        if shared and min(self.a, self.b) >= share and self.staggered * 2 >= shared:
            return "stagger"
        if shared and max(self.a, self.b) >= share and self.nested * 2 > shared:
            return "nested"
        return ""


def pair(found: list[Family], later: int, earlier: int) -> Pair:
    """The overlap of two families of one output (``later`` after ``earlier`` in its order), counted as the
    product's rule counts it (motifcli.discovery.stagger)."""
    x, y = found[later], found[earlier]
    nx, ny = family_notes(x), family_notes(y)
    common = len(nx & ny)
    staggered, nested = statement_pairs(x, y) if common else (0, 0)
    return Pair(later, earlier, common / len(nx), common / len(ny), staggered, nested)


def pairs(found: list[Family]) -> list[Pair]:
    lines = [i for i, f in enumerate(found) if not f.is_texture]
    return [pair(found, i, j) for k, i in enumerate(lines) for j in lines[:k]]


def counts(found: list[Family], share: float) -> tuple[int, int, int, int]:
    """(families, line families, staggered duplicates, nested pairs) of one output."""
    ps = pairs(found)
    dup = {p.later for p in ps if p.kind(share) == "stagger"}
    return len(found), sum(not f.is_texture for f in found), len(dup), sum(p.kind(share) == "nested" for p in ps)


def dropped(found: list[Family], share: float, keep: str = "order", merge: bool = False) -> list[Family]:
    """The output without each line family that is a staggered duplicate of a kept one met before it:
    in the output order (``keep="order"``) or by coverage, largest first (``"coverage"``). ``merge``:
    the dropped family's statements that share no note with the keeper's join the keeper."""
    import dataclasses

    order = list(range(len(found)))
    if keep == "coverage":
        order.sort(key=lambda i: -found[i].coverage)
    kept: list[int] = []
    fams = list(found)
    for i in order:
        f = fams[i]
        keeper = None if f.is_texture else next(
            (j for j in kept if not fams[j].is_texture and pair(fams, max(i, j), min(i, j)).kind(share) == "stagger"), None)
        if keeper is None:
            kept.append(i)
        elif merge:
            held = {(n.track, n.index) for o in fams[keeper].occurrences for n in o.notes}
            extra = tuple(o for o in f.occurrences if not {(n.track, n.index) for n in o.notes} & held)
            fams[keeper] = dataclasses.replace(fams[keeper], occurrences=fams[keeper].occurrences + extra)
    return [fams[i] for i in sorted(kept)]


def outputs(corpus: str) -> list[tuple[str, list[Family], list | None]]:
    """(name, discovery's output with the lazy shipped model, references or None) per piece of ``corpus``;
    ``SHORT`` gets the names of the pieces discovery reads as a short tune (core._short_tune)."""
    from motifcli.discovery import discover
    from motifcli.model import LazyModel

    lazy = LazyModel()
    if corpus == "m21":
        import music21

        import motifcli

        root = Path(music21.__file__).parent / "corpus"
        repo = Path(__file__).resolve().parents[1]
        items = [(k, root / v) for k, v in M21.items()]
        items += [(n, repo / "examples" / f"{n}.mid") for n in ("pop909-101", "pop909-303")]
        out = []
        for name, path in items:
            out.append((name, discover(motifcli.read_score(path), lazy), None))
        essen = Path("/tmp/stagger27-essen-altdeu10-1.musicxml")
        if not essen.exists():
            music21.corpus.parse("essenFolksong/altdeu10", number=1).write("musicxml", fp=str(essen))
        out.append(("essen-altdeu10-1", discover(motifcli.read_score(essen), lazy), None))
        return out
    from benchmarks.discovery_errors import clean
    from benchmarks.discovery_sweep import pieces

    name, split = corpus.split(":")
    assert (name, split) in {("bps", "tune"), ("pop909", "val"), ("pop909", "train"), ("mtc", "tune")}, "tune/val/train only"
    ps = [p for p in pieces(name, split) if clean(p.patterns)]
    from motifcli.discovery import DiscoverySettings
    from motifcli.discovery.core import _short_tune

    SHORT.update(p.name for p in ps if _short_tune(p.score, DiscoverySettings()))
    return [(p.name, discover(p.score, lazy), clean(p.patterns)) for p in ps]


def describe(found: list[Family], p: Pair) -> str:
    x, y = found[p.later], found[p.earlier]
    return (f"{x.label}({len(x.occurrences)}x{x.notes_per_occurrence}) ~ {y.label}({len(y.occurrences)}x"
            f"{y.notes_per_occurrence}) a={p.a:.2f} b={p.b:.2f} staggered={p.staggered} nested={p.nested}")


def count(corpora: list[str], share: float, listing: bool) -> None:
    for corpus in corpora:
        tot = [0, 0, 0, 0]
        pieces_with = 0
        outs = outputs(corpus)
        for name, found, _ in outs:
            c = counts(found, share)
            tot = [t + v for t, v in zip(tot, c)]
            pieces_with += c[2] > 0
            if listing:
                print(f"  {name}: families={c[0]} lines={c[1]} staggered-dup={c[2]} nested-pairs={c[3]}")
                for p in pairs(found):
                    k = p.kind(share)
                    if k:
                        print(f"    {k}: {describe(found, p)}")
        print(f"  ({sum(n in SHORT for n, _, _ in outs)} of {len(outs)} pieces read as short tunes)")
        print(f"{corpus} share={share}: families={tot[0]} line={tot[1]} staggered-duplicates={tot[2]}"
              f" ({tot[2] / max(tot[1], 1):.1%} of line families; pieces with one: {pieces_with})"
              f" nested-pairs={tot[3]}", flush=True)


def score(corpora: list[str], shares: list[float], hows: list[str]) -> None:
    from benchmarks.discovery_errors import clean, fast_scores
    from benchmarks.est_halves import report

    for corpus in corpora:
        outs = outputs(corpus)
        variants = ["defaults", *[f"{how} {s}" for how in hows for s in shares]]
        per: dict[str, list[dict]] = {v: [] for v in variants}
        dups: dict[str, int] = dict.fromkeys(variants, 0)
        for name, found, refs in outs:
            for v in variants:
                how, _, sh = v.rpartition(" ")
                f = found if v == "defaults" or ("long" in how and name in SHORT) else dropped(found, float(sh), keep="coverage" if "coverage" in how else "order",
                                                          merge="merge" in how)
                per[v].append(fast_scores(clean([[o.points() for o in fam.occurrences] for fam in f]), refs))
                dups[v] += counts(f, 0.5)[2]
        for v in variants:
            mean = {k: statistics.fmean(r[k] for r in per[v]) for k in ("F_est", "F_occ.75", "F_3", "FFTP_est", "FFP")}
            print(corpus, " ".join(f"{k}={x:.4f}" for k, x in mean.items()), f"staggered-dups(0.5)={dups[v]}",
                  repr(v), flush=True)
        if corpus == "bps:tune":
            report([n for n, _, _ in outs], per, variants, "defaults", "F_est")
            n = len(outs)
            for v in variants[1:]:  # the decision rule's check: every 4-piece half's F_est change
                gains = [statistics.fmean(per[v][i]["F_est"] - per["defaults"][i]["F_est"] for i in half)
                         for half in itertools.combinations(range(n), n // 2)]
                print(f"{v!r}: F_est change on the {len(gains)} halves of {n // 2} pieces: min {min(gains):+.4f},"
                      f" max {max(gains):+.4f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=("count", "score"))
    ap.add_argument("corpora", nargs="+")
    ap.add_argument("--share", type=float, default=0.5)
    ap.add_argument("--shares", default="0.5,0.3,0.7", help="score: the drop rule's share, one variant each")
    ap.add_argument("--hows", default="drop", help="score: drop, drop-coverage (keep the larger coverage), merge,"
                    " merge-coverage (the dropped family's statements off the keeper's notes join it), comma-separated")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    if args.what == "count":
        count(args.corpora, args.share, args.list)
    else:
        score(args.corpora, [float(s) for s in args.shares.split(",")], args.hows.split(","))


if __name__ == "__main__":
    main()
