"""What tells a labelled idea from a loose running-figure window, in numbers a family already has (phase17-rank17.md).

    PYTHONPATH=$PWD python -m benchmarks.rank17_probe bps tune            # labelled vs unlabelled families
    PYTHONPATH=$PWD python -m benchmarks.rank17_probe pop909 val          # (with the shipped model)
    PYTHONPATH=$PWD python -m benchmarks.rank17_probe files FILE ...      # quartets: one line per family

Families are found at the defaults (``--set k=v`` to change) and cached in /tmp/r17. Per family: rank,
statements, exact share (similarity 1), mean similarity, notes per statement, prototype length in beats,
share of its notes inside other families' statements (``others``), distinct transpositions, voices
(track, voice), share of the prototype's inter-onset intervals equal to its commonest one (``even``),
and for BPS / POP909 the best establishment score against the labels (>= .75: labelled).
"""

from __future__ import annotations

import argparse
import collections
import pickle
import statistics
from pathlib import Path

from benchmarks.discovery_errors import card, clean
from benchmarks.discovery_sweep import parse_set, pieces
from motifcli.discovery import DiscoverySettings, Family, discover
from motifcli.voices import TEXTURE

KEYS = ("stmts", "exact", "sim", "notes", "beats", "others", "levels", "voices", "even", "first")


def features(fams: list[Family], start: float, length: float) -> list[dict[str, float]]:
    notes = [{(n.track, n.index) for o in f.occurrences for n in o.notes} for f in fams]
    count = collections.Counter(k for ns in notes for k in ns)
    out = []
    for f, ns in zip(fams, notes):
        occ, proto = f.occurrences, f.prototype
        iois = [round(b.onset - a.onset, 3) for a, b in zip(proto.notes, proto.notes[1:])]
        out.append({
            "stmts": len(occ), "exact": sum(o.similarity >= 0.999 for o in occ) / len(occ),
            "sim": statistics.fmean(o.similarity for o in occ), "notes": f.notes_per_occurrence,
            "beats": proto.end - proto.start, "others": sum(count[k] > 1 for k in ns) / max(len(ns), 1),
            "levels": len({o.transposition for o in occ}), "voices": len({(o.track, o.notes[0].voice) for o in occ}),
            "even": max(collections.Counter(iois).values()) / len(iois) if iois else 0.0,
            "first": (min(o.start for o in occ) - start) / length, "tex": float(proto.notes[0].voice == TEXTURE),
            "salience": f.salience,
        })
    return out


def span(score) -> tuple[float, float]:
    ns = [n for t in score.pitched_tracks() for n in t.notes]
    start = min(n.onset for n in ns)
    return start, max(n.offset for n in ns) - start


def corpus_rows(corpus: str, split: str, sets: list[str]) -> list[tuple[str, list[dict], list]]:
    cache = Path(f"/tmp/r17/{corpus}-{split}-{'_'.join(sets) or 'defaults'}.pkl")
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    model = None
    if corpus == "pop909":
        import motifcli

        model = motifcli.load_model()
    settings = DiscoverySettings(**parse_set(sets))
    out = []
    for p in pieces(corpus, split):
        fams = discover(p.score, model, settings=settings)
        refs = clean(p.patterns)
        est = clean([[o.points() for o in f.occurrences] for f in fams])
        rows = features(fams, *span(p.score))
        for r, e in zip(rows, est):
            r["label"] = max((max(card(a, b) for a in ref for b in e) for ref in refs), default=0.0)
            r["points"] = e
        out.append((p.name, rows, refs))
    cache.parent.mkdir(exist_ok=True)
    cache.write_bytes(pickle.dumps(out))
    return out


def summary(data: list[tuple[str, list[dict], list]]) -> None:
    groups = collections.defaultdict(list)
    for _, rows, _ in data:
        for i, r in enumerate(rows):
            groups[("labelled" if r["label"] >= 0.75 else "unlabelled") + (" first5" if i < 5 else " 6+")].append(r)
    print(f"{'group':<18} {'n':>3} " + " ".join(f"{k:>7}" for k in KEYS))
    for g in sorted(groups):
        rs = groups[g]
        print(f"{g:<18} {len(rs):>3} " + " ".join(f"{statistics.fmean(r[k] for r in rs):7.2f}" for k in KEYS))
    for g in sorted(groups):  # medians: a few huge families dominate means
        rs = groups[g]
        print(f"{g + ' (median)':<27} " + " ".join(f"{statistics.median(r[k] for r in rs):7.2f}" for k in KEYS))


def files(paths: list[str], sets: list[str]) -> None:
    import motifcli

    model = motifcli.load_model()
    settings = DiscoverySettings(**parse_set(sets))
    for path in paths:
        cache = Path(f"/tmp/r17/file-{Path(path).name}-{'_'.join(sets) or 'defaults'}.pkl")
        if cache.exists():
            fams, rows = pickle.loads(cache.read_bytes())
        else:
            score = motifcli.read_score(path)
            fams = discover(score, model, settings)
            rows = features(fams, *span(score))
            cache.parent.mkdir(exist_ok=True)
            cache.write_bytes(pickle.dumps((fams, rows)))
        print(path)
        print("   " + " ".join(f"{k:>7}" for k in KEYS) + "  prototype")
        for f, r in zip(fams, rows):
            pitches = " ".join(str(n.pitch) for n in f.prototype.notes[:8])
            print(f"{f.label:>2} " + " ".join(f"{r[k]:7.2f}" for k in KEYS) + f"  {pitches}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("rest", nargs="+")
    ap.add_argument("--set", nargs="*", default=[])
    args = ap.parse_args()
    if args.corpus == "files":
        files(args.rest, args.set)
        return
    summary(corpus_rows(args.corpus, args.rest[0], args.set))


if __name__ == "__main__":
    main()
