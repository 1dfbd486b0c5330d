"""The output order puts a family stated as itself, with notes of its own, before loose windows of other
families' notes (``order_exact``, ``order_own``; phase17-rank17.md), on real scores."""

from __future__ import annotations

from pathlib import Path

import pytest

from motifcli import read_score
from motifcli.discovery import DiscoverySettings, Family, discover
from motifcli.discovery.salience import exact_share, shared_shares
from motifcli.score import Score
from motifcli.voices import TEXTURE

# Mozart K. 458 ('The Hunt'), i: the horn call F-F-D-D-D-Bb-Bb-Bb in 6/8 from the upbeat, 1st Violin (track 0);
# benchmarks/m21_main_ideas.json, written before any output was looked at
HORN = {(0.0, 77), (0.5, 77), (1.0, 74), (1.5, 74), (2.0, 74), (2.5, 70), (3.0, 70), (3.5, 70)}
OFF = {"order_exact": 0.0, "order_own": 0.0}


def _work(name: str) -> Score:
    music21 = pytest.importorskip("music21")
    return read_score(Path(str(music21.corpus.getWork(name))))


def _horn_rank(families: list[Family]) -> int | None:
    """1-based rank of the first family one statement of which holds >= 75% of the horn call."""
    for k, f in enumerate(families, 1):
        if any(len(HORN & {(n.onset, n.pitch) for n in o.notes if n.track == 0}) >= 0.75 * len(HORN)
               for o in f.occurrences):
            return k
    return None


@pytest.fixture(scope="module")
def k458() -> Score:
    return _work("mozart/k458/movement1.mxl")


def test_the_horn_call_of_k458_is_named_first(k458: Score) -> None:
    assert _horn_rank(discover(k458)) == 1
    before = _horn_rank(discover(k458, settings=DiscoverySettings(**OFF)))
    assert before is not None and before > 5  # behind scale-run windows of 100+ loose statements


@pytest.mark.parametrize("knob", ["order_exact", "order_own"])
def test_each_rule_alone_raises_the_horn_call(k458: Score, knob: str) -> None:
    before = _horn_rank(discover(k458, settings=DiscoverySettings(**OFF)))
    alone = _horn_rank(discover(k458, settings=DiscoverySettings(**{**OFF, knob: getattr(DiscoverySettings(), knob)})))
    assert before is not None and alone is not None and alone < before


def test_the_rules_reorder_and_never_change_what_is_reported(k458: Score) -> None:
    after = discover(k458)
    before = discover(k458, settings=DiscoverySettings(**OFF))
    key = lambda fs: sorted(repr((f.occurrences, f.coverage, f.notes_per_occurrence)) for f in fs)  # noqa: E731
    assert key(after) == key(before)
    assert [f.occurrences for f in after] != [f.occurrences for f in before]
    assert [f.salience for f in after] == sorted((f.salience for f in after), reverse=True)


def test_shares_read_the_statements(k458: Score) -> None:
    families = discover(k458)
    shared = shared_shares(families)
    for f, s in zip(families, shared):
        assert 1 / len(f.occurrences) <= exact_share(f) <= 1  # the prototype is exact
        assert 0 <= s <= 1
    loose = [f for f in families if exact_share(f) < 0.5]
    assert loose and all(s > 0.5 for f, s in zip(families, shared) if f in loose)


def test_texture_families_keep_their_salience() -> None:
    """POP909 song 101 (examples/): the rules read line families only, as ``order_opening`` does."""
    score = read_score(Path(__file__).resolve().parents[1] / "examples" / "pop909-101.mid")
    before = {f.occurrences: f.salience for f in discover(score, settings=DiscoverySettings(**OFF))}
    after = discover(score)
    textures = [f for f in after if f.prototype.notes[0].voice == TEXTURE]
    assert textures and all(f.salience == pytest.approx(before[f.occurrences]) for f in textures)
    assert all(f.salience <= before[f.occurrences] + 1e-12 for f in after)
