"""A top-line family's varied copies under other lines are dropped (``buried``, discovery/register.py, on by default).

The file is written with mido and read back by motifcli's own reader: a right hand holds one high
note through bars where the left hand plays, and states a figure itself elsewhere with nothing above.
Families are built by hand from the read notes, so each case asks exactly one thing of the rule: a
varied statement under the held note goes, one with nothing above stays, an exact one under it
stays, and families stated below, small, or of texture keep every statement.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import mido
import pytest
from test_discovery_doubling import TPB, _track  # (onset, pitch, beats) events -> a MIDI track

from motifcli import read_score
from motifcli.discovery import DiscoverySettings
from motifcli.discovery.register import Sounding, without_buried
from motifcli.discovery.types import Family, NoteRef, Occurrence
from motifcli.score import Score


@pytest.fixture(scope="module")
def score(tmp_path_factory: pytest.TempPathFactory) -> Score:
    """Right hand: four-note figures in beats 0-16 (nothing above), then a note held over beats 16-32.
    Left hand: four-note figures in beats 16-32, under the held note."""
    rh = [(float(t), 72 + (t % 4), 1.0) for t in range(16)] + [(16.0, 84, 16.0)]
    lh = [(16.0 + t, 48 + (t % 4), 1.0) for t in range(16)]
    mid = mido.MidiFile(ticks_per_beat=TPB)
    mid.tracks += [_track(rh, 0), _track(lh, 1)]
    path = tmp_path_factory.mktemp("buried") / "buried.mid"
    mid.save(path)
    return read_score(path)


def _occ(score: Score, track_pos: int, start: float, similarity: float) -> Occurrence:
    """The four notes of ``score``'s ``track_pos``-th pitched track from beat ``start``."""
    track = score.pitched_tracks()[track_pos]
    notes = tuple(NoteRef(track.index, i, 0, n.onset, n.offset, n.pitch) for i, n in enumerate(track.notes)
                  if start <= n.onset < start + 4 and n.pitch < 84)
    assert len(notes) == 4
    return Occurrence(notes=notes, transposition=0, diatonic=0, similarity=similarity)


def _family(occs: list[Occurrence]) -> Family:
    return Family(label="A", occurrences=tuple(occs), salience=1.0, coverage=0.5, notes_per_occurrence=4)


def test_sounding_sees_the_held_note_above(score: Score) -> None:
    sounding = Sounding(score)
    assert sounding.under_share(_occ(score, 0, 0.0, 1.0)) == 0.0
    assert sounding.under_share(_occ(score, 1, 16.0, 1.0)) == 1.0


def test_varied_copy_under_the_melody_goes(score: Score) -> None:
    top = [_occ(score, 0, float(b), 1.0) for b in (0, 4, 8)] + [_occ(score, 0, 12.0, 0.6)]
    under = [_occ(score, 1, 16.0, 0.6), _occ(score, 1, 20.0, 1.0)]
    fam = _family(top + under)
    kept = without_buried(fam, Sounding(score), 0.25, crowd=0, imitation=0)
    assert kept.occurrences == tuple(top + under[1:])  # the varied top-line one and the exact copy stay
    assert kept.coverage == pytest.approx(0.5 * 5 / 6)
    # all repeats, exact ones too, when asked
    assert without_buried(fam, Sounding(score), 0.25, crowd=0, varied_only=False, imitation=0).occurrences == tuple(top)
    # a family only 3 of whose 4 exact statements are on top is no top-line family at top = 1
    assert without_buried(fam, Sounding(score), 0.25, top=1.0, crowd=0, imitation=0) == fam


def test_families_the_rule_leaves(score: Score) -> None:
    sounding = Sounding(score)
    top = [_occ(score, 0, float(b), 1.0) for b in (0, 4, 8)]
    under = [_occ(score, 1, float(b), 1.0) for b in (16, 20, 24)]
    small = _family(top + [_occ(score, 1, 28.0, 0.6)])
    assert without_buried(small, sounding, 0.25, crowd=5) == small  # fewer statements than crowd
    low = _family(under + [top[0], _occ(score, 1, 28.0, 0.6)])
    assert without_buried(low, sounding, 0.25, crowd=0) == low  # a family stated under the melody keeps its own
    proto_under = _family([_occ(score, 1, 16.0, 1.0)] + top)
    assert without_buried(proto_under, sounding, 0.25, top=0.5, crowd=0, varied_only=False).prototype \
        == proto_under.prototype  # the prototype never goes


def test_an_answer_in_the_other_hand_stays(score: Score) -> None:
    """The left hand taking up the right hand's figure right after it is imitation, not a chance copy;
    with ``imitation`` 0, or when the right hand's statement lies further back, it goes."""
    sounding = Sounding(score)
    top = [_occ(score, 0, float(b), 1.0) for b in (0, 4, 8, 12)]
    answer = _occ(score, 1, 16.0, 0.6)  # the right hand's last statement ends at beat 16
    fam = _family(top + [answer])
    assert answer in without_buried(fam, sounding, 0.25, crowd=0, imitation=4.0).occurrences
    assert answer not in without_buried(fam, sounding, 0.25, crowd=0, imitation=0.0).occurrences
    late = _occ(score, 1, 24.0, 0.6)  # 8 beats after the right hand's last statement began
    assert late not in without_buried(_family(top + [late]), sounding, 0.25, crowd=0, imitation=4.0).occurrences


def test_defaults() -> None:
    s = DiscoverySettings()
    assert (s.buried, s.buried_top, s.buried_crowd, s.buried_varied, s.buried_imitation) == (0.25, 0.5, 20, True, 4.0)
    assert dataclasses.replace(s, buried=0).buried == 0


def test_discover_drops_only_statements() -> None:
    """On a real piano rag (music21's corpus) the option removes statements, never adds families."""
    import music21

    from motifcli.discovery import discover

    score = read_score(Path(str(music21.corpus.getWork("joplin/maple_leaf_rag"))))
    on = discover(score, settings=DiscoverySettings(buried=0.25, buried_crowd=0))
    base = discover(score, settings=DiscoverySettings(buried=0))
    assert len(on) <= len(base)
    kept = [set(f.occurrences) for f in base]
    for f in on:
        assert any(set(f.occurrences) <= k for k in kept)
    assert sum(len(f.occurrences) for f in on) < sum(len(f.occurrences) for f in base)
