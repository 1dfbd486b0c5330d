"""How often ``families.choose`` skips a longer pattern as redundant with shorter ones chosen before it (phase17-theme17.md).

    PYTHONPATH=$PWD python -m benchmarks.theme_probe bps tune [--set k=v ...]
    PYTHONPATH=$PWD python -m benchmarks.theme_probe pop909 val
    PYTHONPATH=$PWD python -m benchmarks.theme_probe file FILE ... [--verbose]

Replays the greedy choice (same patterns, order, cap and cut-off as ``core.voice_and_cell_families``;
``choose`` itself is not changed) and records, for every pattern skipped for ``redundancy`` before the
cap or the cut-off ends the choice, which chosen patterns had claimed its notes. An event: a skipped
pattern whose claimed notes belong mostly (> half) to chosen patterns shorter than it ("fragments").
With labels (BPS, POP909, MTC): each pattern's best match with any labelled occurrence
(|ref & statement| / max, over the pattern's exact statements), the skipped long pattern's against its
fragments' best; "labelled" = best >= 0.5. ``contain``: share of a fragment's statements lying inside
the long pattern's statements (the fragment repeats only within the theme when 1).
"""

from __future__ import annotations

import argparse
import collections

import numpy as np

from benchmarks.discovery_errors import clean
from benchmarks.discovery_sweep import parse_set, pieces
from motifcli.discovery import DiscoverySettings
from motifcli.discovery.candidates import build_lines
from motifcli.discovery.core import line_patterns, voices_of
from motifcli.discovery.patterns import Pattern


def replay(score: object, settings: DiscoverySettings) -> tuple[object, list[Pattern], list[tuple[int, Pattern, list[int]]], list[Pattern]]:
    """Lines, chosen patterns, and (rank, skipped pattern, owners of its claimed notes) for each redundancy skip."""
    voices = voices_of(score, settings)
    lines = build_lines(voices)
    if len(lines) < 2 * settings.min_notes:
        return lines, [], [], []
    _, pats = line_patterns(lines, settings)
    if not pats:
        return lines, [], [], []
    owner = np.full(len(lines), -1, dtype=np.int64)
    chosen: list[Pattern] = []
    skipped = []
    best = max(p.score for p in pats)
    cap = min(settings.max_families, max(3, int(len(lines) // settings.notes_per_family)))
    for r, p in enumerate(sorted(pats, key=lambda p: (-p.score, p.n, int(p.starts[0])))):
        if p.score < settings.relative_salience * best or len(chosen) >= cap:
            break
        idx = (p.starts[:, None] + np.arange(p.n)[None, :]).ravel()
        if (owner[idx] >= 0).mean() > settings.redundancy:
            skipped.append((r, p, owner[idx][owner[idx] >= 0].tolist()))
            continue
        owner[idx[owner[idx] < 0]] = len(chosen)
        chosen.append(p)
    return lines, chosen, skipped, pats


def points(lines: object, p: Pattern) -> list[set]:
    return [{(round(float(lines.onsets[k]), 4), int(lines.pitches[k])) for k in range(s, s + p.n)} for s in p.starts.tolist()]


def best_match(stm: list[set], refs: list) -> float:
    out = 0.0
    for r in refs:
        for o in r:
            o = {(round(float(t), 4), int(q)) for t, q in o}
            for s in stm:
                out = max(out, len(o & s) / max(len(o), len(s)))
    return out


def probe(name: str, score: object, refs: list | None, settings: DiscoverySettings, tally: collections.Counter,
          verbose: bool) -> None:
    lines, chosen, skipped, pats = replay(score, settings)
    tally["pieces"] += 1
    tally["chosen"] += len(chosen)
    tally["skipped"] += len(skipped)
    events = []
    for r, p, own in skipped:
        count = collections.Counter(own)
        shorter = sum(v for k, v in count.items() if chosen[k].n < p.n)
        if shorter <= 0.5 * len(own):
            continue
        frags = [k for k, v in count.items() if chosen[k].n < p.n]
        span = np.zeros(len(lines), dtype=bool)
        for s in p.starts.tolist():
            span[s : s + p.n] = True
        contain = [float(np.mean([span[s : s + chosen[k].n].all() for s in chosen[k].starts.tolist()])) for k in frags]
        ev = {"rank": r, "n": p.n, "stm": len(p.starts), "frags": len(frags),
              "frag_stm": [len(chosen[k].starts) for k in frags], "frag_n": [chosen[k].n for k in frags],
              "contain": contain}
        if refs is not None:
            ev["long"] = best_match(points(lines, p), refs)
            ev["frag"] = max(best_match(points(lines, chosen[k]), refs) for k in frags)
        events.append(ev)
    tally["events"] += len(events)
    tally["pieces_with"] += bool(events)
    tally["events_3stm"] += sum(e["stm"] >= 3 for e in events)
    tally["events_contained"] += sum(max(e["contain"]) >= 0.5 for e in events)
    if refs is not None:
        for e in events:
            lab, flab = e["long"] >= 0.5, e["frag"] >= 0.5
            tally["long_labelled"] += lab
            tally["frag_labelled"] += flab
            tally["long_better"] += e["long"] > e["frag"] + 1e-9
            tally["frag_better"] += e["frag"] > e["long"] + 1e-9
            tally["long_only_labelled"] += lab and not flab
    print(f"{name}: chosen {len(chosen)}, skipped for redundancy {len(skipped)}, longer-than-its-claimers {len(events)}",
          flush=True)
    for e in events if verbose else events[:0]:
        lab = f", best label match long {e['long']:.2f} / fragments {e['frag']:.2f}" if refs is not None else ""
        print(f"    rank {e['rank']}: {e['n']} notes x {e['stm']}; fragments {e['frags']} "
              f"(notes {e['frag_n']}, statements {e['frag_stm']}, inside share {[round(c, 2) for c in e['contain']]}){lab}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", nargs="*", default=[])
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("corpus")
    ap.add_argument("split_or_files", nargs="+")
    a = ap.parse_args()
    settings = DiscoverySettings(**parse_set(a.set))
    tally: collections.Counter = collections.Counter()
    if a.corpus == "file":
        import motifcli

        for path in a.split_or_files:
            probe(path, motifcli.read_score(path), None, settings, tally, a.verbose)
    else:
        for p in pieces(a.corpus, a.split_or_files[0]):
            probe(p.name, p.score, clean(p.patterns), settings, tally, a.verbose)
    print("total", dict(sorted(tally.items())))


if __name__ == "__main__":
    main()
