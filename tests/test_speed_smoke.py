"""The structure that keeps ``motif`` fast, checked without timing anything (the machine is noisy).

* ``motif --help`` imports none of the heavy libraries (torch, music21, scikit-learn, onnxruntime);
* a batch with two workers opens the model once per worker process (plus once in the CLI, which
  checks the model before starting any worker), whatever the number of files, and a MIDI batch
  never imports music21 or torch in a worker;
* identical windows are run through the model only once.

Timings themselves are in ``benchmarks/speed.py`` (see benchmarks/SPEED.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from conftest import DATA, REPO, logging_hook_env, needs_data, song_path, subprocess_env

HEAVY = ("torch", "music21", "sklearn", "scipy", "onnxruntime")


def imported_heavy(args: list[str]) -> list[str]:
    code = textwrap.dedent(
        f"""
        import json, sys
        from motifcli.cli import main
        try:
            main({args!r})
        except SystemExit:
            pass
        heavy = {HEAVY!r}
        print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules if m.split(".")[0] in heavy}})))
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], env=subprocess_env(), cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [["--help"], ["annotate", "--help"], ["--version"]], ids=" ".join)
def test_help_imports_no_heavy_library(args: list[str]) -> None:
    assert imported_heavy(args) == []


def test_importing_the_package_imports_no_numpy() -> None:
    """``import motifcli`` (and so ``motif --help``) loads the public API lazily."""
    code = "import sys, motifcli; print(sorted(m for m in ('numpy', 'onnxruntime', 'mido') if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], env=subprocess_env(), cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
    import motifcli
    from motifcli.pipeline import annotate

    assert motifcli.annotate is annotate and "read_score" in dir(motifcli)


POP_EXAMPLE = REPO / "examples" / "pop909-101.mid"
SONATA = DATA / "bps_motif_dev" / "scores" / "01-1.mid" if DATA is not None else None


