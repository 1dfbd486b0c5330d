"""Texture families (motifcli.discovery.texture): repeated bars of a chordal track, chords included.

A comping figure (block chords and broken chords, one bar) is planted, transposed, into a new
track of a real POP909 song among bars of seeded random chords; its statements must come back as
one family whose occurrences are exactly the planted notes. The POP909 example's texture families
must be whole bars of one chordal track. Only a chordal track that leads the piece (texture_lead:
POP909's piano, not a sonata's hand) states textures.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from conftest import DATA

from motifcli import read_score
from motifcli.discovery import DiscoverySettings, discover
from motifcli.discovery.texture import choose_phrases, leads, texture_phrases
from motifcli.score import Note, Score, Track
from motifcli.segment import onset_phase
from motifcli.voices import TEXTURE, chord_share

REPO = Path(__file__).resolve().parents[1]
POP = REPO / "examples" / "pop909-101.mid"
BPS_0901 = DATA / "bps_motif_dev" / "scores" / "09-1.mid" if DATA is not None else None
BPS_0901 = BPS_0901 if BPS_0901 is not None and BPS_0901.exists() else None
POP_073 = DATA / "pop909" / "073" / "073.mid" if DATA is not None else None
POP_073 = POP_073 if POP_073 is not None and POP_073.exists() else None

# one bar of comping: (beat, semitones above the bass, duration); chords on 1 and 3, broken chords between
FIGURE = [(0.0, 0, 1.0), (0.0, 7, 1.0), (0.0, 16, 1.0), (0.0, 12, 1.0),
          (1.0, 19, 0.5), (1.5, 16, 0.5), (1.5, 24, 0.5),
          (2.0, 5, 1.0), (2.0, 12, 1.0), (2.0, 17, 1.0), (2.0, 21, 1.0),
          (3.0, 24, 0.5), (3.5, 21, 0.25), (3.75, 17, 0.25)]
BASSES = [48, 53, 46, 55]  # four statements, transposed
PLANT_BARS = [8, 20, 32, 44]  # which 4/4 bars hold the statements (far apart: closed one-bar phrases)


def _comping(score: Score) -> tuple[Score, list[set[tuple[int, int]]]]:
    """``score`` plus a chordal track: random chords in every bar but the planted ones."""
    rng = np.random.default_rng(7)
    bars = [bar for bar in score.meter_map.bars if abs(bar.length - 4.0) < 1e-6]  # the 4/4 bars
    index = max(t.index for t in score.tracks) + 1
    notes: list[Note] = []
    planted: list[set[tuple[int, int]]] = []
    for b, bar in enumerate(bars[: max(PLANT_BARS) + 8]):
        first = len(notes)
        if b in PLANT_BARS:
            bass = BASSES[PLANT_BARS.index(b)]
            notes += [Note(bar.start + t, bar.start + t + d, bass + p) for t, p, d in FIGURE]
            planted.append({(index, i) for i in range(first, len(notes))})
            continue
        for slot in np.sort(rng.choice(16, size=int(rng.integers(4, 8)), replace=False)):
            size = int(rng.integers(1, 4))  # single notes and chords of two or three
            for p in rng.choice(np.arange(40, 84), size=size, replace=False):
                notes.append(Note(bar.start + slot / 4, bar.start + slot / 4 + 0.25, int(p)))
    track = Track(index=index, name="COMP", notes=sorted(notes, key=lambda n: (n.onset, n.pitch)))
    # the sort above may have moved notes: map planted notes to their indices in the sorted track
    order = {id(n): i for i, n in enumerate(track.notes)}
    planted = [{(index, order[id(notes[i])]) for _, i in s} for s in planted]
    return dataclasses.replace(score, tracks=[*score.tracks, track], meter=score.meter_map), planted


def _sets(family) -> list[frozenset[tuple[int, int]]]:
    return [frozenset((n.track, n.index) for n in o.notes) for o in family.occurrences]


def test_planted_comping_figure_is_one_texture_family() -> None:
    score, planted = _comping(read_score(POP))
    assert len(planted) == len(BASSES)
    settings = DiscoverySettings(texture_lead=0.0)  # the planted track is not the song's main part
    comp = score.tracks[-1].index
    phrases = [p for p in texture_phrases(score, settings) if p.bars.track.index == comp]
    found = [p for p in choose_phrases(phrases, settings, settings.max_families)
             if sorted(frozenset((comp, int(i)) for i in p.statement(k)) for k in range(len(p.starts)))
             == sorted(frozenset(s) for s in planted)]
    assert found, "the four planted bars are not one texture phrase"
    # end to end, with every texture family kept: the same statements, transpositions from the bass
    families = discover(score, settings=DiscoverySettings(texture_voice_share=1.01, max_families=40, notes_per_family=1.0,
                                                         texture_notes_per_family=1.0, texture_lead=0.0))
    hits = [f for f in families if sorted(_sets(f)) == sorted(frozenset(s) for s in planted)]
    assert hits, "discover() does not report the planted comping figure as one family"
    fam = hits[0]
    assert all(n.voice == TEXTURE for o in fam.occurrences for n in o.notes)
    shifts = [o.transposition for o in sorted(fam.occurrences, key=lambda o: o.start)]
    assert np.array_equal(np.diff(shifts), np.diff(BASSES))
    assert fam.occurrences[0].similarity == 1.0


def test_random_chords_alone_give_no_texture_family() -> None:
    score, planted = _comping(read_score(POP))
    comp = score.tracks[-1]
    keep = set().union(*planted)
    bare = dataclasses.replace(comp, notes=[n for i, n in enumerate(comp.notes) if (comp.index, i) not in keep])
    score = dataclasses.replace(score, tracks=[*score.tracks[:-1], bare])
    phrases = [p for p in texture_phrases(score, DiscoverySettings(texture_lead=0.0)) if p.bars.track.index == comp.index]
    assert phrases == []


def test_pop909_texture_occurrences_are_whole_bars_of_one_track() -> None:
    score = read_score(POP)
    families = discover(score)
    texture = [f for f in families if f.occurrences[0].notes[0].voice == TEXTURE]
    assert texture, "no texture family on a POP909 song"
    starts = np.asarray(score.meter_map.starts)
    for f in texture:
        assert len(f.occurrences) >= 2
        seen: set[tuple[int, int]] = set()
        for o in f.occurrences:
            track = score.tracks[o.track]
            keys = {(n.track, n.index) for n in o.notes}
            assert {k[0] for k in keys} == {o.track}
            assert not keys & seen
            seen |= keys
            # every note of the track between the occurrence's first and last bar is in it; a
            # performance's bars are counted on one 1/8-beat grid at its onsets' phase (bar lines
            # moved to it), a note up to one step (half the 1/4-beat rhythm grid) early in the next
            # bar (texture_roll_grid="onsets_bars", phase11-pop11.md)
            onsets, _, _ = track.arrays()
            phase = onset_phase(onsets, 8)
            assert phase > 0
            at = np.floor((onsets - phase) * 8 + 0.5)
            lines = np.floor((starts - phase) * 8 + 0.5)
            bar = np.searchsorted(lines, at + 1, side="right") - 1
            mine = bar[[n.index for n in o.notes]]
            inside = {(track.index, int(i)) for i in np.flatnonzero((bar >= mine.min()) & (bar <= mine.max()))}
            assert keys == inside
            assert all(track.notes[n.index].pitch == n.pitch for n in o.notes)


def _has_texture(families) -> bool:
    return any(n.voice == TEXTURE for f in families for o in f.occurrences for n in o.notes)


def test_only_a_leading_chordal_track_states_textures() -> None:
    """texture_lead: the PIANO track (1,241 notes; MELODY 377) leads at 1241/377 = 3.29x, not above
    (with texture_lead_lines off: over these single lines it would lead at 1x, tests/test_texture_lead_lines.py)."""
    score = read_score(POP)
    counts = sorted((len(t.notes) for t in score.pitched_tracks()), reverse=True)
    ratio = counts[0] / counts[1]
    assert _has_texture(discover(score, settings=DiscoverySettings(texture_lead=ratio - 0.01)))
    assert not _has_texture(discover(score, settings=DiscoverySettings(texture_lead=ratio + 0.01, texture_lead_lines=0.0)))
    piano = score.track_named("PIANO")
    assert leads(score, piano, DiscoverySettings()) and not leads(score, score.track_named("MELODY"), DiscoverySettings())
    # alone, a track always leads: the piano without the band still states its textures
    solo = dataclasses.replace(score, tracks=[piano], meter=score.meter_map)
    assert leads(solo, piano, DiscoverySettings(texture_lead=100.0))


@pytest.mark.skipif(BPS_0901 is None, reason="BPS-motif data not found")
def test_a_two_staff_sonata_has_no_texture_families_by_default() -> None:
    """Each hand of BPS 09-1 has about the other's notes: the left hand's chords are accompaniment
    under an equally busy line, left to the voice families (off: texture_lead=0 finds some)."""
    score = read_score(BPS_0901)
    assert not _has_texture(discover(score))
    assert _has_texture(discover(score, settings=DiscoverySettings(texture_lead=0.0)))


@pytest.mark.skipif(POP_073 is None, reason="POP909 data not found")
def test_a_broken_chord_piano_states_textures() -> None:
    """POP909 073's piano sounds chords at 15% of its onsets (mostly broken chords): chordal enough
    at texture_chord_share=0.1, where the old 0.2 gave it no texture family at all."""
    score = read_score(POP_073)
    piano = score.track_named("PIANO")
    assert 0.1 <= chord_share(piano.arrays()[0], 0.05) < 0.2
    assert _has_texture(discover(score))
    assert not _has_texture(discover(score, settings=DiscoverySettings(texture_chord_share=0.2)))


def test_texture_off_gives_the_voice_families() -> None:
    score = read_score(POP)
    on = discover(score)
    off = discover(score, settings=DiscoverySettings(texture=False))
    assert all(n.voice != TEXTURE for f in off for o in f.occurrences for n in o.notes)
    assert any(n.voice == TEXTURE for f in on for o in f.occurrences for n in o.notes)
