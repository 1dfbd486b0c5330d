"""The output order names first the idea a piece opens with (``order_opening``, phase14-rank14.md), on real scores."""

from __future__ import annotations

from pathlib import Path

import pytest

from motifcli import read_score
from motifcli.discovery import DiscoverySettings, Family, discover
from motifcli.score import Score
from motifcli.voices import TEXTURE

# Beethoven op. 18 no. 1, i: the turn figure F-(G F E)-F-C stated in unison at the opening (Violin I, track 0)
TURN = {(0.0, 65), (1.5, 67), (1.75, 65), (2.0, 64), (2.5, 65), (3.0, 60)}


def _work(name: str) -> Score:
    music21 = pytest.importorskip("music21")
    return read_score(Path(str(music21.corpus.getWork(name))))


def _holds_turn(family: Family) -> bool:
    """One statement of ``family`` holds at least 5 of the turn figure's 6 opening notes in Violin I."""
    return any(len(TURN & {(n.onset, n.pitch) for n in o.notes if n.track == 0}) >= 5 for o in family.occurrences)


def _as_set(families: list[Family]) -> list[str]:
    return sorted(repr((f.occurrences, f.coverage, f.notes_per_occurrence)) for f in families)


def test_the_opening_turn_of_op18_no1_is_named_first() -> None:
    score = _work("beethoven/opus18no1/movement1.mxl")
    families = discover(score)
    # the salience alone: the later output rules (order_exact, order_own; phase17-rank17.md) off too
    before = discover(score, settings=DiscoverySettings(order_opening=0.0, order_exact=0.0, order_own=0.0))
    assert _holds_turn(families[0]) and families[0].label == "A"
    assert not _holds_turn(before[0])  # the salience alone puts a later figure first
    assert any(_holds_turn(f) for f in before[:5])


def test_the_opening_rule_reorders_and_never_changes_what_is_reported() -> None:
    score = _work("beethoven/opus18no1/movement1.mxl")
    families = discover(score)
    before = discover(score, settings=DiscoverySettings(order_opening=0.0))
    assert [f.label for f in families] == [f.label for f in before]  # A, B, ... in the new order
    assert _as_set(families) == _as_set(before)
    assert [f.occurrences for f in families] != [f.occurrences for f in before]
    saliences = [f.salience for f in families]
    assert saliences == sorted(saliences, reverse=True)  # the output's salience is the one it is ordered by


def test_texture_families_keep_their_salience() -> None:
    """POP909 song 101 (examples/): a chordal track's bars sound from the first bar whatever the song's
    ideas are, so where a texture family starts does not move it; line families only lose."""
    score = read_score(Path(__file__).resolve().parents[1] / "examples" / "pop909-101.mid")
    before = {f.occurrences: f.salience for f in discover(score, settings=DiscoverySettings(order_opening=0.0))}
    after = discover(score)
    textures = [f for f in after if f.prototype.notes[0].voice == TEXTURE]
    lines = [f for f in after if f.prototype.notes[0].voice != TEXTURE]
    assert textures and lines
    assert all(f.salience == pytest.approx(before[f.occurrences]) for f in textures)
    assert all(f.salience <= before[f.occurrences] + 1e-12 for f in lines)
    assert any(f.salience < 0.5 * before[f.occurrences] for f in lines)  # one first heard later falls
