"""The "no invariance" ablations (issue 10): discovery without transposition, and a model card
that asks for absolute-pitch windows. Real music (the shipped POP909 example), real onnxruntime."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from conftest import DATA
from motifcli import read_score
from motifcli.discovery import DiscoverySettings, Family, discover
from motifcli.score import Note, Score, Track

REPO = Path(__file__).resolve().parents[1]
POP = REPO / "examples" / "pop909-101.mid"
NOINV = REPO / "exported_models" / "ablations" / "note-noinv.onnx"
VICREG = REPO / "exported_models" / "ablations" / "note-vicreg.onnx"

# a distinctive 8-note figure: (beat offset, semitones above its first note, duration)
MOTIF = [(0.0, 0, 0.5), (0.5, 7, 0.25), (0.75, 5, 0.25), (1.0, 4, 1.0), (2.0, -1, 0.5), (2.5, 2, 0.5), (3.0, 11, 0.75), (3.75, 9, 0.25)]
SHIFTS = [0, 5, 0, -3, 0, 7]  # three statements at the written pitch, three transposed


def _planted(score: Score) -> tuple[Score, list[frozenset[tuple[int, int]]]]:
    """The real score plus a track stating MOTIF at SHIFTS, far apart; each statement's (track, index) set."""
    notes: list[Note] = []
    sets: list[frozenset[tuple[int, int]]] = []
    index = max(t.index for t in score.tracks) + 1
    for k, shift in enumerate(SHIFTS):
        start = float(np.floor((k + 1) * score.end_beat / (len(SHIFTS) + 1)))
        first = len(notes)
        notes += [Note(start + t, start + t + d, 60 + shift + p) for t, p, d in MOTIF]
        sets.append(frozenset((index, i) for i in range(first, len(notes))))
    return dataclasses.replace(score, tracks=[*score.tracks, Track(index=index, name="PLANT", notes=notes)]), sets


def _family_of(families: list[Family], statement: frozenset[tuple[int, int]]) -> set[frozenset[tuple[int, int]]]:
    """All occurrences (as note sets) of the family holding ``statement`` note for note (empty if none)."""
    for f in families:
        occ = {frozenset((n.track, n.index) for n in o.notes) for o in f.occurrences}
        if statement in occ:
            return occ
    return set()


def test_transposed_copies_are_found_only_with_transposition() -> None:
    score, sets = _planted(read_score(POP))
    same = [s for s, k in zip(sets, SHIFTS) if k == 0]
    moved = [s for s, k in zip(sets, SHIFTS) if k != 0]
    invariant = _family_of(discover(score), same[0])
    assert set(sets) <= invariant, "with transposition, all six statements are one family"
    exact = _family_of(discover(score, settings=DiscoverySettings(transpose=False)), same[0])
    assert set(same) <= exact, "without transposition, the written-pitch statements are still a family"
    assert not any(s in exact for s in moved), "without transposition, no transposed copy may join"
    for f in discover(score, settings=DiscoverySettings(transpose=False)):
        assert all(o.transposition == 0 for o in f.occurrences if o.notes[0].track == score.tracks[-1].index)


def test_alignment_without_transposition_rejects_a_shifted_window_only() -> None:
    from motifcli.discovery.align import align

    ex_p = np.array([[60, 67, 65, 64, 59]])
    ex_o = np.array([[0.0, 0.5, 0.75, 1.0, 2.0]])
    cand_o = np.array([[10.0, 10.5, 10.75, 11.0, 12.0]] * 3)
    cand_p = np.array([[60, 67, 65, 64, 59], [62, 69, 67, 66, 61], [60, 67, 66, 64, 59]])  # exact, +2, one note changed
    free = align(cand_p, cand_o, ex_p, ex_o, floor=1 / 24, gap_cost=0.5)
    fixed = align(cand_p, cand_o, ex_p, ex_o, floor=1 / 24, gap_cost=0.5, transpose=False)
    assert free.distance[0] == free.distance[1] == 0.0
    assert fixed.distance[0] == 0.0 and np.isinf(fixed.distance[1])
    assert fixed.distance[2] == pytest.approx(free.distance[2]) and np.isfinite(fixed.distance[2])


def test_card_input_pitch_round_trips_and_is_checked() -> None:
    from motifcli.contract import ModelCard
    from motifcli.encoding import EncodingSpec
    from motifcli.errors import ModelError

    card = ModelCard(EncodingSpec(), input_pitch="absolute")
    assert ModelCard.from_metadata(card.to_metadata()).input_pitch == "absolute"
    assert ModelCard.from_metadata(ModelCard(EncodingSpec()).to_metadata()).input_pitch is None
    with pytest.raises(ModelError, match="input_pitch"):
        ModelCard.from_metadata({**card.to_metadata(), "input_pitch": "sideways"})


