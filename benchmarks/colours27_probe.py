"""A note in statements of two families: whose colour does it take, how many statements lose notes? (phase27-colours27)

    PYTHONPATH=$PWD python -m benchmarks.colours27_probe [--bps] [--mtc N] [--verbose]

Writer-side counts (discovery unchanged): each input is annotated with the defaults (``motifcli.pipeline.annotate``),
its statements are the writers' (``writers.shared.statements``: one per note set, the lead family's colour), and
every note (track, onset, pitch) of a statement is painted by one statement under each colour policy
(``writers.colour_order``): ``first`` (session 26: the statement that starts first, then ends first) and ``shorter``
(session 27's default: the statement of the shorter span, then the one that starts first). Per policy: notes in
2+ statements of different colours, statements with a note painted in another colour ("lose"), the share of their
notes lost, and statements with *every* note in another colour ("hidden": a bracket over notes none of which
shows its colour; "cells": of those, statements lying inside another family's statement that shares
notes with them). Each overlapping pair of different colours is classed: nested (one's span lies in the other's),
partial (ends overlap), texture/line (one of them a texture family's chords, the other a line's).

Inputs: the music21 corpus pieces of benchmarks/eye26_pages.py and a few more chorales, sonatas, quartets,
the examples' POP909 songs; ``--bps`` adds BPS-motif *tune* pieces and ``--mtc N`` the first N MTC *tune* songs,
for counting only (never a test piece).
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from motifcli.annotation import Annotation
from motifcli.pipeline import annotate
from motifcli.readers import read_score
from motifcli.writers.colour_order import POLICIES, Span, winner
from motifcli.writers.shared import Statement, statements

REPO = Path(__file__).resolve().parents[1]
MORE = {"bwv1.6": "bach/bwv1.6.mxl", "bwv4.8": "bach/bwv4.8.mxl", "mozart-k331-i": "mozart/k331/movement1.mxl",
        "beethoven-op18-1-i": "beethoven/opus18no1/movement1.mxl", "haydn-op1-1-i": "haydn/opus1no1/movement1.mxl",
        "corelli-op3-1-i": "corelli/opus3no1/1grave.mxl", "mozart-k155-i": "mozart/k155/movement1.mxl"}
_TEXTURE = {2, 3}  # MotifNote.voice of a texture family's chords / a one-track song's accompaniment


def inputs() -> dict[str, Path]:
    from music21 import corpus

    from benchmarks.cells26_counts import inputs as eye_inputs

    out = eye_inputs()
    root = Path(corpus.__file__).parent
    out.update({k: root / v for k, v in MORE.items() if (root / v).exists()})
    for mid in sorted((REPO / "examples").glob("pop909-*.mid")):
        out[mid.stem] = mid
    return out


def keyed(statement: Statement) -> set[tuple[int, float, int]]:
    return {(n.track, round(n.onset, 6), n.pitch) for n in statement.lead.notes}


def texture(statement: Statement) -> bool:
    return any(n.voice in _TEXTURE for n in statement.lead.notes)


def spans(annotation: Annotation) -> list[tuple[Statement, Span, set]]:
    colours = {m.name: m.color for m in annotation.motifs}
    rank = {m.name: k for k, m in enumerate(annotation.ranked)}
    out = []
    for s in statements(annotation):
        notes = keyed(s)
        if not notes:
            continue
        start = min(n.onset for n in s.lead.notes)
        end = max(n.offset for n in s.lead.notes)
        out.append((s, Span(start, end, colours.get(s.lead.family, ""), rank.get(s.lead.family, len(rank))), notes))
    return out


def count(items: list[tuple[Statement, Span, set]], policy: str) -> dict[str, float]:
    """Painted notes and losses of one piece under ``policy``."""
    holders: dict[tuple, list[Span]] = {}
    for _, sp, notes in items:
        for key in notes:
            holders.setdefault(key, []).append(sp)
    painted = {key: h[winner(h, policy)].color for key, h in holders.items()}
    colours_at: dict[tuple, set[str]] = {}
    for _, sp, notes in items:
        for key in notes:
            colours_at.setdefault(key, set()).add(sp.color)
    lose = hidden = hidden_cells = lost_notes = lose_notes = 0
    for _, sp, notes in items:
        lost = sum(painted[key] != sp.color for key in notes)
        if lost:
            lose += 1
            lost_notes += lost
            lose_notes += len(notes)
            hidden += lost == len(notes)
            if lost == len(notes):  # a cell inside another family's statement that shares its notes: the worst case
                hidden_cells += any(o.color != sp.color and o.start <= sp.start and sp.end <= o.end
                                    and (o.start, o.end) != (sp.start, sp.end) and notes & other
                                    for _, o, other in items)
    return {"statements": len(items), "notes": len(painted), "shared": sum(len(c) > 1 for c in colours_at.values()),
            "lose": lose, "lost_notes": lost_notes, "lose_notes": lose_notes, "hidden": hidden,
            "hidden_cells": hidden_cells}


def kinds(items: list[tuple[Statement, Span, set]]) -> Counter:
    """Overlapping pairs of different colours: nested / partial, and texture-line or like with like."""
    c: Counter = Counter()
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            (a, sa, na), (b, sb, nb) = items[i], items[j]
            if sa.color == sb.color or not na & nb:
                continue
            nested = (sa.start >= sb.start - 1e-6 and sa.end <= sb.end + 1e-6) or \
                (sb.start >= sa.start - 1e-6 and sb.end <= sa.end + 1e-6)
            mix = "texture/line" if texture(a) != texture(b) else ("texture/texture" if texture(a) else "line/line")
            c[("nested" if nested else "partial", mix)] += 1
    return c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bps", action="store_true", help="add BPS-motif tune pieces (counting only)")
    ap.add_argument("--mtc", type=int, default=0, help="add the first N MTC tune songs (counting only)")
    ap.add_argument("--only", default="", help="comma-separated input names (default: all)")
    args = ap.parse_args()
    pieces: list[tuple[str, object]] = []
    for name, path in inputs().items():
        if not args.only or name in args.only.split(","):
            pieces.append((name, read_score(path)))
    if args.bps or args.mtc:
        from benchmarks.motif_corpora import load_corpus, split_pieces

        if args.bps:
            pieces += [(f"bps-{p.name}", p.score) for p in load_corpus("bps", "tune")]
        if args.mtc:
            names = split_pieces("mtc", "tune")[: args.mtc]
            pieces += [(f"mtc-{p.name}", p.score) for p in load_corpus("mtc", "tune", names)]
    totals = {p: Counter() for p in POLICIES}
    kind_total: Counter = Counter()
    for name, score in pieces:
        items = spans(annotate(score))
        k = kinds(items)
        kind_total.update(k)
        line = [f"{name:>22} st={len(items):3d}"]
        for p in POLICIES:
            r = count(items, p)
            totals[p].update(r)
            line.append(f"{p}: shared {r['shared']}/{r['notes']} lose {r['lose']} hidden {r['hidden']}"
                        f" (cells {r['hidden_cells']})"
                        f" lost {r['lost_notes']}/{r['lose_notes']}")
        print(" | ".join(line), " ", dict(sorted((f"{a}:{b}", v) for (a, b), v in k.items())), flush=True)
    for p, t in totals.items():
        share = t["lost_notes"] / t["lose_notes"] if t["lose_notes"] else 0.0
        print(f"TOTAL {p}: {len(pieces)} pieces, {t['statements']} statements, {t['notes']} coloured notes, "
              f"{t['shared']} in 2+ colours; {t['lose']} statements lose notes ({share:.0%} of theirs), "
              f"{t['hidden']} hidden ({t['hidden_cells']} of them cells inside another family's statement)")
    print("pairs:", dict(sorted((f"{a}:{b}", v) for (a, b), v in kind_total.items())))


if __name__ == "__main__":
    main()
