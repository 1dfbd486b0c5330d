"""What a notebook user hands the library (session 26's user trial of the Python API, benchmarks/phase26-api26.md):
a path instead of a Score, a music21 stream (an ABC folk song of music21's corpus), an .onnx path as the model,
a dict of settings, a wrong type; and pickling the model for joblib / multiprocessing workers.

Each pinned a defect on main: a path or a stream given to ``annotate`` / ``embed`` was an AttributeError deep in
the meter code ("'PosixPath' object has no attribute 'meter_map'"), ``annotate(score, 0.3)`` took the number for
the model and ran silently at the default sensitivity, ``annotate_collection("a.mid")`` read "/" as a file, an
opened LazyModel could not be pickled, and ``embed(...)`` printed every window's segment.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest

import motifcli
from motifcli.model import LazyModel

music21 = pytest.importorskip("music21")
from music21 import corpus  # noqa: E402

CHORALE = Path(corpus.getWork("bach/bwv66.6"))  # a real MusicXML file that ships with music21


def families(annotation: motifcli.annotation.Annotation) -> list[dict]:
    return [m.to_dict() for m in annotation.motifs]


@pytest.fixture(scope="module")
def opus() -> object:
    """An Essen collection as music21 parses its ABC file (motif reads no ABC): 313 tunes, ~3 s."""
    return corpus.parse("essenFolksong/altdeu10")


@pytest.fixture(scope="module")
def essen(opus: object) -> list:
    return list(opus.scores[:4])  # type: ignore[attr-defined]


def test_annotate_and_embed_take_a_path_as_read_score_reads_it() -> None:
    read = motifcli.read_score(CHORALE)
    expected = families(motifcli.annotate(read))
    assert expected  # the chorale has families to compare
    assert families(motifcli.annotate(CHORALE)) == expected
    assert families(motifcli.annotate(str(CHORALE))) == expected
    model = motifcli.load_model()
    np.testing.assert_array_equal(motifcli.embed(CHORALE, model).vectors, motifcli.embed(read, model).vectors)


def test_a_path_is_read_with_the_settings_limits() -> None:
    with pytest.raises(motifcli.ScoreReadError, match="limit"):
        motifcli.annotate(CHORALE, limits=motifcli.ReadLimits(max_notes=10))


def test_a_music21_stream_is_read_as_the_musicxml_music21_writes_of_it(essen: list, tmp_path: Path) -> None:
    tune = essen[0]
    score = motifcli.read_score(tune)
    assert score.path is None and score.format == "musicxml" and score.note_count > 20
    written = tmp_path / "tune.musicxml"
    tune.write("musicxml", fp=written)
    assert families(motifcli.annotate(tune)) == families(motifcli.annotate(written))
    # and the MusicXML writer annotates the document it was read from
    annotation = motifcli.annotate(score)
    from motifcli.writers import write

    write(annotation, score, "musicxml", tmp_path / "tune.motifs.musicxml")
    back = motifcli.read_score(tmp_path / "tune.motifs.musicxml")
    assert [n.pitch for n in back.tracks[0].notes] == [n.pitch for n in score.tracks[0].notes]


def test_a_collection_of_music21_tunes_and_an_opus_refused_with_what_to_pass(opus: object, essen: list,
                                                                            tmp_path: Path) -> None:
    annotations = motifcli.annotate_collection(essen)
    assert len(annotations) == 4 and all(a.collection == {"pieces": 4, "per_piece": 8} for a in annotations)
    files = []
    for k, tune in enumerate(essen):
        files.append(tmp_path / f"tune{k}.musicxml")
        tune.write("musicxml", fp=files[-1])
    assert [families(a) for a in annotations] == [families(a) for a in motifcli.annotate_collection(files)]
    with pytest.raises(TypeError, match="opus.scores"):
        motifcli.annotate(opus)
    with pytest.raises(TypeError, match="list of pieces"):
        motifcli.annotate_collection(opus)


@pytest.mark.parametrize("one", [str(CHORALE), CHORALE])
def test_annotate_collection_refuses_one_path_instead_of_reading_its_characters(one: str | Path) -> None:
    with pytest.raises(TypeError, match=r"list of pieces .* not one"):
        motifcli.annotate_collection(one)


@pytest.mark.parametrize("piece", [None, 42, b"song.mid", {"path": "song.mid"}])
def test_a_wrong_piece_is_a_type_error_that_says_what_is_taken(piece: object) -> None:
    with pytest.raises(TypeError, match="file path .* music21 stream, not"):
        motifcli.annotate(piece)  # type: ignore[arg-type]


def test_a_number_in_the_model_place_is_refused_not_ignored() -> None:
    """``annotate(score, 0.3)`` ran on main at the default sensitivity (0.3 taken for a model never opened)."""
    with pytest.raises(TypeError, match=r"sensitivity=0\.3"):
        motifcli.annotate(CHORALE, 0.3)  # type: ignore[arg-type]
    assert families(motifcli.annotate(CHORALE, None, 0.3)) == families(motifcli.annotate(CHORALE, sensitivity=0.3))


def test_an_onnx_path_is_taken_as_the_model(tmp_path: Path) -> None:
    from motifcli.model import default_model_path

    score = motifcli.read_score(CHORALE)
    loaded = motifcli.annotate(score, motifcli.load_model(), unit="bar")
    assert families(motifcli.annotate(score, str(default_model_path()), unit="bar")) == families(loaded)
    assert families(motifcli.annotate(score, default_model_path(), unit="bar")) == families(loaded)
    with pytest.raises(motifcli.ModelError, match="not found"):
        motifcli.annotate(score, tmp_path / "missing.onnx", unit="bar")


def test_settings_as_a_dict_are_its_fields_and_another_type_is_refused() -> None:
    score = motifcli.read_score(CHORALE)
    assert families(motifcli.annotate(score, settings={"sensitivity": 0.3, "max_families": 2})) == families(
        motifcli.annotate(score, sensitivity=0.3, max_families=2))
    with pytest.raises(motifcli.UsageError, match="unknown setting"):
        motifcli.annotate(score, settings={"sensitivty": 0.3})
    with pytest.raises(TypeError, match="settings must be"):
        motifcli.annotate(score, settings=[0.3])  # type: ignore[arg-type]


def test_an_opened_model_pickles_for_a_worker_and_embeds_the_same() -> None:
    """joblib / multiprocessing pickle what a call gets; an onnxruntime session cannot be pickled."""
    score = motifcli.read_score(CHORALE)
    lazy = LazyModel()
    first = motifcli.embed(score, lazy).vectors
    assert lazy.opened
    again = pickle.loads(pickle.dumps(lazy))
    assert not again.opened and again.path == lazy.path  # opened on its first use in the worker
    np.testing.assert_array_equal(motifcli.embed(score, again).vectors, first)
    loaded = motifcli.load_model(provider="cpu")
    copy = pickle.loads(pickle.dumps(loaded))
    assert copy.path == loaded.path and copy.providers == loaded.providers
    np.testing.assert_array_equal(motifcli.embed(score, copy).vectors, first)


def test_an_annotation_pickles_and_its_json_reads_back() -> None:
    """Not a fix: what a notebook session checked and found working (a guard)."""
    annotation = motifcli.annotate(motifcli.read_score(CHORALE))
    assert pickle.loads(pickle.dumps(annotation)) == annotation
    back = motifcli.annotation.Annotation.from_dict(json.loads(json.dumps(annotation.to_dict())))
    assert back.to_dict() == annotation.to_dict()


def test_an_embedding_result_shows_as_one_line() -> None:
    result = motifcli.embed(CHORALE, motifcli.load_model())
    text = repr(result)
    assert text == f"<EmbeddingResult: {len(result)} windows x {result.vectors.shape[1]} dims " \
                   "('Soprano' 10, 'Alto' 10, 'Tenor' 10, 'Bass' 10)>"
