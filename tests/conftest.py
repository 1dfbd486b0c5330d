"""Shared fixtures: the POP909 data folder and small ONNX models built with ``onnx.helper``.

The trained model is not needed to test the runtime: a "raw-roll" model (the flattened piano roll
as its embedding, cosine distance) follows the same contract, and identical bars get identical
vectors, which makes grouping results predictable on real songs.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

import sys

import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run from a plain clone (not pip-installed): import the source tree
    sys.path.insert(0, str(REPO))

from motifcli.encoding import EncodingSpec  # noqa: E402
from training.datafolder import find_data_root  # noqa: E402


def write_line_midi(notes: list[tuple[float, int, float]], path: Path) -> None:
    """Write (onset beat, pitch, duration beats) notes as a one-track 4/4 MIDI file (480 ticks a beat).

    The discovery tests build small planted-motif pieces this way, so that they go through the real
    MIDI reader as a user's file would."""
    import mido

    mid = mido.MidiFile(ticks_per_beat=480)
    track = mido.MidiTrack()
    mid.tracks.append(track)
    track.append(mido.MetaMessage("time_signature", numerator=4, denominator=4, time=0))
    events = sorted([(round(on * 480), 1, p) for on, p, _ in notes] + [(round((on + d) * 480), 0, p) for on, p, d in notes])
    now = 0
    for tick, on, pitch in events:
        track.append(mido.Message("note_on" if on else "note_off", note=pitch, velocity=80 if on else 0, time=tick - now))
        now = tick
    mid.save(path)

def statement_lengths(families: list, onset: float) -> dict[float, int]:
    """Notes per statement (by start, rounded to 1/1000 beat) of the first family holding a note at
    ``onset``: what the long-note growing tests compare with the rule on and off."""
    for f in families:
        if any(abs(n.onset - onset) < 1e-6 for o in f.occurrences for n in o.notes):
            return {round(o.start, 3): len(o.notes) for o in f.occurrences}
    return {}


def json_report_voices(score, dest: Path) -> set[int]:
    """Annotate ``score`` at note level, write its JSON report to ``dest``, check it against
    docs/annotation.schema.json and that it reads back unchanged, and return the ``voice`` ids of
    its occurrences' notes (the voice tests check which lines the report names)."""
    import json

    jsonschema = pytest.importorskip("jsonschema")
    from motifcli import writers
    from motifcli.annotation import Annotation
    from motifcli.discovery import discover
    from motifcli.families import to_annotation
    from motifcli.settings import Settings

    annotation = to_annotation(score, discover(score), Settings(unit="note"))
    writers.write(annotation, score, "json", dest)
    data = json.loads(dest.read_text())
    jsonschema.validate(data, json.loads((REPO / "docs" / "annotation.schema.json").read_text()))
    assert data["schema_version"] == "2.0"
    assert Annotation.from_dict(data).to_dict() == annotation.to_dict()
    return {n["voice"] for m in data["motifs"] for o in m["occurrences"] for n in o["notes"]}



def data_dir() -> Path | None:
    """The shared data folder ($MOTIF_DATA, ../shared/data, /work/shared/data: training.datafolder)."""
    return find_data_root()


DATA = data_dir()
needs_data = pytest.mark.skipif(DATA is None, reason="POP909 data folder (shared/data) not found")


def song_path(number: int) -> Path:
    assert DATA is not None
    return DATA / "pop909" / f"{number:03d}" / f"{number:03d}.mid"


def rawroll_metadata(spec: EncodingSpec, **overrides: str | None) -> dict[str, str]:
    """Contract metadata for a raw-roll model; an override of None removes the key."""
    from motifcli.contract import ModelCard

    card = ModelCard(spec, distance="cosine", method="raw-roll", training_data="none", version="0.0-test",
                     embedding_dim=spec.steps * spec.pitch_count)
    meta = card.to_metadata()
    for key, value in overrides.items():
        if value is None:
            meta.pop(key, None)
        else:
            meta[key] = value
    return meta


