"""Which families a piece with a leading chordal track reports (DiscoverySettings.texture_other_lines,
texture_max_bars; benchmarks/phase6-pop6.md).

Real files (examples/pop909-101.mid, a Bach chorale from music21's corpus), real onnxruntime (the
shipped bar model, opened lazily as the CLI opens it).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from motifcli import read_score
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.texture import texture_phrases
from motifcli.model import LazyModel
from motifcli.voices import TEXTURE

REPO = Path(__file__).resolve().parents[1]
POP = REPO / "examples" / "pop909-101.mid"


@pytest.fixture(scope="module")
def pop():
    return read_score(POP)


@pytest.fixture(scope="module")
def model() -> LazyModel:
    return LazyModel()


def _keys(families) -> list[list[tuple[tuple[int, int], ...]]]:
    return [[tuple((n.track, n.index) for n in o.notes) for o in f.occurrences] for f in families]


def _is_texture(family) -> bool:
    return family.occurrences[0].notes[0].voice == TEXTURE


def _tracks(family) -> set[int]:
    return {n.track for o in family.occurrences for n in o.notes}


def test_other_lines_off_reports_the_leading_track_only(pop, model) -> None:
    piano = pop.track_named("PIANO").index
    keep = discover(pop, model, DiscoverySettings(texture_other_lines=True))
    drop = discover(pop, model, DiscoverySettings(texture_other_lines=False))
    # kept: the melody's phrases are families too; dropped: every family lies on the piano
    assert any(_tracks(f) != {piano} for f in keep)
    assert drop and all(_tracks(f) == {piano} for f in drop)
    # the texture families themselves do not change, nor the piano's own line families
    assert sorted(_keys([f for f in drop if _is_texture(f)])) == sorted(_keys([f for f in keep if _is_texture(f)]))
    assert sorted(_keys(drop)) == sorted(_keys([f for f in keep if _tracks(f) == {piano}]))


def test_other_lines_is_a_no_op_without_texture_families(pop, model) -> None:
    """No texture family kept (here: textures off): the setting drops nothing."""
    base = DiscoverySettings(texture=False)
    assert _keys(discover(pop, model, base)) == \
        _keys(discover(pop, model, dataclasses.replace(base, texture_other_lines=False)))


def test_chorale_unchanged_by_the_texture_settings() -> None:
    """Four single-line parts: no chordal track leads, so neither setting can change the output."""
    music21 = pytest.importorskip("music21")
    path = Path(str(music21.corpus.getWork("bwv66.6")))
    score = read_score(path)
    base = discover(score, None, DiscoverySettings(texture_max_bars=4, texture_other_lines=True))
    assert base
    assert _keys(discover(score, None, DiscoverySettings(texture_max_bars=1, texture_other_lines=False))) == _keys(base)


@pytest.mark.parametrize("max_bars", [1, 2, 4])
def test_texture_phrases_are_at_most_max_bars_long(pop, model, max_bars) -> None:
    settings = DiscoverySettings(texture_max_bars=max_bars)
    found = texture_phrases(pop, settings, model)
    assert found
    assert max(p.length for p in found) <= max_bars
    # merged runs: a statement spans a whole number of phrase lengths, and statements never overlap
    for p in found:
        assert all(int(s) % p.length == 0 for s in p.spans)
        ends = p.starts + p.spans
        assert all(ends[:-1] <= p.starts[1:])
    if max_bars == 1:  # single-bar symbols: --unit bar's runs of one cluster, on the leading track
        for p in found:
            syms = {int(p.bars.symbols[b]) for b in p.starts.tolist()}
            assert len(syms) == 1
            for s, n in zip(p.starts.tolist(), p.spans.tolist()):
                assert {int(x) for x in p.bars.symbols[s : s + n]} == syms


def _runs(symbols) -> dict[int, int]:
    """Per bar symbol: how many runs of adjacent bars it has (--unit bar's occurrences of one cluster)."""
    out: dict[int, int] = {}
    prev = None
    for s in symbols.tolist():
        if s >= 0 and s != prev:
            out[s] = out.get(s, 0) + 1
        prev = s
    return out


def test_bar_runs_offer_every_repeated_bar_symbol(pop, model) -> None:
    """texture_bar_runs: each symbol with two or more runs is a one-bar candidate, closed or not;
    without it, symbols whose statements continue the same way are only part of longer phrases."""
    on = texture_phrases(pop, DiscoverySettings(texture_bar_runs=True), model)
    off = texture_phrases(pop, DiscoverySettings(texture_bar_runs=False), model)
    runs = _runs(on[0].bars.symbols)
    repeated = {s for s, n in runs.items() if n >= 2}

    def single(found) -> set[int]:
        return {int(p.bars.symbols[int(p.starts[0])]) for p in found if p.length == 1}

    assert single(on) == repeated
    assert single(off) < repeated  # closure hid some of them
    # the longer phrases are the same candidates either way
    assert sorted((p.length, tuple(p.starts.tolist())) for p in on if p.length > 1) == \
        sorted((p.length, tuple(p.starts.tolist())) for p in off if p.length > 1)


def test_bar_runs_report_one_bar_families_and_longer_phrases(pop, model) -> None:
    found = [f for f in discover(pop, model, DiscoverySettings()) if _is_texture(f)]
    bars = pop.meter_map.starts

    def bars_of(occ) -> int:
        import bisect

        first = bisect.bisect_right(bars, occ.notes[0].onset + 0.2) - 1
        last = bisect.bisect_right(bars, max(n.onset for n in occ.notes) + 0.2) - 1
        return last - first + 1

    spans = [min(bars_of(o) for o in f.occurrences) for f in found]
    assert min(spans) == 1 and max(spans) >= 2
