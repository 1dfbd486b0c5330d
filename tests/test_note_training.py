"""The note-level training path: note-anchored windows, views, planted triplets, learned invariance, export.

Real POP909 files, the real renderer, a real (tiny) torch training and the real onnxruntime loader.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.conftest import DATA, needs_data

torch = pytest.importorskip("torch")

from motifcli.encoding import EncodingSpec, render_rolls  # noqa: E402

SPEC = EncodingSpec("onset-sustain", steps_per_beat=4, segment_beats=8.0, pitch_low=24, pitch_count=84)


def _windows(songs: list[str], stride: int = 2):
    from training.note_data import pop909_windows

    return pop909_windows(songs, SPEC, (2.0, 4.0, 8.0), stride)


@needs_data
def test_windows_start_at_a_voice_onset_and_respect_their_length() -> None:
    from motifcli.readers.midi import read_midi
    from motifcli.voices import split_voices
    from training.note_data import voice_windows

    score = read_midi(DATA / "pop909" / "101" / "101.mid")
    onsets = {float(x) for v in split_voices(score) for x in v.onsets}
    bars = voice_windows(score, SPEC, "101", (2.0, 8.0), stride=3)
    assert len(bars) > 100
    lengths = set()
    for b in bars:
        assert b.start in onsets
        assert b.notes[:, 0].min() == 0  # the anchor note opens the window
        end = int(b.notes[:, 1].max())
        assert end <= SPEC.steps and (b.notes[:, 0] < SPEC.steps).all() and len(b.notes) >= 3
        lengths.add(end <= 2 * SPEC.steps_per_beat)
    assert lengths == {True, False}  # both short (2-beat) and long (8-beat) windows


def test_time_shift_keeps_notes_in_the_roll() -> None:
    from training.views import time_shift

    notes = np.array([[0, 4, 40], [4, 8, 42], [28, 32, 44]], dtype=np.int16)
    rng = np.random.default_rng(1)
    moved = {int(time_shift(notes, rng, SPEC)[-1, 0]) - 28 for _ in range(40)}  # the last note always stays
    assert moved <= {-2, -1, 1, 2} and len(moved) >= 3
    pulled_out = 0
    for _ in range(40):
        out = time_shift(notes, rng, SPEC)
        # as the renderer keeps only notes whose onset is inside the window, a note pulled before it is dropped
        assert (out[:, 0] >= 0).all() and (out[:, 0] < SPEC.steps).all() and (out[:, 1] <= SPEC.steps).all()
        assert len(out) >= 1
        pulled_out += len(out) < len(notes)
        render_rolls([out], SPEC)  # the runtime renderer draws it
    assert pulled_out > 0  # a shift to the left drops the note at step 0


@needs_data
def test_planted_triplets_share_the_motif_transposed() -> None:
    from training.config import NotesConfig
    from training.note_pipeline import PlantedSampler

    sampler = PlantedSampler(_windows(["101"], 4), [], SPEC, NotesConfig(vary_probability=0.0))
    a, p, n = sampler.planted(np.random.default_rng(0), 32)
    # with no variation the positive's first notes are the anchor's motif moved in pitch only
    rhythm = lambda r: (r.max(axis=2) > 0)  # noqa: E731
    head = 4  # the first beat always belongs to the planted motif
    assert np.array_equal(rhythm(a)[:, :head], rhythm(p)[:, :head])
    assert not np.array_equal(a[:, :head], p[:, :head])  # ... but transposed
    assert a.shape == p.shape == n.shape == (32, *SPEC.shape)


def _closer(embed, rolls: np.ndarray, shifted: np.ndarray) -> float:
    """Share of (window, other window) pairs where the transposed copy is nearer than the other."""
    a = torch.nn.functional.normalize(embed(torch.from_numpy(rolls)), dim=1)
    b = torch.nn.functional.normalize(embed(torch.from_numpy(shifted)), dim=1)
    d_t = 1 - (a * b).sum(1)
    d = 1 - a @ a.T
    off = ~torch.eye(len(a), dtype=torch.bool)
    return float((d > d_t[:, None])[off].float().mean())


@needs_data
def test_tiny_model_learns_transposition_invariance_and_exports(tmp_path: Path) -> None:
    """A model trained for seconds puts transposed copies nearer than other windows: better than chance and untrained.

    Trained on songs 101-102, measured on windows of song 103 transposed by +/-3..5 semitones.
    """
    from training.config import NotesConfig, PretrainConfig, RunConfig
    from training.model import ModelConfig
    from training.note_pipeline import build_encoder, export, pretrain

    torch.set_num_threads(2)
    cfg = RunConfig(name="tiny", encoding=SPEC, model=ModelConfig(d_model=32, layers=1, heads=2, ff=64, latent=32,
                                                                    expander=128, dropout=0.0),
                    pretrain=PretrainConfig(epochs=1, steps_per_epoch=60, batch_size=64, lr=2e-3, view_probability=0.5),
                    notes=NotesConfig(pop909_songs=2, music21_files=0))
    train = _windows(["101", "102"], 4)
    test = _windows(["103"], 8)[:200]
    rng = np.random.default_rng(0)
    rolls = render_rolls([w.notes for w in test], SPEC)
    shifted = render_rolls([_shift(w.notes, int(rng.integers(3, 6)) * (1 if rng.random() < 0.5 else -1)) for w in test], SPEC)

    untrained = build_encoder(cfg).eval()
    with torch.no_grad():
        before = _closer(untrained, rolls, shifted)
    pretrain(cfg, tmp_path, windows=train)
    from training.pipeline import load_encoder

    trained = load_encoder(cfg, tmp_path)
    with torch.no_grad():
        after = _closer(trained, rolls, shifted)
    # chance is 0.5; measured: untrained 0.35, trained 0.69 (60 steps, seed 0)
    assert after > 0.6 and after > before + 0.2, (before, after)

    path = tmp_path / "tiny.onnx"
    assert export(cfg, tmp_path, path, test) < 1e-4  # torch and onnxruntime agree
    import motifcli

    model = motifcli.load_model(path, provider="cpu")
    assert model.spec == SPEC
    assert "note-anchored" in model.model_card.method and "POP909" in model.model_card.training_data
    assert "BPS" in model.model_card.training_data  # says it was NOT used


def _shift(notes: np.ndarray, k: int) -> np.ndarray:
    out = notes.copy()
    out[:, 2] = np.clip(out[:, 2] + k, 0, SPEC.pitch_count - 1)
    return out
