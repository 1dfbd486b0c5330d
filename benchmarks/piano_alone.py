"""POP909's PIANO track read alone: a pop accompaniment played into one MIDI track by one pianist
(phase22-pianoalone22.md; the integrator's measurement in DISCOVERY-ALGO.md "Phase 21").

    PYTHONPATH=$PWD python -m benchmarks.piano_alone val,train                       # defaults and the session-20 reading
    PYTHONPATH=$PWD python -m benchmarks.piano_alone --per-piece val,train "" "split_hands=False texture_tune=False"
    PYTHONPATH=$PWD python -m benchmarks.piano_alone val,train "" "k=v k2=v2"        # variants, as discovery_fast_sweep

Each song's PIANO track is the score's only track (the song's meter kept); the labels (the piano
texture's bars and the melody's motifs, POP909's) are scored against it with the shipped model, as
``hands_merged`` scores a merged track. Each variant argument is space-separated KEY=VALUE overrides
of DiscoverySettings ("" = the defaults; with no variant: the defaults and
``split_hands=False texture_tune=False``, session 20's reading). Also prints how many songs the hand
split takes (:func:`motifcli.hands.keyboard_hands` with the defaults) and, per piece, ``*`` on a split
song.
"""

from __future__ import annotations

import dataclasses
import sys

from benchmarks.discovery_errors import clean
from benchmarks.discovery_sweep import parse_set, pieces
from benchmarks.hands_merged import family_scores, print_means, print_piece
from motifcli.discovery import DiscoverySettings, discover
from motifcli.hands import keyboard_hands

SESSION20 = "split_hands=False texture_tune=False"


def piano_alone(score):  # noqa: ANN001, ANN201 - motifcli Score
    """``score`` with its PIANO track as its only track (None when it has none)."""
    piano = [t for t in score.pitched_tracks() if (t.name or "").upper() == "PIANO"]
    return dataclasses.replace(score, tracks=piano, meter=score.meter_map) if piano else None


def main(args: list[str]) -> None:
    import motifcli

    per_piece = "--per-piece" in args
    args = [a for a in args if a != "--per-piece"]
    splits, variants = args[0].split(","), args[1:] or ["", SESSION20]
    model = motifcli.load_model()
    runs: dict[str, list[tuple[float, float, float]]] = {repr(v): [] for v in variants}
    settings = [DiscoverySettings(**parse_set(v.split())) for v in variants]
    split_songs = 0
    for sp in splits:
        for p in pieces("pop909", sp):
            one = piano_alone(p.score)
            if one is None:
                continue
            refs = clean(p.patterns)
            is_split = bool(keyboard_hands(one, DiscoverySettings()))
            split_songs += is_split
            rows = []
            for v, s in zip(variants, settings):
                sc = family_scores(discover(one, model, s), refs)
                runs[repr(v)].append((sc["F_est"], sc["F_occ.75"], sc["F_3"]))
                rows.append(sc)
            if per_piece:
                print_piece(f"{sp} {p.name}{' *' if is_split else ''}", rows)
    print(f"{split_songs} of {len(next(iter(runs.values())))} PIANO tracks split into hands by the defaults")
    print_means("pop909 PIANO alone", splits, runs)


if __name__ == "__main__":
    main(sys.argv[1:])
