"""What the statements matching no labelled occurrence are, musically, and what each class costs F_occ.

    PYTHONPATH=$PWD python -m benchmarks.extra_statements --corpus bps --split tune [--set key=value ...] [--examples N]
        [--removed-by "key=value ..."]

Statements of the families that establish a reference at .75 (the ones occurrence F scores), each
against the reference :func:`benchmarks.occ_errors.established` picks, kinds as
:func:`benchmarks.occ_errors.statement_kinds` (``matched``: card >= .5; ``extra``: no note in common
with any of that reference's occurrences and < .5 against every other reference's; the rest ``other``).
``loss`` is the statement's share of 1 - P_occ, a mean over pieces, as ``occ_errors`` sums it.
Per statement (phase12-extra12.md's ``extra_probe`` has line / join / parallel / gap; this adds):

- ``register``: ``melody`` when no note of any line sounds above 75% of its onsets, ``bass`` when none
  sounds below 75% of them, else ``inner``;
- ``notes`` and ``beats`` (its span), ``exact`` / ``transposed`` / ``varied`` (how it joined);
- ``in other ref``: 75% of its notes inside one labelled occurrence of another reference (a part of a longer
  labelled motif); ``labelled near``: any labelled occurrence of any reference overlaps its span in time;
- ``in other family``: 75% of its notes inside one statement of another reported family;
- ``self overlap``: it overlaps in time another statement of its family in its own line (a sequence
  or a figure's windows chained);
- ``place``: its onset as a third of the piece; ``family``: the family's statements per labelled occurrence.

It then puts every extra statement in one class, the first that applies (:func:`partition`), and with
``--removed-by SPEC`` counts, by kind, the statements of these families that settings ``--set`` + SPEC
no longer report (phase19-occ19.md: what ``buried`` drops; ``--set buried=0 --removed-by buried=0.25``).
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict

import numpy as np

from benchmarks.discovery_errors import clean
from benchmarks.discovery_sweep import parse_set, pieces, probe_parser, probe_settings
from benchmarks.occ_errors import card_matrix, established, statement_kinds
from motifcli.discovery import discover
from motifcli.voices import UPPER

EXACT = 1 - 1e-9


def sounding(score) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Onsets, offsets and pitches of every note of the score (all tracks), for register tests."""
    notes = [n for t in score.tracks if not t.is_drum for n in t.notes]
    return (np.array([n.onset for n in notes]), np.array([n.offset for n in notes]),
            np.array([n.pitch for n in notes]))


def register(occ, snd) -> str:
    on, off, pitch = snd
    above = below = 0
    for n in occ.notes:
        live = (on <= n.onset + 1e-6) & (off > n.onset + 1e-6)
        above += bool(np.any(pitch[live] > n.pitch))
        below += bool(np.any(pitch[live] < n.pitch))
    k = len(occ.notes)
    return "melody" if above <= 0.25 * k else "bass" if below <= 0.25 * k else "inner"


def inside(points: list, occs: list) -> bool:
    """75% of ``points`` inside one of ``occs`` (each a list of points)."""
    s = set(points)
    return any(len(s & set(o)) >= 0.75 * len(s) for o in occs)


def piece_rows(piece, settings) -> list[dict]:
    found = discover(piece.score, None, settings=settings)
    est = clean([[o.points() for o in f.occurrences] for f in found])
    refs = clean(piece.patterns)
    snd = sounding(piece.score)
    end = float(snd[1].max())
    M = {(i, j): card_matrix(refs[i], est[j]) for i in range(len(refs)) for j in range(len(est))}
    S = np.array([[M[i, j].max() if M[i, j].size else 0.0 for j in range(len(est))] for i in range(len(refs))])
    rel = S >= 0.75 - 1e-12
    lab_spans = [(o[0][0], o[-1][0]) for r in refs for o in r]
    rows = []
    for j, i in established(est, refs).items():
        f = found[j]
        w = rel[:, j].sum() / rel.sum()
        kinds = statement_kinds(est[j], refs, i, M[i, j])
        occs = f.occurrences
        line = [(o.track, o.notes[0].voice) for o in occs]
        other_refs = [o for ii, r in enumerate(refs) if ii != i for o in r]
        other_fams = [o for jj, e in enumerate(est) if jj != j for o in e]
        for k, (o, (what, c)) in enumerate(zip(occs, kinds)):
            pts = est[j][k]
            kind = "matched" if c >= 0.5 else "extra" if what == "extra" else "other"
            s, e = o.start, o.end
            rows.append({
                "piece": piece.name, "family": j, "ref": i, "kind": kind,
                "loss": w * (1 - c) / len(est[j]),
                "register": register(o, snd),
                "voice": "top" if o.notes[0].voice == UPPER else "lower", "track": o.track,
                "notes": len(o.notes), "beats": round(e - s, 2),
                "join": ("exact" if o.transposition == 0 else "transposed") if o.similarity >= EXACT else "varied",
                "in other ref": inside(pts, other_refs),
                "labelled near": any(a < e and s <= b for a, b in lab_spans),
                "in other family": inside(pts, other_fams),
                "self overlap": any(q != k and line[q] == line[k] and occs[q].start < e and s < occs[q].end
                                    for q in range(len(occs))),
                "concurrent": any(q != k and line[q] != line[k] and occs[q].start < e and s < occs[q].end
                                  for q in range(len(occs))),
                "place": min(int(3 * s / end), 2),
                "fam/ref": len(occs) / len(refs[i]), "fam size": len(occs),
                "bar": piece.score.bar_number_at(s), "pitches": [n.pitch for n in o.notes],
                "similarity": round(o.similarity, 2),
                "proto": tuple(f.prototype.points()), "points": tuple(o.points()),
            })
    return rows


