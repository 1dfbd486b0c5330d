"""Labelled pieces written as one multi-staff part, as a MusicXML piano part arrives: scored before/after
the per-staff voices (staves11, benchmarks/phase11-staves11.md).

    PYTHONPATH=$PWD python benchmarks/staves_grand.py bps tune
    PYTHONPATH=$PWD python benchmarks/staves_grand.py pop909 val
    PYTHONPATH=$PWD python benchmarks/staves_grand.py bps tune texture_staff=true   # + a run with these overrides

No labelled corpus is a MusicXML piano part, so one is made from the MIDI (exact onsets, so the labels
still match note for note):

- ``bps``: the movement's staff tracks (one MIDI track per staff) become ONE track, each note keeping
  its staff (upper track = staff 1): how a one-part two-staff piano MusicXML of the movement is read;
- ``pop909``: the PIANO track gets treble/bass staves by motif's own notation rule
  (``writers.notation._split_staves``: a wide-range track is put on a grand staff split at middle C),
  as ``motif annotate song.mid -f musicxml`` (or MuseScore's MIDI import) writes it; other tracks as they are.

Runs: ``midi`` (the corpus as read: the split's published figures), then on the multi-staff score:
``before`` (``staff_voices="off"``, ``texture_staves=False``: as before session 11), ``all-notex``
(``staff_voices="all"``, ``texture_staves=False``), ``all`` (``staff_voices="all"``) and ``after``
(the defaults: ``staff_voices="alone"``, ``texture_staves=True``).
Product default settings and lazy model. Prints the mean F_est / F_occ(.75) / F_3 (P_occ, R_occ) per run.
"""

from __future__ import annotations

import dataclasses
import sys
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def one_part(score, corpus: str):  # noqa: ANN001, ANN201 - benchmarks.motif_corpora's Score
    """The score as a multi-staff part would be read (see the module docstring)."""
    from motifcli.score import Track
    from motifcli.writers.notation import _split_staves

    meter = score.meter_map
    if corpus == "bps":
        pitched = score.pitched_tracks()
        notes = sorted(((n, k + 1) for k, t in enumerate(pitched) for n in t.notes),
                       key=lambda x: (x[0].onset, x[0].pitch, x[1]))
        merged = Track(0, "Piano", [dataclasses.replace(n, staff=s) for n, s in notes], channel=0)
        return dataclasses.replace(score, tracks=[merged], meter=meter), pitched
    tracks = []
    for t in score.tracks:
        rows = [(Fraction(n.onset), Fraction(n.offset), n.pitch) for n in t.notes]
        if t.is_pitched and _split_staves(rows) is not None:
            t = dataclasses.replace(t, notes=[dataclasses.replace(n, staff=1 if n.pitch >= 60 else 2) for n in t.notes])
        tracks.append(t)
    return dataclasses.replace(score, tracks=tracks, meter=meter), None


def main(corpus: str, split: str, extra: list[str] | None = None) -> None:
    from benchmarks.discovery_eval import aggregate, score
    from benchmarks.motif_corpora import load_corpus
    from motifcli.discovery import DiscoverySettings, discover
    from motifcli.model import LazyModel

    lazy = LazyModel()
    runs = {"midi": DiscoverySettings(), "before": DiscoverySettings(staff_voices="off", texture_staves=False),
            "all-notex": DiscoverySettings(staff_voices="all", texture_staves=False),
            "all": DiscoverySettings(staff_voices="all"), "after": DiscoverySettings()}
    if extra:  # the defaults with these overrides, on the multi-staff score (phase18-tex18.md)
        from benchmarks.discovery_sweep import parse_set

        runs["after+set"] = DiscoverySettings(**parse_set(extra))
    per: dict[str, list[dict[str, float]]] = {r: [] for r in runs}
    for piece in load_corpus(corpus, split):
        grand, _ = one_part(piece.score, corpus)
        for run, settings in runs.items():
            fams = discover(piece.score if run == "midi" else grand, lazy, settings)
            per[run].append(score([[o.points() for o in f.occurrences] for f in fams], piece.patterns))
    print(f"{corpus} {split} ({len(per['midi'])} pieces): F_est / F_occ(.75) / F_3 (P_occ, R_occ)")
    for run in runs:
        m = aggregate(per[run])
        print(f"  {run:9s} {m['F_est']:.3f} / {m['F_occ.75']:.3f} / {m['F_3']:.3f} "
              f"({m['P_occ.75']:.3f}, {m['R_occ.75']:.3f})")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
