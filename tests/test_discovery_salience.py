"""Family order (issue 10): which family an analyst would name first, on real music."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from motifcli import read_score
from motifcli.discovery import DiscoverySettings, Family, discover
from motifcli.discovery.salience import plainness, transposed_share
from motifcli.score import Note, Score, Track

# a distinctive 8-note figure (beat offset, semitones above its first note, duration), stated transposed
MOTIF = [(0.0, 0, 0.5), (0.5, 7, 0.25), (0.75, 5, 0.25), (1.0, 4, 1.0), (2.0, -1, 0.5), (2.5, 2, 0.5), (3.0, 11, 0.75), (3.75, 9, 0.25)]
SHIFTS = [0, 5, -3, 7, 2, -5]
# a major scale up an octave in the same rhythm, stated at one pitch: equal coverage and statements. It
# never comes back near the pitch two notes before (patterns.score_pattern's accompaniment discount),
# while MOTIF does once (4 -> 2), so the base salience alone ranks the scale first.
PLAIN = [(t, p, d) for (t, _, d), p in zip(MOTIF, [0, 2, 4, 5, 7, 9, 11, 12])]


def _chorale() -> Score:
    music21 = pytest.importorskip("music21")
    return read_score(Path(str(music21.corpus.getWork("bwv1.6"))))


Statements = list[frozenset[tuple[int, int]]]


def _plant(score: Score) -> tuple[Score, Statements, Statements]:
    """Two new tracks: MOTIF at SHIFTS and PLAIN six times unshifted, interleaved far apart."""
    end = score.end_beat
    first = max(t.index for t in score.tracks) + 1
    tracks, keys = [], []
    for j, (figure, shifts) in enumerate([(MOTIF, SHIFTS), (PLAIN, [0] * len(SHIFTS))]):
        notes: list[Note] = []
        for k, shift in enumerate(shifts):
            start = float(int((k + 0.5 + 0.4 * j) * end / len(shifts)))
            statement = [Note(start + t, start + t + d, 72 - 24 * j + shift + p) for t, p, d in figure]
            keys.append(frozenset((first + j, len(notes) + i) for i in range(len(statement))))
            notes += statement
        tracks.append(Track(index=first + j, name=f"PLANT{j}", notes=notes))
    keys = [keys[: len(SHIFTS)], keys[len(SHIFTS) :]]
    return dataclasses.replace(score, tracks=[*score.tracks, *tracks]), keys[0], keys[1]


def _holding(families: list[Family], statements: Statements) -> int:
    """Rank of the family stating each planted statement, note for note."""
    for rank, f in enumerate(families):
        if set(statements) <= {frozenset((n.track, n.index) for n in o.notes) for o in f.occurrences}:
            return rank
    raise AssertionError("no family states every planted statement")


def test_a_transposed_motif_outranks_a_plain_figure_of_equal_coverage() -> None:
    score, motif, plain = _plant(_chorale())
    # the motif is planted earlier in the piece than the scale: the output-only rules are left out here
    families = discover(score, settings=DiscoverySettings(order_opening=0.0, order_exact=0.0, order_own=0.0))
    a, b = families[_holding(families, motif)], families[_holding(families, plain)]
    assert a.coverage == pytest.approx(b.coverage) and len(a.occurrences) == len(b.occurrences)
    assert transposed_share(a) == 1.0 and transposed_share(b) == 0.0
    assert plainness(b) > plainness(a)
    assert _holding(families, motif) < _holding(families, plain) and a.salience > b.salience
    # the transposition term makes the order: without it the scale comes first
    flat = discover(score, settings=DiscoverySettings(salience_transposed=0.0, order_opening=0.0, order_exact=0.0,
                                                      order_own=0.0))
    assert _holding(flat, plain) < _holding(flat, motif)


def test_ordering_settings_at_zero_keep_the_base_order() -> None:
    score = _chorale()
    off = DiscoverySettings(salience_length=0.0, salience_transposed=0.0, order_opening=0.0, order_exact=0.0,
                            order_own=0.0)
    families = discover(score, settings=off)
    assert families, "no families in a chorale"
    assert [f.salience for f in families] == sorted((f.salience for f in families), reverse=True)
    on = discover(score)
    assert {f.occurrences for f in on} == {f.occurrences for f in families} or len(families) >= off.max_families
