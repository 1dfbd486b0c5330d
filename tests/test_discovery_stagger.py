"""One passage read twice, as two families whose statements are shifted phrasings: one family stays
(``DiscoverySettings.stagger``, motifcli/discovery/stagger.py, benchmarks/phase27-stagger27.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from motifcli import read_score
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.stagger import staggered, without_staggered
from motifcli.discovery.types import Family, NoteRef, Occurrence
from motifcli.model import LazyModel


def _family(label: str, spans: list[range], coverage: float) -> Family:
    """A line family of one track whose statements are the notes at ``spans`` (index i sounds at beat i)."""
    occ = tuple(Occurrence(tuple(NoteRef(0, i, 0, float(i), i + 1.0, 60 + i % 7) for i in r), 0, 0, 1.0)
                for r in spans)
    return Family(label, occ, 1.0, coverage, len(spans[0]))


def test_shifted_phrasings_are_staggered_and_a_cell_inside_a_phrase_is_not() -> None:
    phrase = _family("A", [range(0, 6), range(10, 16)], 0.3)
    shifted = _family("B", [range(2, 8), range(12, 18)], 0.2)  # the same run, two notes later
    cell = _family("C", [range(1, 4), range(11, 14)], 0.1)  # a 3-note cell inside each statement of A
    assert staggered(shifted, phrase, 0.5) and staggered(phrase, shifted, 0.5)
    assert not staggered(cell, phrase, 0.5)  # all its notes lie in A's statements, but nested
    assert [f.label for f in without_staggered([shifted, phrase, cell], 0.5)] == ["A", "C"]  # A explains more
    assert not staggered(shifted, phrase, 0.7)  # 8 of 12 notes shared: under a stricter share both stay


def _score(work: str):
    music21 = pytest.importorskip("music21")
    return read_score(Path(str(music21.corpus.getWork(work))))


def _line_pairs(found: list[Family]) -> list[tuple[str, str]]:
    lines = [f for f in found if not f.is_texture]
    return [(x.label, y.label) for k, x in enumerate(lines) for y in lines[:k] if staggered(x, y, 0.5)]


def test_k545_run_read_twice_is_one_family() -> None:
    """Mozart K. 545's exposition (music21): two 15-note families of six statements, the second's notes 98%
    inside the first's statements, a few notes later. Main reported both (A and B); one stays now."""
    score = _score("mozart/k545/movement1_exposition.mxl")
    lazy = LazyModel()
    before = discover(score, lazy, DiscoverySettings(stagger=0.0))
    after = discover(score, lazy)
    assert len(_line_pairs(before)) == 1
    assert _line_pairs(after) == []
    assert len(after) == len(before) - 1
    kept = max((f for f in before if not f.is_texture), key=lambda f: f.coverage)
    assert kept.occurrences in [f.occurrences for f in after]


def test_nested_families_stay() -> None:
    """bwv130.6 (music21): family B's 8-note statements hold more than half of A's notes and A's hold more
    than half of B's, but each pair of statements is nested (one holds the other): both stay."""
    score = _score("bach/bwv130.6.mxl")
    lazy = LazyModel()
    before = discover(score, lazy, DiscoverySettings(stagger=0.0))
    after = discover(score, lazy)
    notes = [{(n.track, n.index) for o in f.occurrences for n in o.notes} for f in before]
    assert any(len(a & b) >= 0.5 * len(a) and len(a & b) >= 0.5 * len(b)
               for i, a in enumerate(notes) for b in notes[:i])  # they do overlap that much
    assert [f.occurrences for f in after] == [f.occurrences for f in before]
