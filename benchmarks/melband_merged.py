"""POP909 / BPS pieces merged into one track (benchmarks.hands_merged.merged), texture bars with and
without the tune's notes (phase21-melband21.md).

    PYTHONPATH=$PWD python -m benchmarks.melband_merged [--per-piece] [--model] pop909 val,train [k=v ...]

Runs per piece: the merged track with the defaults, with ``texture_tune`` (plus the settings given),
and two oracles that drop the notes of the score's MELODY track (and of MELODY and BRIDGE) from the
texture bars, so the ceiling of taking the tune out is known. Prints mean F_est / F_occ(.75) / F_3.
"""

from __future__ import annotations

import dataclasses
import sys

import numpy as np

from benchmarks.discovery_errors import clean
from benchmarks.discovery_sweep import pieces
from benchmarks.hands_merged import command, family_scores, merged, print_means, print_piece
from motifcli.discovery import DiscoverySettings, discover, texture_tune

_ORACLE: set[tuple[float, int]] = set()


def _oracle(track):  # noqa: ANN001, ANN202
    keys = [(round(n.onset, 4), n.pitch) for n in track.notes]
    return np.asarray([i for i, k in enumerate(keys) if k in _ORACLE], dtype=np.int64)


def _value(v: str):  # noqa: ANN202
    for cast in (int, float):
        try:
            return cast(v)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(v.lower(), v)


def main(args: list[str]) -> None:
    per_piece, model, corpus, splits, more = command(args)
    extra = {k: _value(v) for k, v in (a.split("=", 1) for a in more)}
    real = texture_tune.tune_notes
    names = ("merged", "texture_tune", "oracle melody", "oracle melody+bridge")
    runs: dict[str, list] = {n: [] for n in names}
    for split in splits:
        for p in pieces(corpus, split):
            refs = clean(p.patterns)
            one = merged(p.score)
            tracks = p.score.pitched_tracks()
            mel = [t for t in tracks if "MELODY" in (t.name or "").upper()] or tracks[:1]
            bri = [t for t in tracks if "BRIDGE" in (t.name or "").upper()]
            rows = []
            for name in names:
                settings = DiscoverySettings() if name == "merged" else DiscoverySettings(texture_tune=True, **extra)
                if name.startswith("oracle"):
                    chosen = mel + (bri if "bridge" in name else [])
                    _ORACLE.clear()
                    _ORACLE.update((round(n.onset, 4), n.pitch) for t in chosen for n in t.notes)
                    texture_tune.tune_notes = _oracle
                else:
                    texture_tune.tune_notes = real
                sc = family_scores(discover(one, model, settings), refs)
                runs[name].append((sc["F_est"], sc["F_occ.75"], sc["F_3"]))
                rows.append(sc)
            texture_tune.tune_notes = real
            if per_piece:
                print_piece(p.name, rows)
    print_means(corpus, splits, runs)


if __name__ == "__main__":
    main(sys.argv[1:])
