"""The notebook API: read_score dispatch, embed, annotate, version, and what importing costs."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, needs_data, song_path, subprocess_env

import motifcli
from motifcli.encoding import encode_segments
from motifcli.errors import ScoreReadError, UsageError
from motifcli.score import Score, Track
from motifcli.segment import segment_bars


def test_public_names() -> None:
    for name in ("read_score", "load_model", "embed", "annotate", "__version__", "MotifError", "ReadLimits"):
        assert name in motifcli.__all__ and hasattr(motifcli, name)
    assert motifcli.__version__[0].isdigit()


@needs_data
def test_read_score_reads_midi() -> None:
    score = motifcli.read_score(song_path(21))
    assert score.format == "midi" and [t.name for t in score.pitched_tracks()] == ["MELODY", "BRIDGE", "PIANO"]


def test_read_score_rejects_other_extensions_and_missing_files(tmp_path: Path) -> None:
    other = tmp_path / "song.wav"
    other.write_bytes(b"RIFF")
    with pytest.raises(ScoreReadError, match="unsupported file type '.wav'"):
        motifcli.read_score(other)
    with pytest.raises(ScoreReadError, match="cannot read file"):
        motifcli.read_score(tmp_path / "missing.mid")


@pytest.mark.parametrize("suffix", [".musicxml", ".xml", ".mxl", ".MXL"])
def test_read_score_sends_musicxml_to_its_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str) -> None:
    calls = []
    fake = types.ModuleType("motifcli.readers.musicxml")

    def read_musicxml(path, limits=None):  # noqa: ANN001, ANN202
        calls.append((path, limits))
        return Score([], path=path, format="musicxml")

    fake.read_musicxml = read_musicxml
    monkeypatch.setitem(sys.modules, "motifcli.readers.musicxml", fake)
    path = tmp_path / f"score{suffix}"
    limits = motifcli.ReadLimits(max_notes=10)
    assert motifcli.read_score(path, limits).format == "musicxml"
    assert calls == [(path, limits)]


@needs_data
def test_embed_matches_the_encoder(rawroll_model) -> None:
    score = motifcli.read_score(song_path(21))
    result = motifcli.embed(score, rawroll_model)
    melody = score.track_named("MELODY")
    # the default windows are the song's bars (its meter map: estimated for POP909)
    segs = segment_bars(melody, score.meter_map, rawroll_model.spec.segment_beats, rawroll_model.spec.steps_per_beat)
    rows = result.track == melody.index
    np.testing.assert_array_equal(result.vectors[rows], encode_segments(melody, segs, rawroll_model.spec).reshape(len(segs), -1))
    np.testing.assert_array_equal(result.start[rows], [s.start for s in segs])
    assert set(result.track.tolist()) == {t.index for t in score.pitched_tracks()}
    bars = {round(b.start, 6): b.length for b in score.meter_map.bars}
    assert all(bars[round(s, 6)] == pytest.approx(e - s) for s, e in zip(result.start, result.end))
    # a fixed grid (--window 4) from the map's first downbeat
    fixed = motifcli.embed(score, rawroll_model, window=4.0)
    assert np.allclose(fixed.end - fixed.start, 4.0)
    phase = (fixed.start - score.meter_map.first_downbeat) % 4.0
    assert np.all(np.minimum(phase, 4.0 - phase) < 1e-6)
    assert len(result) == result.vectors.shape[0] == len(result.segments)


@needs_data
def test_embed_track_window_and_hop(rawroll_model) -> None:
    score = motifcli.read_score(song_path(21))
    melody = score.track_named("MELODY").index
    by_name = motifcli.embed(score, rawroll_model, track="melody")
    by_index = motifcli.embed(score, rawroll_model, track=melody)
    assert set(by_name.track.tolist()) == {melody}
    np.testing.assert_array_equal(by_name.vectors, by_index.vectors)
    halves = motifcli.embed(score, rawroll_model, track="MELODY", window=2.0, hop=1.0)
    assert np.all(np.diff(halves.start) >= 1.0 - 1e-9) and np.allclose(halves.end - halves.start, 2.0)
    assert len(halves) > 2 * len(by_name)
    with pytest.raises(UsageError, match="no track named"):
        motifcli.embed(score, rawroll_model, track="violin")
    with pytest.raises(UsageError, match="longer than"):
        motifcli.embed(score, rawroll_model, window=8.0)
    with pytest.raises(UsageError, match="positive"):
        motifcli.embed(score, rawroll_model, hop=0)


def test_embed_refuses_drum_tracks(rawroll_model) -> None:
    score = Score([Track(0, "Drums", [motifcli.score.Note(0, 1, 36, channel=9)], is_drum=True)])
    with pytest.raises(UsageError, match="percussion"):
        motifcli.embed(score, rawroll_model, track=0)
    assert motifcli.embed(score, rawroll_model).vectors.shape == (0, rawroll_model.embedding_dim)


@needs_data
def test_annotate_records_how_and_times_stages(rawroll_model) -> None:
    timings: dict[str, float] = {}
    annotation = motifcli.annotate(motifcli.read_score(song_path(22)), rawroll_model, 0.4, timings=timings, unit="bar")
    assert set(timings) == {"encode", "inference", "grouping"}
    assert annotation.source == str(song_path(22))
    assert annotation.model["method"] == "raw-roll"
    assert annotation.settings["sensitivity"] == 0.4 and annotation.settings["window_beats"] == 4.0
    assert annotation.tracks[1:] == ["MELODY", "BRIDGE", "PIANO"]
    # the default unit, note: discovery (timed as grouping); the song's piano leads, so its texture
    # bars are grouped by the model given, and its card is recorded (a chorale's is not: test_lazy_model.py)
    timings.clear()
    notes = motifcli.annotate(motifcli.read_score(song_path(22)), rawroll_model, 0.4, timings=timings)
    assert set(timings) == {"grouping"} and notes.settings["unit"] == "note"
    assert notes.model["method"] == "raw-roll"
    off = motifcli.annotate(motifcli.read_score(song_path(22)), rawroll_model, 0.4, texture_model="off")
    assert off.model == {}  # texture bars by their points: the model is not used, not recorded
    assert notes.settings["sensitivity"] == 0.4 and notes.settings["window_beats"] is None
    assert notes.settings["metric"] is None and notes.motifs
    assert all(len(o.notes) >= 4 for o in notes.occurrences)  # note level's shortest motif


@needs_data
def test_reprs_are_one_line_summaries(rawroll_model) -> None:
    """A notebook that shows a score, a track, an annotation, a family or an occurrence gets one line
    each, not every note (a POP909 song's first two families printed ~150,000 characters before)."""
    score = motifcli.read_score(song_path(22))
    annotation = motifcli.annotate(score, rawroll_model)
    top = annotation.ranked[0]
    assert repr(score) == (f"<Score {str(song_path(22))!r} (midi): {score.note_count} notes in 4 tracks ("
                           + ", ".join(f"{t.name!r} {len(t.notes)}" for t in score.tracks) + ")>")
    assert repr(score.tracks[1]) == f"<Track 1 'MELODY': {len(score.tracks[1].notes)} notes, channel=0>"
    occurrence = top.occurrences[0]
    assert repr(annotation) == (f"<Annotation of {str(song_path(22))!r}: {len(annotation.motifs)} families, "
                                f"{len(annotation.occurrences)} occurrences, unit note, the model ran>")
    assert repr(top).startswith(f"<Motif {top.name}: rank 1, {len(top.occurrences)} occurrences, salience ")
    assert repr(occurrence).startswith(f"<Occurrence {occurrence.label}: track {occurrence.track} ")
    assert f"{len(occurrence.notes)} notes" in repr(occurrence)
    assert all("\n" not in repr(x) and len(repr(x)) < 200 for x in (annotation, top, *top.occurrences))
    assert len(repr(annotation.ranked)) < 200 * len(annotation.motifs)


def test_loaded_model_repr_is_one_line() -> None:
    """``motifcli.load_model()`` shown in a notebook is one line like a ``LazyModel``'s, not the dataclass's dump
    of every metadata key and the model card (2,052 characters for the shipped model on main)."""
    model = motifcli.load_model(provider="cpu")
    text = repr(model)
    assert text == (f"MotifModel(path={str(model.path)!r}, provider='CPUExecutionProvider', "
                    f"version={model.model_card.version!r}, embedding_dim={model.embedding_dim})")
    assert "\n" not in text and len(text) < 300 and "training_data" not in text


def test_importing_motifcli_stays_light() -> None:
    code = (
        "import sys, motifcli, motifcli.cli, motifcli.batch;"
        "print(sorted(m for m in ('torch', 'music21', 'onnxruntime', 'sklearn', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=subprocess_env(), cwd=REPO)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