PARTS = {
    "A": "75% of its notes inside a labelled occurrence of another reference (a part of a longer motif)",
    "B": "under another line (register inner / bass)",
    "C": "top line, literal (exact / transposed) repeat",
    "D": "top line, varied, no labelled occurrence of any reference overlaps it",
    "E": "top line, varied, beside labelled occurrences",
}


def partition(r: dict) -> str:
    """The class of PARTS a statement falls in: the first that applies, in that order."""
    if r["in other ref"]:
        return "A"
    if r["register"] != "melody":
        return "B"
    if r["join"] != "varied":
        return "C"
    return "E" if r["labelled near"] else "D"


def removed(ps: list, rows: list[dict], settings, spec: str) -> Counter:
    """Kinds of the statements in ``rows`` that ``settings`` + ``spec`` no longer report in their family
    (a family is found again by its prototype's notes)."""
    other = dataclasses.replace(settings, **parse_set(spec.split()))
    kept: set = set()
    for p in ps:
        for f in discover(p.score, None, settings=other):
            proto = tuple(f.prototype.points())
            kept |= {(p.name, proto, tuple(o.points())) for o in f.occurrences}
    return Counter(r["kind"] for r in rows if (r["piece"], r["proto"], r["points"]) not in kept)


def table(rows: list[dict], key: str, n_pieces: int) -> None:
    """Counts of matched / extra / other statements and the extra statements' loss, by ``key``'s values."""
    vals = sorted({str(r[key]) for r in rows})
    print(f"\n| {key} | matched | extra | other | extra loss | extra share of class |\n|---|---|---|---|---|---|")
    for v in vals:
        sel = [r for r in rows if str(r[key]) == v]
        c = Counter(r["kind"] for r in sel)
        loss = sum(r["loss"] for r in sel if r["kind"] == "extra") / n_pieces
        print(f"| {v} | {c['matched']} | {c['extra']} | {c['other']} | {loss:.3f} | {c['extra'] / len(sel):.0%} |")


def main() -> None:
    ap = probe_parser(__doc__, per_piece=False)
    ap.add_argument("--examples", type=int, default=0, help="print this many extra statements per class")
    ap.add_argument("--removed-by", default="", help="count the statements these settings (on top of --set) drop")
    args = ap.parse_args()
    settings = probe_settings(args)
    ps = pieces(args.corpus, args.split)
    rows = [r for p in ps for r in piece_rows(p, settings)]
    n = len(ps)
    c = Counter(r["kind"] for r in rows)
    print(f"statements of established families: {len(rows)}; {dict(c)}; "
          f"extra loss {sum(r['loss'] for r in rows if r['kind'] == 'extra') / n:.3f}")
    for r in rows:
        r["length"] = "<=4" if r["notes"] <= 4 else "5-6" if r["notes"] <= 6 else "7-9" if r["notes"] <= 9 else "10+"
        r["fam ratio"] = ("<1" if r["fam/ref"] < 1 else "1-2" if r["fam/ref"] < 2 else "2-4"
                          if r["fam/ref"] < 4 else "4+")
        r["line"] = f"t{r['track']} {r['voice']}"
    for key in ("register", "line", "join", "length", "in other ref", "labelled near", "in other family",
                "self overlap", "concurrent", "place", "fam ratio"):
        table(rows, key, n)
    ex = [r for r in rows if r["kind"] == "extra"]
    print("\n| class | extra | extra loss | matched in class | other in class |\n|---|---|---|---|---|")
    for k, what in PARTS.items():
        sel = [r for r in rows if partition(r) == k]
        cc = Counter(r["kind"] for r in sel)
        loss = sum(r["loss"] for r in sel if r["kind"] == "extra") / n
        print(f"| {k}: {what} | {cc['extra']} | {loss:.3f} | {cc['matched']} | {cc['other']} |")
    if args.removed_by:
        print(f"\nstatements of these families gone with {args.removed_by!r}:",
              dict(removed(ps, rows, settings, args.removed_by)))
    print("\nextra by (labelled near, join):", dict(Counter((r["labelled near"], r["join"]) for r in ex)))
    print("extra by (register, labelled near):", dict(Counter((r["register"], r["labelled near"]) for r in ex)))
    per_fam = defaultdict(Counter)
    for r in rows:
        per_fam[(r["piece"], r["family"])][r["kind"]] += 1
    big = sorted(per_fam.items(), key=lambda kv: -kv[1]["extra"])[:12]
    print("\nfamilies holding most extra statements (piece, rank: matched / extra / other):")
    for (p, j), cc in big:
        print(f"  {p} {j}: {cc['matched']} / {cc['extra']} / {cc['other']}")
    if args.examples:
        rng = np.random.default_rng(0)
        for key, val in (("register", "inner"), ("register", "bass"), ("labelled near", False),
                         ("join", "exact"), ("join", "varied"), ("in other family", True)):
            sel = [r for r in ex if r[key] == val]
            print(f"\nexamples, extra with {key} = {val} ({len(sel)}):")
            for q in rng.choice(len(sel), size=min(args.examples, len(sel)), replace=False) if sel else []:
                r = sel[q]
                print(f"  {r['piece']} fam {r['family']} (ref {r['ref']}) bar {r['bar']} t{r['track']} {r['voice']} "
                      f"{r['register']} {r['join']} sim {r['similarity']} {r['pitches']}")


if __name__ == "__main__":
    main()
