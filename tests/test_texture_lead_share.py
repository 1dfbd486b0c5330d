"""Phase 17 (quartet17): a texture track holds ``texture_lead_share`` of the other tracks' notes together.

A string quartet's accompaniment is shared by three instruments: the 2nd violin of Beethoven op. 18/1/ii
(double stops, 1.1x the busiest other part, 0.40x the three others together) or Mozart K. 155/iii's
1st violin (1.5x, 0.64x) used to lead and give 13-14 "whole texture" families. A POP909 piano holds
0.84-4.7x melody + bridge (benchmarks/phase17-quartet17.md) and still leads.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import music21
import pytest
from conftest import DATA

from motifcli import read_score
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.texture import chordal, leads
from motifcli.model import LazyModel
from motifcli.voices import TEXTURE

REPO = Path(__file__).resolve().parents[1]
OFF = dataclasses.replace(DiscoverySettings(), texture_lead_share=0.0)  # the rule before phase 17


def _work(name: str):
    return read_score(Path(str(music21.corpus.getWork(name))))


def _track(score, name: str):
    return next(t for t in score.pitched_tracks() if t.name == name)


@pytest.mark.parametrize(("work", "part"), [("beethoven/opus18no1/movement2.mxl", "Violin II"),
                                            ("mozart/k155/movement3.mxl", "Violin I")])
def test_a_quartet_part_with_double_stops_is_not_a_texture_track(work: str, part: str) -> None:
    score = _work(work)
    track = _track(score, part)
    settings = DiscoverySettings()
    assert chordal(track.arrays()[0], settings)  # double stops: chordal enough
    assert leads(score, track, OFF)  # it led before (op. 18: over single lines; K. 155: 1.5x the next part)
    assert not leads(score, track, settings)
    others = sum(len(t.notes) for t in score.pitched_tracks() if t.index != track.index)
    assert len(track.notes) < settings.texture_lead_share * others


def test_the_quartet_movement_gets_no_whole_texture_families() -> None:
    score = _work("mozart/k155/movement3.mxl")
    families = discover(score, LazyModel())
    assert families
    assert not any(n.voice == TEXTURE for f in families for o in f.occurrences for n in o.notes)


@pytest.mark.parametrize("name", ["pop909-101.mid", "pop909-202.mid", "pop909-303.mid"])
def test_a_band_piano_still_leads(name: str) -> None:
    score = read_score(REPO / "examples" / name)
    settings = DiscoverySettings()
    assert any(chordal(t.arrays()[0], settings) and leads(score, t, settings) for t in score.pitched_tracks())


@pytest.mark.skipif(DATA is None or not (DATA / "pop909" / "890").exists(), reason="POP909 not available")
def test_the_pop909_piano_with_the_fewest_notes_against_the_others_still_leads() -> None:
    # song 890: 0.84x melody + bridge, the lowest of the 833 chordal pianos that lead (val, train, unlabelled)
    score = read_score(DATA / "pop909" / "890" / "890.mid")
    piano = _track(score, "PIANO")
    assert leads(score, piano, DiscoverySettings())
