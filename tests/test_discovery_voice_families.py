"""Phase 4 voice families: one motif gives one family (merge), and families need repetition (real music)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from motifcli import read_score
from motifcli.discovery import DiscoverySettings, Family, discover
from motifcli.score import Note, Score, Track

REPO = Path(__file__).resolve().parents[1]
POP = REPO / "examples" / "pop909-101.mid"

# an 8-note figure and the same figure with one altered note (semitones, beat offsets, durations)
FIGURE = [(0.0, 0, 0.5), (0.5, 7, 0.25), (0.75, 5, 0.25), (1.0, 4, 1.0), (2.0, -1, 0.5), (2.5, 2, 0.5), (3.0, 11, 0.75), (3.75, 9, 0.25)]
ORNAMENTED = FIGURE[:4] + [(2.0, 0, 0.5)] + FIGURE[5:]  # one altered note: other interval classes, another key


def _plant(score: Score) -> tuple[Score, list[set[tuple[int, int]]]]:
    """A new track: FIGURE five times, its altered form (exactly repeated) five times, transposed, far apart."""
    end = float(score.end_beat)
    notes: list[Note] = []
    planted: list[set[tuple[int, int]]] = []
    index = max(t.index for t in score.tracks) + 1
    statements = [(FIGURE, 0), (ORNAMENTED, 3), (FIGURE, 5), (ORNAMENTED, -2), (FIGURE, -3), (ORNAMENTED, 3), (FIGURE, 2),
                  (ORNAMENTED, 0), (FIGURE, 4), (ORNAMENTED, -4)]
    for k, (shape, shift) in enumerate(statements):
        start = float(np.floor((k + 1) * end / (len(statements) + 1)))
        first = len(notes)
        notes += [Note(start + t, start + t + d, 64 + shift + p) for t, p, d in shape]
        planted.append({(index, i) for i in range(first, len(notes))})
    return dataclasses.replace(score, tracks=[*score.tracks, Track(index=index, name="PLANT", notes=notes)]), planted


def _holding(families: list[Family], notes: set[tuple[int, int]]) -> list[Family]:
    """Families with an occurrence covering at least 3/4 of ``notes``."""
    out = []
    for f in families:
        for o in f.occurrences:
            if len(notes & {(n.track, n.index) for n in o.notes}) >= 0.75 * len(notes):
                out.append(f)
                break
    return out


def test_an_ornamented_form_of_a_motif_is_merged_into_its_family() -> None:
    score, planted = _plant(read_score(POP))
    # merging judged alone: the later check on identical grown families (grown_redundancy) would also
    # fold the two, as their variants give both the same ten statements
    apart = discover(score, settings=DiscoverySettings(merge_tolerance=0.0, grown_redundancy=0.0))
    merged = discover(score, settings=DiscoverySettings(merge_tolerance=1.0))
    # without merging, the exact repeats of the ornamented form are a family of their own
    assert len({f.label for p in planted for f in _holding(apart, p)}) >= 2
    holders = {f.label for p in planted for f in _holding(merged, p)}
    assert len(holders) == 1, f"one motif, several families: {holders}"
    fam = next(f for f in merged if f.label in holders)
    assert all(_holding([fam], p) for p in planted), "a planted statement is missing from the merged family"
    assert len(merged) <= len(apart)


def test_families_with_too_few_statements_are_dropped() -> None:
    score = read_score(POP)
    settings = DiscoverySettings(texture=False, min_occurrences=4)
    families = discover(score, settings=settings)
    assert families
    assert all(len(f.occurrences) >= 4 for f in families)
    loose = discover(score, settings=DiscoverySettings(texture=False, min_occurrences=2))
    # grown statements stop at other families' statements (grow_inside=False), and the loose run keeps
    # more families, so grown prototypes may end elsewhere: each kept one still overlaps a loose one ...
    loose_notes = [set(f.prototype.notes) for f in loose]
    assert all(any(set(f.prototype.notes) & n for n in loose_notes) for f in families)
    # ... and before growing the filter only drops families
    strict, loose = (discover(score, settings=DiscoverySettings(texture=False, min_occurrences=k, grow_share=0.0))
                     for k in (4, 2))
    assert strict and {f.prototype.notes for f in strict} <= {f.prototype.notes for f in loose}
