"""Note-level motif discovery on real music: planted motifs, transposition, bounds, speed, voices."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import numpy as np
import pytest

from conftest import DATA
from motifcli import read_score
from motifcli.discovery import DiscoverySettings, Family, discover
from motifcli.score import Note, Score, Track
from motifcli.voices import LOWER, TEXTURE, UPPER, split_voices

REPO = Path(__file__).resolve().parents[1]
POP = REPO / "examples" / "pop909-101.mid"
BPS = DATA / "bps_motif_dev" / "scores" if DATA is not None else None

# a distinctive 8-note figure: (beat offset, semitones above its first note, duration)
MOTIF = [(0.0, 0, 0.5), (0.5, 7, 0.25), (0.75, 5, 0.25), (1.0, 4, 1.0), (2.0, -1, 0.5), (2.5, 2, 0.5), (3.0, 11, 0.75), (3.75, 9, 0.25)]
SHIFTS = [0, 5, -3, 7, 2, -5]


def _chorale() -> Path:
    music21 = pytest.importorskip("music21")
    return Path(str(music21.corpus.getWork("bwv1.6")))


def _note_sets(families: list[Family]) -> list[list[frozenset[tuple[int, int]]]]:
    return [[frozenset((n.track, n.index) for n in o.notes) for o in f.occurrences] for f in families]


def _planted(score: Score) -> tuple[Score, list[set[tuple[int, int]]]]:
    """The score plus a new track stating MOTIF at SHIFTS, far apart; the planted (track, index) sets."""
    end = score.end_beat
    notes: list[Note] = []
    planted: list[set[tuple[int, int]]] = []
    index = max(t.index for t in score.tracks) + 1
    for k, shift in enumerate(SHIFTS):
        start = (k + 1) * end / (len(SHIFTS) + 1)
        start = float(np.floor(start))
        first = len(notes)
        notes += [Note(start + t, start + t + d, 60 + shift + p) for t, p, d in MOTIF]
        planted.append({(index, i) for i in range(first, len(notes))})
    track = Track(index=index, name="PLANT", notes=notes)
    return dataclasses.replace(score, tracks=[*score.tracks, track]), planted


def test_planted_transposed_motif_is_found_in_real_music() -> None:
    score, planted = _planted(read_score(POP))
    families = discover(score)
    hits = [f for f, sets in zip(families, _note_sets(families)) if all(frozenset(p) in sets for p in planted)]
    assert hits, "no family holds all six planted statements, note for note"
    fam = hits[0]
    by_start = {o.notes[0].onset: o for o in fam.occurrences if o.track == score.tracks[-1].index}
    shifts = [by_start[k].transposition for k in sorted(by_start)]
    # transpositions are relative to the prototype: their differences are the planted ones
    assert np.array_equal(np.diff(shifts), np.diff(SHIFTS))


def test_transposed_copy_gives_the_same_families() -> None:
    score = read_score(POP)
    up = dataclasses.replace(
        score,
        tracks=[dataclasses.replace(t, notes=[dataclasses.replace(n, pitch=n.pitch + 3) for n in t.notes]) for t in score.tracks],
    )
    a, b = discover(score), discover(up)
    assert a, "no families on a POP909 song"
    assert _note_sets(a) == _note_sets(b)
    assert [f.label for f in a] == [f.label for f in b]
    assert [[o.transposition for o in f.occurrences] for f in a] == [[o.transposition for o in f.occurrences] for f in b]


@pytest.mark.parametrize("path", [POP, "chorale"])
def test_family_count_and_occurrences_are_bounded(path: Path | str) -> None:
    score = read_score(_chorale() if path == "chorale" else path)
    settings = DiscoverySettings()
    families = discover(score, settings=settings)
    assert 1 <= len(families) <= settings.max_families
    saliences = [f.salience for f in families]
    assert saliences == sorted(saliences, reverse=True)
    for f in families:
        assert len(f.occurrences) >= 2
        seen: set[tuple[int, int]] = set()
        for o in f.occurrences:
            keys = {(n.track, n.index) for n in o.notes}
            if o.notes[0].voice != TEXTURE:  # texture occurrences are whole bars: test_discovery_texture.py
                # short rhythmic cells (discovery/cells.py) are the one kind below min_notes;
                # statements grow past the window caps up to the growing caps (discovery/extent.py)
                lo = min(settings.min_notes, settings.cell_min_notes) if settings.short_cells else settings.min_notes
                assert lo <= len(keys) <= max(settings.max_notes, settings.grow_max_notes)
                assert o.notes[-1].onset - o.notes[0].onset <= max(settings.max_beats, settings.grow_max_beats)
            assert not keys & seen, "occurrences of one family share notes"
            seen |= keys
            track = next(t for t in score.tracks if t.index == o.track)
            assert all(track.notes[n.index].pitch == n.pitch for n in o.notes)


@pytest.mark.skipif(BPS is None or not (BPS / "09-1.mid").exists(), reason="BPS-motif data not found")
def test_speed_on_a_bps_movement() -> None:
    score = read_score(BPS / "09-1.mid")  # 3,401 notes, two staves
    best = np.inf
    for _ in range(3):  # best of three: the bound is on the code, not on a busy machine
        t0 = time.perf_counter()
        families = discover(score)
        best = min(best, time.perf_counter() - t0)
    assert families
    assert best < 2.0, f"discovery took {best:.2f} s on 09-1"


def test_voices_of_a_real_piano_track() -> None:
    score = read_score(POP)
    piano = score.track_named("PIANO")
    voices = [v for v in split_voices(score) if v.track == piano.index]
    assert [v.voice for v in voices] == [UPPER, LOWER]
    upper, lower = voices
    assert np.all(np.diff(upper.onsets) > 0.05) and np.all(np.diff(lower.onsets) > 0.05)
    assert not set(upper.note_indices.tolist()) & set(lower.note_indices.tolist())
    onsets, _, pitches = piano.arrays()
    for i, on, p in zip(upper.note_indices[:300], upper.onsets[:300], upper.pitches[:300]):
        near = np.abs(onsets - on) <= 0.05
        assert p == pitches[i] == pitches[near].max()
    for on, p in zip(lower.onsets[:300], lower.pitches[:300]):
        assert p == pitches[np.abs(onsets - on) <= 0.05].min()  # the lowest of its chord
    melody = [v for v in split_voices(score) if v.track == score.track_named("MELODY").index]
    assert len(melody) == 1 and len(melody[0]) == len(score.track_named("MELODY").notes)


def _with_ornamented_statement(score: Score) -> tuple[Score, set[tuple[int, int]], int]:
    """``_planted`` plus one more statement with a passing note inserted after its 4th note."""
    planted_score, _ = _planted(score)
    plant = planted_score.tracks[-1]
    start = float(np.floor(plant.notes[-1].onset)) + 8.0
    notes = [Note(start + t, start + t + d, 62 + p) for t, p, d in MOTIF]
    extra = Note(start + 1.5, start + 2.0, 62 + 2)  # between (1.0, +4, 1 beat) and (2.0, -1): a passing note
    notes[3] = Note(start + 1.0, start + 1.5, 62 + 4)
    orn = sorted([*notes, extra], key=lambda n: n.onset)
    first = len(plant.notes)
    track = dataclasses.replace(plant, notes=[*plant.notes, *orn])
    ids = {(plant.index, first + i) for i in range(len(orn))}
    return dataclasses.replace(planted_score, tracks=[*planted_score.tracks[:-1], track]), ids, first + orn.index(extra)


def test_ornamented_statement_with_an_extra_note_joins_the_family() -> None:
    score, ids, extra = _with_ornamented_statement(read_score(POP))
    families = discover(score)
    plant = score.tracks[-1].index
    fam = next(f for f in families if sum(o.track == plant for o in f.occurrences) >= 6)
    orn = [o for o in fam.occurrences if {(n.track, n.index) for n in o.notes} == ids]
    assert orn, "the 9-note ornamented statement is not an occurrence of the planted family"
    assert len(orn[0].notes) == len(MOTIF) + 1 and orn[0].similarity < 1.0
    assert any(n.index == extra for n in orn[0].notes)
    # without alignment gaps, the statement cannot join as a whole
    strict = discover(score, settings=DiscoverySettings(max_gaps=0))
    assert not any({(n.track, n.index) for n in o.notes} == ids for f in strict for o in f.occurrences)


def test_alignment_drops_the_inserted_note_and_charges_a_gap() -> None:
    from motifcli.discovery.align import align

    ex_p = np.array([[60, 67, 65, 64, 59]])
    ex_o = np.array([[0.0, 0.5, 0.75, 1.0, 2.0]])
    cand_p = np.array([[62, 69, 67, 66, 64, 61]])  # transposed up 2, passing note 64 inserted
    cand_o = np.array([[10.0, 10.5, 10.75, 11.0, 11.5, 12.0]])
    res = align(cand_p, cand_o, ex_p, ex_o, floor=1 / 24, gap_cost=0.5)
    assert res.kept[0].tolist() == [True, True, True, True, False, True]
    assert res.distance[0] == pytest.approx(0.5 / 6)
    same = align(cand_p[:, [0, 1, 2, 3, 5]], cand_o[:, [0, 1, 2, 3, 5]], ex_p, ex_o, floor=1 / 24, gap_cost=0.5)
    assert same.distance[0] == pytest.approx(0.0)


def test_learned_embedding_hook_runs_the_real_model() -> None:
    import motifcli

    model = motifcli.load_model()
    score = read_score(_chorale())
    plain = discover(score)
    assert _note_sets(discover(score, model)) == _note_sets(plain)  # off by default: model_tolerance 0
    # voice families only (short_cells=0): looser variants take notes a third short cell would use,
    # so with cells in, the loose run can report fewer occurrences in all for reasons not the model's
    plain = discover(score, settings=DiscoverySettings(short_cells=0))
    vetted = discover(score, model, settings=DiscoverySettings(model_tolerance=1.5, short_cells=0))
    loose = discover(score, settings=DiscoverySettings(variant_tolerance=1.5, short_cells=0))
    n_plain, n_vetted, n_loose = (sum(len(f.occurrences) for f in fs) for fs in (plain, vetted, loose))
    assert n_plain <= n_vetted <= n_loose  # the model admits some, not all, of the looser alignments


def _with_repeated_phrase(score: Score, length: int = 30) -> tuple[Score, list[set[tuple[int, int]]]]:
    """``_planted`` plus, in a new track, one long made-up phrase stated four times (a repeated section)."""
    planted_score, _ = _planted(score)
    rng = np.random.default_rng(7)
    steps = rng.choice([-4, -3, -2, -1, 1, 2, 3, 5], size=length)
    durs = rng.choice([0.25, 0.5], size=length)  # 13 notes stay within max_beats
    index = max(t.index for t in planted_score.tracks) + 1
    notes: list[Note] = []
    statements: list[set[tuple[int, int]]] = []
    for start in np.floor(np.linspace(4.0, score.end_beat - 4 * length, 4)).tolist():
        first, t, p = len(notes), start, 64
        for step, d in zip(steps.tolist(), durs.tolist()):
            notes.append(Note(t, t + d, int(p)))
            t, p = t + d, p + step
        statements.append({(index, i) for i in range(first, len(notes))})
    track = Track(index=index, name="PHRASE", notes=notes)
    return dataclasses.replace(planted_score, tracks=[*planted_score.tracks, track]), statements


def test_a_long_repeated_phrase_is_not_cut_into_max_length_families() -> None:
    score, phrase = _with_repeated_phrase(read_score(POP))
    inside = set().union(*phrase)

    def stretch_families(families: list[Family]) -> list[Family]:
        """Families with two or more occurrences lying wholly inside the repeated phrase."""
        return [f for f, sets in zip(families, _note_sets(families)) if sum(s <= inside for s in sets) >= 2]

    families = discover(score)
    assert not stretch_families(families), "a stretch of a longer repeat became a family"
    # the planted 8-note motif (closed: its statements continue differently) is still found whole
    plant = score.tracks[-2].index
    assert any(sum(o.track == plant and len(o.notes) == len(MOTIF) for o in f.occurrences) >= len(SHIFTS) for f in families)
    # the old behaviour, for contrast: max-length windows of the phrase form a family (statements not
    # grown past the cap, which would make them longer than max_notes: discovery/extent.py)
    old = discover(score, settings=DiscoverySettings(drop_open_at_cap=False, grow_share=0.0))
    assert any(f.notes_per_occurrence == DiscoverySettings().max_notes for f in stretch_families(old))
