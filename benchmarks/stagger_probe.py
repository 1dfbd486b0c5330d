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
import statistics
from dataclasses import dataclass
from pathlib import Path

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


def _notes(f: Family) -> set[tuple[int, int]]:
    return {(n.track, n.index) for o in f.occurrences for n in o.notes}


def _span(o) -> tuple[float, float]:
    return o.notes[0].onset, o.notes[-1].onset


def pair(found: list[Family], later: int, earlier: int) -> Pair:
    """The overlap of two families of one output (``later`` after ``earlier`` in its order)."""
    x, y = found[later], found[earlier]
    nx, ny = _notes(x), _notes(y)
    common = len(nx & ny)
    staggered = nested = 0
    if common:
        ys = [({(n.track, n.index) for n in t.notes}, _span(t)) for t in y.occurrences]
        for s in x.occurrences:
            sn, (s0, s1) = {(n.track, n.index) for n in s.notes}, _span(s)
            for tn, (t0, t1) in ys:
                if sn & tn:
                    if (s0 < t0 and s1 < t1) or (s0 > t0 and s1 > t1):
                        staggered += 1
                    else:
                        nested += 1
    return Pair(later, earlier, common / len(nx), common / len(ny), staggered, nested)


def pairs(found: list[Family]) -> list[Pair]:
    lines = [i for i, f in enumerate(found) if not f.is_texture]
    return [pair(found, i, j) for k, i in enumerate(lines) for j in lines[:k]]


def counts(found: list[Family], share: float) -> tuple[int, int, int, int]:
    """(families, line families, staggered duplicates, nested pairs) of one output."""
    ps = pairs(found)
    dup = {p.later for p in ps if p.kind(share) == "stagger"}
    return len(found), sum(not f.is_texture for f in found), len(dup), sum(p.kind(share) == "nested" for p in ps)


def dropped(found: list[Family], share: float) -> list[Family]:
    """The output without each line family that is a staggered duplicate of an earlier kept one."""
    kept: list[int] = []
    for i, f in enumerate(found):
        if f.is_texture or not any(
                not found[j].is_texture and pair(found, i, j).kind(share) == "stagger" for j in kept):
            kept.append(i)
    return [found[i] for i in kept]


def outputs(corpus: str) -> list[tuple[str, list[Family], list | None]]:
    """(name, discovery's output with the lazy shipped model, references or None) per piece of ``corpus``."""
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
    return [(p.name, discover(p.score, lazy), clean(p.patterns)) for p in ps]


def describe(found: list[Family], p: Pair) -> str:
    x, y = found[p.later], found[p.earlier]
    return (f"{x.label}({len(x.occurrences)}x{x.notes_per_occurrence}) ~ {y.label}({len(y.occurrences)}x"
            f"{y.notes_per_occurrence}) a={p.a:.2f} b={p.b:.2f} staggered={p.staggered} nested={p.nested}")


def count(corpora: list[str], share: float, listing: bool) -> None:
    for corpus in corpora:
        tot = [0, 0, 0, 0]
        pieces_with = 0
        for name, found, _ in outputs(corpus):
            c = counts(found, share)
            tot = [t + v for t, v in zip(tot, c)]
            pieces_with += c[2] > 0
            if listing:
                print(f"  {name}: families={c[0]} lines={c[1]} staggered-dup={c[2]} nested-pairs={c[3]}")
                for p in pairs(found):
                    k = p.kind(share)
                    if k:
                        print(f"    {k}: {describe(found, p)}")
        print(f"{corpus} share={share}: families={tot[0]} line={tot[1]} staggered-duplicates={tot[2]}"
              f" ({tot[2] / max(tot[1], 1):.1%} of line families; pieces with one: {pieces_with})"
              f" nested-pairs={tot[3]}", flush=True)


def score(corpora: list[str], shares: list[float]) -> None:
    from benchmarks.discovery_errors import clean, fast_scores
    from benchmarks.est_halves import report

    for corpus in corpora:
        outs = outputs(corpus)
        variants = ["defaults", *[f"drop stagger {s}" for s in shares]]
        per: dict[str, list[dict]] = {v: [] for v in variants}
        dups: dict[str, int] = dict.fromkeys(variants, 0)
        for _, found, refs in outs:
            for v in variants:
                f = found if v == "defaults" else dropped(found, float(v.split()[-1]))
                per[v].append(fast_scores(clean([[o.points() for o in fam.occurrences] for fam in f]), refs))
                dups[v] += counts(f, 0.5)[2]
        for v in variants:
            mean = {k: statistics.fmean(r[k] for r in per[v]) for k in ("F_est", "F_occ.75", "F_3", "FFTP_est", "FFP")}
            print(corpus, " ".join(f"{k}={x:.4f}" for k, x in mean.items()), f"staggered-dups(0.5)={dups[v]}",
                  repr(v), flush=True)
        if corpus == "bps:tune":
            report([n for n, _, _ in outs], per, variants, "defaults", "F_est")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=("count", "score"))
    ap.add_argument("corpora", nargs="+")
    ap.add_argument("--share", type=float, default=0.5)
    ap.add_argument("--shares", default="0.5,0.3,0.7", help="score: the drop rule's share, one variant each")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    if args.what == "count":
        count(args.corpora, args.share, args.list)
    else:
        score(args.corpora, [float(s) for s in args.shares.split(",")])


if __name__ == "__main__":
    main()
