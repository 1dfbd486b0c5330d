"""One passage read by several families from shifted starts: statement-level count and drop rules.

    PYTHONPATH=$PWD python -m benchmarks.passage_probe count [--list] CORPUS ...      # m21 bps:tune pop909:val pop909:train mtc:tune
    PYTHONPATH=$PWD python -m benchmarks.passage_probe score [--rules R,...] CORPUS ...
    PYTHONPATH=$PWD python -m benchmarks.passage_probe labels [--rules R,...] bps:tune   # dropped statements matching a label
    PYTHONPATH=$PWD python -m benchmarks.passage_probe haydn [--rules R,...] m21         # op. 74/1 iii's run, op. 74/1 i's pairs

Criterion (fixed in session 28 before any score was looked at; phase28-passage28.md). In one piece's
output (discovery with the checkout's defaults and the lazy shipped model, as the CLI runs), two
statements s, t of *different* line families (texture families are whole bars: left out) are a
**staggered pair** when

- they share notes (track, note index; shared notes are of one voice) numbering at least half of the
  smaller statement's notes, and
- their starts differ and they are shifted, as ``stagger.statement_pairs`` counts it: one starts and ends
  (onset of the last note) before the other. A statement whose span holds the other's (a cell inside a
  phrase, or one ending on the same note) is *nested*, counted apart and never a reason to drop.

``score``: post-filters applied to that output (as a last step of ``discover`` would), scored by
``discovery_errors.fast_scores`` (mir_eval's figures); BPS tune also gets the 70 4-piece halves' changes.
Rules (``passage.py`` holds the product form of the one adopted, if any): of a staggered pair, the
statement of the *weaker* family goes, families judged strongest first; weaker = smaller ``salience``
(``sal``), smaller coverage (``cov``), or the statement of smaller similarity to its prototype, family
salience breaking ties (``sim``). ``-keep2``: a statement whose loss would leave its family under two
statements stays (else the family goes with it); ``-long``: a short tune (core._short_tune) is left alone;
``-ovN``: the pair shares at least N/10 of the smaller statement's notes (stricter than the count's half);
``-varied``: only a varied statement (similarity < 1) goes, and only against one of higher similarity;
``-ends``: statements starting apart and ending on one note count as staggered too.
"""

from __future__ import annotations

import argparse
import itertools
import pickle
import statistics
from pathlib import Path

from benchmarks.stagger_probe import M21, SHORT
from motifcli.discovery.types import Family, Occurrence

Key = tuple[int, int]


def _keys(o: Occurrence) -> frozenset[Key]:
    return frozenset((n.track, n.index) for n in o.notes)


def kind(s: Occurrence, t: Occurrence, share: float = 0.5, ends: bool = False) -> str:
    """"stagger", "nested" or "" (sharing under ``share`` of the smaller statement's notes) for two statements;
    ``ends``: two statements starting apart and ending on one note are staggered too (a rule's variant, not
    the count's criterion)."""
    ks, kt = _keys(s), _keys(t)
    if len(ks & kt) < share * min(len(ks), len(kt)):
        return ""
    s0, s1, t0, t1 = s.notes[0].onset, s.notes[-1].onset, t.notes[0].onset, t.notes[-1].onset
    if (s0 < t0 and s1 < t1) or (s0 > t0 and s1 > t1) or (ends and s0 != t0 and s1 == t1):
        return "stagger"
    return "nested"


def pair_counts(found: list[Family]) -> tuple[int, int, list[str]]:
    """(staggered pairs, nested pairs with different starts, descriptions of the staggered ones)."""
    lines = [f for f in found if not f.is_texture]
    st = ne = 0
    desc = []
    for x, y in itertools.combinations(lines, 2):
        ykeys = [_keys(t) for t in y.occurrences]
        for i, s in enumerate(x.occurrences):
            ks = _keys(s)
            for j, t in enumerate(y.occurrences):
                if not ks & ykeys[j]:
                    continue
                k = kind(s, t)
                if k == "stagger":
                    st += 1
                    desc.append(f"{x.label}{i + 1}({s.start:g}-{s.notes[-1].onset:g}, {len(s.notes)}n, sim {s.similarity:.2f})"
                                f" ~ {y.label}{j + 1}({t.start:g}-{t.notes[-1].onset:g}, {len(t.notes)}n, sim {t.similarity:.2f})"
                                f" track {s.track}")
                elif k == "nested" and s.start != t.start:
                    ne += 1
    return st, ne, desc


