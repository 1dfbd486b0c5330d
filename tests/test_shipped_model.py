"""The Python API opens the shipped model once per process: ``annotate(score)`` in a loop used to open a
new onnxruntime session on every call that needed the bar model (benchmarks/phase28-threads28.md).
Sessions are counted by wrapping the real ``onnxruntime.InferenceSession``; real files, real onnxruntime."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest

import motifcli
import motifcli.model
from conftest import REPO

POP = REPO / "examples" / "pop909-101.mid"


@pytest.fixture
def sessions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the sessions opened while the test runs (none shared before it)."""
    ort = pytest.importorskip("onnxruntime")
    opened: list[str] = []

    class Counting(ort.InferenceSession):  # type: ignore[misc, name-defined]
        def __init__(self, path: str, *args: object, **kwargs: object) -> None:
            opened.append(str(path))
            super().__init__(path, *args, **kwargs)

    monkeypatch.setattr(ort, "InferenceSession", Counting)
    monkeypatch.setattr(motifcli.model, "_SHIPPED", {}, raising=False)  # no session left from other tests
    return opened


def _key(annotation: motifcli.Annotation) -> list[tuple[int, float, float]]:
    return sorted((o.track, round(o.start, 3), round(o.end, 3)) for o in annotation.occurrences)


def test_two_note_level_calls_open_one_session(sessions: list[str]) -> None:
    score = motifcli.read_score(POP)
    first = motifcli.annotate(score)
    second = motifcli.annotate(score)
    assert len(sessions) == 1 and sessions[0].endswith("motif-default.onnx")
    assert first.model and second.model == first.model  # each call records the card: it used the model
    assert _key(second) == _key(first)


def test_two_bar_level_calls_open_one_session(sessions: list[str]) -> None:
    score = motifcli.read_score(POP)
    first = motifcli.annotate(score, unit="bar")
    second = motifcli.annotate(score, unit="bar")
    assert len(sessions) == 1 and _key(second) == _key(first) and first.motifs


def test_a_model_passed_is_used_not_the_shared_one(sessions: list[str]) -> None:
    """``load_model()`` still opens its own session, and a call given it opens no other."""
    model = motifcli.load_model()
    motifcli.annotate(motifcli.read_score(POP), model)
    assert len(sessions) == 1 and motifcli.model.shipped_model() is not model and len(sessions) == 2


def test_calls_in_threads_share_one_session_and_count_their_own_uses(sessions: list[str]) -> None:
    """Two songs and a chorale at once in three threads: one session; the chorale, which never touches
    the model, still records no card although the other calls use the shared model meanwhile."""
    music21 = pytest.importorskip("music21")
    chorale = motifcli.read_score(Path(str(music21.corpus.getWork("bwv1.6"))))
    song = motifcli.read_score(POP)
    results: dict[str, motifcli.Annotation] = {}

    def run(name: str, score: motifcli.Score) -> None:
        results[name] = motifcli.annotate(score)

    threads = [threading.Thread(target=run, args=(n, s)) for n, s in
               (("song1", song), ("chorale", chorale), ("song2", song))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert sorted(results) == ["chorale", "song1", "song2"]
    assert len(sessions) == 1
    assert results["song1"].model and results["song2"].model == results["song1"].model
    assert results["chorale"].model == {} and results["chorale"].motifs
    assert _key(results["song2"]) == _key(results["song1"])


def _child_opens_its_own(parent_id: int, answer: multiprocessing.connection.Connection) -> None:
    model = motifcli.model.shipped_model()
    answer.send((id(model) != parent_id, model.embedding_dim))


def test_a_forked_child_opens_its_own_session(sessions: list[str]) -> None:
    """A session's thread pool does not survive a fork: a forked child gets a session of its own."""
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this platform")
    parent = motifcli.model.shipped_model()
    assert motifcli.model.shipped_model() is parent
    receive, send = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_child_opens_its_own, args=(id(parent), send))
    child.start()
    assert receive.poll(120)
    own, dim = receive.recv()
    child.join(30)
    assert own and dim == parent.embedding_dim and child.exitcode == 0
