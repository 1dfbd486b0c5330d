"""Occurrence stages of voice families (off by default): crowded families' tolerance, exact judges of growing,
the rescan at the grown length (discovery/crowd.py, discovery/rescan.py; benchmarks/phase6-occ6.md)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from motifcli import read_score
from motifcli.discovery import DiscoverySettings, Family, discover
from motifcli.discovery.candidates import build_lines
from motifcli.discovery.crowd import family_tolerance, judges
from motifcli.discovery.extent import extend_statements
from motifcli.discovery.families import Chosen
from motifcli.score import Note, Score, Track
from motifcli.voices import TEXTURE, split_voices

REPO = Path(__file__).resolve().parents[1]
POP = REPO / "examples" / "pop909-202.mid"


def _voice_occurrences(families: list[Family]) -> list:
    return [o for f in families for o in f.occurrences if o.notes[0].voice != TEXTURE]


def _keys(o) -> set[tuple[int, int]]:
    return {(n.track, n.index) for n in o.notes}


def test_crowded_families_take_only_close_variants() -> None:
    base = DiscoverySettings()
    assert family_tolerance(50, base, 1.0) == 1.0  # off by default: every family keeps the loose tolerance
    crowd = DiscoverySettings(crowd_exact=20, crowd_tolerance=0.5)
    assert family_tolerance(19, crowd, 1.0) == 1.0 and family_tolerance(20, crowd, 1.0) == 0.5
    score = read_score(POP)
    default = _voice_occurrences(discover(score))
    assert any(o.similarity < 1 for o in default)  # the file has varied statements to lose
    strict = _voice_occurrences(discover(score, settings=DiscoverySettings(crowd_exact=1, crowd_tolerance=0.0)))
    assert strict and all(o.similarity == 1 for o in strict)


def _planted() -> tuple[Score, int]:
    """A track of six statements of a 6-note head: two go on the same way (8 more notes), four each leap elsewhere."""
    head, tail = [0, 4, 7, 5, 2, 4], [9, 7, 5, 4, 2, 0, -1, 0]
    leaps = [11, -6, 19, -8]
    notes: list[Note] = []
    for k in range(6):
        start = 8.0 + 16.0 * k
        shape = head + tail if k < 2 else head + [head[-1] + leaps[k - 2]]
        notes += [Note(start + 0.5 * j, start + 0.5 * j + 0.5, 60 + p) for j, p in enumerate(shape)]
    return Score([Track(0, "planted", notes)]), 0


def test_exact_statements_judge_growing() -> None:
    score, index = _planted()
    voices = [v for v in split_voices(score) if v.track == index]
    lines = build_lines(voices)
    starts = np.flatnonzero(np.isin(lines.onsets, [8.0 + 16.0 * k for k in range(6)]))
    assert len(starts) == 6

    def family() -> Chosen:
        return Chosen(6, starts.copy(), np.array([0.0, 0.0, 0.5, 0.5, 0.5, 0.5]), 1.0)

    loose = family()  # all six judge: 2 of 6 agree on the next note, below the share
    extend_statements(loose, lines, 0.5, 24, 16.0, 0.5, grow_all=False)
    assert [len(p) for p in loose.notes] == [6] * 6
    exact = family()
    mask = judges(exact, DiscoverySettings(grow_judges=1e-9))
    assert mask is not None and mask.tolist() == [True, True, False, False, False, False]
    extend_statements(exact, lines, 0.5, 24, 16.0, 0.5, grow_all=False, judges=mask)
    assert [len(p) for p in exact.notes] == [14, 14, 6, 6, 6, 6]  # the two exact statements take their tail
    assert judges(exact, DiscoverySettings()) is None  # off by default


def test_rescan_adds_disjoint_one_voice_statements() -> None:
    score = read_score(POP)
    settings = DiscoverySettings(rescan_tolerance=0.5, rescan_pitch_weight=0.25)
    base = discover(score)
    found = discover(score, settings=settings)
    assert sum(len(f.occurrences) for f in found) > sum(len(f.occurrences) for f in base)
    for f in found:
        sets = [_keys(o) for o in f.occurrences]
        assert all(not (a & b) for i, a in enumerate(sets) for b in sets[i + 1 :])  # statements stay disjoint
        for o in f.occurrences:
            assert len({(n.track, n.voice) for n in o.notes}) == 1  # one voice
    # a crowded family is not rescanned: with every family crowded the rescan adds nothing
    crowd = DiscoverySettings(crowd_exact=1, crowd_tolerance=1.0)
    with_rescan = DiscoverySettings(crowd_exact=1, crowd_tolerance=1.0, rescan_tolerance=0.5, rescan_pitch_weight=0.25)
    assert [len(f.occurrences) for f in discover(score, settings=crowd)] == \
        [len(f.occurrences) for f in discover(score, settings=with_rescan)]
