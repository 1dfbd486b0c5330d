"""Repeated-note patterns: thematic rhythm on one pitch or accompaniment figure? (phase17-fig17.md)

    PYTHONPATH=$PWD python -m benchmarks.fig17_survey files FILE ... [--still 0.5] [--set k=v ...]
    PYTHONPATH=$PWD python -m benchmarks.fig17_survey bps [--split tune] [--still 0.5] [--set k=v ...]
    PYTHONPATH=$PWD python -m benchmarks.fig17_survey fires FILE ... --set opening_figure=0.5
    PYTHONPATH=$PWD python -m benchmarks.fig17_survey labels [--split tune] [--still 0.34]

``files``: every closed repeated pattern (``patterns.closed_patterns``, as discovery forms them) whose
intervals are at least ``--still`` repeated notes, with its score, the accompaniment-figure discount
``patterns.score_pattern`` gives it (score / (statements x notes)), its rank in the greedy choice and
what may tell a theme from a figure, over its (non-overlapping exact) statements:

- ``alone``: share of statements during whose span (first onset to last offset) another line sounds
  under a quarter of the time (stated alone); ``open``: the first statement starts within one beat of the
  piece's first note and is alone (the piece opens with it);
- ``b2b``: share of statements starting within one of the pattern's inter-onset intervals of the end of
  the statement before in the same line (back to back, as a figure marking time);
- ``busier``: share of statements during which another line has more onsets (a busier part over or under it);
- ``lines`` / ``levels``: distinct lines and pitch levels (imitated, transposed).

``bps``: the same for the closed repeated-note patterns that overlap a labelled motif's occurrence
(card >= 0.5 with one of its occurrences: the labelled ones) against the others (unlabelled), and for
each labelled motif whose first occurrence is half repeated notes or more, whether the default output
establishes it (best card of any output family's occurrence with any of its occurrences).

``labels``: BPS labelled motifs whose first occurrence's top line is ``--still`` repeated notes or more, the
figure discount that line gets and whether the output establishes the motif.

``fires``: per input, the patterns the option ``opening_figure`` lifts and their rank before and after.
"""

from __future__ import annotations

import argparse
import dataclasses

import numpy as np

from benchmarks.discovery_sweep import parse_set, pieces
from motifcli.discovery import DiscoverySettings
from motifcli.discovery.candidates import Lines, build_lines
from motifcli.discovery.core import line_patterns, voices_of
from motifcli.discovery.patterns import Pattern


def patterns_of(score: object, settings: DiscoverySettings) -> tuple[Lines, list[Pattern]]:
    voices = voices_of(score, settings)
    lines = build_lines(voices)
    _, pats = line_patterns(lines, settings)
    return lines, pats


def still_share(lines: Lines, p: Pattern) -> float:
    k = int(p.starts[0])
    return float(np.mean(lines.interval[k: k + p.n - 1] == 0))


def features(lines: Lines, p: Pattern) -> dict[str, float]:
    """The measures of the module doc for one pattern."""
    alone = b2b = busier = 0
    first_on = float(lines.onsets.min())
    opening = False
    step = float(np.median(lines.ioi[int(p.starts[0]): int(p.starts[0]) + p.n - 1])) + 1e-6
    ends: dict[int, float] = {}
    starts = sorted(p.starts.tolist(), key=lambda k: lines.onsets[k])
    for j, k in enumerate(starts):
        on, off = float(lines.onsets[k]), float(lines.offsets[k + p.n - 1])
        off = max(off, float(lines.onsets[k + p.n - 1]) + 1e-3)
        v = int(lines.voice_id[k])
        other = (lines.voice_id != v) & (lines.onsets < off - 1e-6) & (lines.offsets > on + 1e-6)
        cover = _covered(lines.onsets[other], lines.offsets[other], on, off) / (off - on)
        alone += cover < 0.25
        if j == 0 and on - first_on <= 1.0 and cover < 0.25:
            opening = True
        if v in ends and on - ends[v] <= step:
            b2b += 1
        ends[v] = float(lines.onsets[k + p.n - 1]) + step
        inside = (lines.onsets >= on - 1e-6) & (lines.onsets < off - 1e-6)
        counts = np.bincount(lines.voice_id[inside & (lines.voice_id != v)], minlength=len(lines.voices))
        busier += counts.max(initial=0) > p.n
    c = len(starts)
    levels = {int(lines.pitches[k]) for k in starts}
    return {"alone": alone / c, "open": float(opening), "b2b": b2b / c, "busier": busier / c,
            "lines": len({int(lines.voice_id[k]) for k in starts}), "levels": len(levels)}