def apply(found: list[Family], rule: str) -> list[Family]:
    """``found`` with the weaker statement of each staggered pair dropped (see the module docstring)."""
    import dataclasses

    how = rule.split("-")[0]
    keep2 = "keep2" in rule
    varied = "varied" in rule
    ends = "ends" in rule
    share = next((int(w[2:]) / 10 for w in rule.split("-") if w.startswith("ov")), 0.5)
    idx = [i for i, f in enumerate(found) if not f.is_texture]
    fam_key = {"sal": lambda i: found[i].salience, "cov": lambda i: found[i].coverage,
               "sim": lambda i: found[i].salience}[how]
    # statements strongest first: by their family's strength, or (sim) by their own similarity, then that
    stmts = [(i, p) for i in idx for p in range(len(found[i].occurrences))]
    stmts.sort(key=lambda ip: (-found[ip[0]].occurrences[ip[1]].similarity if how == "sim" else 0,
                               -fam_key(ip[0]), ip[0], ip[1]))
    alive = {i: [True] * len(found[i].occurrences) for i in idx}
    holder: dict[Key, list[tuple[int, int]]] = {}  # note -> kept statements holding it
    for i, p in stmts:
        s = found[i].occurrences[p]
        near = {jq for key in _keys(s) for jq in holder.get(key, ()) if jq[0] != i}
        if varied:  # only a varied statement goes, and only against a closer one
            near = {(j, q) for j, q in near if s.similarity < min(1.0, found[j].occurrences[q].similarity)}
        if any(kind(s, found[j].occurrences[q], share, ends) == "stagger" for j, q in near) and not (
                keep2 and sum(alive[i]) <= 2):
            alive[i][p] = False
        else:
            for key in _keys(s):
                holder.setdefault(key, []).append((i, p))
    out = []
    for i, f in enumerate(found):
        if f.is_texture:
            out.append(f)
            continue
        occ = tuple(o for o, live in zip(f.occurrences, alive[i]) if live)
        if len(occ) >= 2:
            out.append(f if len(occ) == len(f.occurrences) else dataclasses.replace(f, occurrences=occ))
    return out


def outputs(corpus: str) -> list[tuple[str, list[Family], list | None]]:
    """stagger_probe.outputs, cached in /tmp per corpus (the defaults of this checkout's discovery)."""
    cache = Path(f"/tmp/passage28-{corpus.replace(':', '-')}.pkl")
    if cache.exists():
        out, short = pickle.loads(cache.read_bytes())
        SHORT.update(short)
        return out
    if corpus == "m21":
        import music21

        import motifcli
        from benchmarks import stagger_probe
        from motifcli.discovery import discover
        from motifcli.model import LazyModel

        keep = dict(list(M21.items())[:7])  # eye26's music21 pieces (ten with the examples and Essen) + op. 74/1 iii
        keep["haydn74-1-iii"] = "haydn/opus74no1/movement3.mxl"
        saved = dict(stagger_probe.M21)
        stagger_probe.M21.clear()
        stagger_probe.M21.update(keep)
        try:
            out = stagger_probe.outputs("m21")
        finally:
            stagger_probe.M21.clear()
            stagger_probe.M21.update(saved)
        del discover, LazyModel, motifcli, music21
    else:
        from benchmarks.stagger_probe import outputs as so

        out = so(corpus)
    cache.write_bytes(pickle.dumps((out, set(SHORT))))
    return out


def count(corpora: list[str], listing: bool) -> None:
    for corpus in corpora:
        tot = [0, 0, 0]
        for name, found, _ in outputs(corpus):
            st, ne, desc = pair_counts(found)
            tot = [tot[0] + st, tot[1] + ne, tot[2] + (st > 0)]
            if listing and st:
                print(f"  {name}: staggered={st} nested(different starts)={ne}")
                for d in desc:
                    print("    " + d)
        print(f"{corpus}: staggered statement pairs={tot[0]} (pieces with one: {tot[2]}) nested pairs, starts differing={tot[1]}",
              flush=True)