def build_rawroll_onnx(
    spec: EncodingSpec,
    path: Path,
    metadata: Mapping[str, str] | None = None,
    input_name: str = "pianoroll",
    output_name: str = "embedding",
    input_shape: tuple[object, ...] | None = None,
) -> Path:
    """Write an ONNX model whose embedding is the flattened roll (Flatten, axis 1)."""
    import onnx
    from onnx import TensorProto, helper

    dim = spec.steps * spec.pitch_count
    shape = input_shape if input_shape is not None else ("N", spec.steps, spec.pitch_count)
    inp = helper.make_tensor_value_info(input_name, TensorProto.FLOAT, list(shape))
    out = helper.make_tensor_value_info(output_name, TensorProto.FLOAT, ["N", dim])
    node = helper.make_node("Flatten", [input_name], [output_name], axis=1)
    graph = helper.make_graph([node], "rawroll", [inp], [out])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="motif-tests")
    model.ir_version = 8
    meta = rawroll_metadata(spec) if metadata is None else dict(metadata)
    helper.set_model_props(model, meta)
    onnx.checker.check_model(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(path))
    return path


@pytest.fixture(scope="session")
def spec() -> EncodingSpec:
    return EncodingSpec()


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def rawroll_path(models_dir: Path, spec: EncodingSpec) -> Path:
    return build_rawroll_onnx(spec, models_dir / "rawroll.onnx")


@pytest.fixture(scope="session")
def rawroll_model(rawroll_path: Path):
    from motifcli.model import load_model

    return load_model(rawroll_path, provider="cpu", threads=1)


@pytest.fixture(scope="session")
def songs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three short-ish POP909 songs copied into a writable folder (outputs land beside inputs)."""
    if DATA is None:
        pytest.skip("POP909 data folder (shared/data) not found")
    root = tmp_path_factory.mktemp("songs")
    for n in (21, 22, 23):
        shutil.copy(song_path(n), root / f"{n:03d}.mid")
    return root


@pytest.fixture()
def env_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")


def subprocess_env() -> dict[str, str]:
    """Environment for ``python -m motifcli`` from the repo root, installed or not."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "200"
    return env


# The head of a test's sitecustomize.py (see logging_hook_env): ``_log(line)`` appends a line to
# MOTIF_TEST_LOG with one write, so the lines of the batch's processes do not interleave.
_LOG_HOOK_HEAD = '''
import os, sys

def _log(line):
    fd = os.open(os.environ["MOTIF_TEST_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        os.write(fd, (line + "\\n").encode())
    finally:
        os.close(fd)
'''


def logging_hook_env(tmp_path: Path, body: str, log: Path) -> dict[str, str]:
    """Environment for ``python -m motifcli`` in which every Python process (CLI, forkserver, workers)
    first runs ``body`` as its sitecustomize, with ``_log(line)`` writing to ``log``."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_LOG_HOOK_HEAD + body)
    env = subprocess_env()
    env["PYTHONPATH"] = os.pathsep.join([str(hook), env["PYTHONPATH"]])
    env["MOTIF_TEST_LOG"] = str(log)
    return env


def has_leading_chordal_track(path: Path) -> bool:
    """Whether discovery's own rule finds a chordal track that leads ``path`` (texture families, so
    the note level opens its lazy bar model): the independent expectation for the model card. A piano
    part alone in its score is judged by the staff that leads it (``texture_staff``: K. 545's right hand,
    a single line, opens no model), and a melody instrument's line with double stops (a fiddle tune:
    ``texture_lead.melody_line``) is no chordal track."""
    from motifcli.discovery import DiscoverySettings
    from motifcli.discovery.texture import chordal, leads
    from motifcli.discovery.texture_lead import melody_line, staff_track
    from motifcli.readers import read_score

    score, settings = read_score(path), DiscoverySettings()
    return any(chordal(staff_track(score, t, settings)[0].arrays()[0], settings) and leads(score, t, settings)
               and not melody_line(score, t, settings) for t in score.pitched_tracks() if t.notes)