@pytest.mark.skipif(not NOINV.exists(), reason="note-noinv.onnx not exported")
def test_runtime_feeds_absolute_windows_to_a_model_whose_card_says_so() -> None:
    import motifcli
    from motifcli.discovery.candidates import build_lines
    from motifcli.discovery.embed import absolute_input, cosine_to_nearest
    from motifcli.voices import split_voices

    noinv, vicreg = motifcli.load_model(NOINV), motifcli.load_model(VICREG)
    assert noinv.model_card.input_pitch == "absolute" and absolute_input(noinv)
    assert not absolute_input(vicreg)  # no field on its card: pitch-normalised, as before
    lines = build_lines(split_voices(read_score(POP)))
    a, b = np.arange(0, 6), np.arange(20, 26)  # two windows of the first voice
    for model, absolute in ((noinv, True), (vicreg, False)):
        seen: list[np.ndarray] = []

        class Spy:
            spec, model_card = model.spec, model.model_card

            def embed(self, rolls: np.ndarray) -> np.ndarray:
                seen.append(rolls)
                return model.embed(rolls)

        cosine_to_nearest(Spy(), lines, [a], [b])
        first = int(np.argmax(seen[0][0][0]))  # pitch column of the first window's first note
        centre = model.spec.pitch_count // 2
        expected = int(lines.pitches[a[0]]) - model.spec.pitch_low if absolute else centre
        assert first == expected


def test_noinv_training_config_drops_every_transposition() -> None:
    pytest.importorskip("torch")
    from training.config import load_config
    from training.note_pipeline import PlantedSampler, note_card, note_views

    cfg = load_config(REPO / "training" / "configs" / "note_noinv.toml")
    base = load_config(REPO / "training" / "configs" / "note_vicreg.toml")
    assert not cfg.notes.transpose_views and base.notes.transpose_views
    assert "transpose" not in note_views(cfg.notes) and "transpose" in note_views(base.notes)
    # the same recipe otherwise: data, model, budget
    assert (cfg.encoding, cfg.model, cfg.pretrain, cfg.finetune) == (base.encoding, base.model, base.pretrain, base.finetune)
    assert dataclasses.replace(cfg.notes, transpose_views=True) == base.notes
    assert note_card(cfg).input_pitch == "absolute" and note_card(base).input_pitch == "normalised"
    # planted copies keep their pitch (nothing else varied here)
    from training.data import Bar

    notes = np.array([[0, 2, 40], [2, 4, 44], [4, 8, 47]], dtype=np.int16)
    bars = [Bar(song="x", start=0.0, notes=notes)]
    sampler = PlantedSampler(bars, [], cfg.encoding, dataclasses.replace(cfg.notes, vary_probability=0.0))
    rng = np.random.default_rng(0)
    assert all(np.array_equal(sampler.vary(notes, rng), notes) for _ in range(20))
    moved = PlantedSampler(bars, [], base.encoding, dataclasses.replace(base.notes, vary_probability=0.0))
    assert not any(np.array_equal(moved.vary(notes, rng), notes) for _ in range(20))


BPS_01 = DATA / "bps_motif_dev" / "scores" / "01-1.mid" if DATA is not None else None


@pytest.mark.skipif(BPS_01 is None or not BPS_01.exists(), reason="BPS-motif data not found")
def test_a_real_sonata_movement_has_transposed_voice_statements_only_with_transposition() -> None:
    score = read_score(BPS_01)
    # voice families: each occurrence's transposition is its notes'; the left hand's figures kept
    # (accompaniment_below=0, figuration_in_place=0) and nested grown families too (grown_redundancy=0, subfigure=0),
    # and shifted readings of one run (stagger=0), so that the exact-pitch run has enough statements to judge
    voice = DiscoverySettings(texture=False, accompaniment_below=0.0, figuration_in_place=0.0, grown_redundancy=0.0, subfigure=0.0,
                              stagger=0.0)
    with_t = discover(score, settings=voice)
    without = discover(score, settings=dataclasses.replace(voice, transpose=False))
    # statements as long as the prototype: their transposition is the median pitch difference, the
    # alignment's own measure (a varied statement of another length reports its first notes'
    # difference, core._occurrence, which may differ by a step where its first note is missing)
    def same_length(families: list[Family]) -> list[int]:
        return [o.transposition for f in families for o in f.occurrences if len(o.notes) == len(f.occurrences[0].notes)]

    assert any(t != 0 for t in same_length(with_t))
    assert without and len(same_length(without)) > 20 and all(t == 0 for t in same_length(without))