def score(corpora: list[str], rules: list[str]) -> None:
    from benchmarks.discovery_errors import clean, fast_scores

    keys = ("F_est", "F_occ.75", "F_3")
    for corpus in corpora:
        outs = outputs(corpus)
        per: dict[str, list[dict]] = {}
        left: dict[str, int] = {}
        for v in ["defaults", *rules]:
            per[v], left[v] = [], 0
            for name, found, refs in outs:
                f = found if v == "defaults" or ("long" in v and name in SHORT) else apply(found, v)
                left[v] += pair_counts(f)[0]
                if refs is not None:
                    per[v].append(fast_scores(clean([[o.points() for o in fam.occurrences] for fam in f]), refs))
            line = f"{corpus} {v!r}: staggered pairs left {left[v]}"
            if per[v]:
                line += " " + " ".join(f"{k}={statistics.fmean(r[k] for r in per[v]):.4f}" for k in keys)
            print(line, flush=True)
        if corpus == "bps:tune":
            n = len(outs)
            for v in rules:
                for k in ("F_est", "F_3"):
                    ch = [statistics.fmean(per[v][i][k] - per["defaults"][i][k] for i in half)
                          for half in itertools.combinations(range(n), n // 2)]
                    print(f"  {v!r} {k} change on the {len(ch)} held-out halves: median {statistics.median(ch):+.4f}"
                          f" min {min(ch):+.4f} max {max(ch):+.4f}", flush=True)
                print("  per piece F_est: " + " ".join(f"{nm} {per['defaults'][i]['F_est']:.3f}->{per[v][i]['F_est']:.3f}"
                                                       for i, (nm, _, _) in enumerate(outs)), flush=True)


def labels(corpus: str, rules: list[str]) -> None:
    """How many statements each rule drops, and how many of them match a labelled occurrence (>= .75 of the
    notes of both, as (onset, pitch) points): a dropped reading the annotators marked too."""
    from benchmarks.discovery_errors import clean

    for rule in rules:
        tot = hit = 0
        for _, found, refs in outputs(corpus):
            occs = [frozenset(map(tuple, o)) for pat in clean(refs) for o in pat]
            after = {o for f in apply(found, rule) for o in f.occurrences}
            gone = [frozenset(o.points()) for f in found if not f.is_texture for o in f.occurrences if o not in after]
            tot += len(gone)
            hit += sum(any(len(g & r) >= 0.75 * max(len(g), len(r)) for r in occs) for g in gone)
        print(f"{corpus} {rule!r}: statements dropped {tot}, matching a label (.75) {hit}", flush=True)


def haydn(rules: list[str]) -> None:
    """Haydn op. 74/1 iii, Violin 2's rising run (beats 9-21; phase27-trial27.md "Found and left" 1): the
    statements each rule leaves on it; and op. 74/1 i's staggered pairs and families."""
    out = {n: f for n, f, _ in outputs("m21")}
    for rule in ["defaults", *rules]:
        iii, i = (out["haydn74-1-iii"], out["haydn74-1-i"]) if rule == "defaults" else (
            apply(out["haydn74-1-iii"], rule), apply(out["haydn74-1-i"], rule))
        at = [f"{x.label}{k + 1}({o.start:g}-{o.notes[-1].onset:g})" for x in iii for k, o in enumerate(x.occurrences)
              if o.track == 1 and o.start < 21 and o.notes[-1].onset > 9]
        print(f"{rule!r}: run statements {at}; iii staggered pairs {pair_counts(iii)[0]};"
              f" i staggered pairs {pair_counts(i)[0]}, families {len(i)}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=("count", "score", "labels", "haydn"))
    ap.add_argument("corpora", nargs="+")
    ap.add_argument("--rules", default="sal,sal-keep2,sim-keep2,cov-keep2")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    if args.what == "count":
        count(args.corpora, args.list)
    elif args.what == "labels":
        for c in args.corpora:
            labels(c, args.rules.split(","))
    elif args.what == "haydn":
        haydn(args.rules.split(","))
    else:
        score(args.corpora, args.rules.split(","))


if __name__ == "__main__":
    main()
