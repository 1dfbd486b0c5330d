"""What the "extra" statements are: statements of families that establish a reference but match none of its occurrences.

    PYTHONPATH=$PWD python -m benchmarks.extra_probe --corpus bps --split tune [--set key=value ...] [--model] [--per-family]

Only families that establish some reference at .75 (the ones occurrence F scores) are looked at, each
against the reference :func:`benchmarks.occ_errors.established` picks; a statement's kind is
:func:`benchmarks.occ_errors.statement_kinds`' (``matched``: card >= .5; ``extra``: card 0 against it
and < .5 against every other reference; the rest ``other``). Per kind it counts statements by:

- line: the statement's voice (top line / lower line of its track) and whether its (track, voice) holds
  any of the family's matched statements (``home``) or not (``away``);
- how it joined: ``exact`` (similarity 1, transposition 0 from the prototype), ``transposed`` (similarity 1),
  ``varied`` (added by alignment); and ``grown`` when it has more notes than the family's core;
- ``parallel``: it overlaps in time a matched statement of the same family in another (track, voice)
  (a doubling or harmonisation); ``concurrent``: it overlaps another statement of the family in another line;
- time (beats) from its start to the nearest matched statement's start; similarity; family rank;
- per family: labelled occurrences of the reference against the family's statements.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict

import numpy as np

from benchmarks.discovery_errors import clean
from benchmarks.discovery_sweep import pieces, probe_model, probe_parser, probe_settings
from benchmarks.occ_errors import card_matrix, established, statement_kinds
from motifcli.discovery import discover
from motifcli.voices import UPPER

EXACT = 1 - 1e-9


def statement_rows(found: list, refs: list) -> list[dict]:
    """One row per statement of each established family: its kind and the features the docstring lists."""
    est = clean([[o.points() for o in f.occurrences] for f in found])
    rows = []
    for j, i in established(est, refs).items():
        f = found[j]
        kinds = [("matched" if c >= 0.5 else "extra" if what == "extra" else "other")
                 for what, c in statement_kinds(est[j], refs, i, card_matrix(refs[i], est[j]))]
        occs = f.occurrences
        line = [(o.track, o.notes[0].voice) for o in occs]
        home = {line[k] for k, w in enumerate(kinds) if w == "matched"}
        matched = [k for k, w in enumerate(kinds) if w == "matched"]
        exact = [k for k, o in enumerate(occs) if o.similarity >= EXACT]
        exact_lines = Counter(line[k] for k in exact)
        closeness = {k: r for r, k in enumerate(sorted(set(range(len(occs))) - set(exact),
                                                        key=lambda k: -occs[k].similarity))}
        for k, (o, w) in enumerate(zip(occs, kinds)):
            overl = [q for q in range(len(occs)) if q != k and line[q] != line[k]
                     and occs[q].start < o.end and o.start < occs[q].end]
            rows.append({
                "kind": w, "rank": j, "voice": "top" if o.notes[0].voice == UPPER else "lower",
                "home": "home" if line[k] in home else "away",
                "join": ("exact" if o.transposition == 0 else "transposed") if o.similarity >= EXACT else "varied",
                "grown": len(o.notes) > f.notes_per_occurrence + 1,
                "parallel": any(q in matched for q in overl), "concurrent": bool(overl),
                "gap": min((abs(occs[q].start - o.start) for q in matched if q != k), default=np.inf),
                "exact line": "yes" if exact_lines[line[k]] else "no",
                "main exact line": line[k] == exact_lines.most_common(1)[0][0],
                "gap exact": min((abs(occs[q].start - o.start) for q in exact if q != k), default=np.inf),
                "varied/exact": -1 if k in exact else closeness[k] / max(len(exact), 1),
                "similarity": o.similarity, "family": j, "ref_occs": len(refs[i]), "fam_occs": len(occs),
                "exact_in_family": sum(x.similarity >= EXACT for x in occs),
            })
    return rows


def share(rows: list[dict], key: str) -> str:
    c = Counter(str(r[key]) for r in rows)
    return ", ".join(f"{k} {v} ({v / max(len(rows), 1):.0%})" for k, v in sorted(c.items()))


def main() -> None:
    ap = probe_parser(__doc__, per_piece=False, model=True)
    ap.add_argument("--per-family", action="store_true", help="one line per established family")
    args = ap.parse_args()
    settings = probe_settings(args)
    model = probe_model(args)
    allrows: list[dict] = []
    for piece in pieces(args.corpus, args.split):
        rows = statement_rows(discover(piece.score, model, settings=settings), clean(piece.patterns))
        for r in rows:
            r["piece"] = piece.name
        allrows += rows
        if args.per_family:
            fams: dict[int, list[dict]] = defaultdict(list)
            for r in rows:
                fams[r["family"]].append(r)
            for j, rs in sorted(fams.items()):
                c = Counter(r["kind"] for r in rs)
                print(f"{piece.name} rank {j}: ref occs {rs[0]['ref_occs']} ours {len(rs)} (exact {rs[0]['exact_in_family']}) "
                      f"matched {c['matched']} extra {c['extra']} other {c['other']}; extra: "
                      f"{share([r for r in rs if r['kind'] == 'extra'], 'join')}")
    by = {k: [r for r in allrows if r["kind"] == k] for k in ("matched", "extra", "other")}
    print(f"statements of established families: {len(allrows)}; " + ", ".join(f"{k} {len(v)}" for k, v in by.items()))
    for key in ("voice", "home", "exact line", "main exact line", "join", "grown", "parallel", "concurrent"):
        print(f"\n{key}:")
        for k, rs in by.items():
            print(f"  {k:8s} {share(rs, key)}")
    print("\nby home x join (matched / extra):")
    for h in ("home", "away"):
        for jn in ("exact", "transposed", "varied"):
            m = sum(r["home"] == h and r["join"] == jn for r in by["matched"])
            e = sum(r["home"] == h and r["join"] == jn for r in by["extra"])
            print(f"  {h} {jn}: {m} / {e}")
    print("\nquartiles (matched | extra):")
    for key in ("gap", "gap exact", "similarity", "rank", "varied/exact"):
        q = [np.round(np.quantile([r[key] for r in rs if np.isfinite(r[key]) and r[key] >= 0] or [np.nan],
                                  [0.25, 0.5, 0.75]), 2) for rs in (by["matched"], by["extra"])]
        print(f"  {key}: {q[0]} | {q[1]}")
    print("\nvaried statements only, by exact line / gap to an exact statement (matched / extra / other):")
    var = [r for r in allrows if r["join"] == "varied"]
    for el in ("yes", "no"):
        for lo, hi in ((0, 4), (4, 8), (8, 16), (16, 32), (32, np.inf)):
            sel = [r for r in var if r["exact line"] == el and lo <= r["gap exact"] < hi]
            c = Counter(r["kind"] for r in sel)
            print(f"  line {el} gap [{lo}, {hi}): {c['matched']} / {c['extra']} / {c['other']}")
    for lo, hi in ((0, 1), (1, 2), (2, 4), (4, np.inf)):
        sel = [r for r in var if lo <= r["varied/exact"] < hi]
        c = Counter(r["kind"] for r in sel)
        print(f"  closeness rank / exact statements [{lo}, {hi}): {c['matched']} / {c['extra']} / {c['other']}")
    fam_keys = {(r["piece"], r["family"]) for r in allrows}
    ratio = [next(r["fam_occs"] / r["ref_occs"] for r in allrows if (r["piece"], r["family"]) == fk) for fk in fam_keys]
    print(f"\nfamilies {len(fam_keys)}: our statements / labelled occurrences median {statistics.median(ratio):.2f}, "
          f"quartiles {np.round(np.quantile(ratio, [0.25, 0.75]), 2)}, > 2x: {sum(x > 2 for x in ratio)}")


if __name__ == "__main__":
    main()
