"""Cross-piece discovery (motifcli.discovery.across) scored per song, against within-song discovery.

    PYTHONPATH=$PWD python -m benchmarks.across_sweep [--per-piece] mtc tune split|family|mixed|song "" "k=v ..."

``split``: the whole split as one collection (no tune-family information used); ``family``: each
tune family (MTC's ``meta["tunefamily"]``, metadata of the corpus) as its own collection; ``mixed``
(a control): as many collections of about those sizes, each dealt songs of every tune family; ``song``:
each song alone (plain ``discover``: the within-song baseline). Each further argument is one
variant (DiscoverySettings overrides, and ``across_per_piece=N`` for
discover_across's own arguments; "" the defaults). Scores are discovery_errors.fast_scores
(mir_eval's F_est, F_occ(.75), F_3, FFTP_est), mean over songs with a labelled pattern; also
patterns per song, pieces per family of the output, seconds and peak memory.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from collections import defaultdict

from benchmarks.discovery_errors import clean, fast_scores
from benchmarks.discovery_sweep import parse_set, pieces
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.across import discover_across, statement_pieces


def groups(ps: list, mode: str) -> list[list[int]]:
    """Indices of ``ps`` per collection."""
    if mode == "split":
        return [list(range(len(ps)))]
    if mode == "family":
        by: dict[str, list[int]] = defaultdict(list)
        for i, p in enumerate(ps):
            by[p.meta["tunefamily"]].append(i)
        return list(by.values())
    if mode == "mixed":  # a control: collections of the tune families' sizes, songs dealt across families
        sizes = [len(g) for g in groups(ps, "family")]
        order = sorted(range(len(ps)), key=lambda i: (ps[i].meta["tunefamily"], i))
        dealt = [order[j::len(sizes)] for j in range(len(sizes))]  # round robin: each collection mixes families
        return [g for g in dealt if g]
    return [[i] for i in range(len(ps))]


def run(ps: list, mode: str, settings: DiscoverySettings, **kw: object) -> tuple[list, list[int], float]:
    """Per piece its families; per collection family label how many pieces state it; seconds."""
    found: list = [None] * len(ps)
    spread: list[int] = []
    t0 = time.perf_counter()
    for idx in groups(ps, mode):
        if mode == "song":
            found[idx[0]] = discover(ps[idx[0]].score, None, settings)
            continue
        fams = discover_across([ps[i].score for i in idx], None, settings, **kw)
        for i, f in zip(idx, fams):
            found[i] = f
        spread.extend(statement_pieces(fams).values())
    return found, spread, time.perf_counter() - t0


def links(ps: list, found: list, mode: str, at: float = 0.75) -> tuple[float, float, int]:
    """Does one label join a motif class's statements across songs? Each (song, reference class)
    whose occurrence a family statement matches (cardinality >= ``at``) is tagged with the family's
    (collection, label). Recall: of the song pairs sharing a class (MTC's (tune family, motif)), the
    share whose matches share a tag; precision: of the cross-song pairs of matches sharing a tag, the
    share of one class; and the number of such class pairs."""
    coll = {i: c for c, idx in enumerate(groups(ps, mode)) for i in idx}
    tags: dict[tuple[int, tuple[str, str]], set] = defaultdict(set)
    for i, (p, fams) in enumerate(zip(ps, found)):
        for k, name in enumerate(p.pattern_names):
            refs = [set(o) for o in p.patterns[k]]
            for f in fams:
                for o in f.occurrences:
                    pts = set(o.points())
                    if any(len(r & pts) / max(len(r), len(pts)) >= at for r in refs):
                        tags[(i, (p.meta["tunefamily"], name))].add((coll[i], f.label))
    songs_of: dict[tuple[str, str], set[int]] = defaultdict(set)
    for i, p in enumerate(ps):
        for name in p.pattern_names:
            songs_of[(p.meta["tunefamily"], name)].add(i)
    pairs = hit = 0
    for key, songs in songs_of.items():
        ss = sorted(songs)
        for a in range(len(ss)):
            for b in range(a + 1, len(ss)):
                pairs += 1
                hit += bool(tags.get((ss[a], key), set()) & tags.get((ss[b], key), set()))
    by_tag: dict[tuple, list] = defaultdict(list)
    for (i, key), ts in tags.items():
        for t in ts:
            by_tag[t].append((i, key))
    same = total = 0
    for entries in by_tag.values():
        for a in range(len(entries)):
            for b in range(a + 1, len(entries)):
                if entries[a][0] != entries[b][0]:
                    total += 1
                    same += entries[a][1] == entries[b][1]
    return hit / max(pairs, 1), same / max(total, 1), pairs


def main() -> None:
    args = sys.argv[1:]
    per_piece = "--per-piece" in args
    args = [a for a in args if a != "--per-piece"]
    top = 0  # --top K: score each piece's first K families only (what a reader sees first)
    if "--top" in args:
        i = args.index("--top")
        top = int(args[i + 1])
        del args[i:i + 2]
    corpus, split, mode, variants = args[0], args[1], args[2], args[3:] or [""]
    ps = [p for p in pieces(corpus, split) if clean(p.patterns)]
    refs = [clean(p.patterns) for p in ps]
    for spec in variants:
        items = spec.split()  # across_per_piece=N: discover_across's own argument
        kw = {k[7:]: (int(v) if k in ("across_per_piece", "across_generic_notes") else float(v)) for k, v in (i.split("=", 1) for i in items)
              if k.startswith("across_")}
        settings = DiscoverySettings(**parse_set([i for i in items if not i.startswith("across_")]))
        found, spread, secs = run(ps, mode, settings, **kw)
        if top:
            found = [f[:top] for f in found]
        rows = []
        for p, r, fams in zip(ps, refs, found):
            rows.append(fast_scores(clean([[o.points() for o in f.occurrences] for f in fams]), r))
            if per_piece:
                x = rows[-1]
                print(f"  {p.name:>14} {p.meta.get('tunefamily', '')[:18]:>18} {x['F_est']:.3f}/{x['F_occ.75']:.3f}/"
                      f"{x['F_3']:.3f} fams={len(fams)} stmts={sum(len(f.occurrences) for f in fams)}", flush=True)
        mean = {k: statistics.fmean(r[k] for r in rows) for k in ("F_est", "F_occ.75", "F_3", "FFTP_est", "P_est", "R_est")}
        pps = statistics.fmean(len(f) for f in found)
        wide = statistics.fmean(spread) if spread else 1.0
        mem = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        extra = ""
        if corpus == "mtc":
            rec, prec, n = links(ps, found, mode)
            extra = f" link_recall={rec:.3f} link_precision={prec:.3f} (class song pairs {n})"
        print(corpus, split, mode, " ".join(f"{k}={v:.3f}" for k, v in mean.items()), f"pats/song={pps:.1f}",
              f"pieces/family={wide:.1f}", f"secs={secs:.1f}", f"maxrss={mem:.0f}MB", repr(spec) + extra, flush=True)


if __name__ == "__main__":
    main()
