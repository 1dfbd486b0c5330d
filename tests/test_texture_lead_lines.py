"""Phase 7 (popocc7) texture options: who leads over single lines, the model's floor.

- ``texture_lead_lines``: a chordal track whose every other track is a single line leads at that
  many times their notes (POP909 074: piano 1.34x a bridge line, under ``texture_lead`` 1.5); a
  two-hand score (both staves chordal) never does.
- the floor on the model distance of two bars with no point in common: 2, they never join (the
  ``texture_model_apart`` knob over it and ``texture_snap_beats`` were measured, not kept, and
  removed in session 8: benchmarks/phase8-tidy8.md).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from conftest import DATA

from motifcli import read_score
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.candidates import rhythm_grid
from motifcli.discovery.texture import chordal, leads, track_bars
from motifcli.voices import TEXTURE, chord_share

REPO = Path(__file__).resolve().parents[1]
POP_101 = REPO / "examples" / "pop909-101.mid"
POP_202 = REPO / "examples" / "pop909-202.mid"
POP_074 = DATA / "pop909" / "074" / "074.mid" if DATA is not None else None
POP_074 = POP_074 if POP_074 is not None and POP_074.exists() else None
BPS_2501 = DATA / "bps_motif_dev" / "scores" / "25-1.mid" if DATA is not None else None
BPS_2501 = BPS_2501 if BPS_2501 is not None and BPS_2501.exists() else None


def _has_texture(families) -> bool:
    return any(n.voice == TEXTURE for f in families for o in f.occurrences for n in o.notes)


def _ratio(score, track) -> float:
    return len(track.notes) / max(len(t.notes) for t in score.pitched_tracks() if t.index != track.index)


def test_a_piano_over_single_lines_leads_below_the_note_ratio() -> None:
    """pop909-101: MELODY and BRIDGE sound no chords; the piano has 3.29x the melody's notes. Asked
    for 5x (texture_lead), it leads only through the lines rule."""
    score = read_score(POP_101)
    piano, melody = score.track_named("PIANO"), score.track_named("MELODY")
    assert all(chord_share(t.arrays()[0], 0.05) < 0.05 for t in score.pitched_tracks() if t is not piano)
    assert 3.0 < _ratio(score, piano) < 5.0
    strict = DiscoverySettings(texture_lead=5.0, texture_lead_lines=0.0)
    assert not leads(score, piano, strict)
    assert leads(score, piano, dataclasses.replace(strict, texture_lead_lines=1.0))
    assert not leads(score, piano, dataclasses.replace(strict, texture_lead_lines=4.0))  # 3.29x < 4x
    assert not leads(score, melody, dataclasses.replace(strict, texture_lead_lines=1.0))  # fewer notes than the piano


def test_the_lines_rule_needs_every_other_track_to_be_a_line() -> None:
    """pop909-202's BRIDGE sounds chords at 47% of its onsets: not a line, so the lines rule does not
    apply and only the note ratio (3.4x) decides."""
    score = read_score(POP_202)
    piano, bridge = score.track_named("PIANO"), score.track_named("BRIDGE")
    assert chord_share(bridge.arrays()[0], 0.05) > 0.3
    assert not leads(score, piano, DiscoverySettings(texture_lead=5.0, texture_lead_lines=1.0))
    assert leads(score, piano, DiscoverySettings(texture_lead=_ratio(score, piano) - 0.01, texture_lead_lines=0.0))


@pytest.mark.skipif(POP_074 is None, reason="POP909 data not found")
def test_pop909_074_states_textures_through_the_lines_rule() -> None:
    """074's piano has 1.34x the bridge's notes (< texture_lead 1.5) over two lines: before, no
    texture family at all (F_occ 0 against its piano labels); now its bars are texture families."""
    score = read_score(POP_074)
    piano = score.track_named("PIANO")
    assert 1.2 < _ratio(score, piano) < 1.5
    assert not leads(score, piano, DiscoverySettings(texture_lead_lines=0.0))
    assert leads(score, piano, DiscoverySettings())
    assert not _has_texture(discover(score, settings=DiscoverySettings(texture_lead_lines=0.0)))
    found = discover(score)
    assert _has_texture(found)
    assert {score.tracks[f.occurrences[0].notes[0].track].name for f in found
            if f.occurrences[0].notes[0].voice == TEXTURE} == {"PIANO"}


@pytest.mark.skipif(BPS_2501 is None, reason="BPS-motif data not found")
def test_no_staff_of_a_sonata_leads_through_the_lines_rule() -> None:
    """BPS 25-1: staff0 has 1.24x staff1's notes, the closest of BPS tune to texture_lead; both
    staves sound chords (9% and 28% of onsets), so neither is a line and neither leads."""
    score = read_score(BPS_2501)
    settings = DiscoverySettings()
    staves = [t for t in score.pitched_tracks() if t.notes]
    assert len(staves) == 2 and all(chord_share(t.arrays()[0], 0.05) >= settings.texture_chord_share for t in staves)
    assert not any(chordal(t.arrays()[0], settings) and leads(score, t, settings) for t in staves)
    assert not _has_texture(discover(score, settings=settings))


def test_bars_with_no_point_in_common_never_join() -> None:
    """The floor (2) keeps bars with no point in common apart, so pop909-101's piano bars get more
    symbols than the model's own average-linkage clusters (as --unit bar forms them) would give."""
    from motifcli.clustering import cluster_labels
    from motifcli.discovery import texture
    from motifcli.model import LazyModel

    score = read_score(POP_101)
    piano = score.track_named("PIANO")
    grid = rhythm_grid(np.concatenate([t.arrays()[0] for t in score.pitched_tracks() if t.notes]))
    model = LazyModel()
    kept = track_bars(score, piano, grid, DiscoverySettings(), model)
    used = np.flatnonzero(kept.symbols >= 0)
    dist, limit = texture._model_distances(score, piano, used, model, DiscoverySettings())
    lengths = np.append(np.diff(score.meter_map.starts), score.meter_map.bars[-1].length)[used]
    dist[~np.isclose(lengths[:, None], lengths[None, :])] = 1e6
    labels = cluster_labels(dist, limit, "average")
    assert len(set(kept.symbols[used].tolist())) > len(set(labels))
