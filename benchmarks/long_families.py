"""What the families of a long piece are: one line per family, or one line per piece (phase17-long17.md).

    PYTHONPATH=$PWD python -m benchmarks.long_families read FILE [--set k=v ...]
    PYTHONPATH=$PWD python -m benchmarks.long_families profile [--bps-tune] [FILE ...] [--set k=v ...]
    PYTHONPATH=$PWD python -m benchmarks.long_families rank FILE --track NAME
    PYTHONPATH=$PWD python -m benchmarks.long_families at FILE --track NAME --notes FIRST-LAST

``rank``: the repeated patterns holding the first note of one track (a part's opening idea) and where
they stand in the greedy choice of ``families.choose`` (pattern score, rank among all closed patterns,
the piece's family cap), to see why an idea is in no family. ``at``: the statements (family, the track's
note indices, bar) holding any of that track's notes FIRST..LAST (how a theme is cut between families).

``read`` runs discovery as ``motif annotate`` does (defaults, the shipped model) and prints, per family
in output order: kind (line, cell: 3 notes or fewer, tex: whole texture), statements, exact ones,
statement length (median, range), the share of its notes inside the statements of the families listed
before it (``in-higher``) and of all others (``in-others``), the one family holding most of its notes,
statements whose notes are exactly another family's statement, distinct transpositions, statements per
instrument, and the prototype (bar, notes, intervals, inter-onset intervals) for reading it as music.

``profile`` prints per piece: voiced notes, families, statements, the exact share, the sum of the
families' coverage (1 = as many statement notes as the piece has notes), statements per 100 notes, the
largest family and how many families hold over 100 statements (``--bps-tune``: BPS-motif tune first,
without the model, as ``discovery_fast_sweep bps tune`` scores it).
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import statistics

from benchmarks.discovery_sweep import parse_set, pieces
from motifcli.discovery import DiscoverySettings, Family, discover

NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]


def pitch_name(p: int) -> str:
    return f"{NAMES[p % 12]}{p // 12 - 1}"


def kind(f: Family) -> str:
    if f.is_texture:
        return "tex"
    return "cell" if f.notes_per_occurrence <= 3 else "line"


def read(path: str, settings: DiscoverySettings) -> None:
    import motifcli

    score = motifcli.read_score(path)
    fams = discover(score, motifcli.load_model(), settings)
    names = {t.index: t.name for t in score.tracks}
    voiced = sum(len(t.notes) for t in score.pitched_tracks())
    notes = [{(n.track, n.index) for o in f.occurrences for n in o.notes} for f in fams]
    stmts = [{frozenset((n.track, n.index) for n in o.notes) for o in f.occurrences} for f in fams]
    print(f"{path}: notes {voiced}, families {len(fams)}, occurrences {sum(len(f.occurrences) for f in fams)}")
    for i, f in enumerate(fams):
        occ = f.occurrences
        lens = [len(o.notes) for o in occ]
        higher = set().union(*notes[:i]) if i else set()
        others = set().union(*(notes[j] for j in range(len(fams)) if j != i)) if len(fams) > 1 else set()
        most = max(((len(notes[i] & notes[j]) / len(notes[i]), fams[j].label) for j in range(len(fams)) if j != i),
                   default=(0.0, "-"))
        shared = sum(any(s in stmts[j] for j in range(len(fams)) if j != i) for s in stmts[i])
        tracks = collections.Counter(names.get(o.track, o.track) for o in occ)
        p = f.prototype
        ints = [b.pitch - a.pitch for a, b in zip(p.notes, p.notes[1:])]
        iois = [round(b.onset - a.onset, 3) for a, b in zip(p.notes, p.notes[1:])]
        print(f"{f.label:>2} {kind(f):4} stm {len(occ):4} exact {sum(o.similarity >= 0.999 for o in occ):4} "
              f"len {statistics.median(lens):3.0f} ({min(lens)}-{max(lens)}) "
              f"in-higher {len(notes[i] & higher) / len(notes[i]):.2f} in-others {len(notes[i] & others) / len(notes[i]):.2f} "
              f"most {most[0]:.2f}:{most[1]} shared-stm {shared} transp {len({o.transposition for o in occ})} "
              f"| {dict(tracks.most_common(4))}")
        print(f"      prototype bar {score.bar_label_at(p.start)} {names.get(p.track)}: "
              f"{' '.join(pitch_name(n.pitch) for n in p.notes[:14])} | intervals {ints[:13]} | IOIs {iois[:13]}")


def profile_line(name: str, score: object, model: object, settings: DiscoverySettings) -> str:
    fams = discover(score, model, settings)
    voiced = sum(len(t.notes) for t in score.pitched_tracks())
    occ = [len(f.occurrences) for f in fams]
    exact = sum(sum(o.similarity >= 0.999 for o in f.occurrences) for f in fams)
    stated = sum(len(o.notes) for f in fams for o in f.occurrences)
    top = max(fams, key=lambda f: len(f.occurrences)) if fams else None
    largest = f"{len(top.occurrences)} ({top.notes_per_occurrence} notes)" if top else "0"
    return (f"{name[:36]:36} notes {voiced:6} families {len(fams):3} statements {sum(occ):5} "
            f"exact {exact / max(1, sum(occ)):.2f} stated-notes/notes {stated / max(1, voiced):.2f} "
            f"per-100-notes {100 * sum(occ) / max(1, voiced):.1f} largest {largest} over-100 {sum(o > 100 for o in occ)}")


def rank(path: str, track: str, settings: DiscoverySettings) -> None:
    import motifcli
    from motifcli.discovery.candidates import build_lines
    from motifcli.discovery.core import line_patterns, voices_of
    
    score = motifcli.read_score(path)
    voices = voices_of(score, settings)
    lines = build_lines(voices)
    _, pats = line_patterns(lines, settings)
    order = sorted(range(len(pats)), key=lambda i: (-pats[i].score, pats[i].n, int(pats[i].starts[0])))
    place = {i: r for r, i in enumerate(order)}
    first = next(k for k, v in enumerate(lines.voices) if score.tracks[v.track].name == track)
    pos = int(lines.voice_id.searchsorted(first))
    cap = min(settings.max_families, max(3, int(len(lines) // settings.notes_per_family)))
    best = max(p.score for p in pats)
    print(f"{path}: {len(pats)} closed patterns, best score {best:.1f}, family cap {cap}, "
          f"cut-off {settings.relative_salience * best:.1f}; {track}'s first note at line position {pos}")
    for i, p in enumerate(pats):
        if ((p.starts <= pos) & (p.starts + p.n > pos)).any():
            print(f"  {p.n} notes, {len(p.starts)} statements, score {p.score:.1f} "
                  f"(x{p.score / (len(p.starts) * p.n):.3f} of statements x notes), rank {place[i]} of {len(pats)}")


def at(path: str, track: str, first: int, last: int, settings: DiscoverySettings) -> None:
    import motifcli

    score = motifcli.read_score(path)
    index = next(t.index for t in score.tracks if t.name == track)
    for f in discover(score, motifcli.load_model(), settings):
        for o in f.occurrences:
            held = sorted(n.index for n in o.notes if n.track == index)
            if any(first <= i <= last for i in held):
                print(f"{f.label} notes {held[0]}-{held[-1]} bar {score.bar_label_at(o.start)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("stage", choices=("read", "profile", "rank", "at"))
    ap.add_argument("files", nargs="*")
    ap.add_argument("--bps-tune", action="store_true")
    ap.add_argument("--track", help="rank, at: the track (its name)")
    ap.add_argument("--notes", default="0-15", help="at: FIRST-LAST note indices of the track")
    ap.add_argument("--set", nargs="*", default=[])
    args = ap.parse_intermixed_args()
    settings = dataclasses.replace(DiscoverySettings(), **parse_set(args.set))
    if args.stage == "at":
        first, last = (int(x) for x in args.notes.split("-"))
        at(args.files[0], args.track, first, last, settings)
        return
    if args.stage == "rank":
        rank(args.files[0], args.track, settings)
        return
    if args.stage == "read":
        for path in args.files:
            read(path, settings)
        return
    import motifcli

    if args.bps_tune:
        for p in pieces("bps", "tune"):
            print(profile_line(p.name, p.score, None, settings), flush=True)
    model = motifcli.load_model()
    for path in args.files:
        print(profile_line(path.rsplit("/", 1)[-1], motifcli.read_score(path), model, settings), flush=True)


if __name__ == "__main__":
    main()