def _covered(ons: np.ndarray, offs: np.ndarray, lo: float, hi: float) -> float:
    """Length of [lo, hi] under the union of the intervals."""
    spans = sorted((max(a, lo), min(b, hi)) for a, b in zip(ons.tolist(), offs.tolist()) if min(b, hi) > max(a, lo))
    total, end = 0.0, lo
    for a, b in spans:
        if b > end:
            total += b - max(a, end)
            end = b
    return total


def line(p: Pattern, rank: int, total: int, lines: Lines, still: float, extra: str = "") -> str:
    f = features(lines, p)
    k = int(p.starts[0])
    v = lines.voices[int(lines.voice_id[k])]
    return (f"  {p.n:2} notes st {len(p.starts):4} score {p.score:7.1f} x{p.score / (len(p.starts) * p.n):.3f} "
            f"rank {rank:4}/{total} still {still:.2f} alone {f['alone']:.2f} open {int(f['open'])} b2b {f['b2b']:.2f} "
            f"busier {f['busier']:.2f} lines {f['lines']} levels {f['levels']} | track {v.track} voice {v.voice} "
            f"beat {lines.onsets[k]:.1f} pitch {int(lines.pitches[k])}{extra}")


def survey_file(path: str, settings: DiscoverySettings, still_min: float, top: int) -> None:
    import motifcli

    score = motifcli.read_score(path)
    lines, pats = patterns_of(score, settings)
    order = sorted(range(len(pats)), key=lambda i: (-pats[i].score, pats[i].n, int(pats[i].starts[0])))
    place = {i: r for r, i in enumerate(order)}
    cap = min(settings.max_families, max(3, int(len(lines) // settings.notes_per_family)))
    print(f"{path}: {len(lines)} notes, {len(pats)} closed patterns, cap {cap}")
    hits = [i for i in order if still_share(lines, pats[i]) >= still_min]
    for i in hits[:top]:
        print(line(pats[i], place[i], len(pats), lines, still_share(lines, pats[i])))


def fires(paths: list[str], settings: DiscoverySettings) -> None:
    """Per input: the patterns ``opening.opens_alone`` lifts (repeated notes, opening alone) with their
    rank before and after (``--set opening_figure=V`` gives the back-to-back share)."""
    import motifcli
    from motifcli.discovery.opening import opens_alone
    from motifcli.discovery.patterns import _repeats

    base = dataclasses.replace(settings, opening_figure=0.0)
    for path in paths:
        try:
            score = motifcli.read_score(path)
        except Exception as e:  # an input music21 or the readers cannot take
            print(f"{path}: unreadable ({e})")
            continue
        lines, before = patterns_of(score, base)
        _, after = patterns_of(score, settings)
        rb, ra = _places(before), _places(after)
        hit = [i for i, p in enumerate(before) if _repeats(lines, p.starts, p.n) and p.score < len(p.starts) * p.n
               and opens_alone(lines, p.starts, p.n, settings.opening_figure)]
        cap = min(settings.max_families, max(3, int(len(lines) // settings.notes_per_family)))
        print(f"{path}: {len(lines)} notes, {len(before)} patterns, cap {cap}, lifted {len(hit)}")
        for i in hit:
            p = before[i]
            k = int(p.starts[0])
            print(f"   {p.n} notes st {len(p.starts)} rank {rb[i]} -> {ra[i]} pitches "
                  f"{[int(x) for x in lines.pitches[k:k + p.n]]} "
                  f"iois {[round(float(x), 2) for x in lines.ioi[k:k + p.n - 1]]}")


def _places(pats: list[Pattern]) -> dict[int, int]:
    """Each pattern's place in the greedy choice (``families.choose``'s order)."""
    order = sorted(range(len(pats)), key=lambda i: (-pats[i].score, pats[i].n, int(pats[i].starts[0])))
    return {i: r for r, i in enumerate(order)}


def survey_bps(split: str, settings: DiscoverySettings, still_min: float) -> None:
    from benchmarks.discovery_errors import clean
    from benchmarks.occ_errors import card_matrix
    from motifcli.discovery import discover

    for piece in pieces("bps", split):
        lines, pats = patterns_of(piece.score, settings)
        order = sorted(range(len(pats)), key=lambda i: (-pats[i].score, pats[i].n, int(pats[i].starts[0])))
        place = {i: r for r, i in enumerate(order)}
        refs = clean(piece.patterns)
        out = discover(piece.score, None, settings)
        est = clean([[o.points() for o in f.occurrences] for f in out])
        print(f"{piece.name}: {len(pats)} closed patterns")
        for name, ref in zip(piece.pattern_names, refs):
            pts = sorted(ref[0])
            steps = [b[1] - a[1] for a, b in zip(pts, pts[1:])]
            rs = sum(s == 0 for s in steps) / max(len(steps), 1)
            if rs < still_min:
                continue
            best = max((float(card_matrix(ref, e).max()) for e in est), default=0.0)
            print(f" labelled {name}: {len(ref)} occ, {len(pts)} notes, repeated {rs:.2f}, best card in output {best:.2f}")
        for i in order:
            p = pats[i]
            s = still_share(lines, p)
            if s < still_min:
                continue
            occ = [[(float(lines.onsets[k + j]), int(lines.pitches[k + j])) for j in range(p.n)] for k in p.starts.tolist()]
            lab = max((float(card_matrix(ref, occ).max()) for ref in refs), default=0.0)
            print(line(p, place[i], len(pats), lines, s, f" labelled-card {lab:.2f}"))


def labels(split: str, settings: DiscoverySettings, still_min: float) -> None:
    """BPS labelled motifs whose first occurrence (its top line: the highest note per onset) is at least
    ``still_min`` repeated notes: the discount ``score_pattern`` gives that line, how many occurrences,
    and the best card of any output family with it (establishment at >= 0.75)."""
    from benchmarks.discovery_errors import clean
    from benchmarks.occ_errors import card_matrix
    from motifcli.discovery import discover

    for piece in pieces("bps", split):
        refs = clean(piece.patterns)
        est = clean([[o.points() for o in f.occurrences] for f in discover(piece.score, None, settings)])
        for name, ref in zip(piece.pattern_names, refs):
            top: dict[float, int] = {}
            for on, pitch in ref[0]:
                top[on] = max(top.get(on, pitch), pitch)
            p = [top[k] for k in sorted(top)]
            if len(p) < 3:
                continue
            steps = np.diff(p)
            still = float(np.mean(steps == 0))
            if still < still_min:
                continue
            back = float(np.mean(np.abs(np.array(p[2:]) - np.array(p[:-2])) <= 2))
            factor = max(0.05, 1 - settings.oscillation_penalty * back) * (1 - 0.75 * still)
            best = max((float(card_matrix(ref, e).max()) for e in est), default=0.0)
            print(f"{piece.name} {name}: {len(ref)} occ, top line {p[:10]}, repeated {still:.2f}, "
                  f"discount x{factor:.3f}, best card in output {best:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("stage", choices=("files", "bps", "fires", "labels"))
    ap.add_argument("files", nargs="*")
    ap.add_argument("--split", default="tune")
    ap.add_argument("--still", type=float, default=0.5)
    ap.add_argument("--top", type=int, default=12)
    ap.add_argument("--set", nargs="*", default=[])
    args = ap.parse_intermixed_args()
    settings = dataclasses.replace(DiscoverySettings(), **parse_set(args.set))
    if args.stage == "labels":
        labels(args.split, settings, args.still)
    elif args.stage == "fires":
        fires(args.files, settings)
    elif args.stage == "files":
        for path in args.files:
            survey_file(path, settings, args.still, args.top)
    else:
        survey_bps(args.split, settings, args.still)


if __name__ == "__main__":
    main()
