"""A music21 stream's annotation says which stream it is (session 26's "left", benchmarks/phase26-api26.md).

``motifcli.annotate(stream)`` gave ``Annotation.source == ''``: eight Essen tunes annotated together printed as
eight ``<Annotation of ''>`` and wrote eight JSON reports with ``"source": ""``. The source is now the stream's name
as music21 knows it (title, reference number, corpus path), in angle brackets; a file's stays its path. What is
made from a source (a file name, an error's first words) never takes a title's "/" for a folder. Real music21
streams (the Essen ABC collection and a chorale of music21's corpus), the real reader, discovery and writers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import motifcli
from motifcli.annotation import Annotation
from motifcli.writers import output_name, write

music21 = pytest.importorskip("music21")
from music21 import corpus, metadata, note, stream  # noqa: E402

CHORALE = Path(corpus.getWork("bach/bwv66.6"))


@pytest.fixture(scope="module")
def opus() -> object:
    """An Essen collection as music21 parses its ABC file (motif reads no ABC), held as a notebook holds it: a
    tune knows its collection (music21's ``activeSite``, a weak reference) only while the Opus lives."""
    return corpus.parse("essenFolksong/altdeu10")


@pytest.fixture(scope="module")
def tunes(opus: object) -> list:
    return list(opus.scores[:4])  # type: ignore[attr-defined]


def built(title: str | None) -> stream.Score:
    """A score made in code: one part of eight notes, the motif C-D-E twice, with ``title`` if given."""
    score, part = stream.Score(), stream.Part()
    for name in ("C4", "D4", "E4", "G4", "C4", "D4", "E4", "C4"):
        part.append(note.Note(name, quarterLength=1.0))
    score.append(part)
    if title is not None:
        score.metadata = metadata.Metadata(title=title)
    return score


def test_tunes_annotated_together_say_which_tune_each_is(tunes: list) -> None:
    annotations = motifcli.annotate_collection(tunes)
    sources = [a.source for a in annotations]
    assert sources == [f"<music21 Score: {t.metadata.title}, no. {t.metadata.number}, essenFolksong/altdeu10.abc>"
                       for t in tunes]
    assert len(set(sources)) == 4  # tunes 2-4 are all "Herzog Ernst": the number tells them apart
    assert repr(annotations[1]).startswith("<Annotation of '<music21 Score: Herzog Ernst, no. 2, essenFolksong/")
    assert all(json.loads(json.dumps(a.to_dict()))["source"] == a.source for a in annotations)


def test_a_corpus_score_is_named_by_its_corpus_path_and_a_file_by_its_path() -> None:
    assert motifcli.annotate(corpus.parse("bach/bwv66.6")).source == "<music21 Score: bach/bwv66.6.mxl>"
    assert motifcli.annotate(CHORALE).source == str(CHORALE)  # a path: unchanged
    assert motifcli.annotate(motifcli.read_score(CHORALE)).source == str(CHORALE)
    assert motifcli.read_score(CHORALE).name is None


def test_a_title_with_slashes_and_a_line_break_names_a_file_in_the_folder(tmp_path: Path) -> None:
    score = motifcli.read_score(built("Lied 1/2:\nDer Mond / ist aufgegangen"))
    annotation = motifcli.annotate(score)
    assert annotation.motifs  # C-D-E twice
    assert annotation.source == "<music21 Score: Lied 1/2: Der Mond / ist aufgegangen>"  # one line
    for fmt in ("json", "musicxml", "csv"):
        dest = tmp_path / output_name(annotation.source, fmt)
        write(annotation, score, fmt, dest)
        assert dest.parent == tmp_path and dest.is_file()
    assert [p.name for p in tmp_path.glob("*.json")] == ["Lied_1_2_Der_Mond_ist_aufgegangen.motifs.json"]
    report = json.loads((tmp_path / "Lied_1_2_Der_Mond_ist_aufgegangen.motifs.json").read_text(encoding="utf-8"))
    assert Annotation.from_dict(report).source == annotation.source
    untitled = motifcli.annotate(built(None))
    assert untitled.source == "<music21 Score>" and output_name(untitled.source, "json") == "music21_Score.motifs.json"


def test_a_refusal_names_the_stream_it_refuses(tunes: list) -> None:
    with pytest.raises(motifcli.ScoreReadError) as refused:
        motifcli.annotate_collection(tunes, limits=motifcli.ReadLimits(max_notes=10))
    assert str(refused.value).startswith("<music21 Score: Das Hildebrandslied, no. 1, essenFolksong/altdeu10.abc>: "
                                         "more than 10 notes")
    assert refused.value.path is None  # no file
    with pytest.raises(motifcli.ScoreReadError) as searched:
        motifcli.annotate(tunes[2], limits=motifcli.ReadLimits(max_discovery_notes=10))
    assert str(searched.value).startswith("<music21 Score: Herzog Ernst, no. 3, essenFolksong/altdeu10.abc>: ")
    assert "over the 10-note limit" in str(searched.value)
