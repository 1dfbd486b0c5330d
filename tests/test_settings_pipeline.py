"""One settings object, one pipeline: every way in gives the same families; bad values are exit 2.

Real files (the bundled POP909 songs, a Bach chorale from music21's corpus), real readers, the
shipped ONNX model through onnxruntime; scikit-learn only as the reference the numpy clustering
must match.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import motifcli
from motifcli.cli import app, names_a_folder
from motifcli.clustering import cluster_labels, pairwise_distances
from motifcli.errors import ScoreReadError, UsageError, quoted
from motifcli.limits import ReadLimits
from motifcli.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SONGS = sorted((REPO / "examples").glob("pop909-*.mid"))
SONG = REPO / "examples" / "pop909-101.mid"
# non-default on purpose: every one of these must reach the families the same way
OPTIONS = {"threshold": 0.3, "min_notes": 3, "origin": 1.0, "hop": 2.0, "window": 4.0}
FLAGS = ["--threshold", "0.3", "--min-notes", "3", "--bar-offset", "1", "--hop", "2", "--window", "4"]


@pytest.fixture(scope="module")
def shipped():  # noqa: ANN201
    return motifcli.load_model(provider="cpu")


def families(annotation_dict: dict) -> list[tuple[str, list[tuple[int, float, float, tuple[int, ...]]]]]:
    return [
        (m["name"], [(o["track"], o["start_beat"], o["end_beat"], tuple(o["note_indices"])) for o in m["occurrences"]])
        for m in annotation_dict["motifs"]
    ]


def partition(labels: np.ndarray) -> list[int]:
    first: dict[int, int] = {}
    return [first.setdefault(int(x), len(first)) for x in labels]


@pytest.mark.parametrize("song", SONGS, ids=lambda p: p.stem)
def test_numpy_clustering_gives_scikit_learns_labels(shipped, song: Path) -> None:
    from sklearn.cluster import AgglomerativeClustering

    from motifcli.grouping import unit_rows

    vectors = motifcli.embed(motifcli.read_score(song), shipped).vectors
    units, ok = unit_rows(vectors)
    rows = units[ok]
    distances = pairwise_distances(rows, "cosine")
    merged = 0
    for threshold in (0.02, 0.2, 0.45, 0.7):
        for linkage in ("average", "complete", "single"):
            reference = AgglomerativeClustering(
                n_clusters=None, distance_threshold=threshold, metric="cosine", linkage=linkage
            ).fit_predict(rows)
            ours = cluster_labels(distances, threshold, linkage)
            assert partition(ours) == partition(reference), (threshold, linkage)
            merged += len(set(ours.tolist())) < len(ours)
    assert merged, "the thresholds must actually merge something"


def test_euclidean_clustering_matches_scikit_learn() -> None:
    from sklearn.cluster import AgglomerativeClustering

    rows = np.random.default_rng(7).normal(size=(120, 16))
    rows[60:80] = rows[:20]  # exact copies, as in songs
    reference = AgglomerativeClustering(n_clusters=None, distance_threshold=5.0, linkage="average").fit_predict(rows)
    assert partition(cluster_labels(pairwise_distances(rows, "euclidean"), 5.0)) == partition(reference)


def test_annotate_plot_and_library_give_the_same_families(shipped, tmp_path, monkeypatch) -> None:
    library = motifcli.annotate(motifcli.read_score(SONG), shipped, **OPTIONS).to_dict()
    assert library["motifs"], "the options must still find families"
    assert library["settings"]["bar_origin_beats"] == 1.0 and library["settings"]["hop_beats"] == 2.0

    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "motifcli", "annotate", str(SONG), "-o", str(out), "-f", "json", "--provider", "cpu",
         *FLAGS], capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    cli = json.loads((out / "pop909-101.motifs.json").read_text())
    assert families(cli) == families(library)
    assert cli["settings"] == library["settings"]

    seen = []
    monkeypatch.setattr("motifcli.plot.plot_timeline", lambda annotation, dest, title=None: seen.append(annotation))
    result = CliRunner().invoke(app, ["plot", str(SONG), "-o", str(tmp_path / "p.png"), "--provider", "cpu", *FLAGS])
    assert result.exit_code == 0, result.output
    assert families(seen[0].to_dict()) == families(library)


@pytest.mark.parametrize(
    ("field", "value"),
    [("threshold", float("inf")), ("threshold", float("nan")), ("threshold", 0.0), ("window", float("nan")),
     ("hop", float("inf")), ("sensitivity", float("nan")), ("sensitivity", 1.5), ("origin", 64.0),
     ("origin", -0.5), ("min_notes", 0), ("linkage", "ward")],
)
def test_bad_settings_are_usage_errors(field: str, value: object) -> None:
    with pytest.raises(UsageError):
        Settings(**{field: value})


def test_settings_resolve_against_the_model_and_pickle(shipped) -> None:
    run = Settings(hop=1.0).resolve(shipped)
    assert (run.window, run.hop, run.distance, run.threshold_source) == (4.0, 1.0, shipped.distance, "model")
    assert run.threshold == pytest.approx(shipped.grouping_threshold)
    assert pickle.loads(pickle.dumps(run)) == run
    assert run.resolve(shipped) == run
    looser = Settings.build(run, sensitivity=0.9).resolve(shipped)  # a resolved threshold does not stick
    assert looser.threshold > run.threshold and looser.sensitivity == 0.9
    assert Settings.build(run, threshold=0.2).resolve(shipped).threshold_source == "explicit"
    with pytest.raises(UsageError, match="longer"):
        Settings(window=8.0).resolve(shipped)
    with pytest.raises(UsageError, match="one step"):
        Settings(hop=0.0001).resolve(shipped)
    with pytest.raises(UsageError, match="unknown setting"):
        motifcli.annotate(motifcli.read_score(SONG), shipped, colour="red")


def test_library_call_enforces_the_window_limit(shipped) -> None:
    score = motifcli.read_score(SONG)
    small = ReadLimits(max_segments=20)
    with pytest.raises(ScoreReadError, match="window limit"):
        motifcli.annotate(score, shipped, limits=small, unit="bar")
    with pytest.raises(ScoreReadError, match="window limit"):
        motifcli.embed(score, shipped, limits=small)
    assert motifcli.annotate(score, limits=small).motifs  # the note level groups no windows: no such limit


def test_occurrences_end_inside_the_score(shipped) -> None:
    """bwv1.6: windows follow the one-beat pickup, so the last one reaches a beat past the end."""
    from music21 import corpus

    score = motifcli.read_score(corpus.getWork("bwv1.6"))
    annotation = motifcli.annotate(score, shipped, sensitivity=0.9, unit="bar")
    assert annotation.occurrences
    assert max(o.end for o in annotation.occurrences) <= score.end_beat
    last_bar = score.bar_number_at(score.end_beat - 1e-3)
    assert all(o.start <= o.end and o.end_bar <= last_bar for o in annotation.occurrences)


@pytest.mark.parametrize(
    ("args", "needle"),
    [(["annotate", str(SONG), "--threshold", "inf"], "--threshold"),
     (["annotate", str(SONG), "--window", "nan"], "--window"),
     (["embed", str(SONG), "--hop", "0.0001"], "hop"),
     (["embed", str(SONG), "--window", "nan"], "--window"),
     (["plot", str(SONG), "-o", "x.png", "--bar-offset", "70"], "--bar-offset")],
)
def test_cli_bad_numbers_exit_2_with_one_line(tmp_path, args: list[str], needle: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "motifcli", *args, "--provider", "cpu"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and needle in lines[0] and "internal" not in lines[0]


def test_output_folder_rules_and_written_paths(tmp_path) -> None:
    assert names_a_folder("results.v2/") and names_a_folder("results.v2") and names_a_folder(str(tmp_path))
    assert not names_a_folder("x.mid") and not names_a_folder("x.motifs.json") and not names_a_folder("a/b.musicxml")
    proc = subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(SONG), "-o", "results.v2/",
                           "--provider", "cpu"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    written = sorted(p.name for p in (tmp_path / "results.v2").iterdir())
    assert written == ["pop909-101.motifs.json", "pop909-101.motifs.mid"]
    assert sorted(line.split("/")[-1] for line in proc.stdout.splitlines() if line.startswith("wrote ")) == written
    quiet = subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(SONG), "-o", "q/", "-q", "--json",
                            "--provider", "cpu"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert quiet.returncode == 0 and quiet.stderr == ""
    outputs = json.loads(quiet.stdout)["results"][0]["outputs"]
    assert sorted(Path(p).name for p in outputs) == written and all(Path(tmp_path, p).is_file() for p in outputs)


def test_a_name_with_a_newline_stays_on_one_line(tmp_path) -> None:
    bad = tmp_path / "two\nlines.mid"
    bad.write_bytes(b"not midi at all")
    assert "\n" not in quoted(bad) and quoted("plain/song.mid") == "plain/song.mid"
    proc = subprocess.run([sys.executable, "-m", "motifcli", "annotate", str(bad), "-q", "--provider", "cpu"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert len(proc.stderr.strip().splitlines()) == 1 and repr(str(bad)) in proc.stderr


def test_midi_annotate_imports_no_clustering_library_nor_music21(tmp_path) -> None:
    code = (
        "import sys\nfrom motifcli.cli import main\n"
        f"try:\n    main(['annotate', {str(SONG)!r}, '-o', {str(tmp_path)!r}, '-q', '--provider', 'cpu'])\n"
        "except SystemExit as e:\n    assert not e.code, e.code\n"
        "print(sorted(m for m in ('sklearn', 'scipy', 'music21', 'torch', 'matplotlib') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_info_escapes_control_characters_and_lists_usable_providers(tmp_path) -> None:
    from conftest import build_rawroll_onnx, rawroll_metadata

    from motifcli.encoding import EncodingSpec

    spec = EncodingSpec()
    path = tmp_path / ("a-very-long-folder-name-" * 4) / "model.onnx"
    path.parent.mkdir()
    build_rawroll_onnx(spec, path, rawroll_metadata(spec, version="1.0\x1b[31m red\x00"))
    proc = subprocess.run([sys.executable, "-m", "motifcli", "info", "--model", str(path), "--provider", "cpu"],
                          capture_output=True, text=True, timeout=120, env={**__import__("os").environ, "COLUMNS": "80"})
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout and "\x00" not in proc.stdout and "\\x1b[31m red" in proc.stdout
    assert "AzureExecutionProvider" not in proc.stdout and "CPUExecutionProvider" in proc.stdout
    assert str(path) in proc.stdout.replace("\n", "").replace("│", "").replace(" ", "")  # folded, not cut


def test_grouping_uses_the_distance_the_model_card_names(tmp_path, rawroll_model) -> None:
    """A raw-roll model whose card says euclidean: 0/1 rolls lie >= 1 apart unless identical, so a
    euclidean threshold of 0.5 groups exactly the identical windows, as a tiny cosine one does."""
    from conftest import build_rawroll_onnx, rawroll_metadata

    spec = rawroll_model.spec
    path = build_rawroll_onnx(spec, tmp_path / "euclid.onnx", rawroll_metadata(spec, distance="euclidean"))
    euclid = motifcli.load_model(path, provider="cpu")
    score = motifcli.read_score(SONG)
    by_euclid = motifcli.annotate(score, euclid, threshold=0.5, unit="bar").to_dict()
    by_cosine = motifcli.annotate(score, rawroll_model, threshold=1e-6, unit="bar").to_dict()
    assert by_euclid["settings"]["metric"] == "euclidean" and by_cosine["settings"]["metric"] == "cosine"
    assert by_euclid["motifs"] and families(by_euclid) == families(by_cosine)
    assert families(motifcli.annotate(score, rawroll_model, threshold=0.5, unit="bar").to_dict()) != families(by_cosine)
