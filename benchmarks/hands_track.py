"""``--track`` on a track-per-staff piano: one staff searched alone, read as one hand or split in two?

    PYTHONPATH=$PWD python -m benchmarks.hands_track [bps tune]
    PYTHONPATH=$PWD python -m benchmarks.hands_track --whole [bps tune]

Session 19's discovery split the ``--track`` view (the other tracks emptied), so a staff track of a
multi-track file was "alone in its file" and, when chordal and two octaves wide, read as two hands;
session 20 (phase20-hands20.md) reads a track as hands only when it is the file's one pitched track.
Per piece and staff track of BPS: the staff alone (as ``--track`` shows it to discovery) discovered
with the split (session 19) and without it (session 20), scored against the labels' occurrences
that lie wholly in that staff (families with two such occurrences or more). Prints per piece and the
mean F_est / F_occ(.75) / F_3 of each reading, and how many staves the split took.

``--whole``: a probe of the same register split on the piece as read (all its staff tracks, the
default's whole-file search): each staff track that the split takes alone is given its two "hands"
as staves, voices per staff in every track (``staff_voices="all"``), against the default reading.
"""

from __future__ import annotations

import dataclasses
import sys

import numpy as np

from benchmarks.discovery_errors import clean, fast_scores
from benchmarks.discovery_sweep import pieces
from motifcli.discovery import DiscoverySettings, discover
from motifcli.hands import keyboard_hands


def main(corpus: str = "bps", split: str = "tune") -> None:
    rows: dict[str, list[tuple[float, float, float]]] = {"split (session 19)": [], "one hand (session 20)": []}
    taken = staves = 0
    for p in pieces(corpus, split):
        for k, track in enumerate(p.score.tracks):
            if not track.notes or track.is_drum:
                continue
            alone = dataclasses.replace(p.score, tracks=[t if t is track else dataclasses.replace(t, notes=[])
                                                         for t in p.score.tracks])
            mine = {(round(n.onset, 6), n.pitch) for n in track.notes}
            refs = [[o for o in fam if all((round(on, 6), pi) in mine for on, pi in o)] for fam in p.patterns]
            refs = clean([fam for fam in refs if len(fam) >= 2])
            if not refs:
                continue
            staves += 1
            taken += bool(keyboard_hands(alone, DiscoverySettings()))
            out = []
            for name, hands in (("split (session 19)", None), ("one hand (session 20)", {})):
                fams = discover(alone, None, DiscoverySettings(), hands=hands)
                sc = fast_scores(clean([[o.points() for o in f.occurrences] for f in fams]), refs)
                rows[name].append((sc["F_est"], sc["F_occ.75"], sc["F_3"]))
                out.append(f"{sc['F_est']:.3f} / {sc['F_occ.75']:.3f} / {sc['F_3']:.3f}")
            print(f"{p.name} track {k} ({len(refs)} families)", " | ".join(out), flush=True)
    print(f"{taken} of {staves} staves split when alone")
    for name, r in rows.items():
        m = np.mean(r, axis=0)
        print(f"{corpus} {split} {name}: F_est {m[0]:.3f} F_occ(.75) {m[1]:.3f} F_3 {m[2]:.3f} ({len(r)} staves)")


def whole(corpus: str = "bps", split: str = "tune") -> None:
    settings = DiscoverySettings()
    rows: dict[str, list[tuple[float, float, float]]] = {"as read (default)": [], "each staff split, staff_voices=all": []}
    for p in pieces(corpus, split):
        reading: dict[int, tuple[int, ...]] = {}
        for k, track in enumerate(p.score.tracks):
            alone = dataclasses.replace(p.score, tracks=[t if t is track else dataclasses.replace(t, notes=[])
                                                         for t in p.score.tracks])
            reading.update(keyboard_hands(alone, settings))
        refs = clean(p.patterns)
        out = []
        for name, hands, run in (("as read (default)", None, settings),
                                 ("each staff split, staff_voices=all", reading,
                                  dataclasses.replace(settings, staff_voices="all"))):
            fams = discover(p.score, None, run, hands=hands)
            sc = fast_scores(clean([[o.points() for o in f.occurrences] for f in fams]), refs)
            rows[name].append((sc["F_est"], sc["F_occ.75"], sc["F_3"]))
            out.append(f"{sc['F_est']:.3f} / {sc['F_occ.75']:.3f} / {sc['F_3']:.3f}")
        print(f"{p.name} ({len(reading)} staves split)", " | ".join(out), flush=True)
    for name, r in rows.items():
        m = np.mean(r, axis=0)
        print(f"{corpus} {split} {name}: F_est {m[0]:.3f} F_occ(.75) {m[1]:.3f} F_3 {m[2]:.3f} ({len(r)} pieces)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--whole"]:
        whole(*sys.argv[2:4])
    else:
        main(*sys.argv[1:3])
