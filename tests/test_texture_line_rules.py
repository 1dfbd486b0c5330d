"""Phase 12 (popocc12): which leading tracks the two "single line" rules of texture families judge.

``texture_voice_share`` (drop a texture family the voice families already hold) and
``texture_family_chords`` (drop one that sounds almost no chords) were written for a piano whose
lines carry the melody. Beside a melody's track a leading chordal track is the accompaniment, and
its broken-chord bars are its statements (POP909 052's piano: the bar level and the labels report
them, the voice families only found half-bar arpeggio cells in them). ``texture_line_rules="alone"``
(default) applies the rules only to a leading track that is the score's one pitched track;
``"always"`` is the behaviour before phase 12 (benchmarks/phase12-popocc12.md).

Real files: POP909 052 and BPS 25-1 / 01-1 from the data folder (skipped without it), the shipped bar
model through ``LazyModel`` (real onnxruntime), ``examples/pop909-303.mid``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import DATA

from motifcli import read_score
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.texture import _chord_share
from motifcli.model import LazyModel
from motifcli.score import Track
from motifcli.voices import TEXTURE

REPO = Path(__file__).resolve().parents[1]
POP_303 = REPO / "examples" / "pop909-303.mid"
POP_052 = DATA / "pop909" / "052" / "052.mid" if DATA is not None else None
POP_052 = POP_052 if POP_052 is not None and POP_052.exists() else None
BPS = DATA / "bps_motif_dev" / "scores" if DATA is not None else None
BPS = BPS if BPS is not None and BPS.exists() else None

ALWAYS = DiscoverySettings(texture_line_rules="always")


@pytest.fixture(scope="module")
def model() -> LazyModel:
    return LazyModel()


def _texture(families) -> list:
    return [f for f in families if f.occurrences[0].notes[0].voice == TEXTURE]


@pytest.mark.skipif(POP_052 is None, reason="POP909 052 not in the data folder")
def test_beside_a_melody_broken_chord_bars_are_texture_statements(model) -> None:
    """052's piano alternates two broken-chord bars (chords at 2% of their onsets). By default the one
    stated 20 times is a texture family of one-bar statements; under the old rules it was dropped."""
    score = read_score(POP_052)
    assert len([t for t in score.pitched_tracks() if t.notes]) == 3  # MELODY, BRIDGE, PIANO
    now = _texture(discover(score, model, DiscoverySettings()))
    before = _texture(discover(score, model, ALWAYS))
    broken = [f for f in now if _chord_share(f) < 0.05 and len(f.occurrences) >= 12]
    assert broken, "the broken-chord bars are texture families by default"
    assert all(_chord_share(f) >= 0.05 for f in before)  # the old rule dropped every one of them
    big = max(broken, key=lambda f: len(f.occurrences))
    assert len(big.occurrences) == 20
    assert {o.notes[0].track for o in big.occurrences} == {score.track_named("PIANO").index}


@pytest.mark.skipif(BPS is None, reason="BPS-motif not in the data folder")
@pytest.mark.parametrize("piece", ["25-1", "01-1"])
def test_a_one_track_piano_is_still_judged_by_the_line_rules(model, piece: str) -> None:
    """Both staves in ONE track (a one-track piano MIDI) read as one track (``split_hands`` off; by
    default such a track is read as two hands, tests/test_texture_hands.py): the track is alone, so the
    rules still apply and the families are exactly the old ones; without the rules they would differ.
    ``texture_tune`` off: with it (the default) the track's bars lose their top line and are not judged,
    as a band's piano beside its melody track is not (tests/test_texture_tune.py)."""
    score = read_score(BPS / f"{piece}.mid")
    notes = sorted((n for t in score.pitched_tracks() for n in t.notes), key=lambda n: (n.onset, n.pitch))
    one = dataclasses.replace(score, tracks=[Track(0, "Piano", notes, channel=0)], meter=score.meter_map)
    whole = dataclasses.replace(ALWAYS, split_hands=False, texture_tune=False)
    default = discover(one, model, DiscoverySettings(split_hands=False, texture_tune=False))
    assert repr(default) == repr(discover(one, model, whole))
    unjudged = dataclasses.replace(whole, texture_voice_share=1.0, texture_family_chords=0.0)
    assert repr(default) != repr(discover(one, model, unjudged))


def test_the_old_rules_are_one_setting_away(model) -> None:
    """pop909-303 (piano beside melody and bridge): the default differs from "always", and "always"
    with the rules switched off is the default again."""
    score = read_score(POP_303)
    default = discover(score, model, DiscoverySettings())
    assert repr(default) != repr(discover(score, model, ALWAYS))
    off = dataclasses.replace(ALWAYS, texture_voice_share=1.01, texture_family_chords=0.0)
    assert repr(default) == repr(discover(score, model, off))


def test_an_unknown_value_is_refused(model) -> None:
    with pytest.raises(ValueError, match="texture_line_rules"):
        discover(read_score(POP_303), model, DiscoverySettings(texture_line_rules="sometimes"))
