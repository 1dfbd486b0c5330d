"""Labelled pieces with every track merged into one MIDI track, read with and without ``split_hands``
(phase19-hand19.md).

    PYTHONPATH=$PWD python -m benchmarks.hands_merged bps tune
    PYTHONPATH=$PWD python -m benchmarks.hands_merged --model pop909 val,train
    PYTHONPATH=$PWD python -m benchmarks.hands_merged --model pop909 val,train k=v ...   # overrides for the split row

A BPS movement's two staff tracks merged are a piano sonata in one track (the hands are the labels'
truth); a POP909 song's MELODY, BRIDGE and PIANO merged are melody and accompaniment in one track (a
lead sheet played). Notes keep their onsets and pitches, so the labels still match note for note.
Prints the mean F_est / F_occ(.75) / F_3 of: the corpus as read (a track per staff / instrument),
the merged track before (``split_hands=False``) and after (the defaults); per piece with ``--per-piece``.
"""

from __future__ import annotations

import dataclasses
import sys

import numpy as np

from benchmarks.discovery_errors import clean, fast_scores
from benchmarks.discovery_sweep import parse_set, pieces
from motifcli.discovery import DiscoverySettings, discover
from motifcli.score import Track


def merged(score):  # noqa: ANN001, ANN201 - motifcli Score
    """The score's pitched notes as one track on one channel and staff (as a one-track MIDI file reads)."""
    notes = sorted((dataclasses.replace(n, channel=0, staff=1) for t in score.pitched_tracks() for n in t.notes),
                   key=lambda n: (n.onset, n.pitch))
    return dataclasses.replace(score, tracks=[Track(0, "Piano", notes, channel=0)], meter=score.meter_map)


def family_scores(fams, refs) -> dict:  # noqa: ANN001 - discovery families, cleaned reference patterns
    """mir_eval's scores of ``fams`` (discovery families) against ``refs``."""
    return fast_scores(clean([[o.points() for o in f.occurrences] for f in fams]), refs)


def print_piece(name: str, rows: list[dict]) -> None:
    """One piece's F_est / F_occ(.75) / F_3 per reading, in the readings' order."""
    print(name, " | ".join(f"{r['F_est']:.3f} / {r['F_occ.75']:.3f} / {r['F_3']:.3f}" for r in rows), flush=True)


def print_means(corpus: str, splits: list[str], runs: dict[str, list[tuple[float, float, float]]]) -> None:
    """Each reading's mean F_est / F_occ(.75) / F_3 over the pieces."""
    for name, rows in runs.items():
        m = np.mean(rows, axis=0)
        print(f"{corpus} {','.join(splits)} {name}: F_est {m[0]:.3f} F_occ(.75) {m[1]:.3f} F_3 {m[2]:.3f} ({len(rows)} pieces)")


def command(args: list[str]) -> tuple[bool, object | None, str, list[str], list[str]]:
    """``[--per-piece] [--model] CORPUS SPLITS [MORE...]`` -> (per piece, the shipped model or None, corpus,
    splits, the arguments after them)."""
    per_piece = "--per-piece" in args
    args = [a for a in args if a != "--per-piece"]
    model = None
    if args[0] == "--model":
        import motifcli

        model, args = motifcli.load_model(), args[1:]
    return per_piece, model, args[0], args[1].split(","), args[2:]


def main(args: list[str]) -> None:
    per_piece, model, corpus, splits, more = command(args)
    split_settings = DiscoverySettings(**parse_set(more))  # KEY=VALUE overrides for the split reading
    runs = {"as read": [], "merged, before": [], "merged, split_hands": []}
    for split in splits:
        for p in pieces(corpus, split):
            refs = clean(p.patterns)
            one = merged(p.score)
            rows = []
            for name, score, settings in (("as read", p.score, DiscoverySettings()),
                                          ("merged, before", one, DiscoverySettings(split_hands=False)),
                                          ("merged, split_hands", one, split_settings)):
                sc = family_scores(discover(score, model, settings), refs)
                runs[name].append((sc["F_est"], sc["F_occ.75"], sc["F_3"]))
                rows.append(sc)
            if per_piece:
                print_piece(p.name, rows)
    print_means(corpus, splits, runs)


if __name__ == "__main__":
    main(sys.argv[1:])