@pytest.mark.parametrize(
    ("song", "unit", "runtime"),
    [("pop", [], ["onnxruntime"]), ("pop", ["--texture-model", "off"], []), ("pop", ["--unit", "bar"], ["onnxruntime"]),
     ("sonata", [], [])],
    ids=["note", "note-texture-off", "bar", "note-sonata"],
)
def test_annotate_midi_through_a_pipe_imports_only_what_it_needs(tmp_path: Path, song: str, unit: list[str],
                                                                 runtime: list[str]) -> None:
    """``motif annotate song.mid`` as the MuseScore plugin runs it (output to a pipe): no rich (plain
    summary), no numpy.ma (np.median would import it), no music21, torch, scipy or scikit-learn.
    onnxruntime only where the model runs: ``--unit bar``, and the default note level on a song
    whose chordal piano leads (its texture bars are grouped by the lazily opened bar model); not
    for a sonata (no leading chordal track: the lazy model is never opened) nor with
    ``--texture-model off``."""
    if song == "sonata" and SONATA is None:
        pytest.skip("BPS data folder (shared/data) not found")
    path = POP_EXAMPLE if song == "pop" else SONATA
    stem = path.stem
    code = textwrap.dedent(
        f"""
        import sys
        sys.argv = ["motif", "annotate", {str(path)!r}, "-o", {str(tmp_path)!r} + "/",
                    "--format", "midi", "--format", "json", *{unit!r}]
        import motifcli.launch, motifcli.cli
        motifcli.cli._fast_exit = lambda code: None  # keep the process to look at its modules
        motifcli.launch.main()
        roots = {{m.split(".")[0] for m in sys.modules}}
        print("IMPORTED", sorted(m for m in ("rich", "music21", "torch", "scipy", "sklearn", "onnxruntime")
                                 if m in roots), "numpy.ma" in sys.modules)
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], env=subprocess_env(), cwd=REPO, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "motif annotate" in proc.stdout and "occurrences" in proc.stdout  # the plain summary
    line = next(x for x in proc.stdout.splitlines() if x.startswith("IMPORTED"))
    # numpy.ma: pinned for the plugin's case (the POP909 song); the sonata's meter estimate imports it
    # through np.unique (meter_estimate.is_notated), which is not what this case is about
    assert line.startswith(f"IMPORTED {runtime!r} ") and (song != "pop" or line.endswith("False")), line
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{stem}.motifs.json", f"{stem}.motifs.mid"]
    card = json.loads((tmp_path / f"{stem}.motifs.json").read_text())["model"]
    assert bool(card) == bool(runtime), card  # the card records the model exactly when it ran


# Loaded into every Python process of the batch (CLI, forkserver, workers) through PYTHONPATH: logs
# each model load and each processed file with the process id to MOTIF_TEST_LOG.
SITECUSTOMIZE = '''
try:
    import motifcli.batch as _batch
    import motifcli.model as _model
except Exception:  # not the tree under test: leave this interpreter alone
    pass
else:
    _load, _process = _model.load_model, _batch.process

    def load_model(*args, **kwargs):
        _log(f"load {os.getpid()}")
        return _load(*args, **kwargs)

    def process(*args, **kwargs):
        result = _process(*args, **kwargs)
        heavy = sorted(m for m in ("music21", "torch") if m in sys.modules)
        _log(f"file {os.getpid()} {','.join(heavy) or '-'}")
        return result

    _model.load_model, _batch.process = load_model, process
'''


@needs_data
@pytest.mark.parametrize("unit", ["bar", "note"])
def test_two_workers_load_the_model_once_each(tmp_path: Path, rawroll_path: Path, unit: str) -> None:
    """Bar level: each worker loads the model once, the CLI once more (to fail early on a bad model).
    Note level (the default): the CLI loads the explicit ``--model`` to check it; each worker holds a
    lazy model and opens it at most once, on its first song whose piano leads (POP909's do)."""
    log = tmp_path / "calls.log"
    env = logging_hook_env(tmp_path, SITECUSTOMIZE, log)
    songs = [str(song_path(n)) for n in range(21, 29)]
    proc = subprocess.run(
        [sys.executable, "-m", "motifcli", "annotate", *songs, "-o", str(tmp_path / "out"), "--format", "json",
         "--workers", "2", "--model", str(rawroll_path), "--json", "--unit", unit],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["ok"] == len(songs)

    lines = [line.split() for line in log.read_text().splitlines()]
    loads = Counter(int(pid) for kind, pid, *_ in lines if kind == "load")
    files = Counter(int(pid) for kind, pid, *_ in lines if kind == "file")
    assert sum(files.values()) == len(songs)
    workers = set(files)
    assert 1 <= len(workers) <= 2
    if unit == "bar":
        assert all(loads[pid] == 1 for pid in workers), (loads, files)
        assert sum(loads.values()) == len(workers) + 1  # and once in the CLI, to fail early on a bad model
    else:
        assert all(loads[pid] <= 1 for pid in workers), (loads, files)  # opened lazily, once at most
        assert sum(n for pid, n in loads.items() if pid not in workers) == 1, (loads, files)  # the CLI's check
        assert any(loads[pid] == 1 for pid in workers), (loads, files)  # POP909's piano leads: the model ran
    assert {heavy for kind, _, *rest in lines if kind == "file" for heavy in rest} == {"-"}  # no music21, no torch


class CountingModel:
    """Wraps a model; records how many rolls each ``embed`` call got."""

    def __init__(self, model) -> None:  # noqa: ANN001
        self.model, self.calls = model, []

    def embed(self, rolls: np.ndarray) -> np.ndarray:
        self.calls.append(len(rolls))
        return self.model.embed(rolls)


@needs_data
def test_identical_windows_are_embedded_once(rawroll_model) -> None:
    from motifcli.embedding import embed_unique, select_tracks
    from motifcli.encoding import encode_segments
    from motifcli.readers.midi import read_midi
    from motifcli.segment import segment_track

    score = read_midi(song_path(21))
    spec = rawroll_model.spec
    rolls = np.concatenate(
        [encode_segments(t, segment_track(t, spec.segment_beats, None, spec.steps_per_beat), spec)
         for t in select_tracks(score)]
    )
    distinct = len(np.unique(rolls.reshape(len(rolls), -1), axis=0))
    assert distinct < len(rolls)  # a pop song repeats whole bars
    counting = CountingModel(rawroll_model)
    vectors = embed_unique(counting, rolls)
    assert counting.calls == [distinct]
    np.testing.assert_array_equal(vectors, rawroll_model.embed(rolls))


def test_embed_unique_edge_cases(rawroll_model) -> None:
    from motifcli.embedding import embed_unique

    shape = rawroll_model.spec.shape
    assert embed_unique(rawroll_model, np.zeros((0, *shape), dtype=np.float32)).shape[0] == 0
    one = np.zeros((1, *shape), dtype=np.float32)
    one[0, 0, 0] = 1.0
    np.testing.assert_array_equal(embed_unique(rawroll_model, one), rawroll_model.embed(one))
    rolls = np.concatenate([one, np.zeros_like(one), one, one])  # distinct rows: 2, out of order
    counting = CountingModel(rawroll_model)
    np.testing.assert_array_equal(embed_unique(counting, rolls), rawroll_model.embed(rolls))
    assert counting.calls == [2]


@needs_data
def test_wide_embeddings_give_the_same_families_as_pairwise_cosine(rawroll_model) -> None:
    """Wide embeddings (2,688 dimensions, many exact copies): the numpy clustering gives
    scikit-learn's clusters on the same distance matrix, bit for bit.

    Raw rolls are 0/1 vectors, so many pairs lie at exactly the same distance; against
    ``metric="cosine"`` (scipy's own pairwise loop, which rounds the last bit differently from the
    matrix product) such ties may be broken the other way, so there the clusters must agree on
    all but a sliver of the pairs. On the trained model's embeddings the labels are identical
    (tests/test_settings_pipeline.py).
    """
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import rand_score

    from motifcli.clustering import cluster_labels, pairwise_distances
    from motifcli.embedding import embed_score
    from motifcli.grouping import cluster, unit_rows
    from motifcli.readers.midi import read_midi

    def partition(labels) -> list[int]:  # noqa: ANN001
        first: dict[int, int] = {}
        return [first.setdefault(int(x), len(first)) for x in labels]

    for number in (21, 100, 137):
        vectors = embed_score(read_midi(song_path(number)), rawroll_model).vectors
        assert vectors.shape[1] >= 512
        units, ok = unit_rows(vectors)
        distances = pairwise_distances(units[ok])
        for threshold in (0.05, 0.25, 0.6):
            for linkage in ("average", "complete", "single"):
                ours = cluster(vectors, threshold, linkage)[ok]
                assert partition(ours) == partition(cluster_labels(distances, threshold, linkage))
                same_matrix = AgglomerativeClustering(
                    n_clusters=None, distance_threshold=threshold, metric="precomputed", linkage=linkage
                ).fit_predict(distances)
                assert partition(ours) == partition(same_matrix)
                pairwise = AgglomerativeClustering(
                    n_clusters=None, distance_threshold=threshold, metric="cosine", linkage=linkage
                ).fit_predict(units[ok])
                assert rand_score(pairwise, ours) > 0.99
